import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Overview } from '../messaging/options-protocol';
import type { OptionsSend } from './types';

/** The options page and the popup read the same overview (connections, config, rep, sync queue). */
export const OVERVIEW_KEY = ['options', 'overview'] as const;
/** How often the sync queue is read again while the page is visible (TanStack pauses it when hidden). */
export const REFRESH_MS = 3_000;

export function useOverview(send: OptionsSend, refreshMs: number | false = REFRESH_MS) {
  return useQuery({
    queryKey: OVERVIEW_KEY,
    queryFn: () => send('options.getOverview', {}),
    refetchInterval: refreshMs,
    refetchIntervalInBackground: false,
  });
}

/** Reads the overview again now (after an action changed it). */
export function useRefreshOverview() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: OVERVIEW_KEY });
}

/** Reads the overview now and puts it in the cache; resolves to it (e.g. to refill an editor after a reset). */
export function useReloadOverview(send: OptionsSend) {
  const client = useQueryClient();
  return async (): Promise<Overview> => {
    const overview = await send('options.getOverview', {});
    client.setQueryData(OVERVIEW_KEY, overview);
    return overview;
  };
}

/** "Connected to …", "Expired — reconnect", "Not connected": a CRM's state for people. */
export type ConnectionState = 'connected' | 'expired' | 'none';

export function connectionStateOf(overview: Pick<Overview, 'connections'>, crm: string): ConnectionState {
  const c = overview.connections.find((x) => x.crm === crm);
  return c ? c.state : 'none';
}

/** Every CRM the page should list: the connectable ones, then any connection to a CRM not offered (e.g. the demo's). */
export function crmList(overview: Pick<Overview, 'available' | 'connections'>): { id: string; label: string }[] {
  const list = overview.available.map((a) => ({ id: a.id, label: a.label }));
  for (const c of overview.connections) if (!list.some((a) => a.id === c.crm)) list.push({ id: c.crm, label: c.crm });
  return list;
}
