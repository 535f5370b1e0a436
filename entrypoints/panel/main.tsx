import { browser } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { frameTokenOf } from '../../src/messaging/frame-token';
import { panelProtocol } from '../../src/messaging/panel-protocol';
import { mountPanel } from '../../src/panel/mount';
import { backgroundPushes } from '../../src/panel/pushes';

// The panel docked in the CRM page, in the frame our content script made.
const send = createClient(panelProtocol, (message) => browser.runtime.sendMessage(message));
mountPanel({
  framedInPage: true,
  send,
  onPush: backgroundPushes(browser.runtime),
  // The token our content script put in this frame's address (ADR 0015).
  claim: () => send('panel.claim', { token: frameTokenOf(location.hash) }).then((r) => r.bound),
});
