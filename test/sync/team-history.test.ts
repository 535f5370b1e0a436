import { afterEach, describe, expect, it } from 'vitest';
import { leadKey } from '../../src/crm';
import type { Connection } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import type { Author } from '../../src/domain/dispositions';
import { defaultConfig } from '../../src/domain/defaults';
import type { LeadRef } from '../../src/domain/lead-ref';
import { recordLeadShown } from '../../src/store/leads';
import { cachedLead } from '../../src/store/leads';
import { profileFrom } from '../../src/background/sessions';
import type { LeadQualifierDb } from '../../src/store/db';
import { connectionStore } from '../../src/sync/connections';
import { createSyncEngine } from '../../src/sync/engine';
import { authorFor, createIdentityChecker } from '../../src/sync/identity';
import { createTeamHistoryReader } from '../../src/sync/team-history';
import { startHubSpotStandIn } from '../stand-ins/hubspot';
import { startSalesforceStandIn } from '../stand-ins/salesforce';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

/**
 * Two reps' browsers against one CRM stand-in, through the real modules: each learns who it is from the
 * CRM (`whoAmI`), rep A's decision syncs, and rep B's browser reads it back as the lead's team record,
 * verified from the CRM's own creator field. A note that claims A's name but was written by B is flagged.
 */

const fetcher: typeof fetch = (a, b) => fetch(a, b);
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

interface Target {
  crm: string;
  ref: LeadRef;
  connectionAs: (who: 'a' | 'b') => Connection;
}

async function salesforce(): Promise<Target> {
  const sf = await startSalesforceStandIn({ dailyLimit: 10_000_000 });
  closers.push(() => sf.close());
  const b = sf.addUser({ FirstName: 'Ben', LastName: 'Okoro', Email: 'ben@ourco.example' });
  const id = sf.addLead({ FirstName: 'Jane', LastName: 'Doe', Company: 'Initech', Status: 'Open - Not Contacted' });
  const host = 'acme.lightning.force.com';
  const module = crmApiModule('salesforce')!;
  return {
    crm: 'salesforce',
    ref: { crm: 'salesforce', recordId: id, objectType: 'Lead', url: `https://${host}/lightning/r/Lead/${id}/view`, host, account: host },
    connectionAs: (who) => ({ crm: 'salesforce', apiBase: sf.url, label: 'Salesforce (stand-in)', credentials: sf.credentials(who === 'a' ? undefined : b), mapping: module.defaultMapping, connectedAt: '2026-11-20T12:00:00.000Z', state: 'connected' }),
  };
}

async function hubspot(): Promise<Target> {
  const hs = await startHubSpotStandIn({ searchLagMs: 0 });
  closers.push(() => hs.close());
  const a = hs.addUser({ email: 'ana@ourco.example', firstName: 'Ana', lastName: 'Souza' });
  const b = hs.addUser({ email: 'ben@ourco.example', firstName: 'Ben', lastName: 'Okoro' });
  const id = hs.addContact({ firstname: 'Maria', lastname: 'Garcia', email: 'maria@umbrella.example', hs_lead_status: 'NEW' });
  const host = 'app-eu1.hubspot.com';
  const module = crmApiModule('hubspot')!;
  return {
    crm: 'hubspot',
    ref: { crm: 'hubspot', recordId: id, objectType: 'contact', url: `https://${host}/contacts/${hs.portalId}/record/0-1/${id}`, host, account: String(hs.portalId) },
    connectionAs: (who) => ({ crm: 'hubspot', apiBase: hs.url, account: String(hs.portalId), label: 'HubSpot', credentials: { kind: 'token', token: (who === 'a' ? a : b).token }, mapping: module.defaultMapping, connectedAt: '2026-11-20T12:00:00.000Z', state: 'connected' }),
  };
}

/** One rep's browser: its store, its connection, who the CRM says it is. */
async function browserOf(target: Target, who: 'a' | 'b') {
  const db = freshDb(`${target.crm}-${who}`);
  const connections = connectionStore(db);
  await connections.put(target.connectionAs(who));
  await createIdentityChecker({ db, connections, modules: crmApiModule, fetch: fetcher, now: Date.now }).check(target.crm);
  const author = await authorFor({ db, connections }, target.crm);
  return { db, connections, author: author! };
}

async function decideAndSync(target: Target, rep: { db: LeadQualifierDb; connections: ReturnType<typeof connectionStore> }, author: Author, dispositionId: string) {
  await saveDecision(rep.db, target.ref, { outcome: 'reject', reasonCode: 'bad_timing', note: 'Locked in until autumn.' }, { dispositionId, author, at: new Date().toISOString() });
  const run = await createSyncEngine({ db: rep.db, connections: rep.connections, modules: crmApiModule, loadConfig: async () => defaultConfig(), fetch: fetcher, now: Date.now }).run();
  expect(run).toMatchObject({ synced: 1, failed: 0 });
}

describe.each([
  ['Salesforce', salesforce],
  ['HubSpot', hubspot],
])('the team record through the %s module', (_name, start) => {
  it('B reads A’s decision back, signed and verified by the CRM’s creator field', async () => {
    const target = await start();
    const a = await browserOf(target, 'a');
    const b = await browserOf(target, 'b');
    expect(a.author).toMatchObject({ crm: target.crm, name: expect.stringMatching(/\S/) });
    expect(a.author.id).not.toBe(b.author.id);
    await decideAndSync(target, a, a.author, 'disp-a');

    await recordLeadShown(b.db, leadKey(target.ref), target.ref, (prev) => profileFrom(target.ref, {}, prev), new Date().toISOString());
    await createTeamHistoryReader({ db: b.db, connections: b.connections, modules: crmApiModule, fetch: fetcher, now: Date.now }).read(target.ref);
    const team = (await cachedLead(b.db, leadKey(target.ref)))!.team!;
    expect(team.problem).toBeUndefined();
    expect(team.decisions).toMatchObject([{ dispositionId: 'disp-a', rev: 1, summary: { author: { id: a.author.id }, note: 'Locked in until autumn.' }, trust: { state: 'verified', notes: [] } }]);
    expect(team.status).toBeTruthy();
  });

  it('flags a note B wrote that claims to be A’s decision', async () => {
    const target = await start();
    const a = await browserOf(target, 'a');
    const b = await browserOf(target, 'b');
    // B's browser writes a decision signed with A's identity: the CRM records B as the creator.
    await decideAndSync(target, b, a.author, 'disp-forged');
    await recordLeadShown(a.db, leadKey(target.ref), target.ref, (prev) => profileFrom(target.ref, {}, prev), new Date().toISOString());
    await createTeamHistoryReader({ db: a.db, connections: a.connections, modules: crmApiModule, fetch: fetcher, now: Date.now }).read(target.ref);
    const [forged] = (await cachedLead(a.db, leadKey(target.ref)))!.team!.decisions;
    expect(forged!.trust.state).toBe('flagged');
    expect(forged!.trust.notes[0]).toMatch(new RegExp(`^signed by ${a.author.name} \\(${a.author.id}\\), but ${target.crm} says .*${b.author.id}.* created the note$`));
  });
});
