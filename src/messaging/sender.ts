import type { SenderRole } from './envelope';
import { SIDE_PANEL_PATH, SIDE_PANEL_TAB_FIELD } from './names';

/** The parts of `runtime.MessageSender` the check uses. */
export interface SenderInfo {
  id?: string;
  url?: string;
  frameId?: number;
  /** Chrome names each document (a frame that loads another page gets another one); Firefox does not. */
  documentId?: string;
  /** Chrome: `active`, `prerender`, `cached` (back/forward cache) or `pending_deletion`. */
  documentLifecycle?: string;
  tab?: { id?: number };
}

export interface Caller {
  role: SenderRole;
  /** The CRM tab for content scripts and panels: how the background pairs a panel with its lead. */
  tabId?: number;
  /** For panels: the frame, and document where the browser names it, that the tab's panel binding checks (ADR 0015). */
  frameId?: number;
  /** For panels and content scripts, where the browser gives it (Chrome). */
  documentId?: string;
  /**
   * The browser's side panel page (ADR 0020): a panel in no tab, not web-accessible (no page can load it),
   * acting for the tab it names (`tabId`, its window's active tab; absent before it knows one).
   */
  sidePanel?: true;
}

/** The tab a side panel page names in its message's envelope (`SIDE_PANEL_TAB_FIELD`), if a valid tab id. */
export function sidePanelTabOf(message: unknown): number | undefined {
  const value = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[SIDE_PANEL_TAB_FIELD] : undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Who sent a message, or null for anything we do not trust: another extension, a web page, a frame of
 * the CRM page that is not the top frame, or a page of ours we did not expect. `message` (absent for a
 * port) is read only for the side panel page's tab (`sidePanelTabOf`).
 */
export function identifySender(sender: SenderInfo, self: { id: string; origin: string }, isCrmPage: (url: URL) => boolean, message?: unknown): Caller | null {
  if (sender.id !== self.id || !sender.url) return null;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return null;
  }
  const tabId = sender.tab?.id;
  const documentId = typeof sender.documentId === 'string' ? { documentId: sender.documentId } : {};
  // Not `url.origin`: for non-web schemes such as chrome-extension: some URL implementations say "null".
  // The panel's own address has the extension's id even when the frame was opened at its dynamic URL
  // (`use_dynamic_url`): Chromium sends `sender.url` with the id `runtime.id` names.
  if (`${url.protocol}//${url.host}` === self.origin) {
    if (url.pathname === '/panel.html') return tabId === undefined || sender.frameId === undefined ? null : { role: 'panel', tabId, frameId: sender.frameId, ...documentId };
    // The browser's side panel (no tab), or the same page opened as a tab's own page. Framed, it is in a
    // page of ours (no other page may frame it), and none of ours does: refused.
    if (url.pathname === SIDE_PANEL_PATH) {
      if (tabId !== undefined && sender.frameId !== 0) return null;
      const shown = sidePanelTabOf(message);
      return { role: 'panel', sidePanel: true, ...(shown !== undefined ? { tabId: shown } : {}) };
    }
    return { role: 'extension_page', tabId };
  }
  // A document in the back/forward cache, or being unloaded, speaks for a page the tab no longer shows; a
  // prerendered one for a page it does not show yet (its content script waits for activation, ADR 0015).
  if (sender.documentLifecycle === 'cached' || sender.documentLifecycle === 'pending_deletion' || sender.documentLifecycle === 'prerender') return null;
  if (tabId === undefined || sender.frameId !== 0 || !isCrmPage(url)) return null;
  return { role: 'content', tabId, ...documentId };
}
