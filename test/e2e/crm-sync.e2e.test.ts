/**
 * The built extension against stand-in CRM APIs at their real hosts (ADR 11): the service worker calls
 * `https://api.hubapi.com`, and Playwright forwards those requests to the HubSpot stand-in on 127.0.0.1.
 * Connect with a private-app token (the message the options page sends), open a HubSpot contact, see the
 * profile the API adds, reject it, and find exactly one note and the new status in the stand-in. Then look
 * everywhere the CRM page can look for the token, and find nothing. Then the same for Salesforce.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotStandIn, type HubSpotStandIn } from '../stand-ins/hubspot';
import { startSalesforceStandIn, type SalesforceStandIn } from '../stand-ins/salesforce';
import { CRM_HOSTS, forwardRequest, launchExtension, panelFrame, salesforceSignIn, sendAsExtensionPage, storeConnection, type ExtensionHarness } from './harness';


let h: ExtensionHarness;
let hs: HubSpotStandIn;
let contactId: string;

/** Forwards a routed request to a stand-in server and returns its answer unchanged. */
async function forward(route: Route, base: string) {
  await route.fulfill(await forwardRequest(route, base));
}

/** Sends a message as a top-level extension page (the options page) would. */
const asExtensionPage = (type: string, payload: unknown) => sendAsExtensionPage(h, type, payload);

beforeAll(async () => {
  hs = await startHubSpotStandIn();
  contactId = hs.addContact({
    firstname: 'Maria',
    lastname: 'Garcia',
    email: 'maria.garcia@umbrella.example',
    jobtitle: 'Head of Revenue Operations',
    company: 'Umbrella Analytics',
    numemployees: '100-500',
    industry: 'COMPUTER_SOFTWARE',
    hs_lead_status: 'NEW',
  });
  h = await launchExtension();
  await h.context.route('https://api.hubapi.com/**', (route) => forward(route, hs.url));
});
afterAll(async () => {
  await h?.close();
  await hs?.close();
});

describe('sync to HubSpot (stand-in at the real API host)', () => {
  let page: Page;

  it('connects with a token, and answers pages without it', async () => {
    const reply = await asExtensionPage('options.connect', { auth: 'token', crm: 'hubspot', token: hs.token });
    expect(reply).toMatchObject({ ok: true, data: { crm: 'hubspot', label: `HubSpot portal ${hs.portalId}`, account: String(hs.portalId), state: 'connected' } });
    const overview = await asExtensionPage('options.getOverview', {});
    expect(overview.ok).toBe(true);
    expect(JSON.stringify(overview)).not.toContain(hs.token);

    const refused = await asExtensionPage('options.connect', { auth: 'token', crm: 'hubspot', token: 'pat-na1-wrong' });
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringContaining('HubSpot did not accept the connection') } });
  });

  it('reads the lead from the API, and delivers a rejection once: status and one note', async () => {
    await h.context.addInitScript(() => {
      // Everything posted to the CRM page's window, for the token search below.
      const seen: string[] = [];
      (window as unknown as { __messages: string[] }).__messages = seen;
      window.addEventListener('message', (e) => seen.push(typeof e.data === 'string' ? e.data : JSON.stringify(e.data)), true);
    });
    page = await h.open(`${CRM_HOSTS.hubspot.origin}/contacts/${hs.portalId}/record/0-1/${contactId}`);
    const panel = panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
    await panel.getByRole('heading', { level: 2, name: 'Maria Garcia' }).waitFor();
    // The API read adds what the page does not show (company size 100+ scores as fit).
    await panel.getByText('Company size in ICP').first().waitFor({ state: 'attached' });

    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('bad_timing');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Locked into a contract until next autumn.');
    // A private-app token has no user behind it: the panel asks who is deciding, and keeps what was typed.
    await panel.getByText(/^Who is deciding\?/).first().waitFor();
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByRole('alert').getByText(/Who is deciding\?/).waitFor();
    expect(await asExtensionPage('options.setRep', { name: 'Sam Rep', email: 'sam.rep@ourco.example' })).toMatchObject({ ok: true });
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();
    await panel.getByText(/^Decided by Sam Rep, /).waitFor();

    expect(hs.contacts.get(contactId)?.hs_lead_status).toBe('UNQUALIFIED');
    const notes = hs.notes.filter((n) => n.associations.some((a) => a.objectType === 'contacts' && a.id === contactId));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain('Locked into a contract until next autumn.');
    expect(hs.calls.filter((c) => c.path.includes('/notes/batch/create'))).toHaveLength(1);
  });

  it('never lets the token reach the CRM page: DOM, storage, cookies, messages', async () => {
    const found = await page.evaluate(async (token) => {
      const places: Record<string, string> = {
        dom: document.documentElement.outerHTML,
        localStorage: JSON.stringify({ ...localStorage }),
        sessionStorage: JSON.stringify({ ...sessionStorage }),
        cookies: document.cookie,
        messages: (window as unknown as { __messages: string[] }).__messages.join('\n'),
        indexedDB: JSON.stringify((await indexedDB.databases?.()) ?? []),
      };
      return Object.entries(places)
        .filter(([, text]) => text.includes(token))
        .map(([where]) => where);
    }, hs.token);
    expect(found).toEqual([]);
    // The panel (an extension page) shows no token either.
    const panelText = await panelFrame(page).locator('html').innerHTML();
    expect(panelText).not.toContain(hs.token);
  });
});

/**
 * Salesforce: the service worker calls the org's API host and the login host, both forwarded to the
 * Salesforce stand-in. Signing in goes through `identity.launchWebAuthFlow`, whose window automation can't
 * reach (ADR 11), so the test stores the connection the sign-in would have made, as an extension page
 * can, and starts with an expired access token: the first call must refresh it.
 */
describe('sync to Salesforce (stand-in at the real API hosts)', () => {
  let sf: SalesforceStandIn;
  let leadId: string;
  const ORG = 'https://acme.my.salesforce.com';

  beforeAll(async () => {
    sf = await startSalesforceStandIn();
    leadId = sf.addLead({ FirstName: 'Jane', LastName: 'Doe', Salutation: 'Ms.', Company: 'Initech', Title: 'VP Operations', NumberOfEmployees: 800, Industry: 'Technology', Status: 'Open - Not Contacted' });
    await h.context.route(`${ORG}/**`, (route) => forward(route, sf.url));
    await h.context.route('https://login.salesforce.com/**', (route) => forward(route, sf.url));
    const connection = salesforceSignIn(ORG, sf.credentials());
    sf.expireAccessToken();
    await storeConnection(h, 'salesforce', connection);
  });
  afterAll(() => sf?.close());

  it('refreshes the expired session, reads the lead, and delivers a rejection once: status and one task', async () => {
    const page = await h.open(`${CRM_HOSTS.salesforce.origin}/lightning/r/Lead/${leadId}/view`);
    const panel = panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
    await panel.getByRole('heading', { level: 2, name: 'Ms. Jane Doe' }).waitFor();
    await panel.getByText('Company size in ICP').first().waitFor({ state: 'attached' });

    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('not_decision_maker');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Runs operations; the budget sits with the COO.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();

    expect(sf.leads.get(leadId)?.Status).toBe('Closed - Not Converted');
    const tasks = sf.tasks.filter((t) => t.WhoId === leadId);
    expect(tasks).toHaveLength(1);
    expect(String(tasks[0]!.Description)).toContain('Runs operations; the budget sits with the COO.');
    expect(String(tasks[0]!.Subject)).toMatch(/^Lead qualification: Rejected: Not a decision-maker \(lq[0-9a-f]{32}\)$/);
    // Signed by the org's user the token belongs to (userinfo), and Salesforce records that user as creator.
    const [user] = [...sf.users.values()];
    expect(String(tasks[0]!.Description)).toContain(`Decided by ${String(user!.Name)}`);
    expect(tasks[0]!.CreatedById).toBe(user!.Id);
    expect(sf.calls.some((c) => c.path.startsWith('/services/oauth2/token'))).toBe(true);
    await page.close();
  });
});
