/**
 * The browser's side panel as the background starts it (ADR 0020), on WXT's fake browser with a stand-in
 * for Chrome's `sidePanel`: the side panel page, in no tab, acts for the tab it names; the options page's
 * choice is stored, enables Chrome's side panel, and turns the shortcut from folding into opening it.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startBackground } from '../../src/background';
import { leadKey } from '../../src/crm';
import { CHANNEL } from '../../src/messaging/envelope';
import { PANEL_COLLAPSED_KEY, PANEL_PLACEMENT_KEY, SIDE_PANEL_TAB_FIELD } from '../../src/messaging/names';
import { PANEL_PORT } from '../../src/messaging/panel-protocol';
import { WAIT } from '../support/timeouts';

/** What the background asked of Chrome's side panel (plain records: the config restores vi mocks between tests). */
const opened: { windowId: number }[] = [];
const enabled: boolean[] = [];
const sidePanel = {
  open: async (o: { windowId: number }) => void opened.push(o),
  setOptions: async (o: { enabled: boolean }) => void enabled.push(o.enabled),
};
let onConnect: (port: { name: string; sender?: unknown; disconnect: () => void }) => void = () => undefined;
let onCommand: (command: string, tab?: { id?: number; windowId?: number }) => void = () => undefined;

beforeAll(() => {
  // Chrome's side panel API, which the fake browser does not have.
  Object.assign(fakeBrowser, { sidePanel });
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((cb) => void (onConnect = cb as never));
  // Neither are commands: keep the background's listener to press the shortcut.
  vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation((cb) => void (onCommand = cb as never));
  startBackground({ includeDemo: false });
});

const LEAD_TAB = 5;
const OTHER_TAB = 6;
const LEAD_URL = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view';
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: LEAD_URL, host: 'acme.lightning.force.com' };
const extensionUrl = (path: string) => `chrome-extension://${fakeBrowser.runtime.id}${path}`;

type Reply = { ok: boolean; data?: Record<string, unknown> | null; error?: { code: string; message: string } };
async function send(type: string, payload: unknown, sender: object, extra: object = {}): Promise<Reply> {
  let reply: unknown;
  const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown>;
  await trigger({ channel: CHANNEL, type, payload, ...extra }, { id: fakeBrowser.runtime.id, ...sender }, (r: unknown) => (reply = r));
  await vi.waitFor(() => expect(reply).toBeDefined(), WAIT);
  return reply as Reply;
}
/** The side panel page: no tab; it names the tab it shows in the envelope. */
const fromSidePanel = (type: string, payload: unknown, tab?: number) => send(type, payload, { url: extensionUrl('/sidepanel.html'), frameId: 0 }, tab === undefined ? {} : { [SIDE_PANEL_TAB_FIELD]: tab });
const fromOptions = (type: string, payload: unknown) => send(type, payload, { url: extensionUrl('/options.html'), tab: { id: 40 }, frameId: 0 });

describe('the side panel page (real background, fake browser)', () => {
  it('shows the lead of the tab it names, and acts on it, without any frame token', async () => {
    expect(await send('page.leadShown', { ref, dom: { name: 'Jane Doe' } }, { url: LEAD_URL, tab: { id: LEAD_TAB }, frameId: 0 })).toEqual({ ok: true, data: null });
    const state = await fromSidePanel('panel.getState', {}, LEAD_TAB);
    expect(state).toMatchObject({ ok: true, data: { tabId: LEAD_TAB, ref, lead: { name: 'Jane Doe' } } });
    const answered = await fromSidePanel('panel.setAnswer', { leadKey: leadKey(ref), criterionId: 'budget', state: 'confirmed', evidence: 'Budget set aside.' }, LEAD_TAB);
    expect(answered).toMatchObject({ ok: true, data: { checklist: { answers: { budget: { state: 'confirmed', evidence: 'Budget set aside.' } } } } });
  });

  it('beside a tab without a lead (or before it knows its tab) it gets an empty state, and cannot act', async () => {
    expect(await fromSidePanel('panel.getState', {}, OTHER_TAB)).toMatchObject({ ok: true, data: { tabId: OTHER_TAB, ref: null, lead: null } });
    expect(await fromSidePanel('panel.getState', {})).toMatchObject({ ok: true, data: { tabId: null, ref: null } });
    expect(await fromSidePanel('panel.markAsked', { leadKey: leadKey(ref), questionId: 'q1' }, OTHER_TAB)).toMatchObject({ ok: false, error: { code: 'failed' } });
  });

  it('a panel frame in a page cannot borrow that: it is not the tab’s bound frame, whatever its envelope names', async () => {
    const framed = await send('panel.getState', {}, { url: extensionUrl('/panel.html'), tab: { id: LEAD_TAB }, frameId: 9 }, { [SIDE_PANEL_TAB_FIELD]: LEAD_TAB });
    expect(framed).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('keeps the side panel’s port open', async () => {
    const disconnect = vi.fn();
    onConnect({ name: PANEL_PORT, sender: { id: fakeBrowser.runtime.id, url: extensionUrl('/sidepanel.html'), frameId: 0 }, disconnect });
    await new Promise((r) => setTimeout(r, 0));
    expect(disconnect).not.toHaveBeenCalled();
  });
});

describe('the placement setting and the shortcut', () => {
  const press = (tab: { id: number; windowId: number }) => onCommand('toggle-panel', tab);

  it('starts in the page: Chrome’s side panel disabled, the shortcut folds the docked panel', async () => {
    await vi.waitFor(() => expect(enabled.at(-1)).toBe(false), WAIT);
    expect(await fromOptions('options.getOverview', {})).toMatchObject({ ok: true, data: { placement: { value: 'page', available: true } } });
    await press({ id: LEAD_TAB, windowId: 1 });
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get(PANEL_COLLAPSED_KEY)).toEqual({ [PANEL_COLLAPSED_KEY]: true }), WAIT);
    expect(opened).toEqual([]);
  });

  it('the options page switches to the side panel: stored for content scripts, enabled in Chrome, and the shortcut opens it', async () => {
    expect(await fromOptions('options.setPlacement', { placement: 'side_panel' })).toEqual({ ok: true, data: null });
    expect(await fakeBrowser.storage.local.get(PANEL_PLACEMENT_KEY)).toEqual({ [PANEL_PLACEMENT_KEY]: 'side_panel' });
    expect(enabled.at(-1)).toBe(true);
    expect(await fromOptions('options.getOverview', {})).toMatchObject({ ok: true, data: { placement: { value: 'side_panel' } } });
    await press({ id: LEAD_TAB, windowId: 2 });
    expect(opened).toEqual([{ windowId: 2 }]);
    // The docked panel's fold state is left alone.
    expect(await fakeBrowser.storage.local.get(PANEL_COLLAPSED_KEY)).toEqual({ [PANEL_COLLAPSED_KEY]: true });
  });

  it('only extension pages may choose: not the side panel, not a content script; and only a known placement', async () => {
    expect(await fromSidePanel('options.setPlacement', { placement: 'page' }, LEAD_TAB)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('options.setPlacement', { placement: 'page' }, { url: LEAD_URL, tab: { id: LEAD_TAB }, frameId: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await fromOptions('options.setPlacement', { placement: 'overlay' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await fakeBrowser.storage.local.get(PANEL_PLACEMENT_KEY)).toEqual({ [PANEL_PLACEMENT_KEY]: 'side_panel' });
  });
});
