// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFrameBinding, memoryFrameStore } from '../background/frame-binding';
import { backgroundProtocol } from '../background/protocol';
import { createLeadSessions, memoryTabStore } from '../background/sessions';
import { freshDb } from '../../test/support/db';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import type { panelProtocol } from '../messaging/panel-protocol';
import { createRouter } from '../messaging/router';
import type { Caller } from '../messaging/sender';
import { PanelApp } from './PanelApp';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };

/** The background's router behind its frame binding, as `startBackground` wires them (ADR 0015). */
function background() {
  const sessions = createLeadSessions({ db: freshDb(), tabs: memoryTabStore(), now: () => NOW, config: async () => defaultConfig(), author: async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' }), newId: () => 'd1' });
  const frames = createFrameBinding({ store: memoryFrameStore(), now: () => NOW });
  // The lead and frame handlers only: this test sends nothing else (hence the cast).
  const route = createRouter(backgroundProtocol, { ...sessions.handlers, ...frames.handlers } as never);
  const as = (caller: Caller) => {
    const sent: string[] = [];
    const send = createClient(backgroundProtocol, async (m) => {
      sent.push((m as { type: string }).type);
      return route(m, await frames.admit(m, caller));
    });
    return { send, sent };
  };
  return { as };
}

function renderPanel(send: ReturnType<typeof createClient<typeof panelProtocol>>, token: string) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <PanelApp send={send} clock={() => NOW} timeZone="UTC" claim={() => send('panel.claim', { token }).then((r) => r.bound)} />
    </QueryClientProvider>,
  );
}

afterEach(cleanup);

describe('a panel frame claims its tab before anything else (ADR 0015)', () => {
  it('the frame with the content script’s token shows the lead', async () => {
    const { as } = background();
    const content = as({ role: 'content', tabId: 1, documentId: 'D1' });
    await content.send('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const { token } = await content.send('page.panelFrame', {});
    const panel = as({ role: 'panel', tabId: 1, frameId: 7, documentId: 'P1' });
    renderPanel(panel.send, token!);
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    expect(panel.sent[0]).toBe('panel.claim');
  });

  it('a claim that got no answer (the worker was starting) is tried again, and the lead shows (finding 7 follow-up)', async () => {
    const { as } = background();
    const content = as({ role: 'content', tabId: 1, documentId: 'D1' });
    await content.send('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    const { token } = await content.send('page.panelFrame', {});
    const panel = as({ role: 'panel', tabId: 1, frameId: 7, documentId: 'P1' });
    let lost = 1;
    const send: typeof panel.send = (type, payload) => (type === 'panel.claim' && lost-- > 0 ? Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')) : panel.send(type, payload));
    renderPanel(send, token!);
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    expect(panel.sent.filter((t) => t === 'panel.claim')).toHaveLength(1);
  });

  it('a frame the page made (a made-up token) says so calmly, shows no lead and asks for nothing more', async () => {
    const { as } = background();
    const content = as({ role: 'content', tabId: 1, documentId: 'D1' });
    await content.send('page.leadShown', { ref, dom: { name: 'Ada Park' } });
    await content.send('page.panelFrame', {});
    const forged = as({ role: 'panel', tabId: 1, frameId: 8, documentId: 'P2' });
    renderPanel(forged.send, 'f'.repeat(32));
    expect((await screen.findByRole('status')).textContent).toBe('This panel was not opened by Lead Qualifier on this page, so it shows no lead and cannot act. If you expected the panel here, reload the page.');
    expect(screen.queryByText('Ada Park')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reject' })).toBeNull();
    expect(forged.sent).toEqual(['panel.claim']);
    // Had it asked anyway, the background would have refused it.
    await expect(forged.send('panel.getState', {})).rejects.toMatchObject({ code: 'forbidden' });
  });
});
