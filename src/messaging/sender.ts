import type { SenderRole } from './envelope';

/** The parts of `runtime.MessageSender` the check uses. */
export interface SenderInfo {
  id?: string;
  url?: string;
  frameId?: number;
  tab?: { id?: number };
}

export interface Caller {
  role: SenderRole;
  /** The CRM tab for content scripts and panels: how the background pairs a panel with its lead. */
  tabId?: number;
}

/**
 * Who sent a message, or null for anything we do not trust: another extension, a web page, a frame of
 * the CRM page that is not the top frame, or a page of ours we did not expect.
 */
export function identifySender(sender: SenderInfo, self: { id: string; origin: string }, isCrmPage: (url: URL) => boolean): Caller | null {
  if (sender.id !== self.id || !sender.url) return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  const tabId = sender.tab?.id;
  // Not `url.origin`: for non-web schemes such as chrome-extension: some URL implementations say "null".
  if (`${url.protocol}//${url.host}` === self.origin) {
    if (url.pathname === '/panel.html') return tabId === undefined ? null : { role: 'panel', tabId };
    return { role: 'extension_page', tabId };
  }
  if (tabId === undefined || sender.frameId !== 0 || !isCrmPage(url)) return null;
  return { role: 'content', tabId };
}
