/**
 * Runs axe-core in a page and each of its frames (the panel iframe included). The source is evaluated
 * rather than added as a script tag, so the extension page's CSP does not block it, as @axe-core/playwright
 * does (which needs a newer Node than ours).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  frame: string;
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

async function scanFrame(frame: Frame): Promise<AxeViolation[]> {
  await frame.evaluate(axeSource);
  const violations = await frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // Page-level best practices do not apply to a frame scanned alone: the CRM page has the main landmark
      // and the h1; the panel's contract is a complementary landmark headed by the lead's name (h2).
      rules: { 'landmark-one-main': { enabled: false }, 'page-has-heading-one': { enabled: false } },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.map((v) => ({ ...v, frame: frame.url() }));
}

/** Violations in the page's frames whose URL passes `include` (default: every frame). */
export async function axeScan(page: Page, include: (url: string) => boolean = () => true): Promise<AxeViolation[]> {
  const frames = page.frames().filter((f) => include(f.url()));
  return (await Promise.all(frames.map(scanFrame))).flat();
}

/** Visible interactive elements smaller than 24×24 px (a control inside its label counts as the label). */
export async function smallTargets(frame: Frame): Promise<{ el: string; width: number; height: number }[]> {
  return frame.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, select, input, textarea, a[href], [role="button"], summary')]
      .filter((el) => el.checkVisibility())
      .map((el) => {
        const r = (el.closest('label') ?? el).getBoundingClientRect();
        return { el: el.outerHTML.slice(0, 80), width: r.width, height: r.height };
      })
      .filter((r) => r.width < 24 || r.height < 24),
  );
}
