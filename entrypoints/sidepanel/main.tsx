import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { activeCrmPages } from '../../src/crm';
import { createClient } from '../../src/messaging/client';
import { PANEL_PORT, panelProtocol } from '../../src/messaging/panel-protocol';
import { PanelApp } from '../../src/panel/PanelApp';
import { backgroundPushes } from '../../src/panel/pushes';
import { sidePanelTarget } from '../../src/panel/side-panel-target';
import { workerLink } from '../../src/panel/worker-link';
import { NoLeadHere } from '../../src/ui/panel/NoLeadHere';
import { FramedInPage } from '../../src/ui/panel/use-frame-visible';
import { extensionQueryClient } from '../../src/ui/query-client';

// The browser's side panel (ADR 0020): the same panel as panel.html, for its window's active tab.
const target = sidePanelTarget(browser);
const send = createClient(panelProtocol, target.transport((message) => browser.runtime.sendMessage(message)));
const queryClient = extensionQueryClient({ retry: 1, refetchOnWindowFocus: false });
const link = workerLink({
  connect: () => {
    const port = browser.runtime.connect({ name: PANEL_PORT });
    port.onDisconnect.addListener(() => void browser.runtime.lastError);
    return port;
  },
});
// The CRMs this build reads, the demo CRM last: "HubSpot, Salesforce, or Demo CRM".
const crmLabels = activeCrmPages(import.meta.env.MODE === 'demo')
  .sort((a, b) => Number(a.demoOnly ?? false) - Number(b.demoOnly ?? false))
  .map((page) => page.label);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        {/* Browser UI, not a frame in a page: the clickjacking gate stands aside (ADR 0015, ADR 0020). */}
        <FramedInPage.Provider value={false}>
          <PanelApp
            send={send}
            onPush={target.pushes(backgroundPushes(browser.runtime))}
            workerLink={link}
            openOptions={() => void browser.runtime.openOptionsPage()}
            noLead={<NoLeadHere crmLabels={crmLabels} />}
          />
        </FramedInPage.Provider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
