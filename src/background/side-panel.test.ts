import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CHANNEL } from '../messaging/envelope';
import { PANEL_PLACEMENT_KEY, SIDE_PANEL_TAB_FIELD } from '../messaging/names';
import { identifySender, type Caller } from '../messaging/sender';
import { createFrameBinding, memoryFrameStore } from './frame-binding';
import { createPanelCommand, createPlacement, sidePanelApis, sidePanelBinding, type SidePanelApis, type SyncMirror } from './side-panel';

const self = { id: 'lqext', origin: 'chrome-extension://lqext' };
const isCrmPage = (url: URL) => url.hostname.endsWith('.lightning.force.com');
const SIDE_PANEL_URL = 'chrome-extension://lqext/sidepanel.html';
const message = (type: string, tab?: unknown) => ({ channel: CHANNEL, type, payload: {}, ...(tab === undefined ? {} : { [SIDE_PANEL_TAB_FIELD]: tab }) });

describe('who the side panel page is (src/messaging/sender.ts)', () => {
  it('a panel in no tab, acting for the tab its envelope names', () => {
    expect(identifySender({ id: 'lqext', url: SIDE_PANEL_URL, frameId: 0 }, self, isCrmPage, message('panel.getState', 12))).toEqual({ role: 'panel', sidePanel: true, tabId: 12 });
    // Not knowing its tab yet (or a port: no message): a panel for no tab.
    expect(identifySender({ id: 'lqext', url: SIDE_PANEL_URL }, self, isCrmPage)).toEqual({ role: 'panel', sidePanel: true });
    for (const bad of [-1, 1.5, '12', null, Number.MAX_SAFE_INTEGER + 1]) {
      expect(identifySender({ id: 'lqext', url: SIDE_PANEL_URL }, self, isCrmPage, message('panel.getState', bad))).toEqual({ role: 'panel', sidePanel: true });
    }
  });

  it('opened as a tab’s own page it is the same; framed (only a page of ours could) it is refused', () => {
    expect(identifySender({ id: 'lqext', url: SIDE_PANEL_URL, tab: { id: 3 }, frameId: 0 }, self, isCrmPage, message('panel.getState', 9))).toEqual({ role: 'panel', sidePanel: true, tabId: 9 });
    expect(identifySender({ id: 'lqext', url: SIDE_PANEL_URL, tab: { id: 3 }, frameId: 4 }, self, isCrmPage, message('panel.getState', 9))).toBeNull();
  });

  it('nobody else can name a tab that way: not the panel in a page, a content script, another page of ours or another extension', () => {
    const named = message('panel.getState', 99);
    expect(identifySender({ id: 'lqext', url: 'chrome-extension://lqext/panel.html', tab: { id: 3 }, frameId: 5 }, self, isCrmPage, named)).toEqual({ role: 'panel', tabId: 3, frameId: 5 });
    expect(identifySender({ id: 'lqext', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', tab: { id: 3 }, frameId: 0 }, self, isCrmPage, named)).toEqual({ role: 'content', tabId: 3 });
    expect(identifySender({ id: 'lqext', url: 'chrome-extension://lqext/options.html', tab: { id: 3 }, frameId: 0 }, self, isCrmPage, named)).toEqual({ role: 'extension_page', tabId: 3 });
    expect(identifySender({ id: 'other', url: 'chrome-extension://other/sidepanel.html' }, self, isCrmPage, named)).toBeNull();
  });
});

describe('the side panel’s binding', () => {
  const frames = createFrameBinding({ store: memoryFrameStore(), now: () => 0 });
  const panels = sidePanelBinding(frames);
  const side: Caller = { role: 'panel', sidePanel: true, tabId: 4 };

  it('accepts the side panel page without a token; a frame in a page still needs its tab’s binding', async () => {
    expect(await panels.admit(message('panel.getState'), side)).toBe(side);
    expect(await panels.accepts(side)).toBe(true);
    expect(await panels.accepts({ role: 'panel', sidePanel: true })).toBe(true); // its port
    const frame: Caller = { role: 'panel', tabId: 4, frameId: 2, documentId: 'F' };
    expect(await panels.admit(message('panel.getState'), frame)).toBeNull();
    expect(await panels.accepts(frame)).toBe(false);
    expect(await panels.admit(message('panel.getState'), null)).toBeNull();
  });

  it('cannot take a tab’s frame token: its claim binds nothing', async () => {
    const { token } = await frames.handlers['page.panelFrame']({}, { role: 'content', tabId: 4 });
    expect(await frames.handlers['panel.claim']({ token: token! }, side)).toEqual({ bound: false });
  });
});

describe('where the panel shows (the background’s copy)', () => {
  const chrome = () => ({ open: vi.fn(async (_o: { windowId: number }) => undefined), setOptions: vi.fn(async (_o: { enabled: boolean }) => undefined) });
  beforeEach(() => fakeBrowser.reset());

  it('finds the browser’s side panel API: Chrome’s sidePanel, Firefox’s sidebarAction, or none', () => {
    const sp = chrome();
    expect(sidePanelApis({ sidePanel: sp }).sidePanel).toBe(sp);
    const sidebar = { open: async () => undefined };
    expect(sidePanelApis({ sidebarAction: sidebar })).toEqual({ sidebarAction: sidebar });
    expect(sidePanelApis({ sidePanel: { setOptions: sp.setOptions } })).toEqual({}); // Chrome 114–115: no open()
    expect(sidePanelApis({})).toEqual({});
  });

  it('is the page by default; a choice is stored and Chrome’s side panel is enabled only in side-panel mode', async () => {
    const sidePanel = chrome();
    const placement = createPlacement({ local: fakeBrowser.storage.local, apis: { sidePanel } });
    expect(placement.current()).toBeUndefined();
    await placement.start();
    expect(placement.current()).toBe('page');
    expect(sidePanel.setOptions).toHaveBeenLastCalledWith({ enabled: false });
    expect(await placement.set('side_panel')).toBe(true);
    expect(await fakeBrowser.storage.local.get(PANEL_PLACEMENT_KEY)).toEqual({ [PANEL_PLACEMENT_KEY]: 'side_panel' });
    expect(placement.current()).toBe('side_panel');
    expect(sidePanel.setOptions).toHaveBeenLastCalledWith({ enabled: true });
  });

  it('follows the stored value when another page writes it', async () => {
    const sidePanel = chrome();
    const placement = createPlacement({ local: fakeBrowser.storage.local, apis: { sidePanel } });
    placement.follow(fakeBrowser.storage.onChanged);
    await fakeBrowser.storage.local.set({ [PANEL_PLACEMENT_KEY]: 'side_panel' });
    await vi.waitFor(() => expect(sidePanel.setOptions).toHaveBeenLastCalledWith({ enabled: true }));
    await fakeBrowser.storage.local.set({ [PANEL_PLACEMENT_KEY]: 'page' });
    await vi.waitFor(() => expect(sidePanel.setOptions).toHaveBeenLastCalledWith({ enabled: false }));
    expect(placement.current()).toBe('page');
  });

  it('refuses side-panel mode where the browser has no side panel, and reads a stored one as the page', async () => {
    const placement = createPlacement({ local: fakeBrowser.storage.local, apis: {} });
    expect(placement.available).toBe(false);
    expect(await placement.set('side_panel')).toBe(false);
    expect(await fakeBrowser.storage.local.get(PANEL_PLACEMENT_KEY)).toEqual({});
    await fakeBrowser.storage.local.set({ [PANEL_PLACEMENT_KEY]: 'side_panel' });
    expect(await placement.read()).toBe('page');
  });

  it('keeps a synchronous copy where the background has one (Firefox’s event page): known at the next start at once', async () => {
    const items = new Map<string, string>();
    const mirror: SyncMirror = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
    const apis = { sidebarAction: { open: async () => undefined } };
    await createPlacement({ local: fakeBrowser.storage.local, apis, mirror }).set('side_panel');
    expect(createPlacement({ local: fakeBrowser.storage.local, apis, mirror }).current()).toBe('side_panel');
  });
});

describe('the toggle-panel shortcut', () => {
  const tab = { id: 7, windowId: 3 };
  function command(apis: SidePanelApis, known: 'page' | 'side_panel' | undefined, stored: 'page' | 'side_panel' = known ?? 'page') {
    const fold = vi.fn(async (_tabId: number) => undefined);
    const onOpenFailed = vi.fn();
    const read = vi.fn(async () => stored);
    return { run: createPanelCommand({ placement: { current: () => known, read }, apis, fold, onOpenFailed }), fold, onOpenFailed, read };
  }
  const chromeApi = (refuse = false) => ({ open: vi.fn(async () => (refuse ? Promise.reject(new Error('No active side panel for windowId: 3')) : undefined)), setOptions: vi.fn(async () => undefined) });

  it('in side-panel mode opens the side panel of the window, before anything is awaited (the key press’s user gesture)', async () => {
    const sidePanel = chromeApi();
    const c = command({ sidePanel }, 'side_panel');
    const done = c.run(tab);
    expect(sidePanel.open).toHaveBeenCalledWith({ windowId: 3 }); // synchronously
    await done;
    expect(c.fold).not.toHaveBeenCalled();
    expect(c.onOpenFailed).not.toHaveBeenCalled();
  });

  it('in the page mode folds the docked panel and leaves the side panel alone', async () => {
    const sidePanel = chromeApi();
    const c = command({ sidePanel }, 'page');
    await c.run(tab);
    expect(sidePanel.open).not.toHaveBeenCalled();
    expect(c.fold).toHaveBeenCalledWith(7);
  });

  it('Chrome, the worker just started (mode not known yet): asks to open at once; in the page mode Chrome refuses, and the panel folds', async () => {
    const sidePanel = chromeApi(true);
    const c = command({ sidePanel }, undefined, 'page');
    const done = c.run(tab);
    expect(sidePanel.open).toHaveBeenCalledTimes(1);
    await done;
    expect(c.fold).toHaveBeenCalledWith(7);
    expect(c.onOpenFailed).not.toHaveBeenCalled();
  });

  it('says so when the side panel did not open in side-panel mode', async () => {
    const c = command({ sidePanel: chromeApi(true) }, 'side_panel');
    await c.run(tab);
    expect(c.onOpenFailed).toHaveBeenCalledWith(7, expect.any(Error));
    expect(c.fold).not.toHaveBeenCalled();
  });

  it('Firefox: toggles the sidebar when the mode is known; a worker without a copy of it cannot open it, and says so', async () => {
    const sidebarAction = { open: vi.fn(async () => undefined), toggle: vi.fn(async () => undefined) };
    const known = command({ sidebarAction }, 'side_panel');
    const done = known.run(tab);
    expect(sidebarAction.toggle).toHaveBeenCalledTimes(1);
    await done;
    expect(known.onOpenFailed).not.toHaveBeenCalled();

    const cold = command({ sidebarAction }, undefined, 'side_panel');
    await cold.run(tab);
    expect(sidebarAction.toggle).toHaveBeenCalledTimes(1); // not again: opening it now would not be a user action
    expect(cold.onOpenFailed).toHaveBeenCalledWith(7, expect.any(Error));

    const page = command({ sidebarAction }, undefined, 'page');
    await page.run(tab);
    expect(page.fold).toHaveBeenCalledWith(7);
    expect(sidebarAction.open).not.toHaveBeenCalled();
  });

  it('a browser without a side panel folds, whatever is stored', async () => {
    fakeBrowser.reset();
    await fakeBrowser.storage.local.set({ [PANEL_PLACEMENT_KEY]: 'side_panel' });
    const fold = vi.fn(async (_tabId: number) => undefined);
    const onOpenFailed = vi.fn();
    await createPanelCommand({ placement: createPlacement({ local: fakeBrowser.storage.local, apis: {} }), apis: {}, fold, onOpenFailed })(tab);
    expect(fold).toHaveBeenCalledWith(7);
    expect(onOpenFailed).not.toHaveBeenCalled();
  });
});
