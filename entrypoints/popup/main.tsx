import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser, type PublicPath } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { optionsProtocol } from '../../src/messaging/options-protocol';
import { PopupApp } from '../../src/popup/PopupApp';

const send = createClient(optionsProtocol, (message) => browser.runtime.sendMessage(message));
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PopupApp
          send={send}
          tabs={{ create: (p) => browser.tabs.create(p), extensionUrl: (path: string) => browser.runtime.getURL(path as PublicPath) }}
          openOptions={() => browser.runtime.openOptionsPage()}
        />
      </QueryClientProvider>
    </StrictMode>,
  );
}
