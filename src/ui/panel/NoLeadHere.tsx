import { strings as t } from './strings';

/**
 * The browser's side panel beside a tab that shows no lead (ADR 0020): a calm note, not an error. The
 * panel page shows the lead again as soon as the rep is on a tab with one (the background pushes it).
 */
export function NoLeadHere({ crmLabels }: { crmLabels: readonly string[] }) {
  return (
    <div role="status" className="lq-section">
      <p>{t.noLeadHere(crmLabels)}</p>
      <p className="lq-hint">{t.noLeadHereHint}</p>
    </div>
  );
}
