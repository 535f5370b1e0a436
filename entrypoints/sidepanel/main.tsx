import { browser } from 'wxt/browser';
import { activeCrmPages } from '../../src/crm';
import { createClient } from '../../src/messaging/client';
import { panelProtocol } from '../../src/messaging/panel-protocol';
import { mountPanel } from '../../src/panel/mount';
import { backgroundPushes } from '../../src/panel/pushes';
import { sidePanelTarget } from '../../src/panel/side-panel-target';
import { NoLeadHere } from '../../src/ui/panel/NoLeadHere';

// The browser's side panel (ADR 0020): the same panel as panel.html, for its window's active tab. Browser
// UI, not a frame in a page: the clickjacking gate stands aside (ADR 0015).
const target = sidePanelTarget(browser);
// The CRMs this build reads, the demo CRM last: "HubSpot, Salesforce, or Demo CRM".
const crmLabels = activeCrmPages(import.meta.env.MODE === 'demo')
  .sort((a, b) => Number(a.demoOnly ?? false) - Number(b.demoOnly ?? false))
  .map((page) => page.label);
mountPanel({
  framedInPage: false,
  send: createClient(panelProtocol, target.transport((message) => browser.runtime.sendMessage(message))),
  onPush: target.pushes(backgroundPushes(browser.runtime)),
  noLead: <NoLeadHere crmLabels={crmLabels} />,
});
