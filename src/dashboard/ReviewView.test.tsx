// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { axeViolations, MANAGER, renderDashboard, seededDb } from './testing';

afterEach(cleanup);

async function open() {
  const db = await seededDb(250, 5);
  const latest = (await db.dispositions.where('outcome').equals('reject').toArray()).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  const view = renderDashboard(db, { initialView: 'review' });
  await screen.findByText('Rejection 1 of 50');
  return { db, latest, ...view, user: userEvent.setup() };
}

describe('ReviewView', () => {
  it('steps through the last 50 rejections, newest first, showing each decision with its evidence', async () => {
    const { latest, user } = await open();
    expect(screen.getByText('0 of 50 reviewed')).toBeTruthy();
    expect(await screen.findByRole('heading', { level: 3, name: latest[0]!.leadName })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Previous/ }).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByRole('button', { name: /Next/ }));
    expect(screen.getByText('Rejection 2 of 50')).toBeTruthy();
    const heading = await screen.findByRole('heading', { level: 3, name: latest[1]!.leadName });
    await waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('asks for a verdict, and for a comment when disagreeing', async () => {
    const { user } = await open();
    await user.click(screen.getByRole('button', { name: 'Save review' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose agree or disagree.');
    await user.click(within(screen.getByRole('group', { name: 'Your verdict' })).getByRole('radio', { name: 'Disagree' }));
    await user.click(screen.getByRole('button', { name: 'Save review' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Say why you disagree.');
  });

  it('stores the review in the manager’s name and shows it in the decision’s history', async () => {
    const { db, latest, user } = await open();
    await user.click(screen.getByRole('radio', { name: 'Disagree' }));
    await user.type(screen.getByLabelText('Comment'), 'The note says budget exists; this is timing.');
    await user.click(screen.getByRole('button', { name: 'Save review' }));
    await waitFor(() => expect(screen.getByText('Review saved.')).toBeTruthy());
    expect(await db.reviews.toArray()).toEqual([
      { id: 'review-1', dispositionId: latest[0]!.id, reviewerId: 'email:morgan@acme.example', reviewerName: MANAGER.name, reviewer: { id: 'email:morgan@acme.example', name: 'Morgan Lee', email: 'morgan@acme.example' }, rev: latest[0]!.rev, verdict: 'disagree', comment: 'The note says budget exists; this is timing.', at: '2026-11-20T12:00:00.000Z' },
    ]);
    await waitFor(() => expect(screen.getByText('1 of 50 reviewed')).toBeTruthy());
    const history = screen.getByRole('region', { name: 'History' });
    expect(within(history).getByText('Disagrees with the decision — review by \u2068Morgan Lee\u2069, 20 Nov 12:00')).toBeTruthy();
    expect(within(history).getByText('The note says budget exists; this is timing.')).toBeTruthy();
  });

  it('has no axe violations', async () => {
    const { container } = await open();
    await screen.findByRole('region', { name: 'History' });
    expect(await axeViolations(container)).toEqual([]);
  });
});
