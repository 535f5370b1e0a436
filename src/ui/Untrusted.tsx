import { showControls } from '../domain/untrusted-text';

/**
 * Text that came from outside the extension (a CRM page or the CRM's records), shown as text: isolated
 * from what stands beside it, with its direction controls made visible (src/domain/untrusted-text.ts).
 */
export function Untrusted({ text, className }: { text: string; className?: string }) {
  return (
    <bdi dir="auto" className={className}>
      {showControls(text)}
    </bdi>
  );
}
