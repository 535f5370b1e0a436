import { CrmError } from '../crm/api';
import { leadKey } from '../crm';
import type { LeadRef } from '../domain/lead-ref';
import { readTeamRecord } from '../domain/team-record';
import { recordLeadTeam } from '../store/team';
import type { CrmReadDeps } from './connections';
import { credentialDeps } from './token-refresh';
import { createCrmFetch } from './crm-fetch';
import { backgroundStrings as t } from '../i18n/background';

/**
 * Reads a lead's team record from its CRM when the lead is shown: every rep's decisions and the
 * managers' reviews on that record (the CRM's notes/tasks, checked by `readTeamRecord`), and the
 * record's status now. Kept in the lead's row, so the panel shows the last known history offline, with
 * its age. Read every time the lead is shown (another rep may have decided a minute ago; a reload is how
 * a rep asks for the latest), one read at a time per lead; `freshMs` can space reads out.
 */
export interface TeamHistoryDeps extends CrmReadDeps {
  freshMs?: number;
  /** The read finished (or failed): the panel re-reads its state. */
  onRead?: (ref: LeadRef) => void;
}

export function createTeamHistoryReader(deps: TeamHistoryDeps) {
  const inFlight = new Map<string, Promise<void>>();
  const lastRead = new Map<string, number>();
  const freshMs = deps.freshMs ?? 0;
  const crmFetch = deps.crmFetch ?? createCrmFetch({ fetch: deps.fetch, now: deps.now });

  async function read(ref: LeadRef, key: string) {
    const module = deps.modules(ref.crm);
    const connection = await deps.connections.get(ref.crm);
    if (!module || !connection || connection.state === 'expired') return;
    const api = module.create(connection, { fetch: crmFetch.forConnection(module, connection).fetch, now: deps.now, ...credentialDeps(deps.connections, connection) });
    if (!api.readHistory) return;
    const at = new Date(deps.now()).toISOString();
    try {
      const history = await api.readHistory(ref);
      const team = readTeamRecord(history.notes, ref.crm);
      await recordLeadTeam(deps.db, key, { decisions: team.decisions, reviews: team.reviews, status: history.status, readAt: at });
      lastRead.set(key, deps.now());
    } catch (e) {
      if (e instanceof CrmError && e.kind === 'auth') await deps.connections.setState(ref.crm, 'expired');
      await recordLeadTeam(deps.db, key, { decisions: [], reviews: [], problem: e instanceof CrmError ? e.message : t.leadRead.failed(module.label) });
    }
    deps.onRead?.(ref);
  }

  return {
    read(ref: LeadRef, options: { force?: boolean } = {}): Promise<void> {
      const key = leadKey(ref);
      const running = inFlight.get(key);
      if (running) return running;
      const last = lastRead.get(key);
      if (!options.force && last !== undefined && freshMs > 0 && deps.now() - last < freshMs) return Promise.resolve();
      const p = read(ref, key).finally(() => inFlight.delete(key));
      inFlight.set(key, p);
      return p;
    },
  };
}
