// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { panelPushes } from '../background/panel-link';
import { backgroundProtocol } from '../background/protocol';
import { createLeadSessions, memoryTabStore } from '../background/sessions';
import { freshDb } from '../../test/support/db';
import { WAIT } from '../../test/support/timeouts';
import { leadKey } from '../crm';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import { CHANNEL } from '../messaging/envelope';
import { panelProtocol } from '../messaging/panel-protocol';
import { createRouter } from '../messaging/router';
import { PanelApp, type OnPanelPush } from './PanelApp';
import { backgroundPushes } from './pushes';

/**
 * The page decides which lead its tab shows (pushState), so it can switch leads between the rep's input and
 * its arrival at the background (ADR 0015, issue 18 finding 1 follow-up): nothing may land on the other lead,
 * and nothing the rep typed may be lost.
 */
const NOW = Date.parse('2026-11-20T12:00:00Z');
const refA = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };
const refB = { ...refA, recordId: '00Q5e00000ZzYyXEAV', url: refA.url.replace('AbCdEEAV', 'ZzYyXEAV') };
const SWITCHED = 'The page switched to another lead before this was saved: nothing was saved. Check the lead and save again.';
const fromBackground = (message: unknown) => fakeBrowser.runtime.onMessage.trigger(message, { id: fakeBrowser.runtime.id } as never);

function setup(onPush?: OnPanelPush) {
  const db = freshDb();
  const push = panelPushes(fromBackground);
  const bg = createLeadSessions({
    db,
    tabs: memoryTabStore(),
    now: () => NOW,
    config: async () => defaultConfig(),
    author: async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' }),
    newId: () => 'd1',
    onTabChanged: push.leadChanged,
  });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const content = createClient(backgroundProtocol, (m) => route(m, { role: 'content', tabId: 1 }));
  const sent: { type: string; payload: Record<string, unknown> }[] = [];
  const send = createClient(panelProtocol, (m) => {
    sent.push(m as (typeof sent)[number]);
    return route(m, { role: 'panel', tabId: 1 });
  });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <PanelApp send={send} clock={() => NOW} timeZone="UTC" onPush={onPush ?? backgroundPushes(fakeBrowser.runtime)} />
    </QueryClientProvider>,
  );
  const draftOf = async (ref: typeof refA) => (await db.drafts.get(leadKey(ref)))?.form ?? null;
  return { db, content, sent, draftOf };
}

afterEach(() => {
  cleanup();
  fakeBrowser.reset();
});

/**
 * Holds the panel's draft debounce (400 ms) until the test lets it fire: the switch of lead then comes,
 * for certain, before the debounce ends, however slow the machine.
 */
function holdDebounce() {
  const held = new Map<number, () => void>();
  let next = 1_000_000;
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, ms?: number, ...rest: unknown[]) => {
    if (ms !== 400) return realSet(callback, ms, ...rest);
    held.set(++next, callback);
    return next;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((id?: number) => {
    if (typeof id === 'number' && held.delete(id)) return;
    realClear(id);
  }) as typeof clearTimeout);
  return {
    /** The debounce's time is up: what is still waiting runs. */
    elapse() {
      const callbacks = [...held.values()];
      held.clear();
      for (const callback of callbacks) callback();
    },
  };
}

describe('the panel when the page switches leads under it', () => {
  it('a draft typed on lead A just before the page moved to B is kept as A’s, never written into B’s', async () => {
    const debounce = holdDebounce();
    const { content, draftOf, sent } = setup();
    await content('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Reject' }));
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Typed on Ada');

    // Within the debounce, the page moves on; the panel is told and shows B.
    await content('page.leadShown', { ref: refB, dom: { name: 'Bo Okafor' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Bo Okafor' })).toBeTruthy();
    debounce.elapse();

    await vi.waitFor(async () => expect(await draftOf(refA)).toEqual({ outcome: 'reject', reasonCode: '', note: 'Typed on Ada' }), WAIT);
    expect(await draftOf(refB)).toBeNull();
    expect(sent.filter((m) => m.type === 'panel.saveDraft').map((m) => m.payload.leadKey)).toEqual([leadKey(refA)]);
  });

  it('a save that arrives after the page moved to B is refused: nothing saved, the rep is told, and A keeps the decision as its draft', async () => {
    // The push about the switch has not reached the panel yet (the race): it still shows A when the rep saves.
    let notify: () => void = () => undefined;
    const { db, content, draftOf } = setup((listener) => ((notify = () => listener({ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId: 1 } })), () => undefined));
    await content('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
    notify();
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Recycle to nurture' }));
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Budget opens in Q2');
    await content('page.leadShown', { ref: refB, dom: { name: 'Bo Okafor' } });
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));

    const notice = await screen.findByText(SWITCHED, { selector: '[role="alert"] p' });
    // The panel reads its state again: it shows the lead the tab shows now, with nothing decided on it.
    expect(await screen.findByRole('heading', { level: 2, name: 'Bo Okafor' })).toBeTruthy();
    expect(await db.revisions.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    await vi.waitFor(async () => expect(await draftOf(refA)).toMatchObject({ outcome: 'recycle', note: 'Budget opens in Q2' }), WAIT);
    expect(await draftOf(refB)).toBeNull();

    await user.click(within(notice.closest('[role="alert"]') as HTMLElement).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(SWITCHED)).toBeNull();
  });
});
