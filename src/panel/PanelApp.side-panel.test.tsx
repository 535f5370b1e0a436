// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFrameBinding, memoryFrameStore } from '../background/frame-binding';
import { backgroundProtocol } from '../background/protocol';
import { createLeadSessions, memoryTabStore } from '../background/sessions';
import { sidePanelBinding } from '../background/side-panel';
import { freshDb } from '../../test/support/db';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import { CHANNEL } from '../messaging/envelope';
import { SIDE_PANEL_TAB_FIELD } from '../messaging/names';
import { PANEL_LEAD_CHANGED, panelProtocol, type PanelPush } from '../messaging/panel-protocol';
import { createRouter } from '../messaging/router';
import { identifySender } from '../messaging/sender';
import { NoLeadHere } from '../ui/panel/NoLeadHere';
import { PanelApp } from './PanelApp';
import { sidePanelTarget, type SidePanelBrowser } from './side-panel-target';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const leadRef = (recordId: string) => ({ crm: 'salesforce', recordId, objectType: 'Lead', url: `https://acme.lightning.force.com/lightning/r/Lead/${recordId}/view`, host: 'acme.lightning.force.com' });
const self = { id: 'lqext', origin: 'chrome-extension://lqext' };
const LABELS = ['HubSpot', 'Salesforce', 'Demo CRM'];
const EMPTY = 'Open a lead in HubSpot, Salesforce, or Demo CRM to qualify it here.';

/** One browser window: tabs 1 (a lead), 2 (no lead) and 3 (another lead); the side panel's own window is 10. */
function fakeWindow(active: number) {
  const activated: ((info: { tabId: number; windowId: number }) => void)[] = [];
  const b: SidePanelBrowser = {
    windows: { getCurrent: async () => ({ id: 10 }) },
    tabs: {
      query: async ({ windowId }) => (windowId === 10 ? [{ id: active }] : []),
      onActivated: { addListener: (cb) => void activated.push(cb) },
    },
  };
  return { b, activate: (tabId: number, windowId = 10) => act(() => activated.forEach((cb) => cb({ tabId, windowId }))) };
}

/** The background's router as `startBackground` wires it: sender check, then the side panel's binding. */
function background() {
  const pushListeners = new Set<(push: PanelPush) => void>();
  const sessions = createLeadSessions({
    db: freshDb(),
    tabs: memoryTabStore(),
    now: () => NOW,
    config: async () => defaultConfig(),
    author: async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' }),
    newId: () => crypto.randomUUID(),
    onTabChanged: (tabId) => pushListeners.forEach((l) => l({ channel: CHANNEL, type: PANEL_LEAD_CHANGED, payload: { tabId } })),
  });
  const panels = sidePanelBinding(createFrameBinding({ store: memoryFrameStore(), now: () => NOW }));
  const route = createRouter(backgroundProtocol, sessions.handlers as never);
  const asSender = (sender: object) => async (m: unknown) => route(m, await panels.admit(m, identifySender({ id: 'lqext', ...sender }, self, () => true, m)));
  const content = (tabId: number) => createClient(backgroundProtocol, asSender({ url: leadRef('x').url, tab: { id: tabId }, frameId: 0 }));
  /** What the side panel page's `runtime.sendMessage` reaches. */
  const sidePanelTransport = asSender({ url: 'chrome-extension://lqext/sidepanel.html', frameId: 0 });
  const onPush = (listener: (push: PanelPush) => void) => {
    pushListeners.add(listener);
    return () => void pushListeners.delete(listener);
  };
  return { content, sidePanelTransport, onPush };
}

function renderSidePanel(bg: ReturnType<typeof background>, b: SidePanelBrowser) {
  const target = sidePanelTarget(b);
  const sent: unknown[] = [];
  const send = createClient(
    panelProtocol,
    target.transport(async (m) => {
      sent.push(m);
      return bg.sidePanelTransport(m);
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <PanelApp send={send} clock={() => NOW} timeZone="UTC" onPush={target.pushes(bg.onPush)} noLead={<NoLeadHere crmLabels={LABELS} />} />
    </QueryClientProvider>,
  );
  return { sent };
}

afterEach(cleanup);

describe('the panel in the browser’s side panel (ADR 0020)', () => {
  it('shows the lead of its window’s active tab, with no frame token, and acts on it', async () => {
    const bg = background();
    await bg.content(1)('page.leadShown', { ref: leadRef('00Q5e00000AbCdEEAV'), dom: { name: 'Ada Park' } });
    const { sent } = renderSidePanel(bg, fakeWindow(1).b);
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    const panel = screen.getByRole('complementary', { name: 'Lead qualification' });
    await userEvent.setup().click(within(panel).getByRole('radiogroup', { name: 'Budget' }).querySelector('input[value="confirmed"]')!);
    await screen.findAllByText(/1 of 4 BANT confirmed/);
    // Stored by the background for tab 1's lead (read back as the side panel asks).
    const stored = createClient(panelProtocol, (m) => bg.sidePanelTransport({ ...(m as object), [SIDE_PANEL_TAB_FIELD]: 1 }));
    await vi.waitFor(async () => expect((await stored('panel.getState', {})).checklist.answers.budget?.state).toBe('confirmed'));
    expect(sent.every((m) => (m as Record<string, unknown>)[SIDE_PANEL_TAB_FIELD] === 1)).toBe(true);
    expect(sent.map((m) => (m as { type: string }).type)).not.toContain('panel.claim');
  });

  it('beside a tab without a lead it says calmly what to do, and follows the rep from tab to tab', async () => {
    const bg = background();
    await bg.content(1)('page.leadShown', { ref: leadRef('00Q5e00000AbCdEEAV'), dom: { name: 'Ada Park' } });
    await bg.content(3)('page.leadShown', { ref: leadRef('00Q5e00000ZzYyXEAV'), dom: { name: 'Ben Ortiz' } });
    const w = fakeWindow(2);
    renderSidePanel(bg, w.b);
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe(`${EMPTY}This panel follows the tab you are on: switch to a tab with a lead and it shows that lead.`);
    expect(screen.getByRole('complementary', { name: 'Lead qualification' }).getAttribute('aria-busy')).toBeNull();

    await w.activate(1);
    expect(await screen.findByRole('heading', { level: 2, name: 'Ada Park' })).toBeTruthy();
    await w.activate(3);
    expect(await screen.findByRole('heading', { level: 2, name: 'Ben Ortiz' })).toBeTruthy();
    await w.activate(1, 99); // another window's tab: not this side panel's
    expect(screen.getByRole('heading', { level: 2, name: 'Ben Ortiz' })).toBeTruthy();
    await w.activate(2);
    expect((await screen.findByText(EMPTY)).closest('[role="status"]')).toBeTruthy();
  });

  it('shows the next lead when the tab it follows moves on, and the empty state when it leaves the lead', async () => {
    const bg = background();
    await bg.content(1)('page.leadShown', { ref: leadRef('00Q5e00000AbCdEEAV'), dom: { name: 'Ada Park' } });
    renderSidePanel(bg, fakeWindow(1).b);
    await screen.findByRole('heading', { level: 2, name: 'Ada Park' });
    await act(() => bg.content(1)('page.leadShown', { ref: leadRef('00Q5e00000QqRrSEAV'), dom: { name: 'Cleo Diaz' } }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Cleo Diaz' })).toBeTruthy();
    await act(() => bg.content(1)('page.leadLeft', {}));
    expect(await screen.findByText(EMPTY)).toBeTruthy();
  });
});
