import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { panelProtocol } from '../../src/messaging/panel-protocol';
import { PanelApp } from '../../src/panel/PanelApp';
import { backgroundPushes } from '../../src/panel/pushes';

const send = createClient(panelProtocol, (message) => browser.runtime.sendMessage(message));
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PanelApp send={send} onLeadChanged={backgroundPushes(browser.runtime)} />
      </QueryClientProvider>
    </StrictMode>,
  );
}
