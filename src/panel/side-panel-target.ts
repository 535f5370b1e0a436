import { CHANNEL } from '../messaging/envelope';
import { SIDE_PANEL_TAB_FIELD } from '../messaging/names';
import { PANEL_LEAD_CHANGED, type PanelPush } from '../messaging/panel-protocol';
import type { Transport } from '../messaging/client';
import type { OnPanelPush } from './pushes';

/** The parts of `browser.windows` and `browser.tabs` the side panel uses (no permission needed for them). */
export interface SidePanelBrowser {
  windows: { getCurrent(): Promise<{ id?: number }> };
  tabs: {
    query(query: { active: true; windowId: number }): Promise<{ id?: number }[]>;
    onActivated: { addListener(callback: (info: { tabId: number; windowId: number }) => void): void };
  };
}

/**
 * Which tab the browser's side panel shows (ADR 0020): the active tab of its own window, followed as the rep
 * switches tabs. The panel page is in no tab, so it names that tab in each message's envelope
 * (`SIDE_PANEL_TAB_FIELD`); the background answers for that tab's lead. A message sent before a switch
 * still names the tab it was sent for (a draft typed for one lead is never saved on the next).
 *
 * A switch is announced to the panel as a `panel.leadChanged` of the tab it showed until then: for this
 * panel the lead shown did change, and the push log makes a state read under way at that moment read
 * again (src/panel/pushes.ts). The background is not woken by tab switches: only an open side panel follows them.
 */
export function sidePanelTarget(b: SidePanelBrowser) {
  let windowId: number | undefined;
  let tabId: number | undefined;
  const listeners = new Set<(push: PanelPush) => void>();

  const ready = (async () => {
    windowId = (await b.windows.getCurrent()).id;
    if (windowId === undefined) return;
    const [active] = await b.tabs.query({ active: true, windowId });
    // A switch seen meanwhile is newer than the query's answer.
    tabId ??= active?.id;
  })().catch(() => undefined);

  b.tabs.onActivated.addListener((info) => {
    if (windowId === undefined || info.windowId !== windowId || info.tabId === tabId) return;
    const before = tabId;
    tabId = info.tabId;
    const push: PanelPush = { channel: CHANNEL, type: PANEL_LEAD_CHANGED, payload: { tabId: before ?? -1 } };
    for (const listener of [...listeners]) listener(push);
  });

  return {
    /** Resolves once the panel knows its window and tab (or knows it cannot: it then names none). */
    ready,
    /** The tab shown now (undefined before `ready`, or in a window without tabs). */
    get tabId() {
      return tabId;
    },
    /** Wraps the runtime transport: each message names the tab, read when it is sent. */
    transport(send: Transport): Transport {
      return async (message) => {
        await ready;
        const envelope = typeof message === 'object' && message !== null ? message : {};
        return send(tabId === undefined ? envelope : { ...envelope, [SIDE_PANEL_TAB_FIELD]: tabId });
      };
    },
    /** The background's pushes, and a tab switch as the change of lead it is for this panel. */
    pushes(background: OnPanelPush): OnPanelPush {
      return (listener) => {
        const off = background(listener);
        listeners.add(listener);
        return () => {
          off();
          listeners.delete(listener);
        };
      };
    },
  };
}
