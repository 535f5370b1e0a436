/**
 * CRM targets for the sync tests: a running server that follows a CRM's API contract, a connection to
 * it, and ways to look at what it holds (notes/tasks by idempotency key, a record's status). The same
 * model-based test runs against each.
 */
import type { Connection } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import type { LeadRef } from '../../src/crm/types';
import { startDemoCrm } from '../../scripts/demo-crm/server';
import { DEMO_API_TOKEN } from '../../src/crm/demo/api';

export interface SyncTarget {
  crm: string;
  /** Lead refs the test may decide on (they exist in the server). */
  refs: LeadRef[];
  connection(valid: boolean): Connection;
  /** How many notes/tasks in the CRM carry this idempotency key. */
  notesWithKey(key: string): number;
  statusOf(recordId: string): string | undefined;
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
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
