// @vitest-environment happy-dom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../messaging/envelope';
import { hubspotConnection, overview, queueItem, renderOptions } from './testing';

afterEach(cleanup);

/** Everything a keyboard can reach, in document order. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
const ROLES = ['button', 'link', 'textbox', 'spinbutton', 'checkbox', 'radio', 'combobox', 'group'] as const;

/** Controls without an accessible name (a file input has no role: its label names it). */
function unnamedControls(container: HTMLElement, controls: HTMLElement[]): string[] {
  const named = new Set<Element>(ROLES.flatMap((role) => within(container).queryAllByRole(role, { name: /\S/ })));
  const labelled = (el: HTMLElement) => el instanceof HTMLInputElement && el.type === 'file' && [...(el.labels ?? [])].some((l) => l.textContent?.trim());
  return controls.filter((el) => !named.has(el) && !labelled(el)).map((el) => el.outerHTML.slice(0, 120));
}

/** A page with every part showing: a connection, its mapping form, a failed queue item. */
async function fullPage() {
  const view = renderOptions({
    overview: overview({ connections: [hubspotConnection], queue: { counts: { pending: 0, failed: 1, done: 0 }, items: [queueItem({ state: 'failed', lastError: 'Rejected' })] } }),
    granted: ['https://api.hubapi.com/*'],
  });
  const user = userEvent.setup();
  await user.click(await screen.findByRole('button', { name: 'Edit mapping for HubSpot' }));
  await screen.findByText('https://api.hubapi.com/*');
  return { ...view, user };
}

describe('options page', () => {
  it('has a main landmark, a page heading and a landmark with a heading per section', async () => {
    renderOptions();
    expect(screen.getByRole('heading', { level: 1, name: 'Lead Qualifier options' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Loading settings…');
    const main = screen.getByRole('main');
    for (const name of ['Who you are', 'CRM connections', 'Qualification settings', 'Sync queue']) {
      const region = await within(main).findByRole('region', { name });
      expect(within(region).getByRole('heading', { level: 2, name })).toBeTruthy();
    }
    const nav = within(main).getByRole('navigation', { name: 'Team dashboard' });
    expect(within(nav).getByRole('heading', { level: 2, name: 'Team dashboard' })).toBeTruthy();
  });

  it('opens the team dashboard in a new tab', async () => {
    const { tabs } = renderOptions();
    const user = userEvent.setup();
    const link = screen.getByRole('link', { name: 'Open the team dashboard (opens in a new tab)' });
    expect(link.getAttribute('href')).toBe('chrome-extension://lqtestextensionid/dashboard.html');
    await user.click(link);
    expect(tabs.opened).toEqual(['chrome-extension://lqtestextensionid/dashboard.html']);
  });

  it('says when the background does not answer, and tries again', async () => {
    let down = true;
    const { bg } = renderOptions({
      handlers: {
        'options.getOverview': () => {
          if (down) throw new ProtocolError('failed', 'The browser’s storage could not be opened.');
          return overview();
        },
      },
    });
    const user = userEvent.setup();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The extension did not answer (The browser’s storage could not be opened.).');
    down = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('region', { name: 'Sync queue' })).toBeTruthy();
    expect(bg.sent('options.getOverview')).toHaveLength(2);
  });

  it('every control has a name, and Tab reaches each one in order', async () => {
    const { user, container } = await fullPage();
    const controls = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
    expect(controls.length).toBeGreaterThan(60);
    expect(unnamedControls(container, controls)).toEqual([]);

    (document.activeElement as HTMLElement | null)?.blur();
    const reached: Element[] = [];
    // Radios are one tab stop (arrow keys move within the group).
    const expected = controls.filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked));
    for (let i = 0; i < expected.length; i++) {
      await user.tab();
      reached.push(document.activeElement!);
    }
    expect(reached).toEqual(expected);
  });

  it('has no axe violations for names, labels, landmarks and ARIA (layout rules need a real browser)', async () => {
    const { container } = await fullPage();
    const result = await axe.run(container, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      // happy-dom does no layout: contrast, target size and scrolling are checked in Chromium.
      rules: { 'color-contrast': { enabled: false }, 'target-size': { enabled: false }, 'scrollable-region-focusable': { enabled: false }, region: { enabled: false } },
    });
    expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('keeps what the rep typed when the overview refreshes', async () => {
    const { bg } = renderOptions({ props: { refreshMs: 30 } });
    const user = userEvent.setup();
    const settings = await screen.findByRole('region', { name: 'Qualification settings' });
    const sql = within(settings).getByLabelText('SQL-ready threshold');
    await user.clear(sql);
    await user.type(sql, '71');
    const before = bg.sent('options.getOverview').length;
    await waitFor(() => expect(bg.sent('options.getOverview').length).toBeGreaterThan(before + 1));
    expect((sql as HTMLInputElement).value).toBe('71');
  });
});
