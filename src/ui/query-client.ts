import { notifyManager, QueryClient } from '@tanstack/react-query';

/**
 * The query client of every extension page and the panel. Their queries and mutations are messages to
 * the background, never network requests, so they run whether or not the browser is online: TanStack
 * Query's default (`networkMode: 'online'`) would pause them offline, and the panel would stop showing
 * that a decision waits for the CRM, just when it matters.
 */
export function extensionQueryClient(queries: { retry?: number; refetchOnWindowFocus?: boolean } = { retry: 1 }): QueryClient {
  // A change of cached data (the rep's click shown at once) reaches React in the same task, not after a
  // `setTimeout(0)` (TanStack Query's default): a controlled input (a criterion's radio) would otherwise show
  // its old value for a moment after the click, longer on a busy machine. Still one batch per task.
  notifyManager.setScheduler(queueMicrotask);
  return new QueryClient({ defaultOptions: { queries: { ...queries, networkMode: 'always' }, mutations: { networkMode: 'always' } } });
}
