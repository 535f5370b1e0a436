import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadKey } from '../../src/crm';
import { crmApiModule } from '../../src/crm/apis';
import type { LeadDomData } from '../../src/crm/types';
import type { LeadRef } from '../../src/domain/lead-ref';
import { disagreements } from '../../src/domain/lead-identity';
import { profileFrom, sourceOf } from '../../src/background/sessions';
import type { LeadQualifierDb } from '../../src/store/db';
import { cachedLead, recordLeadShown } from '../../src/store/leads';
import { recordLeadTeam } from '../../src/store/team';
import { connectionStore } from '../../src/sync/connections';
import { createLeadRefresher } from '../../src/sync/lead-refresh';
import { startHubSpotStandIn, type HubSpotStandIn } from '../stand-ins/hubspot';
import { freshDb } from '../support/db';

/**
 * ADR 0015 finding 3: a script on the CRM page can rewrite the record view. Once the CRM's API has
 * answered for a lead, its name, company, title, email and status are the lead's, whatever the page shows
 * before or after; the page's reading is kept beside them and compared. Through the real HubSpot module
 * and its stand-in.
 */

const realFetch: typeof fetch = (a, b) => fetch(a, b);
const HOST = 'app-eu1.hubspot.com';
const MARIA = { firstname: 'Maria', lastname: 'Garcia', email: 'maria.garcia@umbrella.example', jobtitle: 'Head of Revenue Operations', company: 'Umbrella Analytics', numemployees: '100-500', hs_lead_status: 'NEW' };

let hs: HubSpotStandIn;
let db: LeadQualifierDb;
let now: number;

beforeEach(async () => {
  hs = await startHubSpotStandIn();
  db = freshDb();
  now = Date.parse('2026-11-20T12:00:00Z');
  await connectionStore(db).put({
    crm: 'hubspot',
    apiBase: hs.url,
    account: String(hs.portalId),
    label: 'HubSpot',
    credentials: { kind: 'token', token: hs.token },
    mapping: crmApiModule('hubspot')!.defaultMapping,
    connectedAt: '2026-11-20T12:00:00.000Z',
    state: 'connected',
  });
});
afterEach(() => hs.close());

const refOf = (id: string): LeadRef => ({ crm: 'hubspot', recordId: id, objectType: 'contact', url: `https://${HOST}/contacts/${hs.portalId}/record/0-1/${id}`, host: HOST, account: String(hs.portalId) });
const refresher = () => createLeadRefresher({ db, connections: connectionStore(db), modules: crmApiModule, fetch: realFetch, now: () => now });

/** What `page.leadShown` stores (src/background/sessions.ts). */
function pageShows(ref: LeadRef, dom: LeadDomData) {
  const at = new Date(now).toISOString();
  return recordLeadShown(db, leadKey(ref), ref, (previous, row) => profileFrom(ref, dom, previous, { crmAnswered: row?.fetchedAt !== undefined }), at, dom);
}
const rowOf = async (ref: LeadRef) => (await cachedLead(db, leadKey(ref)))!;

describe('reading a lead from the CRM’s API (finding 3)', () => {
  it('uses the page’s reading until the API answers, then the API’s, and keeps the page’s to compare', async () => {
    const ref = refOf(hs.addContact(MARIA));
    await pageShows(ref, { name: 'Eve Mallory', company: 'Evil Corp', title: 'Chief Executive Officer', email: 'MARIA.GARCIA@umbrella.example ', status: 'Customer' });
    expect((await rowOf(ref)).profile).toMatchObject({ name: 'Eve Mallory', company: 'Evil Corp', title: 'Chief Executive Officer' });
    expect(sourceOf(await rowOf(ref))).toEqual({ crmLabel: 'HubSpot' });

    await refresher().refresh(ref);
    const row = await rowOf(ref);
    expect(row.fetchedAt).toBeDefined();
    // The API's word on who the lead is; an email the page shows in other case and spacing is the same email.
    expect(row.profile).toMatchObject({ name: 'Maria Garcia', company: 'Umbrella Analytics', title: 'Head of Revenue Operations', crmStatus: 'NEW', companySize: 100 });
    expect(row.pageSaid).toMatchObject({ name: 'Eve Mallory', company: 'Evil Corp' });
    expect(sourceOf(row).disagreements).toEqual([
      { field: 'name', page: 'Eve Mallory', crm: 'Maria Garcia' },
      { field: 'company', page: 'Evil Corp', crm: 'Umbrella Analytics' },
      { field: 'title', page: 'Chief Executive Officer', crm: 'Head of Revenue Operations' },
    ]);
  });

  it('does not let the page change the lead after the API answered; a page that agrees clears the flag', async () => {
    const ref = refOf(hs.addContact(MARIA));
    await pageShows(ref, { name: 'Maria Garcia' });
    await refresher().refresh(ref);
    expect(sourceOf(await rowOf(ref)).disagreements).toBeUndefined();

    await pageShows(ref, { name: 'Eve Mallory', company: 'Evil Corp', status: 'Customer' });
    const row = await rowOf(ref);
    expect(row.profile).toMatchObject({ name: 'Maria Garcia', company: 'Umbrella Analytics', crmStatus: 'NEW' });
    expect(sourceOf(row).disagreements?.map((d) => d.field)).toEqual(['name', 'company']);

    // The same values with other case and white space agree, and the page's spelling is kept.
    await pageShows(ref, { name: '  maria   GARCIA ', company: 'Umbrella Analytics' });
    expect((await rowOf(ref)).profile.name).toBe('  maria   GARCIA ');
    expect(sourceOf(await rowOf(ref)).disagreements).toBeUndefined();
  });

  it('leaves a field empty that the CRM leaves empty, whatever the page fills in, and flags it', async () => {
    const { jobtitle: _none, ...noTitle } = MARIA;
    const ref = refOf(hs.addContact(noTitle));
    await pageShows(ref, { name: 'Maria Garcia', title: 'Chief Executive Officer' });
    await refresher().refresh(ref);
    const row = await rowOf(ref);
    expect(row.profile.title).toBeUndefined();
    expect(disagreements(row.profile, row.pageSaid)).toEqual([{ field: 'title', page: 'Chief Executive Officer' }]);
  });

  it('keeps the team record and the page’s reading when it rewrites the row', async () => {
    const ref = refOf(hs.addContact(MARIA));
    await pageShows(ref, { name: 'Eve Mallory' });
    await recordLeadTeam(db, leadKey(ref), { decisions: [], reviews: [], status: 'NEW', readAt: new Date(now).toISOString() });
    await refresher().refresh(ref);
    const row = await rowOf(ref);
    expect(row.team).toMatchObject({ status: 'NEW' });
    expect(row.pageSaid).toEqual({ name: 'Eve Mallory' });
  });

  it('reads at most once per freshness window; after a failed read it says the profile is the CRM’s last answer', async () => {
    const id = hs.addContact(MARIA);
    const ref = refOf(id);
    await pageShows(ref, { name: 'Eve Mallory' });
    const r = refresher();
    await r.refresh(ref);
    const reads = hs.calls.length;
    now += 60_000;
    await pageShows(ref, { name: 'Eve Mallory' });
    await r.refresh(ref);
    expect(hs.calls.length).toBe(reads);

    hs.deleteContact(id);
    await r.refresh(ref, { force: true });
    const row = await rowOf(ref);
    expect(row.fetchError).toMatch(/^Showing what HubSpot said when last read: /);
    expect(row.profile.name).toBe('Maria Garcia');
  });
});
