// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../messaging/client';
import { ProtocolError } from '../messaging/envelope';
import { popupProtocol, type ImportProgressView, type MyReview, type Overview } from '../messaging/options-protocol';
import { createRouter } from '../messaging/router';
import { fakeBackground, fakeTabs, hubspotConnection, overview, withQueryClient, type FakeHandlers } from '../options/testing';
import { PopupApp } from './PopupApp';
import { strings as t } from './strings';

afterEach(cleanup);

type MyReviewsAnswer = { identified: boolean; reviews: MyReview[] };

/** The popup's own messages, answered through the real router and client (both sides validated). */
function fakePopupBackground(answer: () => MyReviewsAnswer | Promise<MyReviewsAnswer> = () => ({ identified: true, reviews: [] })) {
  const calls: string[] = [];
  const route = createRouter(popupProtocol, {
    'popup.myReviews': () => {
      calls.push('popup.myReviews');
      return answer();
    },
  });
  return { send: createClient(popupProtocol, (m) => route(m, { role: 'extension_page' })), calls };
}

function renderPopup(o: Overview = overview(), handlers: Partial<FakeHandlers> = {}, answer?: () => MyReviewsAnswer | Promise<MyReviewsAnswer>) {
  const bg = fakeBackground(o, handlers);
  const popup = fakePopupBackground(answer);
  const tabs = fakeTabs();
  const actions: string[] = [];
  const view = withQueryClient(
    <PopupApp
      send={bg.send}
      popupSend={popup.send}
      tabs={tabs.adapter}
      openOptions={async () => void actions.push('openOptionsPage')}
      refreshMs={false}
      close={() => actions.push('close')}
      format={{ locale: 'en-GB', timeZone: 'UTC', now: Date.parse('2026-11-25T12:00:00Z') }}
    />,
  );
  return { ...view, bg, popup, tabs, actions };
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
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Reviews of my decisions' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Open team dashboard' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Options' }));
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false }, 'target-size': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});

const myReview = (over: Partial<MyReview> = {}): MyReview => ({
  id: 'rv-1',
  verdict: 'disagree',
  reviewerName: 'Mia Lead',
  at: '2026-11-22T08:00:00.000Z',
  comment: 'They had budget: read the call notes.',
  crm: 'hubspot',
  decision: { dispositionId: 'd1', rev: 1, label: 'Rejected: No budget', leadName: 'Ada Park', url: 'https://app.hubspot.com/contacts/4412345/record/0-1/101' },
  trust: { state: 'verified', notes: [] },
  ...over,
});

const progress = (over: Pick<ImportProgressView, 'notes' | 'done' | 'problem'>): ImportProgressView => ({
  crm: 'hubspot',
  pages: 1,
  newDecisions: 0,
  newRevisions: 0,
  unchanged: 0,
  refused: 0,
  reviews: 0,
  unreadable: 0,
  refusedNotes: [],
  ...over,
});

describe('reviews of my decisions (popup)', () => {
  const openReviews = async () => {
    const user = userEvent.setup();
    const button = await screen.findByRole('button', { name: 'Reviews of my decisions' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await user.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    return { user, region: screen.getByRole('region', { name: 'Reviews of my decisions' }) };
  };

  it('reads nothing until opened, then lists the reviews newest first, as text, with their trust', async () => {
    const reviews = [
      myReview(),
      myReview({ id: 'rv-2', verdict: 'agree', comment: '', reviewerName: 'Lee Boss', at: '2026-11-21T16:30:00.000Z', decision: { dispositionId: 'd2', rev: 2, label: 'Recycled to nurture', leadName: 'Bo Okafor' }, trust: { state: 'unconfirmed', notes: ['hubspot does not say who created this note'] } }),
      myReview({
        id: 'rv-3',
        reviewerName: 'Eve\u202Eevil',
        comment: '<img src=x onerror=alert(1)>',
        // eslint-disable-next-line no-script-url -- the hostile address the popup must not link to
        decision: { dispositionId: 'd3', rev: 1, label: '', leadName: '', url: 'javascript:alert(1)' },
        trust: { state: 'flagged', notes: ['signed by Mia Lead (201), but hubspot says Eve (301) created the note'] },
      }),
    ];
    const { popup, container } = renderPopup(overview(), {}, () => ({ identified: true, reviews }));
    await screen.findByRole('region', { name: 'Sync' });
    expect(popup.calls).toEqual([]);
    const { region } = await openReviews();
    const items = await within(region).findAllByRole('listitem');
    expect(popup.calls).toEqual(['popup.myReviews']);
    expect(items.map((li) => li.textContent)).toEqual([
      'Mia Lead disagrees · 22 Nov 08:00Rejected: No budget · Ada ParkThey had budget: read the call notes.',
      'Lee Boss agrees · 21 Nov 16:30Recycled to nurture · Bo OkaforNot confirmed: hubspot does not say who created this note',
      'Eve[U+202E]evil disagrees · 22 Nov 08:00Your decision · Unnamed lead<img src=x onerror=alert(1)>Flagged: signed by Mia Lead (201), but hubspot says Eve (301) created the note',
    ]);
    // CRM text is isolated text, never markup; only a web address becomes a link.
    expect(container.querySelector('img')).toBeNull();
    expect(items[2]!.querySelectorAll('bdi').length).toBeGreaterThanOrEqual(4);
    expect(within(region).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['https://app.hubspot.com/contacts/4412345/record/0-1/101']);
    expect(items.map((li) => li.getAttribute('data-trust'))).toEqual(['verified', 'unconfirmed', 'flagged']);
  });

  it('opens the lead in the CRM in a tab, then closes', async () => {
    const { tabs, actions } = renderPopup(overview(), {}, () => ({ identified: true, reviews: [myReview()] }));
    const { user, region } = await openReviews();
    await user.click(await within(region).findByRole('link', { name: 'Ada Park' }));
    expect(tabs.opened).toEqual(['https://app.hubspot.com/contacts/4412345/record/0-1/101']);
    expect(actions).toEqual(['close']);
  });

  it('says when there are none yet, and when nobody is known as this rep', async () => {
    renderPopup(overview(), {}, () => ({ identified: true, reviews: [] }));
    let { region } = await openReviews();
    expect((await within(region).findByText(/^No reviews/)).textContent).toBe(
      'No reviews of your decisions yet. Reviews appear here when a manager reviews one and you open the lead, or after an import.',
    );
    cleanup();
    renderPopup(overview({ rep: null }), {}, () => ({ identified: false, reviews: [] }));
    ({ region } = await openReviews());
    expect((await within(region).findByText(/^Nobody is known/)).textContent).toContain('Add your name and email in Options.');
  });

  it('says so when the reviews cannot be read, and the buttons stay', async () => {
    renderPopup(overview(), {}, () => {
      throw new ProtocolError('failed', 'The local store is being upgraded.');
    });
    const { region } = await openReviews();
    expect((await within(region).findByRole('alert')).textContent).toBe('The reviews could not be read (The local store is being upgraded.).');
    expect(screen.getByRole('button', { name: 'Open team dashboard' })).toBeTruthy();
  });

  it('“Check the CRM now” reads each connected CRM page by page until done, then lists again', async () => {
    let answers = 0;
    const steps = [progress({ notes: 40, done: false }), progress({ notes: 75, done: true })];
    const { bg, popup } = renderPopup(overview({ connections: [hubspotConnection] }), { 'dashboard.importStep': () => steps.shift()! }, () => ({
      identified: true,
      reviews: answers++ === 0 ? [] : [myReview()],
    }));
    const { user, region } = await openReviews();
    await within(region).findByText(/^No reviews/);
    await user.click(within(region).getByRole('button', { name: 'Check the CRM now' }));
    expect(await within(region).findByText('Checked the CRM: the list is up to date.')).toBeTruthy();
    expect(bg.sent('dashboard.importStep')).toEqual([{ crm: 'hubspot' }, { crm: 'hubspot' }]);
    expect(popup.calls).toEqual(['popup.myReviews', 'popup.myReviews']);
    expect(await within(region).findAllByRole('listitem')).toHaveLength(1);
  });

  it('shows why a check stopped; offers no check without a connected CRM', async () => {
    renderPopup(overview({ connections: [hubspotConnection] }), { 'dashboard.importStep': () => progress({ notes: 0, done: false, problem: 'HubSpot answered 429: too many requests.' }) });
    let { user, region } = await openReviews();
    await user.click(await within(region).findByRole('button', { name: 'Check the CRM now' }));
    expect((await within(region).findByRole('alert')).textContent).toBe('HubSpot portal 4412345: HubSpot answered 429: too many requests.');
    cleanup();
    renderPopup(overview({ connections: [{ ...hubspotConnection, state: 'expired' }] }));
    ({ user, region } = await openReviews());
    await within(region).findByText(/^No reviews/);
    expect(within(region).queryByRole('button', { name: 'Check the CRM now' })).toBeNull();
  });

  it('is keyboard reachable when open, and has no axe violations', async () => {
    const { container } = renderPopup(overview({ connections: [hubspotConnection] }), {}, () => ({
      identified: true,
      reviews: [myReview(), myReview({ id: 'rv-2', trust: { state: 'flagged', notes: ['its content was changed after it was written'] }, decision: { dispositionId: 'd2', rev: 1, label: 'Accepted as SQL', leadName: 'Bo Okafor' } })],
    }));
    const { user, region } = await openReviews();
    await within(region).findAllByRole('listitem');
    await user.tab();
    expect(document.activeElement).toBe(within(region).getByRole('link', { name: 'Ada Park' }));
    await user.tab();
    expect(document.activeElement).toBe(within(region).getByRole('button', { name: 'Check the CRM now' }));
    const result = await axe.run(container, { rules: { 'color-contrast': { enabled: false }, 'target-size': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});
