import type { Connection, Credentials, CrmApiDeps } from '../crm/api';
import type { ConnectionStore } from './connections';

/**
 * How a module instance keeps its connection's credentials (ADR 0015, finding 7). The background makes
 * many instances for one connection at once (a sync run, each lead read, an import step, an identity
 * check, a team-history read), and with refresh token rotation each refresh retires the token it used.
 * So every instance gets:
 * - `storedCredentials`: the connection's credentials as stored now, re-read before and after a refresh;
 * - `renewOnce`: one token refresh in flight per connection (CRM + API origin), whoever asks; the others
 *   wait for its result;
 * - `onCredentials`: stores the renewed credentials only over the ones the refresh started from.
 *
 * The flights belong to the connection store they were made with: the background has one
 * (`src/background/index.ts`), shared by every caller, so they share the flights too.
 */
const flightsOf = new WeakMap<ConnectionStore, Map<string, Promise<Credentials>>>();

export function credentialDeps(connections: ConnectionStore, connection: Pick<Connection, 'crm' | 'apiBase'>): Required<Pick<CrmApiDeps, 'onCredentials' | 'storedCredentials' | 'renewOnce'>> {
  let flights = flightsOf.get(connections);
  if (!flights) flightsOf.set(connections, (flights = new Map()));
  const inFlight = flights;
  const key = `${connection.crm} ${connection.apiBase}`;
  return {
    onCredentials: async (credentials, replaced) => {
      await connections.setCredentials(connection.crm, credentials, replaced);
    },
    storedCredentials: async () => {
      const stored = await connections.get(connection.crm);
      // Reconnected to another org meanwhile: its credentials are not this connection's.
      return stored?.apiBase === connection.apiBase ? stored.credentials : undefined;
    },
    renewOnce: (renew) => {
      const running = inFlight.get(key);
      if (running) return running;
      const p = renew().finally(() => {
        if (inFlight.get(key) === p) inFlight.delete(key);
      });
      inFlight.set(key, p);
      return p;
    },
  };
}
