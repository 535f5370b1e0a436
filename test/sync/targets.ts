/**
 * CRM targets for the sync tests: a running server that follows a CRM's API contract, a connection to
 * it, and ways to look at what it holds (notes/tasks by idempotency key, a record's status). The same
 * model-based test runs against each.
 */
import type { Connection } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import type { LeadRef } from '../../src/domain/lead-ref';
import { startDemoCrm } from '../../scripts/demo-crm/server';
import { DEMO_API_TOKEN } from '../../src/crm/demo/api';
import { startHubSpotStandIn } from '../stand-ins/hubspot';
import { startSalesforceStandIn } from '../stand-ins/salesforce';

export interface SyncTarget {
  crm: string;
  /** Lead refs the test may decide on (they exist in the server). */
  refs: LeadRef[];
  connection(valid: boolean): Connection;
  /** How many notes/tasks in the CRM carry this idempotency key. */
  notesWithKey(key: string): number;
  statusOf(recordId: string): string | undefined;
  /** How many call activities in the CRM carry this idempotency key (ADR 19). */
  callsWithKey(key: string): number;
  /** The call activity with this key, as the CRM stores it (shape checks), if any. */
  callWithKey(key: string): Record<string, unknown> | undefined;
  close(): Promise<void>;
}

export async function demoTarget(): Promise<SyncTarget> {
  const { server, crm, url } = await startDemoCrm(0, { seed: 11 });
  const module = crmApiModule('demo')!;
  const host = new URL(url).host;
  return {
    crm: 'demo',
    refs: crm.db.leads.slice(0, 6).map((l) => ({ crm: 'demo', recordId: l.id, objectType: 'lead', url: `${url}/leads/${l.id}`, host })),
    connection: (valid) => ({
      crm: 'demo',
      apiBase: url,
      label: 'Demo CRM',
      credentials: { kind: 'token', token: valid ? DEMO_API_TOKEN : 'expired-token' },
      mapping: module.defaultMapping,
      connectedAt: '2026-11-20T12:00:00.000Z',
      state: 'connected',
    }),
    notesWithKey: (key) => crm.db.notes.filter((n) => n.body.includes(key)).length,
    statusOf: (id) => crm.db.leads.find((l) => l.id === id)?.status,
    callsWithKey: (key) => (crm.db.activities ?? []).filter((a) => a.subject.includes(key)).length,
    callWithKey: (key) => (crm.db.activities ?? []).find((a) => a.subject.includes(key)) as Record<string, unknown> | undefined,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * The HubSpot stand-in as HubSpot documents it, search lag included (notes reach search 3 s after they
 * are written), measured on `now` (give the test's virtual clock to have the lag follow it).
 */
export async function hubspotTarget(opts: { now?: () => number; searchLagMs?: number } = {}): Promise<SyncTarget> {
  // Generous rate limits: the model test runs hundreds of scenarios against one portal.
  const hs = await startHubSpotStandIn({ ...opts, rateLimit: { requests: 100_000, perMs: 10_000 }, searchRateLimit: { requests: 10_000, perMs: 1_000 }, dailyLimit: 100_000_000 });
  const module = crmApiModule('hubspot')!;
  const ids = Array.from({ length: 6 }, (_, i) => hs.addContact({ firstname: `Lead${i}`, lastname: 'Model', email: `lead${i}@example.com`, hs_lead_status: 'NEW' }));
  const host = 'app-eu1.hubspot.com';
  return {
    crm: 'hubspot',
    refs: ids.map((id) => ({ crm: 'hubspot', recordId: id, objectType: 'contact', url: `https://${host}/contacts/${hs.portalId}/record/0-1/${id}`, host, account: String(hs.portalId) })),
    connection: (valid) => ({
      crm: 'hubspot',
      apiBase: hs.url,
      account: String(hs.portalId),
      label: `HubSpot portal ${hs.portalId}`,
      credentials: { kind: 'token', token: valid ? hs.token : 'pat-revoked' },
      mapping: module.defaultMapping,
      connectedAt: '2026-11-20T12:00:00.000Z',
      state: 'connected',
    }),
    notesWithKey: (key) => hs.notes.filter((n) => !n.archived && n.body.includes(key)).length,
    statusOf: (id) => hs.contacts.get(id)?.hs_lead_status ?? undefined,
    callsWithKey: (key) => hs.callObjects.filter((c) => !c.archived && (c.properties.hs_call_title ?? '').includes(key)).length,
    callWithKey: (key) => {
      const c = hs.callObjects.find((x) => !x.archived && (x.properties.hs_call_title ?? '').includes(key));
      return c && { ...c.properties, contactIds: c.contactIds };
    },
    close: () => hs.close(),
  };
}

export async function salesforceTarget(): Promise<SyncTarget> {
  const sf = await startSalesforceStandIn({ dailyLimit: 10_000_000 });
  const module = crmApiModule('salesforce')!;
  const ids = Array.from({ length: 6 }, (_, i) => sf.addLead({ FirstName: `Lead${i}`, LastName: 'Model', Company: 'Model Co', Status: 'Open - Not Contacted' }));
  // The stand-in is on 127.0.0.1: its "org" has no My Domain name, so any Lightning host matches it.
  const host = 'acme.lightning.force.com';
  return {
    crm: 'salesforce',
    refs: ids.map((id) => ({ crm: 'salesforce', recordId: id, objectType: 'Lead', url: `https://${host}/lightning/r/Lead/${id}/view`, host, account: host })),
    connection: (valid) => ({
      crm: 'salesforce',
      apiBase: sf.url,
      label: 'Salesforce (stand-in)',
      credentials: valid ? sf.credentials() : { ...sf.credentials(), accessToken: 'expired', refreshToken: 'revoked' },
      mapping: module.defaultMapping,
      connectedAt: '2026-11-20T12:00:00.000Z',
      state: 'connected',
    }),
    notesWithKey: (key) => sf.tasks.filter((t) => String(t.Subject ?? '').includes(key)).length,
    statusOf: (id) => (sf.leads.get(id)?.Status as string | undefined) ?? undefined,
    callsWithKey: (key) => sf.tasks.filter((t) => String(t.Subject ?? '').includes(key) && t.TaskSubtype === 'Call').length,
    callWithKey: (key) => sf.tasks.find((t) => String(t.Subject ?? '').includes(key)),
    close: () => sf.close(),
  };
}
