/**
 * The policy config as the started background uses it (issue 16, ADR 0016), on WXT's fake browser (its
 * `storage.managed` stands in for the browser's policy store) and fake-indexeddb: read at start-up, followed
 * on `storage.onChanged`, in force for the panel, the options page and the dashboard's store reads, and
 * local edits refused while it is.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startBackground } from '../../src/background';
import { defaultConfig } from '../../src/domain/defaults';
import { CHANNEL } from '../../src/messaging/envelope';
import { loadConfig } from '../../src/store/settings';
import type { Store } from '../../src/store/store';
import { WAIT } from '../support/timeouts';

const policy = (version: number, sqlReady: number) => ({ ...defaultConfig(), version, thresholds: { ...defaultConfig().thresholds, sqlReady } });
let db: Store;

beforeAll(async () => {
  // Not part of this test: the shortcut and panel ports.
  vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation(() => undefined);
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation(() => undefined);
  // The admin's policy is there before the worker starts.
  await fakeBrowser.storage.managed.set({ config: policy(9, 80) });
  ({ db } = startBackground({ includeDemo: false }));
});

/** The panel frame claims its tab first (ADR 0015), with the token the tab's content script was given. */
let claimed: Promise<void> | undefined;
async function claimPanel() {
  const { data } = await send('page.panelFrame', {}, 'content');
  expect(await send('panel.claim', { token: data!.token }, 'panel')).toEqual({ ok: true, data: { bound: true } });
}
async function send(type: string, payload: unknown, from: 'panel' | 'options' | 'content'): Promise<{ ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } }> {
  if (from === 'panel' && type !== 'panel.claim') await (claimed ??= claimPanel());
  const origin = `chrome-extension://${fakeBrowser.runtime.id}`;
  const content = { id: fakeBrowser.runtime.id, url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', tab: { id: 5 }, frameId: 0 };
  const sender = from === 'panel' ? { id: fakeBrowser.runtime.id, url: `${origin}/panel.html`, tab: { id: 5 }, frameId: 3 } : from === 'content' ? content : { id: fakeBrowser.runtime.id, url: `${origin}/options.html` };
  let reply: unknown;
  const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown>;
  await trigger({ channel: CHANNEL, type, payload }, sender, (r: unknown) => (reply = r));
  await vi.waitFor(() => expect(reply).toBeDefined(), WAIT);
  return reply as { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } };
}

describe('the started background and the organisation’s policy config', () => {
  it('reads it at start-up: the panel, the options page and the store’s readers (the dashboard) use it', async () => {
    expect((await send('panel.getState', {}, 'panel')).data?.config).toMatchObject({ version: 9, thresholds: { sqlReady: 80 } });
    expect((await send('options.getOverview', {}, 'options')).data).toMatchObject({ configSource: 'managed', config: { version: 9 } });
    expect(await loadConfig(db)).toMatchObject({ source: 'managed', config: { version: 9 } });
  });

  it('refuses a local save while it is in force', async () => {
    const r = await send('options.saveConfig', { config: policy(10, 50) }, 'options');
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('policy sets these settings') } });
    expect((await send('panel.getState', {}, 'panel')).data?.config).toMatchObject({ version: 9 });
  });

  it('follows a policy change, and its removal brings the local config back', async () => {
    await fakeBrowser.storage.managed.set({ config: policy(10, 75) });
    await vi.waitFor(async () => expect((await send('panel.getState', {}, 'panel')).data?.config).toMatchObject({ version: 10, thresholds: { sqlReady: 75 } }), WAIT);

    await fakeBrowser.storage.managed.remove('config');
    await vi.waitFor(async () => expect((await send('panel.getState', {}, 'panel')).data?.config).toMatchObject({ version: 1 }), WAIT);
    expect(await send('options.saveConfig', { config: policy(4, 70) }, 'options')).toMatchObject({ ok: true });
    expect((await send('options.getOverview', {}, 'options')).data).toMatchObject({ configSource: 'local', config: { version: 4 } });
  });
});
