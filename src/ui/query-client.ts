import { QueryClient } from '@tanstack/react-query';

/**
 * The query client of every extension page and the panel. Their queries and mutations are messages to
 * the background, never network requests, so they run whether or not the browser is online: TanStack
 * Query's default (`networkMode: 'online'`) would pause them offline, and the panel would stop showing
 * that a decision waits for the CRM, just when it matters.
 */
export function extensionQueryClient(queries: { retry?: number; refetchOnWindowFocus?: boolean } = { retry: 1 }): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { ...queries, networkMode: 'always' }, mutations: { networkMode: 'always' } } });
}
