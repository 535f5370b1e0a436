import { CrmError } from '../crm/api';
import { leadKey } from '../crm';
import type { LeadRef } from '../domain/lead-ref';
import { leadProfileSchema } from '../domain/lead';
import { crmIdentity } from '../domain/lead-identity';
import { cachedLead, recordLeadFetched, recordLeadFetchError } from '../store/leads';
import type { LeadRecord } from '../store/records';
import type { CrmReadDeps } from './connections';
import { credentialDeps } from './token-refresh';
import { createCrmFetch } from './crm-fetch';
import { backgroundStrings as t } from '../i18n/background';

/**
 * Reads a lead's profile and activities from its CRM's API and caches them in the leads table, so the
 * scorer sees what marketing recorded (not only what the page shows) and the panel works offline from
 * the cache. Once the API has answered, its name, company, title, email and status are the lead's
 * (src/domain/lead-identity.ts). Reads at most once per `freshMs` per lead and one at a time per lead.
 */
export interface LeadRefreshDeps extends CrmReadDeps {
  freshMs?: number;
}

export function createLeadRefresher(deps: LeadRefreshDeps) {
  const inFlight = new Map<string, Promise<void>>();
  const freshMs = deps.freshMs ?? 5 * 60_000;
  const crmFetch = deps.crmFetch ?? createCrmFetch({ fetch: deps.fetch, now: deps.now });

  async function read(ref: LeadRef, key: string, force: boolean) {
    const module = deps.modules(ref.crm);
    const connection = await deps.connections.get(ref.crm);
    if (!module || !connection || connection.state === 'expired') return;
    const cached = await cachedLead(deps.db, key);
    if (!force && cached?.fetchedAt && deps.now() - Date.parse(cached.fetchedAt) < freshMs) return;
    const at = new Date(deps.now()).toISOString();
    const limited = crmFetch.forConnection(module, connection);
    // What the panel shows while a read cannot be made: the API's last answer if there is one, else the page's reading.
    const showing = (message: string) => (cached?.fetchedAt ? t.leadRead.showingLast(module.label, message) : t.leadRead.showingPage(message));
    // While the CRM asks for a pause, what is known stands: the read waits for the next showing.
    const waitMs = limited.waitingUntil() - deps.now();
    if (waitMs > 0) {
      await recordLeadFetchError(deps.db, key, showing(t.leadRead.rateLimited(module.label, Math.ceil(waitMs / 1000))));
      return;
    }
    try {
      const api = module.create(connection, { fetch: limited.fetch, now: deps.now, ...credentialDeps(deps.connections, connection) });
      const { profile } = await api.readLead(ref);
      const merge = (row?: LeadRecord) => {
        // Who the lead is comes from the API, whatever the page shows (a script there can rewrite it; ADR 15):
        // the page's reading stays beside it (`pageSaid`) to be compared. The API adds the rest over what was known.
        const merged = leadProfileSchema.safeParse({
          ...profile,
          ...row?.profile,
          ...definedOnly(profile, ['activities', 'companySize', 'industry', 'region', 'source', 'campaign', 'mqlAt', 'firstContactAt', 'existingCustomer', 'techStack']),
          ...crmIdentity(profile, row?.pageSaid),
          crm: ref.crm,
          recordId: ref.recordId,
        });
        return merged.success ? { profile: merged.data } : { problem: t.leadRead.unusable(module.label, String(merged.error.issues[0]?.path.join('.'))) };
      };
      await recordLeadFetched(deps.db, key, ref, merge, at);
    } catch (e) {
      const message = e instanceof CrmError ? e.message : t.leadRead.failed(module.label);
      if (e instanceof CrmError && e.kind === 'auth') await deps.connections.setState(ref.crm, 'expired');
      await recordLeadFetchError(deps.db, key, showing(message));
    }
  }

  return {
    /** Refreshes in the background; concurrent calls for one lead share a read. */
    refresh(ref: LeadRef, options: { force?: boolean } = {}): Promise<void> {
      const key = leadKey(ref);
      const running = inFlight.get(key);
      if (running) return running;
      const p = read(ref, key, options.force ?? false).finally(() => inFlight.delete(key));
      inFlight.set(key, p);
      return p;
    },
  };
}

function definedOnly<T extends object>(o: T, keys: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
