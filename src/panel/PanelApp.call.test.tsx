// @vitest-environment happy-dom
/**
 * Call mode through the panel host and the background's real handlers (issue 17 part 5): a call started,
 * a tagged line that reaches the criterion's evidence, the call logged and counted; and the decision-time
 * phase while a disposition form is open (ADR 18).
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backgroundProtocol } from '../background/protocol';
import { createLeadSessions, memoryTabStore } from '../background/sessions';
import { freshDb } from '../../test/support/db';
import { WAIT } from '../../test/support/timeouts';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import { panelProtocol } from '../messaging/panel-protocol';
import { createRouter } from '../messaging/router';
import { PanelApp } from './PanelApp';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };

afterEach(cleanup);

async function setup() {
  let ids = 0;
  const bg = createLeadSessions({
    db: freshDb(),
    tabs: memoryTabStore(),
    now: () => NOW,
    config: async () => defaultConfig(),
    author: async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' }),
    newId: () => `id${++ids}`,
  });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const content = createClient(backgroundProtocol, (m) => route(m, { role: 'content', tabId: 1 }));
  const sent: string[] = [];
  const send = createClient(panelProtocol, (m) => {
    sent.push((m as { type: string }).type);
    return route(m, { role: 'panel', tabId: 1 });
  });
  // The page has reported its lead before the panel opens (no pushes here).
  await content('page.leadShown', { ref, dom: { name: 'Ada Park', title: 'Director of IT', company: 'Northwind' } });
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <PanelApp send={send} clock={() => NOW} timeZone="UTC" />
    </QueryClientProvider>,
  );
  await screen.findByRole('heading', { level: 2, name: 'Ada Park' });
  return { send, sent };
}

describe('the panel host in call mode', () => {
  it('starts a call, sends a tagged line whose words reach the criterion’s evidence, and logs the call', async () => {
    const user = userEvent.setup();
    const { send, sent } = await setup();
    await user.click(screen.getByRole('button', { name: 'Start call' }));
    const notes = await screen.findByRole('combobox', { name: 'Call notes' });
    await user.type(notes, '#budget 40k set aside for Q2{Enter}');
    const lines = await screen.findByRole('list', { name: 'Notes of this call' });
    await vi.waitFor(() => expect(within(lines).getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringContaining('Budget40k set aside for Q2')]), WAIT);
    expect(sent).toContain('panel.addCallLine');
    // The background appended the words to Budget's evidence; the panel read it back.
    await vi.waitFor(async () => expect((await send('panel.getState', {})).checklist.answers.budget?.evidence).toBe('40k set aside for Q2'), WAIT);

    await user.click(screen.getByRole('button', { name: 'End call' }));
    await user.click(screen.getByRole('radio', { name: 'No answer' }));
    await user.click(screen.getByRole('button', { name: 'Log call' }));
    expect(await screen.findByText('1 attempt logged')).toBeTruthy();
    const state = await send('panel.getState', {});
    expect(state.call).toMatchObject({ draft: null, attempts: 1, logged: [{ outcome: 'no_answer', lineCount: 1 }] });
    // The full checklist is back, with the call's words in the evidence box.
    expect(((await screen.findByRole('textbox', { name: 'Budget evidence' })) as HTMLTextAreaElement).value).toBe('40k set aside for Q2');
  });

  it('qualifies with the decision-time rules while a disposition form is open', async () => {
    const user = userEvent.setup();
    await setup();
    const recommendation = () => screen.getByRole('region', { name: 'Recommendation' });
    expect(recommendation().dataset.phase).toBe('before_call');
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    await vi.waitFor(() => expect(recommendation().dataset.phase).toBe('decision'), WAIT);
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await vi.waitFor(() => expect(recommendation().dataset.phase).toBe('before_call'), WAIT);
  });
});
