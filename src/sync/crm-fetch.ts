import { retryAfterMs, type Connection, type CrmApiModule } from '../crm/api';
import { createRateLimiter } from './rate-limit';

/**
 * Every request to a CRM goes through here: one limiter per connection (a CRM account), shared by the
 * sync loop, lead reads, the dashboard's import and connection checks, so together they stay under the
 * CRM's documented budget. Searches take a budget of their own where the CRM counts them apart. After a
 * 429 (its `Retry-After`, or the module's own reading of the CRM's rate-limit headers), no request to that
 * connection starts until the wait is over, whoever asks: a lead read does not jump a wait the sync loop
 * was told about.
 */

export interface CrmFetchDeps {
  fetch: typeof fetch;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ConnectionFetch {
  /** The fetch a module is created with: waits its turn, then counts. */
  fetch: typeof fetch;
  /** Epoch ms until which the CRM asked us to wait (a 429), or 0. */
  waitingUntil(): number;
}

/**
 * Which connection a limiter belongs to: the CRM and its API origin. There is one connection per CRM, and
 * its account is only known after the first request (the connection check), which must count too.
 */
function connectionKey(connection: Pick<Connection, 'crm' | 'apiBase'>): string {
  return `${connection.crm} ${connection.apiBase}`;
}

export function createCrmFetch(deps: CrmFetchDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = { now: deps.now, sleep };
  const connections = new Map<string, ConnectionFetch>();
  let calls = 0;

  function create(module: Pick<CrmApiModule, 'rateLimit' | 'searchRateLimit' | 'waitAfter'>): ConnectionFetch {
    const general = createRateLimiter(module.rateLimit, clock);
    const search = module.searchRateLimit && createRateLimiter(module.searchRateLimit, clock);
    let until = 0;

    async function waitForCrm() {
      for (let wait = until - deps.now(); wait > 0; wait = until - deps.now()) await sleep(wait);
    }

    const limited: typeof fetch = async (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      await waitForCrm();
      await (search && module.searchRateLimit!.isSearch(url, method) ? search : general).take();
      // A 429 may have arrived for another request while this one waited for its turn.
      await waitForCrm();
      calls += 1;
      const response = await deps.fetch(input, init);
      const now = deps.now();
      const asked = Math.max(response.status === 429 ? (retryAfterMs(response.headers.get('retry-after'), now) ?? 0) : 0, module.waitAfter?.(response, now) ?? 0);
      if (asked > 0) until = Math.max(until, now + asked);
      return response;
    };
    return { fetch: limited, waitingUntil: () => (until > deps.now() ? until : 0) };
  }

  return {
    /** The connection's fetch (made once per connection and kept). */
    forConnection(module: Pick<CrmApiModule, 'rateLimit' | 'searchRateLimit' | 'waitAfter'>, connection: Pick<Connection, 'crm' | 'apiBase'>): ConnectionFetch {
      const key = connectionKey(connection);
      let c = connections.get(key);
      if (!c) connections.set(key, (c = create(module)));
      return c;
    },
    /** Requests sent so far, all connections (for the bench and tests). */
    callCount: () => calls,
  };
}

export type CrmFetch = ReturnType<typeof createCrmFetch>;
