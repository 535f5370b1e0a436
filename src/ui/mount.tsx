import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser, type PublicPath } from 'wxt/browser';
import { createClient } from '../messaging/client';
import { optionsProtocol } from '../messaging/options-protocol';
import { extensionQueryClient } from './query-client';

/** What a top-level extension page (options, popup, dashboard) uses to talk to the background. */
export const pageClient = () => createClient(optionsProtocol, (message) => browser.runtime.sendMessage(message));

/** Opening another extension page in a tab. */
export const extensionTabs = {
  create: (p: { url: string }) => browser.tabs.create(p),
  extensionUrl: (path: string) => browser.runtime.getURL(path as PublicPath),
};

/** Renders an extension page's app into `#root`, inside TanStack Query's provider. */
export function mountPage(app: ReactNode, queryDefaults: { retry?: number; refetchOnWindowFocus?: boolean } = { retry: 1 }) {
  const root = document.getElementById('root');
  if (!root) return;
  const queryClient = extensionQueryClient(queryDefaults);
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>{app}</QueryClientProvider>
    </StrictMode>,
  );
}
