import { startDemoCrm } from '../demo-crm/server';
import { crmApiModule } from '../../src/crm/apis';
import { DEMO_API_TOKEN } from '../../src/crm/demo/api';
import { startHubSpotStandIn } from '../../test/stand-ins/hubspot';
import { startSalesforceStandIn } from '../../test/stand-ins/salesforce';
import type { StandIn } from '../../test/stand-ins/types';

const CONNECTED_AT = '2026-11-20T12:00:00.000Z';

/** The HubSpot stand-in at HubSpot's real limit (100 requests per rolling 10 s). */
export async function hubspotBenchTarget() {
  const hs = await startHubSpotStandIn();
  const module = crmApiModule('hubspot')!;
  const host = 'app.hubspot.com';
  return {
    crm: 'hubspot',
    standIn: hs as StandIn,
    limit: module.rateLimit,
    batch: 100,
    writes: { status: { method: 'POST', path: /\/objects\/contacts\/batch\/update$/ }, note: { method: 'POST', path: /\/objects\/notes\/batch\/create$/ } },
    notesWithKey: (key: string) => hs.notes.filter((n) => n.body.includes(key)).length,
    bound: (n: number) => 2 * Math.ceil(n / 100),
    sizes: [1, 100, 1000],
    refs: (n: number) =>
      Array.from({ length: n }, () => {
        const id = hs.addContact({ firstname: 'Bench', lastname: 'Lead' });
        return { crm: 'hubspot', recordId: id, objectType: 'contact', url: `https://${host}/contacts/${hs.portalId}/record/0-1/${id}`, host, account: String(hs.portalId) };
      }),
    connection: {
      crm: 'hubspot',
      apiBase: hs.url,
      account: String(hs.portalId),
      label: 'HubSpot (stand-in)',
      credentials: { kind: 'token' as const, token: hs.token },
      mapping: module.defaultMapping,
      connectedAt: CONNECTED_AT,
      state: 'connected' as const,
    },
  };
}

/** The demo CRM (no batch endpoints: two calls per decision). */
export async function demoBenchTarget() {
  const { server, crm, url } = await startDemoCrm(0, { seed: 3 });
  const calls: StandIn['calls'] = [];
  server.prependListener('request', (req) => calls.push({ method: req.method ?? '', path: req.url ?? '', status: 0, at: Date.now() }));
  const module = crmApiModule('demo')!;
  const host = new URL(url).host;
  const standIn: StandIn = { url, token: DEMO_API_TOKEN, calls, inject: () => undefined, clearFaults: () => undefined, rotateToken: () => DEMO_API_TOKEN, close: () => new Promise((r) => server.close(() => r())) };
  return {
    crm: 'demo',
    standIn,
    limit: module.rateLimit,
    batch: 1,
    writes: { status: { method: 'PATCH', path: /\/api\/v1\/leads\/[^/]+$/ }, note: { method: 'POST', path: /\/api\/v1\/leads\/[^/]+\/notes$/ } },
    notesWithKey: (key: string) => crm.db.notes.filter((n) => n.body.includes(key)).length,
    bound: (n: number) => 2 * n,
    sizes: [1, 100],
    refs: (n: number) => Array.from({ length: n }, (_, i) => {
      const id = crm.db.leads[i % crm.db.leads.length]!.id;
      return { crm: 'demo', recordId: id, objectType: 'lead', url: `${url}/leads/${id}`, host };
    }),
    connection: { crm: 'demo', apiBase: url, label: 'Demo CRM', credentials: { kind: 'token' as const, token: DEMO_API_TOKEN }, mapping: module.defaultMapping, connectedAt: CONNECTED_AT, state: 'connected' as const },
  };
}

/** The Salesforce stand-in (sObject Collections: 200 records per call). */
export async function salesforceBenchTarget() {
  const sf = await startSalesforceStandIn({ dailyLimit: 10_000_000 });
  const module = crmApiModule('salesforce')!;
  const host = 'acme.lightning.force.com';
  return {
    crm: 'salesforce',
    standIn: sf as StandIn,
    limit: module.rateLimit,
    batch: 200,
    writes: { status: { method: 'PATCH', path: /\/composite\/sobjects$/ }, note: { method: 'POST', path: /\/composite\/sobjects$/ } },
    notesWithKey: (key: string) => sf.tasks.filter((t) => String(t.Subject ?? '').includes(key)).length,
    bound: (n: number) => 2 * Math.ceil(n / 200),
    sizes: [1, 100, 1000],
    refs: (n: number) =>
      Array.from({ length: n }, () => {
        const id = sf.addLead({ FirstName: 'Bench', LastName: 'Lead', Company: 'Bench Co', Status: 'Open - Not Contacted' });
        return { crm: 'salesforce', recordId: id, objectType: 'Lead', url: `https://${host}/lightning/r/Lead/${id}/view`, host, account: host };
      }),
    connection: {
      crm: 'salesforce',
      apiBase: sf.url,
      label: 'Salesforce (stand-in)',
      credentials: sf.credentials(),
      mapping: module.defaultMapping,
      connectedAt: CONNECTED_AT,
      state: 'connected' as const,
    },
  };
}

/**
 * Page cost against the floor of our own design (issue 19), on both ~25,000-cell pages: the script time the
 * project adds to the CRM page beyond a content script that only adds one empty extension iframe (median of
 * the per-round differences), and long tasks ≥ 50 ms it adds over no extension (median count per load).
 */
export const PAGE_COST_FLOOR_TARGETS = { excessOverFloorMs: 2, addedLongTasks: 0 } as const;
