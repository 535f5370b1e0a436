import { z } from 'zod';
import { connectionSchema, type Connection, type CrmApiModule, type Credentials, type CrmUser } from '../crm/api';
import type { CrmFetch } from './crm-fetch';
import type { Store } from '../store/store';
import { readSetting, updateSetting } from '../store/settings';

/**
 * The CRM connections (one per CRM), with their credentials, kept as one setting in the store. Only the
 * background reads or writes them: pages see `publicConnection` views through messages, never a token.
 */
const KEY = 'connections';

/**
 * What every background reader of a CRM needs (lead reads, team history, identity, imports): the store,
 * the connections, the CRM modules, the fetch, the background's one CRM fetch (a limiter per connection,
 * shared with the sync loop) and the clock.
 */
export interface CrmReadDeps {
  db: Store;
  connections: ConnectionStore;
  modules: (crm: string) => CrmApiModule | undefined;
  fetch: typeof fetch;
  crmFetch?: CrmFetch;
  now: () => number;
}
const connectionsSchema = z.record(z.string(), connectionSchema);

export interface ConnectionStore {
  get(crm: string): Promise<Connection | undefined>;
  all(): Promise<Connection[]>;
  put(connection: Connection): Promise<void>;
  remove(crm: string): Promise<void>;
  /**
   * Stores renewed credentials and marks the connection connected. With `replacing` (the credentials the
   * refresh started from) only while those are still the stored ones: an older refresh's result never
   * overwrites newer credentials another renewal (or a reconnect) stored meanwhile. Resolves whether it stored.
   */
  setCredentials(crm: string, credentials: Credentials, replacing?: Credentials): Promise<boolean>;
  setState(crm: string, state: Connection['state']): Promise<void>;
  /** What `whoAmI` said (undefined: the CRM cannot say who the credentials belong to). */
  setUser(crm: string, user: CrmUser | undefined, checkedAt: string): Promise<void>;
}

export function connectionStore(db: Store): ConnectionStore {
  const parse = (value: unknown): Record<string, Connection> => {
    const parsed = connectionsSchema.safeParse(value ?? {});
    return parsed.success ? parsed.data : {};
  };
  const read = async () => parse(await readSetting(db, KEY));
  const update = (fn: (all: Record<string, Connection>) => void) =>
    updateSetting(db, KEY, (value) => {
      const all = parse(value);
      fn(all);
      return all;
    });
  return {
    get: async (crm) => (await read())[crm],
    all: async () => Object.values(await read()),
    put: (connection) => update((all) => void (all[connection.crm] = connectionSchema.parse(connection))),
    remove: (crm) => update((all) => void delete all[crm]),
    setCredentials: async (crm, credentials, replacing) => {
      let stored = false;
      await update((all) => {
        const c = all[crm];
        if (!c || (replacing && !sameCredentials(c.credentials, replacing))) return;
        all[crm] = { ...c, credentials, state: 'connected' };
        stored = true;
      });
      return stored;
    },
    setState: (crm, state) =>
      update((all) => {
        if (all[crm]) all[crm] = { ...all[crm], state };
      }),
    setUser: (crm, user, checkedAt) =>
      update((all) => {
        const c = all[crm];
        if (!c) return;
        const { user: _old, ...rest } = c;
        all[crm] = { ...rest, ...(user ? { user } : {}), userCheckedAt: checkedAt };
      }),
  };
}

/** The same tokens (the compare in `setCredentials`'s compare-and-set). */
function sameCredentials(a: Credentials, b: Credentials): boolean {
  if (a.kind === 'token') return b.kind === 'token' && a.token === b.token;
  return b.kind === 'oauth' && a.accessToken === b.accessToken && a.refreshToken === b.refreshToken;
}

/** What pages may see of a connection: everything but the credentials. */
export function publicConnection(c: Connection) {
  return { crm: c.crm, apiBase: c.apiBase, account: c.account, label: c.label, mapping: c.mapping, connectedAt: c.connectedAt, state: c.state, auth: c.credentials.kind, user: c.user, userCheckedAt: c.userCheckedAt };
}
export type PublicConnection = ReturnType<typeof publicConnection>;
