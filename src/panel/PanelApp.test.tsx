// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { backgroundProtocol } from '../background/protocol';
import { createLeadSessions, memoryTabStore } from '../background/sessions';
import { freshDb } from '../../test/support/db';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import { panelProtocol } from '../messaging/panel-protocol';
import { createRouter } from '../messaging/router';
import { localDay, PanelApp, type OnLeadChanged } from './PanelApp';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };

function setup(failAnswers = false, onLeadChanged?: OnLeadChanged) {
  const db = freshDb();
  const bg = createLeadSessions({ db, tabs: memoryTabStore(), now: () => NOW, config: async () => defaultConfig(), rep: async () => ({ id: 'rep-1', name: 'Sam Rep' }), newId: () => 'd1' });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const content = createClient(backgroundProtocol, (m) => route(m, { role: 'content', tabId: 1 }));
  const send = createClient(panelProtocol, (m) =>
    failAnswers && (m as { type: string }).type === 'panel.setAnswer' ? Promise.reject(new Error('background restarting')) : route(m, { role: 'panel', tabId: 1 }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <PanelApp send={send} clock={() => NOW} timeZone="UTC" onLeadChanged={onLeadChanged} />
    </QueryClientProvider>,
  );
  return { bg, content, db };
}

afterEach(cleanup);

describe('panel host page', () => {
  it('waits for the page to report the lead, then shows it', async () => {
    const { content } = setup();
    expect(await screen.findByRole('heading', { level: 2, name: 'Reading the lead…' })).toBeTruthy();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park', title: 'Director of IT', company: 'Northwind' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' }, { timeout: 3000 })).toBeTruthy();
    expect(screen.getByRole('meter', { name: 'Lead score' }).getAttribute('aria-valuenow')).toBe('15');
  });

  it('saves a rejection through the background and shows it as Rejected with the reason', async () => {
    const { db, content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Reject' }, { timeout: 3000 }));
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
    const budget = await screen.findByRole('radiogroup', { name: 'Budget' }, { timeout: 3000 });
    await user.click(budget.querySelector('input[value="confirmed"]') ?? screen.getAllByRole('radio', { name: 'Confirmed' })[0]!);
    await waitFor(async () => expect((await db.drafts.toArray())[0]?.checklist.answers.budget).toMatchObject({ state: 'confirmed', by: 'Sam Rep' }));
  });

  it('shows “Reading the lead…” between leads, never the previous lead under a new one', async () => {
    const { content } = setup();
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' }, { timeout: 3000 })).toBeTruthy();
    await content('page.leadLeft', {}); // the URL changed; the CRM has not rendered the next record yet
    expect(await screen.findByRole('heading', { level: 2, name: 'Reading the lead…' }, { timeout: 3000 })).toBeTruthy();
    await content('page.leadShown', { ref: { ...ref, recordId: '00Q5e00000ZzYyXEAV' }, dom: { name: 'Bo Okafor' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Bo Okafor' }, { timeout: 3000 })).toBeTruthy();
  });

  it('shows an answer at once, and takes it back when the background refuses it', async () => {
    const { db, content } = setup(true);
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const user = userEvent.setup();
    const budget = await screen.findByRole('radiogroup', { name: 'Budget' }, { timeout: 3000 });
    const confirmed = budget.querySelector<HTMLInputElement>('input[value="confirmed"]')!;
    await user.click(confirmed);
    await waitFor(() => expect(screen.getByRole('radiogroup', { name: 'Budget' }).querySelector<HTMLInputElement>('input[value="confirmed"]')!.checked).toBe(false));
    expect((await db.drafts.toArray())[0]?.checklist.answers ?? {}).toEqual({});
  });

  it('follows the tab to the next lead at once when the background says so', async () => {
    let notify: (tabId: number) => void = () => undefined;
    const { content } = setup(false, (listener) => ((notify = listener), () => undefined));
    await content('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' }, { timeout: 3000 })).toBeTruthy();
    // The page moves to another lead; the panel (opened for Ada) stays and is told.
    await content('page.leadShown', { ref: { ...ref, recordId: '00Q5e00000ZzYyXEAV' }, dom: { name: 'Bo Okafor' } });
    notify(2); // another tab's change: ignored
    notify(1);
    // Well before the 2 s poll: only the push explains it.
    expect(await screen.findByRole('heading', { level: 2, name: 'Bo Okafor' }, { timeout: 1000 })).toBeTruthy();
  });

  it('computes the rep’s day in their time zone', () => {
    expect(localDay(Date.parse('2026-11-20T23:30:00Z'), 'UTC')).toBe('2026-11-20');
    expect(localDay(Date.parse('2026-11-20T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-21');
  });
});
