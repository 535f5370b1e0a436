import { describe, expect, it } from 'vitest';
import { CHANNEL } from '../messaging/envelope';
import { SIDE_PANEL_TAB_FIELD } from '../messaging/names';
import type { PanelPush } from '../messaging/panel-protocol';
import { sidePanelTarget, type SidePanelBrowser } from './side-panel-target';

function fakeBrowser(options: { windowId?: number; active?: number; slowQuery?: boolean } = {}) {
  const activated: ((info: { tabId: number; windowId: number }) => void)[] = [];
  let answer: () => void = () => undefined;
  const b: SidePanelBrowser = {
    windows: { getCurrent: async () => ({ id: options.windowId ?? 1 }) },
    tabs: {
      query: ({ windowId }) =>
        new Promise((resolve) => {
          answer = () => resolve(windowId === (options.windowId ?? 1) && options.active !== undefined ? [{ id: options.active }] : []);
          if (!options.slowQuery) answer();
        }),
      onActivated: { addListener: (cb) => void activated.push(cb) },
    },
  };
  return { b, activate: (tabId: number, windowId = options.windowId ?? 1) => activated.forEach((cb) => cb({ tabId, windowId })), answerQuery: () => answer() };
}

const envelope = (type: string) => ({ channel: CHANNEL, type, payload: {} });

describe('which tab the side panel shows', () => {
  it('names its window’s active tab in every message, once it knows it', async () => {
    const f = fakeBrowser({ active: 4 });
    const target = sidePanelTarget(f.b);
    const sent: unknown[] = [];
    const transport = target.transport(async (m) => void sent.push(m));
    await transport(envelope('panel.getState'));
    expect(sent).toEqual([{ ...envelope('panel.getState'), [SIDE_PANEL_TAB_FIELD]: 4 }]);
    expect(target.tabId).toBe(4);
  });

  it('follows tab switches in its own window only, and tells the panel the lead it showed changed', async () => {
    const f = fakeBrowser({ active: 4 });
    const target = sidePanelTarget(f.b);
    await target.ready;
    const pushes: PanelPush[] = [];
    let backgroundListener: (push: PanelPush) => void = () => undefined;
    const off = target.pushes((listener) => {
      backgroundListener = listener;
      return () => void (backgroundListener = () => undefined);
    })((push) => pushes.push(push));
    f.activate(9, 2); // another window
    expect(target.tabId).toBe(4);
    f.activate(4); // already shown
    expect(pushes).toEqual([]);
    f.activate(7);
    expect(target.tabId).toBe(7);
    expect(pushes).toEqual([{ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId: 4 } }]);
    // The background's own pushes pass through as they are.
    const push: PanelPush = { channel: CHANNEL, type: 'panel.leadRefreshed', payload: { leadKey: 'salesforce:acme:1' } };
    backgroundListener(push);
    expect(pushes.at(-1)).toBe(push);
    off();
    f.activate(8);
    expect(pushes).toHaveLength(2);
  });

  it('a switch seen while it still asks for the active tab wins over the older answer', async () => {
    const f = fakeBrowser({ active: 4, slowQuery: true });
    const target = sidePanelTarget(f.b);
    await Promise.resolve(); // getCurrent answered; the query is under way
    await Promise.resolve();
    f.activate(6);
    f.answerQuery();
    await target.ready;
    expect(target.tabId).toBe(6);
  });

  it('a message names the tab it was sent for, even if the rep switches before the answer', async () => {
    const f = fakeBrowser({ active: 4 });
    const target = sidePanelTarget(f.b);
    await target.ready;
    const sent: unknown[] = [];
    let release: () => void = () => undefined;
    const transport = target.transport((m) => {
      sent.push(m);
      return new Promise((r) => (release = () => r(null)));
    });
    const draft = transport(envelope('panel.saveDraft'));
    await Promise.resolve();
    f.activate(7);
    release();
    await draft;
    expect((sent[0] as Record<string, unknown>)[SIDE_PANEL_TAB_FIELD]).toBe(4);
  });

  it('outside a window (none to ask about) it names no tab', async () => {
    const target = sidePanelTarget({ ...fakeBrowser().b, windows: { getCurrent: async () => ({}) } });
    const sent: unknown[] = [];
    await target.transport(async (m) => void sent.push(m))(envelope('panel.getState'));
    expect(sent).toEqual([envelope('panel.getState')]);
  });
});
