/**
 * The page the page-cost bench loads: the recorded Salesforce lead view, made heavy with a long related list,
 * served at its real address; and the leads its SPA navigations go to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'src', 'crm', 'salesforce', 'fixtures', 'lead-view.html');

export const SF_ORIGIN = 'https://acme.lightning.force.com';
export const LEAD_PATH = '/lightning/r/Lead/00Q5e00000AbCdEEAV/view';
export const FIXTURE_NAME = 'Jane Doe';
/** The fixture renders names with a salutation; the panel shows the name as the page does. */
export const shownName = (name: string) => `Ms. ${name}`;

/** Rows in the heavy fixture's related list: with the record it makes the page ~30k nodes, as busy orgs do. */
const RELATED_ROWS = 2_000;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A Lightning related list (activity history) of RELATED_ROWS rows, in SLDS table markup. */
function relatedList(): string {
  const types = ['Call', 'Email', 'Meeting', 'Task'];
  const owners = ['Sam Rivera', 'Priya Shah', 'Tom Becker', 'Lena Vogel'];
  const rows = Array.from({ length: RELATED_ROWS }, (_, i) => {
    const day = String((i % 28) + 1).padStart(2, '0');
    return `<tr class="slds-hint-parent"><th scope="row"><a href="/lightning/r/Task/00T5e00000${String(i).padStart(5, '0')}AAA/view">${types[i % 4]} #${i + 1}</a></th><td><span class="slds-truncate">${types[i % 4]}</span></td><td><lightning-formatted-date-time>2026-10-${day}</lightning-formatted-date-time></td><td><span class="slds-truncate">${owners[i % 4]}</span></td><td><span class="slds-truncate">${i % 3 === 0 ? 'Open' : 'Completed'}</span></td><td><span class="slds-truncate">Follow-up on pricing and rollout, note ${i + 1}</span></td></tr>`;
  });
  return `
<lst-related-list-single-container>
  <article class="slds-card slds-card_boundary">
    <header class="slds-card__header"><h2 class="slds-card__header-title">Activity History (${RELATED_ROWS})</h2></header>
    <div class="slds-card__body"><table class="slds-table slds-table_bordered slds-table_fixed-layout" aria-label="Activity History">
      <thead><tr><th scope="col">Subject</th><th scope="col">Type</th><th scope="col">Due Date</th><th scope="col">Assigned To</th><th scope="col">Status</th><th scope="col">Comments</th></tr></thead>
      <tbody>${rows.join('\n')}</tbody>
    </table></div>
  </article>
</lst-related-list-single-container>`;
}

/** The recorded Salesforce lead view plus a 2,000-row related list in the visible record, for `name`. */
function heavyLeadPage(fixture: string, related: string, name: string): string {
  const anchor = '</runtime_sales_pathassistant-path-assistant>';
  if (!fixture.includes(anchor) || !fixture.includes(FIXTURE_NAME)) {
    throw new Error(`${FIXTURE} changed shape: the bench looks for "${anchor}" and "${FIXTURE_NAME}" in it.`);
  }
  return fixture.replaceAll(FIXTURE_NAME, escapeHtml(name)).replace(anchor, `${anchor}\n${related}`);
}

/** A lead id per navigation (15-character form: no checksum to compute), a lead the extension has not seen. */
export const leadId = (i: number) => `00Q5e00000Bn${String(i).padStart(3, '0')}`;
export const leadName = (i: number) => `Bench Lead ${i}`;

/** Renders the heavy lead page for a lead's name (the fixture is read, and the related list built, once). */
export function heavyPageRenderer(): (name: string) => string {
  const fixture = readFileSync(FIXTURE, 'utf8');
  const related = relatedList();
  return (name) => heavyLeadPage(fixture, related, name);
}
