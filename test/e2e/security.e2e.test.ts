/**
 * A hostile page at a CRM URL, in real Chromium with the built extension (issue 18): a script there
 * must not be able to make the panel act on a lead the rep is no longer on, or change who the lead is.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/crm/hubspot/note-html';
import { parseTeamNote } from '../../src/domain/note-format';
import { CHANNEL } from '../../src/messaging/envelope';
import { startHubSpotStandIn, type HubSpotStandIn } from '../stand-ins/hubspot';
import { CRM_HOSTS, forwardRequest, giveRepName, launchExtension, type ExtensionHarness } from './harness';

declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };

const SF = CRM_HOSTS.salesforce.origin;
const LEAD = `${SF}/lightning/r/Lead/00Q5e00000AbCdEEAV/view`;
/** Any org's page on a Lightning host: not a lead page, but the panel is web-accessible there. */
const HOSTILE = `${SF}/lightning/page/home`;

let h: ExtensionHarness;
beforeAll(async () => {
  h = await launchExtension();
  // The page embeds the panel itself, the way a stored-XSS script or a widget on the CRM could.
  await h.context.route(`${HOSTILE}*`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><h1>Home</h1>
<iframe id="forged" title="forged" style="width:400px;height:600px" src="chrome-extension://${h.extensionId}/panel.html"></iframe></body></html>`,
    }),
  );
});
afterAll(async () => {
  await h?.close();
});

/** The level-2 heading of the panel in the page's forged frame. */
async function forgedPanelHeading(page: Page) {
  const landmark = page.frameLocator('#forged').getByRole('complementary', { name: 'Lead qualification' });
  await landmark.waitFor({ state: 'visible' });
  return landmark.getByRole('heading', { level: 2 }).textContent();
}

describe('a tab that leaves a lead for a page without one (finding 1)', () => {
  it('forgets the lead: a panel the new page embeds shows no lead and offers no decision', async () => {
    const page = await h.open(LEAD);
    await page.frameLocator('iframe[title="Lead qualification"]').getByRole('heading', { level: 2, name: 'Jane Doe' }).waitFor();

    // A full page load in the same tab, to a page that frames the panel on its own.
    await page.goto(HOSTILE, { waitUntil: 'load' });
    await expect.poll(() => forgedPanelHeading(page)).toBe('Reading the lead…');
    const forged = page.frameLocator('#forged');
    expect(await forged.getByRole('button', { name: 'Recycle to nurture' }).count()).toBe(0);
    expect(await forged.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await page.close();
  });
});

describe('a page script that rewrites the record view of a connected CRM (finding 3)', () => {
  let hs: HubSpotStandIn;
  let contactId: string;

  beforeAll(async () => {
    hs = await startHubSpotStandIn();
    contactId = hs.addContact({ firstname: 'Maria', lastname: 'Garcia', email: 'maria.garcia@umbrella.example', jobtitle: 'Head of Revenue Operations', company: 'Umbrella Analytics', numemployees: '100-500', industry: 'COMPUTER_SOFTWARE', hs_lead_status: 'NEW' });
    await h.context.route('https://api.hubapi.com/**', async (route) => route.fulfill(await forwardRequest(route, hs.url)));
    // Connected with a private-app token (what the options page's Connect sends); it names no user, so the rep gives their name.
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/options.html`);
    const reply = await options.evaluate(({ channel, token }) => chrome.runtime.sendMessage({ channel, type: 'options.connect', payload: { auth: 'token', crm: 'hubspot', token } }), { channel: CHANNEL, token: hs.token });
    expect(reply).toMatchObject({ ok: true, data: { state: 'connected' } });
    await options.close();
    await giveRepName(h);
  });
  afterAll(() => hs?.close());

  it('shows and decides on the lead as HubSpot has it, with the record id, and flags what the page says otherwise', async () => {
    const url = `${CRM_HOSTS.hubspot.origin}/contacts/${hs.portalId}/record/0-1/${contactId}`;
    // The contact's own page, with a script (stored XSS, a widget) that renames the person before anyone reads it.
    const rewrite = `<script>
for (const el of document.querySelectorAll('[data-selenium-test="highlightTitle"]')) el.textContent = 'Eve Mallory';
document.title = 'Eve Mallory | HubSpot';
</script>`;
    await h.context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: CRM_HOSTS.hubspot.recordPage().replace('</body>', `${rewrite}</body>`) }));
    const page = await h.open(url);
    expect(await page.title()).toBe('Eve Mallory | HubSpot');

    const panel = page.frameLocator('iframe[title="Lead qualification"]').getByRole('complementary', { name: 'Lead qualification' });
    await panel.getByRole('heading', { level: 2, name: 'Maria Garcia' }).waitFor();
    const flags = panel.getByRole('group', { name: 'The page and HubSpot disagree' });
    await expect.poll(() => flags.textContent()).toBe('Name: the page shows “\u2068Eve Mallory\u2069”, HubSpot says “\u2068Maria Garcia\u2069” — using HubSpot’s.');
    expect(await panel.locator('.lq-header__record').textContent()).toBe(`Record ${contactId} · from HubSpot`);

    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('bad_timing');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Budget frozen until next year.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();

    // The note in HubSpot carries the revision, whose snapshot names the lead as HubSpot does.
    const notes = hs.notes.filter((n) => n.associations.some((a) => a.objectType === 'contacts' && a.id === contactId));
    expect(notes).toHaveLength(1);
    const parsed = parseTeamNote(htmlToText(notes[0]!.body));
    expect(parsed.ok && parsed.content.v === 2 && parsed.content.kind === 'decision' && parsed.content.revision.snapshot.lead).toMatchObject({ name: 'Maria Garcia', company: 'Umbrella Analytics', recordId: contactId });
    expect(notes[0]!.body).not.toContain('Eve Mallory');
    await page.close();
  });
});
