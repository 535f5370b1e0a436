import { browser } from 'wxt/browser';
import { contentScriptMatches } from '../crm';
import { matchesPattern } from '../crm/match-pattern';
import { defaultConfig } from '../domain/defaults';
import { CHANNEL } from '../messaging/envelope';
import { TOGGLE_PANEL } from '../messaging/page-protocol';
import { createRouter } from '../messaging/router';
import { identifySender } from '../messaging/sender';
import { backgroundProtocol } from './protocol';
import { createLeadSessions } from './sessions';

/**
 * Starts the background: one router for every message, senders identified before anything runs.
 * Config and the rep's identity come from settings once the options page exists; defaults until then.
 */
export function startBackground(options: { includeDemo: boolean }) {
  const self = { id: browser.runtime.id, origin: browser.runtime.getURL('/').replace(/\/$/, '') };
  const crmPatterns = contentScriptMatches(options.includeDemo);
  const isCrmPage = (url: URL) => crmPatterns.some((p) => matchesPattern(p, url));
  const config = defaultConfig();
  const sessions = createLeadSessions({
    now: Date.now,
    config: () => config,
    rep: () => ({ id: 'me', name: 'You' }),
    newId: () => crypto.randomUUID(),
  });
  const route = createRouter(backgroundProtocol, sessions.handlers);

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void route(message, identifySender(sender, self, isCrmPage)).then(sendResponse);
    return true; // the reply comes asynchronously
  });
  browser.tabs.onRemoved.addListener((tabId) => sessions.tabs.delete(tabId));
  // The shortcut goes to the tab it was pressed in; tabs without our content script simply do not answer.
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== 'toggle-panel' || tab?.id === undefined) return;
    void browser.tabs.sendMessage(tab.id, { channel: CHANNEL, type: TOGGLE_PANEL, payload: {} }).catch(() => undefined);
  });
  return sessions;
}
