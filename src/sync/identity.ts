import type { Author } from '../domain/dispositions';
import { authorFrom } from '../domain/identity';
import { loadRep } from '../store/settings';
import type { CrmReadDeps } from './connections';
import { credentialDeps } from './token-refresh';
import { createCrmFetch } from './crm-fetch';

/**
 * Who is deciding: the CRM user the connection's credentials belong to, as the CRM says (`whoAmI`,
 * asked when connecting and again once a day); only when the CRM cannot say, the name and email the rep
 * gave on the options page. Undefined when neither is known: the panel then asks before saving.
 */

const RECHECK_MS = 24 * 60 * 60_000;

export type IdentityDeps = CrmReadDeps;

/** The author of a decision or review on `crm`'s records. */
export async function authorFor(deps: Pick<IdentityDeps, 'db' | 'connections'>, crm: string): Promise<Author | undefined> {
  const [connection, rep] = await Promise.all([deps.connections.get(crm), loadRep(deps.db)]);
  return authorFrom(crm, connection?.user, rep);
}

/**
 * Asks the CRM who the credentials belong to, when not asked yet (or a day ago). Failures leave things
 * as they were: the next lead shown asks again. Concurrent calls for one CRM share the request.
 */
export function createIdentityChecker(deps: IdentityDeps) {
  const inFlight = new Map<string, Promise<void>>();
  const crmFetch = deps.crmFetch ?? createCrmFetch({ fetch: deps.fetch, now: deps.now });

  async function check(crm: string, force: boolean) {
    const module = deps.modules(crm);
    const connection = await deps.connections.get(crm);
    if (!module || !connection || connection.state === 'expired') return;
    if (!force && connection.userCheckedAt && deps.now() - Date.parse(connection.userCheckedAt) < RECHECK_MS) return;
    const api = module.create(connection, { fetch: crmFetch.forConnection(module, connection).fetch, now: deps.now, ...credentialDeps(deps.connections, connection) });
    if (!api.whoAmI) return;
    try {
      const user = await api.whoAmI();
      await deps.connections.setUser(crm, user, new Date(deps.now()).toISOString());
    } catch {
      // Offline, rate-limited, expired: keep what is known; asked again later.
    }
  }

  return {
    check(crm: string, options: { force?: boolean } = {}): Promise<void> {
      const running = inFlight.get(crm);
      if (running) return running;
      const p = check(crm, options.force ?? false).finally(() => inFlight.delete(crm));
      inFlight.set(crm, p);
      return p;
    },
  };
}
