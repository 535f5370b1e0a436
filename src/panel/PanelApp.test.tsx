// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider, timeoutManager, type TimeoutProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { panelPushes } from '../background/panel-link';
import { backgroundProtocol } from '../background/protocol';
import { createLeadSessions, memoryTabStore } from '../background/sessions';
import { freshDb } from '../../test/support/db';
import { WAIT } from '../../test/support/timeouts';
import { leadKey } from '../crm';
import { parseConfig, type QualificationConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import { CHANNEL } from '../messaging/envelope';
import { panelProtocol } from '../messaging/panel-protocol';
import { createRouter } from '../messaging/router';
import { recordLeadFetched } from '../store/leads';
import { localDay, PanelApp, type OnPanelPush } from './PanelApp';
import { backgroundPushes } from './pushes';
import { workerLink, type WorkerLink } from './worker-link';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };

/** What the background broadcasts reaches the panel page as from the background (`runtime.onMessage`). */
const fromBackground = (message: unknown) => fakeBrowser.runtime.onMessage.trigger(message, { id: fakeBrowser.runtime.id } as never);
const push = panelPushes(fromBackground);
const leadChanged = (tabId: number) => ({ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId } }) as const;

/**
 * The panel on the background's real handlers. Pushes go as the background sends them, through the WXT
 * fake browser, to the panel's validating subscriber (`onPush` replaces that subscriber).
 */
function setup(
  failAnswers = false,
  onPush?: OnPanelPush,
  options: { config?: () => Promise<QualificationConfig>; workerLink?: WorkerLink; /** Holds a reply back (already answered by the background) until it resolves. */ delay?: (type: string) => Promise<void> | undefined } = {},
) {
  const db = freshDb();
  const bg = createLeadSessions({
    db,
    tabs: memoryTabStore(),
    now: () => NOW,
    config: options.config ?? (async () => defaultConfig()),
    author: async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' }),
    newId: () => 'd1',
    onTabChanged: push.leadChanged,
  });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const content = createClient(backgroundProtocol, (m) => route(m, { role: 'content', tabId: 1 }));
  /** Every request the panel sent, by type, once answered. */
  const answered: string[] = [];
  const send = createClient(panelProtocol, async (m) => {
    const type = (m as { type: string }).type;
    if (failAnswers && type === 'panel.setAnswer') throw new Error('background restarting');
    sending += 1;
    try {
      const reply = await route(m, { role: 'panel', tabId: 1 });
      await options.delay?.(type);
      answered.push(type);
      return reply;
    } finally {
      sending -= 1;
    }
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  activeClient = client;
  render(
    <QueryClientProvider client={client}>
      <PanelApp send={send} clock={() => NOW} timeZone="UTC" onPush={onPush ?? backgroundPushes(fakeBrowser.runtime)} workerLink={options.workerLink} />
    </QueryClientProvider>,
  );
  const reads = () => answered.filter((t) => t === 'panel.getState').length;
  return { bg, content, db, answered, reads };
}

afterEach(() => {
  cleanup();
  fakeBrowser.reset();
});

let activeClient: QueryClient | undefined;
/** Requests to the background not answered yet. */
let sending = 0;
/**
 * The panel has nothing in flight: no read or action running and no request to the background unanswered
 * (a push starts its read at once, so after this, a read that did not start was not going to).
 */
async function settle() {
  await new Promise((r) => setTimeout(r, 0));
  await vi.waitFor(() => {
    expect(sending).toBe(0);
    expect(activeClient!.isFetching()).toBe(0);
    expect(activeClient!.isMutating()).toBe(0);
  }, WAIT);
}

async function saveRejection() {
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Reject' }));
  await user.selectOptions(screen.getByRole('combobox', { name: 'Reason code' }), 'not_icp');
  await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Ten people.');
  await user.click(screen.getByRole('button', { name: 'Save disposition' }));
  expect(await screen.findByText(/Saved on this device/)).toBeTruthy();
}

describe('panel host page', () => {
  it('waits for the page to report the lead, then shows it', async () => {
    const { content } = setup();
    expect(await screen.findByRole('heading', { level: 2, name: 'Reading the lead…' })).toBeTruthy();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park', title: 'Director of IT', company: 'Northwind' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    expect(screen.getByRole('meter', { name: 'Lead score' }).getAttribute('aria-valuenow')).toBe('15');
  });

  it('saves a rejection through the background and shows it as Rejected with the reason', async () => {
    const { db, content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Reject' }));
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    expect((await screen.findAllByRole('alert')).length).toBeGreaterThan(0);
    expect(await db.revisions.count()).toBe(0);

    await user.selectOptions(screen.getByRole('combobox', { name: 'Reason code' }), 'not_icp');
    await user.type(screen.getByRole('textbox', { name: 'Note' }), 'Ten people, no IT team.');
    await user.click(screen.getByRole('button', { name: 'Save disposition' }));
    await waitFor(async () => expect(await db.revisions.count()).toBe(1));
    expect(await screen.findByText(/Rejected/)).toBeTruthy();
    expect(screen.getByText(/Not ICP fit/)).toBeTruthy();
    expect(screen.getByText(/Saved on this device/)).toBeTruthy();
  });

  it('records a criterion answer in the background with who and when', async () => {
    const { db, content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    const budget = await screen.findByRole('radiogroup', { name: 'Budget' });
    await user.click(budget.querySelector('input[value="confirmed"]') ?? screen.getAllByRole('radio', { name: 'Confirmed' })[0]!);
    await waitFor(async () => expect((await db.drafts.toArray())[0]?.checklist.answers.budget).toMatchObject({ state: 'confirmed', by: 'Sam Rep' }));
  });

  it('shows “Reading the lead…” between leads, never the previous lead under a new one', async () => {
    const { content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    await content('page.leadLeft', {}); // the URL changed; the CRM has not rendered the next record yet
    expect(await screen.findByRole('heading', { level: 2, name: 'Reading the lead…' })).toBeTruthy();
    await content('page.leadShown', { ref: { ...ref, recordId: '00Q5e00000ZzYyXEAV' }, dom: { name: 'Bo Okafor' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Bo Okafor' })).toBeTruthy();
  });

  it('shows an answer at once, and takes it back when the background refuses it', async () => {
    const { db, content } = setup(true);
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    const budget = await screen.findByRole('radiogroup', { name: 'Budget' });
    const confirmed = budget.querySelector<HTMLInputElement>('input[value="confirmed"]')!;
    await user.click(confirmed);
    await waitFor(() => expect(screen.getByRole('radiogroup', { name: 'Budget' }).querySelector<HTMLInputElement>('input[value="confirmed"]')!.checked).toBe(false));
    expect((await db.drafts.toArray())[0]?.checklist.answers ?? {}).toEqual({});
  });

  it('a read the background answered before the rep’s click, arriving after it, does not undo the click', async () => {
    const held: (() => void)[] = [];
    let holding = false;
    const { content } = setup(false, undefined, { delay: (type) => (holding && type === 'panel.getState' ? new Promise<void>((r) => held.push(r)) : undefined) });
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const budget = await screen.findByRole('radiogroup', { name: 'Budget' });
    await settle();
    holding = true;
    await fromBackground(leadChanged(1)); // a push: the panel reads its state again, and that answer is slow
    await vi.waitFor(() => expect(held).toHaveLength(1), WAIT);
    holding = false;
    const confirmed = () => budget.querySelector<HTMLInputElement>('input[value="confirmed"]')!;
    await userEvent.setup().click(confirmed());
    expect(confirmed().checked).toBe(true);
    await vi.waitFor(() => expect(activeClient!.isMutating()).toBe(0), WAIT);
    held[0]!(); // the old answer arrives
    await settle();
    expect(confirmed().checked).toBe(true);
  });

  it('follows the tab to the next lead at once when the background says so', async () => {
    // The panel's polls are TanStack Query intervals: with them switched off, only the push can bring the
    // next lead, whatever the machine's speed (not "before the 2 s poll", a deadline a busy machine misses).
    const queryTimers: TimeoutProvider = {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (id) => clearTimeout(id as Parameters<typeof clearTimeout>[0]),
      setInterval: (callback, ms) => setInterval(callback, ms),
      clearInterval: (id) => clearInterval(id as Parameters<typeof clearInterval>[0]),
    };
    const switchTimers = (provider: TimeoutProvider) => {
      const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined); // "switching provider" warning
      timeoutManager.setTimeoutProvider(provider);
      quiet.mockRestore();
    };
    switchTimers({ ...queryTimers, setInterval: () => 0, clearInterval: () => undefined });
    try {
      let notify: (tabId: number) => void = () => undefined;
      const { content } = setup(false, (listener) => ((notify = (tabId) => listener(leadChanged(tabId))), () => undefined));
      await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
      notify(1); // the background pushes every change of the tab's lead
      expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
      // The page moves to another lead; the panel (opened for Ada) stays and is told.
      await content('page.leadShown', { ref: { ...ref, recordId: '00Q5e00000ZzYyXEAV' }, dom: { name: 'Bo Okafor' } });
      notify(2); // another tab's change: ignored
      notify(1);
      expect(await screen.findByRole('heading', { level: 2, name: 'Bo Okafor' })).toBeTruthy();
    } finally {
      switchTimers(queryTimers);
    }
  });

  it('shows a decision synced when the background pushes its sync change, with no timer at all', async () => {
    const { db, content, reads } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    await saveRejection();
    await settle();
    // The sync engine sent it; the panel is told only by the push (no poll: wait as long as you like).
    await db.dispositions.update('d1', { sync: 'synced' });
    await settle();
    expect(screen.getByText(/Saved on this device/)).toBeTruthy();
    const before = reads();
    push.syncChanged(['d0', 'd1']);
    expect(await screen.findByText('Synced to CRM')).toBeTruthy();
    expect(reads()).toBe(before + 1);
  });

  it('ignores pushes about another tab, lead or decision, and pushes not from the background', async () => {
    const { db, content, reads } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    await saveRejection();
    await settle();
    await db.dispositions.update('d1', { sync: 'synced' });
    const before = reads();
    push.leadChanged(2);
    push.syncChanged(['d2']);
    push.leadRefreshed(leadKey({ ...ref, recordId: '00Q5e00000ZzYyXEAV' }));
    const mine = { channel: CHANNEL, type: 'panel.syncChanged', payload: { dispositionIds: ['d1'] } };
    await fakeBrowser.runtime.onMessage.trigger(mine, { id: fakeBrowser.runtime.id, tab: { id: 1 }, url: ref.url } as never); // a content script
    await fakeBrowser.runtime.onMessage.trigger(mine, { id: 'another-extension' } as never);
    await settle();
    expect(reads()).toBe(before);
    expect(screen.getByText(/Saved on this device/)).toBeTruthy();
    push.syncChanged(['d1']); // and the one that concerns it does
    expect(await screen.findByText('Synced to CRM')).toBeTruthy();
  });

  it('reads the profile again when the background says its CRM read finished', async () => {
    const { db, content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    const row = (await db.leads.get(leadKey(ref)))!;
    await db.leads.update(leadKey(ref), { profile: { ...row.profile, name: 'Ada Park-Lee' }, fetchedAt: new Date(NOW).toISOString() });
    await settle();
    expect(screen.queryByRole('heading', { level: 2, name: 'Ada Park-Lee' })).toBeNull();
    push.leadRefreshed(leadKey(ref));
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park-Lee' })).toBeTruthy();
  });

  it('holds a port while something waits, reconnects at once when the worker stops, and not otherwise', async () => {
    let now = 0;
    const ports: { end: () => void; disconnected: boolean }[] = [];
    const link = workerLink({
      now: () => now,
      connect: () => {
        const listeners: (() => void)[] = [];
        const port = { end: () => listeners.forEach((l) => l()), disconnected: false };
        ports.push(port);
        return { onDisconnect: { addListener: (cb) => void listeners.push(cb) }, disconnect: () => void (port.disconnected = true) };
      },
    });
    const { db, content } = setup(false, undefined, { workerLink: link });
    expect(await screen.findByRole('heading', { level: 2, name: 'Reading the lead…' })).toBeTruthy();
    expect(ports).toHaveLength(0); // nothing shown yet: the content script's report wakes the worker
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    // The profile has not been read from the CRM: the panel waits on the background.
    await vi.waitFor(() => expect(ports).toHaveLength(1), WAIT);
    now += 30_000;
    ports[0]!.end(); // Chromium stopped the idle worker
    expect(ports).toHaveLength(2); // at once: connecting starts the worker again

    await db.leads.update(leadKey(ref), { fetchedAt: new Date(NOW).toISOString() });
    push.leadRefreshed(leadKey(ref));
    await vi.waitFor(() => expect(ports[1]!.disconnected).toBe(true), WAIT); // nothing waits now: let go
    now += 30_000;
    ports[1]!.end();
    expect(ports).toHaveLength(2); // and no reconnect

    await saveRejection(); // a decision waiting for the CRM
    await vi.waitFor(() => expect(ports).toHaveLength(3), WAIT);
    now += 30_000;
    ports[2]!.end();
    expect(ports).toHaveLength(4);

    await db.dispositions.update('d1', { sync: 'synced' });
    push.syncChanged(['d1']);
    expect(await screen.findByText('Synced to CRM')).toBeTruthy();
    await vi.waitFor(() => expect(ports[3]!.disconnected).toBe(true), WAIT);
    now += 30_000;
    ports[3]!.end();
    expect(ports).toHaveLength(4);
  });

  it('parses the config once per criterion click (it was three times)', async () => {
    const stored = defaultConfig();
    const parse = vi.fn(parseConfig);
    const config = async () => {
      const parsed = parse(stored);
      if (!parsed.ok) throw new Error('invalid config');
      return parsed.value;
    };
    const { content, answered } = setup(false, undefined, { config });
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    const budget = await screen.findByRole('radiogroup', { name: 'Budget' });
    await settle();
    const before = parse.mock.calls.length;
    expect(before).toBeGreaterThan(0); // reading the state parses it
    await user.click(budget.querySelector<HTMLInputElement>('input[value="confirmed"]')!);
    await vi.waitFor(() => expect(answered).toContain('panel.setAnswer'), WAIT);
    await settle();
    expect(parse.mock.calls.length - before).toBe(1);
  });

  it('computes the rep’s day in their time zone', () => {
    expect(localDay(Date.parse('2026-11-20T23:30:00Z'), 'UTC')).toBe('2026-11-20');
    expect(localDay(Date.parse('2026-11-20T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-21');
  });
});

describe('panel host page: whose reading the header shows (ADR 15, finding 3)', () => {
  it('labels the page’s reading, then shows the CRM’s with the record id and flags what the page says otherwise', async () => {
    const { db, content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Eve Mallory', company: 'Initech' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Eve Mallory' })).toBeTruthy();
    const record = () => document.querySelector('.lq-header__record')?.textContent;
    expect(record()).toBe('Record 00Q5e00000AbCdEEAV · from the page');

    await recordLeadFetched(db, leadKey(ref), ref, (row) => ({ profile: { ...row!.profile, name: 'Jane Doe', company: 'Initech' } }), new Date(NOW).toISOString());
    push.leadRefreshed(leadKey(ref));
    expect(await screen.findByRole('heading', { level: 2, name: 'Jane Doe' })).toBeTruthy();
    expect(record()).toBe('Record 00Q5e00000AbCdEEAV · from Salesforce');
    const flags = screen.getByRole('group', { name: 'The page and Salesforce disagree' });
    expect(flags.textContent).toBe('Name: the page shows “\u2068Eve Mallory\u2069”, Salesforce says “\u2068Jane Doe\u2069” — using Salesforce’s.');
  });
});
