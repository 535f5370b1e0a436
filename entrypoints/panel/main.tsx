import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { panelProtocol } from '../../src/messaging/panel-protocol';
import { expectedLeadFrom, PanelApp } from '../../src/panel/PanelApp';

const send = createClient(panelProtocol, (message) => browser.runtime.sendMessage(message));
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PanelApp send={send} expected={expectedLeadFrom(location.search)} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
