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
/** The project's content script on that page: Salesforce's own (one script per CRM, wxt.config.ts). */
export const PROJECT_SCRIPT = '/content-scripts/salesforce.js';
export const LEAD_PATH = '/lightning/r/Lead/00Q5e00000AbCdEEAV/view';
export const FIXTURE_NAME = 'Jane Doe';
/** The fixture renders names with a salutation; the panel shows the name as the page does. */
export const shownName = (name: string) => `Ms. ${name}`;

/** Rows in the heavy fixture's related list: with the record it makes the page ~30k nodes, as busy orgs do. */
const RELATED_ROWS = 2_000;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const ROW_TYPES = ['Call', 'Email', 'Meeting', 'Task'];
const ROW_OWNERS = ['Sam Rivera', 'Priya Shah', 'Tom Becker', 'Lena Vogel'];

/** A Lightning related list (activity history) of `rows` rows, in SLDS table markup; an empty body with `bodyId`. */
function relatedList(rows: number, bodyId?: string): string {
  const types = ROW_TYPES;
  const owners = ROW_OWNERS;
  const markup = bodyId
    ? []
    : Array.from({ length: rows }, (_, i) => {
        const day = String((i % 28) + 1).padStart(2, '0');
        return `<tr class="slds-hint-parent"><th scope="row"><a href="/lightning/r/Task/00T5e00000${String(i).padStart(5, '0')}AAA/view">${types[i % 4]} #${i + 1}</a></th><td><span class="slds-truncate">${types[i % 4]}</span></td><td><lightning-formatted-date-time>2026-10-${day}</lightning-formatted-date-time></td><td><span class="slds-truncate">${owners[i % 4]}</span></td><td><span class="slds-truncate">${i % 3 === 0 ? 'Open' : 'Completed'}</span></td><td><span class="slds-truncate">Follow-up on pricing and rollout, note ${i + 1}</span></td></tr>`;
      });
  return `
<lst-related-list-single-container>
  <article class="slds-card slds-card_boundary">
    <header class="slds-card__header"><h2 class="slds-card__header-title">Activity History (${rows})</h2></header>
    <div class="slds-card__body"><table class="slds-table slds-table_bordered slds-table_fixed-layout" aria-label="Activity History">
      <thead><tr><th scope="col">Subject</th><th scope="col">Type</th><th scope="col">Due Date</th><th scope="col">Assigned To</th><th scope="col">Status</th><th scope="col">Comments</th></tr></thead>
      <tbody${bodyId ? ` id="${bodyId}"` : ''}>${markup.join('\n')}</tbody>
    </table></div>
  </article>
</lst-related-list-single-container>`;
}

/** The recorded Salesforce lead view plus a related list in the visible record, for `name`. */
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
  const related = relatedList(RELATED_ROWS);
  return (name) => heavyLeadPage(fixture, related, name);
}

/**
 * Rows in the floor comparison's pages (issue 19): 6 cells a row, 25,200 table cells, the shape of a busy
 * org's lead with a long activity history.
 */
export const FLOOR_ROWS = 4_200;
export const FLOOR_CELLS = FLOOR_ROWS * 6;

/** The floor comparison's two pages: the list in the HTML, or rendered by the page's script after load. */
export type FloorPageKind = 'static' | 'after-load';
export const FLOOR_PAGE_KINDS: readonly FloorPageKind[] = ['static', 'after-load'];
/** Each page at its own lead's address (one browser serves both; the extensions see a lead page either way). */
export const floorPagePath = (kind: FloorPageKind) => `/lightning/r/Lead/${kind === 'static' ? '00Q5e00000FlStA' : '00Q5e00000FlAfL'}/view`;
const FLOOR_BODY_ID = 'bench-activity-body';

/**
 * The page's own script for 'after-load': after the load event (a task later, as Lightning renders a record's
 * related lists once its data has arrived) it builds FLOOR_ROWS rows with DOM calls, as LWC does, and appends
 * them in one go. Plain JS in a string: it runs in the page, untouched by the bench's TypeScript toolchain.
 */
const renderAfterLoad = `
addEventListener('load', () => setTimeout(() => {
  const types = ${JSON.stringify(ROW_TYPES)};
  const owners = ${JSON.stringify(ROW_OWNERS)};
  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const span = (text) => el('span', text, { class: 'slds-truncate' });
  const rows = document.createDocumentFragment();
  for (let i = 0; i < ${FLOOR_ROWS}; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const tr = el('tr', undefined, { class: 'slds-hint-parent' });
    const th = el('th', undefined, { scope: 'row' });
    th.append(el('a', types[i % 4] + ' #' + (i + 1), { href: '/lightning/r/Task/00T5e00000' + String(i).padStart(5, '0') + 'AAA/view' }));
    const cells = [span(types[i % 4]), el('lightning-formatted-date-time', '2026-10-' + day), span(owners[i % 4]), span(i % 3 === 0 ? 'Open' : 'Completed'), span('Follow-up on pricing and rollout, note ' + (i + 1))];
    tr.append(th, ...cells.map((c) => { const td = el('td'); td.append(c); return td; }));
    rows.append(tr);
  }
  document.getElementById('${FLOOR_BODY_ID}').append(rows);
  document.documentElement.setAttribute('data-bench-rendered', '');
}, 0));`;

/** Renders the floor comparison's pages (Jane Doe's lead view with a FLOOR_ROWS-row related list). */
export function floorPages(): Record<FloorPageKind, string> {
  const fixture = readFileSync(FIXTURE, 'utf8');
  const afterLoad = heavyLeadPage(fixture, relatedList(FLOOR_ROWS, FLOOR_BODY_ID), FIXTURE_NAME);
  if (!afterLoad.includes('</body>')) throw new Error(`${FIXTURE} changed shape: the bench looks for "</body>" in it.`);
  return {
    static: heavyLeadPage(fixture, relatedList(FLOOR_ROWS), FIXTURE_NAME),
    'after-load': afterLoad.replace('</body>', `<script>${renderAfterLoad}</script>\n</body>`),
  };
}
