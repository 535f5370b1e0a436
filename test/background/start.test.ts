/**
 * The background as the service worker starts it, on WXT's fake browser and fake-indexeddb: the router
 * on `runtime.onMessage` with sender checks, tab state in `storage.session`, the demo CRM connected on
 * first sight, the lead read from its API, a saved decision synced once, and the alarm that retries after
 * a failure.
 */
import 'fake-indexeddb/auto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startDemoCrm, type DemoCrm } from '../../scripts/demo-crm/server';
import { startBackground } from '../../src/background';
import { leadKey } from '../../src/crm';
import { CHANNEL } from '../../src/messaging/envelope';
import { panelPushSchema, PANEL_PORT, type PanelPush } from '../../src/messaging/panel-protocol';
import { WAIT } from '../support/timeouts';

let server: Server;
let crm: DemoCrm;
let url: string;
let port: number;
/** The background's pushes to panels (the fake browser delivers `runtime.sendMessage` to `onMessage`). */
const pushes: PanelPush[] = [];
let onConnect: (port: { name: string; sender?: unknown; disconnect: () => void }) => void = () => undefined;

beforeAll(async () => {
  ({ server, crm, url } = await startDemoCrm(0, { seed: 9 }));
  port = Number(new URL(url).port);
  // Not in the fake browser: the shortcut and OAuth are not part of this test.
  vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation(() => undefined);
  // Ports are not in the fake browser either: keep the background's listener to hand it ports.
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((cb) => void (onConnect = cb as never));
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
    const push = panelPushSchema.safeParse(message);
    if (push.success) pushes.push(push.data);
  });
  startBackground({ includeDemo: true });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const TAB = 5;
/** The panel frame claims its tab first (ADR 0015), with the token the tab's content script was given. */
let claimed: Promise<void> | undefined;
async function claimPanel() {
  const { data } = await send('page.panelFrame', {}, 'content');
  expect(await send('panel.claim', { token: data!.token }, 'panel')).toEqual({ ok: true, data: { bound: true } });
}
async function send(type: string, payload: unknown, from: 'content' | 'panel' | 'stranger'): Promise<{ ok: boolean; data?: Record<string, unknown>; error?: { code: string } }> {
  if (from === 'panel' && type !== 'panel.claim') await (claimed ??= claimPanel());
  const sender =
    from === 'content'
      ? { id: fakeBrowser.runtime.id, url: `${url}/leads/L-1003`, tab: { id: TAB }, frameId: 0 }
      : from === 'panel'
        ? { id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}/panel.html`, tab: { id: TAB }, frameId: 3 }
        : { id: 'another-extension', url: `${url}/leads/L-1003`, tab: { id: TAB }, frameId: 0 };
  let reply: unknown;
  // The fake browser passes every argument on to the listeners; its type names only (message, sender).
  const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown>;
  await trigger({ channel: CHANNEL, type, payload }, sender, (r: unknown) => (reply = r));
  await vi.waitFor(() => expect(reply).toBeDefined(), WAIT);
  return reply as { ok: boolean; data?: Record<string, unknown>; error?: { code: string } };
}

describe('the background as the browser starts it', () => {
  const ref = () => ({ crm: 'demo', recordId: 'L-1003', objectType: 'lead', url: `${url}/leads/L-1003`, host: `127.0.0.1:${port}` });

  it('refuses other extensions, and pairs the panel with its tab’s lead (kept in session storage)', async () => {
    expect(await send('page.leadShown', { ref: ref(), dom: { name: 'Someone' } }, 'stranger')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send('page.leadShown', { ref: ref(), dom: { name: 'Max Ferreira' } }, 'content')).toEqual({ ok: true, data: null });
    expect(await fakeBrowser.storage.session.get(`tab:${TAB}`)).toEqual({ [`tab:${TAB}`]: ref() });
    const state = await send('panel.getState', {}, 'panel');
    expect(state).toMatchObject({ ok: true, data: { tabId: TAB, ref: ref(), lead: { name: 'Max Ferreira' } } });
  });

  it('connects the demo CRM on first sight and reads the lead from its API', async () => {
    await vi.waitFor(
      async () => {
        const state = await send('panel.getState', {}, 'panel');
        expect(state.data?.source).toMatchObject({ fetchedAt: expect.any(String) });
        expect(state.data?.lead).toMatchObject({ companySize: crm.db.leads.find((l) => l.id === 'L-1003')!.companySize });
      },
      { ...WAIT, interval: 100 },
    );
  });

  it('saves a decision, syncs it once, and shows it as synced', async () => {
    const before = crm.db.notes.filter((n) => n.leadId === 'L-1003').length;
    const saved = await send('panel.saveDisposition', { leadKey: leadKey(ref()), decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people.' }, today: '2026-11-23' }, 'panel');
    expect(saved).toMatchObject({ ok: true, data: { saved: { rev: 1, decision: { outcome: 'reject' } } } });
    await vi.waitFor(async () => expect((await send('panel.getState', {}, 'panel')).data?.saved).toMatchObject({ syncState: 'synced' }), { ...WAIT, interval: 100 });
    expect(crm.db.notes.filter((n) => n.leadId === 'L-1003').length - before).toBe(1);
    expect(crm.db.leads.find((l) => l.id === 'L-1003')!.status).toBe('Unqualified');
  });

  it('when the CRM is down, keeps the decision, sets the alarm, and the alarm sends it once the CRM is back', async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await send('panel.saveDisposition', { leadKey: leadKey(ref()), decision: { outcome: 'recycle', recheckOn: '2027-02-01' }, today: '2026-11-23' }, 'panel');
    await vi.waitFor(async () => expect((await send('panel.getState', {}, 'panel')).data?.saved).toMatchObject({ rev: 2, syncState: 'saved_locally', syncMessage: expect.stringContaining('could not be reached') }), { ...WAIT, interval: 100 });
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get('sync')).toBeDefined(), WAIT);

    ({ server, crm } = await startDemoCrm(port, { seed: 9 }));
    // Past the backoff: the browser fires the alarm (a stopped worker would be woken by it). The first
    // request may still meet a connection the old server dropped, so allow one more retry.
    vi.useFakeTimers({ now: Date.now() + 60_000, toFake: ['Date'] });
    try {
      await fakeBrowser.alarms.onAlarm.trigger({ name: 'sync', scheduledTime: Date.now(), persistAcrossSessions: false } as never);
      await vi.waitFor(async () => expect((await send('panel.getState', {}, 'panel')).data?.saved).toMatchObject({ rev: 2, syncState: 'synced' }), { ...WAIT, interval: 100 });
    } finally {
      vi.useRealTimers();
    }
    expect(crm.db.leads.find((l) => l.id === 'L-1003')!.status).toBe('Nurture');
  });

  it('pushed the tab’s lead, its profile read and its decision’s sync to panels, ids only', async () => {
    const state = await send('panel.getState', {}, 'panel');
    const dispositionId = (state.data?.saved as { dispositionId: string }).dispositionId;
    expect(pushes).toContainEqual({ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId: TAB } });
    expect(pushes).toContainEqual({ channel: CHANNEL, type: 'panel.leadRefreshed', payload: { leadKey: `demo:127.0.0.1:${port}:L-1003` } });
    expect(pushes).toContainEqual({ channel: CHANNEL, type: 'panel.syncChanged', payload: { dispositionIds: [dispositionId] } });
  });

  it('keeps the port of a panel in a CRM tab open, and closes a content script’s', () => {
    const hand = (sender: unknown) => {
      const disconnect = vi.fn();
      onConnect({ name: PANEL_PORT, sender, disconnect });
      return disconnect.mock.calls.length;
    };
    expect(hand({ id: fakeBrowser.runtime.id, url: `chrome-extension://${fakeBrowser.runtime.id}/panel.html`, tab: { id: TAB }, frameId: 3 })).toBe(0);
    expect(hand({ id: fakeBrowser.runtime.id, url: `${url}/leads/L-1003`, tab: { id: TAB }, frameId: 0 })).toBe(1);
  });
});
