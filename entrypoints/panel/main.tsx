import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { frameTokenOf } from '../../src/messaging/frame-token';
import { PANEL_PORT, panelProtocol } from '../../src/messaging/panel-protocol';
import { PanelApp } from '../../src/panel/PanelApp';
import { backgroundPushes } from '../../src/panel/pushes';
import { workerLink } from '../../src/panel/worker-link';
import { extensionQueryClient } from '../../src/ui/query-client';

const send = createClient(panelProtocol, (message) => browser.runtime.sendMessage(message));
const queryClient = extensionQueryClient({ retry: 1, refetchOnWindowFocus: false });
const link = workerLink({
  connect: () => {
    const port = browser.runtime.connect({ name: PANEL_PORT });
    // The worker stopping ends the port: expected, so read the error Chrome would otherwise log as unchecked.
    port.onDisconnect.addListener(() => void browser.runtime.lastError);
    return port;
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <PanelApp
          send={send}
          onPush={backgroundPushes(browser.runtime)}
          workerLink={link}
          openOptions={() => void browser.runtime.openOptionsPage()}
          // The token our content script put in this frame's address (ADR 0015).
          claim={() => send('panel.claim', { token: frameTokenOf(location.hash) }).then((r) => r.bound)}
        />
      </QueryClientProvider>
    </StrictMode>,
  );
}
