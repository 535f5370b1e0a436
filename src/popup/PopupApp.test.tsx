// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../messaging/envelope';
import type { Overview } from '../messaging/options-protocol';
import { fakeBackground, fakeTabs, hubspotConnection, overview, withQueryClient, type FakeHandlers } from '../options/testing';
import { PopupApp } from './PopupApp';
import { strings as t } from './strings';

afterEach(cleanup);

function renderPopup(o: Overview = overview(), handlers: Partial<FakeHandlers> = {}) {
  const bg = fakeBackground(o, handlers);
  const tabs = fakeTabs();
  const actions: string[] = [];
  const view = withQueryClient(
    <PopupApp
      send={bg.send}
      tabs={tabs.adapter}
      openOptions={async () => void actions.push('openOptionsPage')}
      refreshMs={false}
      close={() => actions.push('close')}
    />,
  );
  return { ...view, bg, tabs, actions };
}

describe('toolbar popup', () => {
  it('says what waits to sync and what needs attention', async () => {
    renderPopup(overview({ connections: [hubspotConnection], queue: { counts: { pending: 3, failed: 1, done: 9 }, items: [] } }));
    const sync = await screen.findByRole('region', { name: 'Sync' });
    expect(within(sync).getByRole('status').textContent).toBe('3 decisions waiting to sync · 1 needs attention');
  });

  it('words the counts for one, none and only failures', () => {
    expect(t.syncSummary(1, 0, 0)).toBe('1 decision waiting to sync');
    expect(t.syncSummary(0, 2, 0)).toBe('2 decisions need attention');
    expect(t.syncSummary(2, 2, 0)).toBe('2 decisions waiting to sync · 2 need attention');
    expect(t.syncSummary(0, 0, 4)).toBe('Everything is synced.');
    expect(t.syncSummary(0, 0, 0)).toBe('No decisions to sync yet.');
  });

  it('shows each CRM’s connection state', async () => {
    renderPopup(overview({ connections: [{ ...hubspotConnection, state: 'expired' }] }));
    const crms = await screen.findByRole('region', { name: 'CRM connections' });
    expect(within(crms).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['HubSpot: Expired — reconnect in Options', 'Salesforce: Not connected']);
    cleanup();
    renderPopup(overview({ connections: [hubspotConnection] }));
    expect(await screen.findByText('HubSpot: Connected to HubSpot portal 4412345')).toBeTruthy();
  });

  it('opens the team dashboard in a tab, and the options page, then closes', async () => {
    const { tabs, actions } = renderPopup();
    const user = userEvent.setup();
    await screen.findByRole('region', { name: 'Sync' });
    await user.click(screen.getByRole('button', { name: 'Open team dashboard' }));
    expect(tabs.opened).toEqual(['chrome-extension://lqtestextensionid/dashboard.html']);
    await user.click(screen.getByRole('button', { name: 'Options' }));
    expect(actions).toEqual(['close', 'openOptionsPage', 'close']);
  });

  it('still offers the buttons when the background does not answer', async () => {
    renderPopup(overview(), {
      'options.getOverview': () => {
        throw new ProtocolError('failed', 'Could not handle "options.getOverview".');
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain('The extension did not answer');
    expect(screen.getByRole('button', { name: 'Open team dashboard' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Options' })).toBeTruthy();
  });

  it('is keyboard reachable, named, and has no axe violations', async () => {
    const { container } = renderPopup(overview({ connections: [hubspotConnection], queue: { counts: { pending: 1, failed: 0, done: 0 }, items: [] } }));
    const user = userEvent.setup();
    expect(screen.getByRole('main', { name: 'Lead Qualifier' })).toBeTruthy();
    await screen.findByRole('region', { name: 'Sync' });
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open team dashboard' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Options' }));
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false }, 'target-size': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});
