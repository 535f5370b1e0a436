import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser, type PublicPath } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { optionsProtocol } from '../../src/messaging/options-protocol';
import { OptionsApp } from '../../src/options/OptionsApp';

const send = createClient(optionsProtocol, (message) => browser.runtime.sendMessage(message));
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <OptionsApp
          send={send}
          permissions={{ request: (p) => browser.permissions.request(p), getAll: () => browser.permissions.getAll() }}
          tabs={{ create: (p) => browser.tabs.create(p), extensionUrl: (path: string) => browser.runtime.getURL(path as PublicPath) }}
          redirectUri={browser.identity?.getRedirectURL()}
        />
      </QueryClientProvider>
    </StrictMode>,
  );
}
