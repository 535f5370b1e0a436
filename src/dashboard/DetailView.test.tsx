// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { outcomeLabel } from '../domain/dispositions';
import type { LeadQualifierDb } from '../store/db';
import type { DispositionRecord, RevisionRecord } from '../store/records';
import { DetailView } from './DetailView';
import { axeViolations, MANAGER, renderInDashboard, seededDb } from './testing';

afterEach(cleanup);

const config = defaultConfig();
let db: LeadQualifierDb;
let rows: DispositionRecord[];
beforeAll(async () => {
  db = await seededDb(200, 11);
  rows = await db.dispositions.toArray();
});

const revisionsOf = (id: string): Promise<RevisionRecord[]> => db.revisions.where('dispositionId').equals(id).sortBy('rev');
const show = (id: string) => renderInDashboard(<DetailView dispositionId={id} onBack={() => {}} />, { db });

describe('DetailView', () => {
  it('shows the decision, the note, the rep, the lead and a link to the record in the CRM', async () => {
    const row = rows.find((r) => r.outcome === 'reject' && r.rev === 1)!;
    const [rev] = await revisionsOf(row.id);
    show(row.id);
    const heading = await screen.findByRole('heading', { level: 2, name: row.leadName });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByText(outcomeLabel(rev!.decision, config))).toBeTruthy();
    expect(screen.getByText(rev!.decision.note)).toBeTruthy();
    expect(screen.getByText(new RegExp(`^Decided by \u2068${row.repName}\u2069,`))).toBeTruthy();
    const link = screen.getByRole('link', { name: 'Open the record in the CRM (opens in a new tab)' });
    expect(link.getAttribute('href')).toBe(row.url);
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('shows the frozen snapshot: checklist with the prospect’s words, score breakdown, recommendation', async () => {
    const row = rows.find((r) => r.outcome === 'accept' && r.frameworkId === 'bant')!;
    const [rev] = await revisionsOf(row.id);
    show(row.id);
    const checklist = await screen.findByRole('table', { name: 'BANT (version 1)' });
    const budget = within(checklist).getByRole('rowheader', { name: 'Budget' }).closest('tr')!;
    expect(within(budget).getByText('Confirmed')).toBeTruthy();
    expect(budget.querySelector('q')!.textContent).toBe(rev!.snapshot.checklist.answers.budget!.evidence);
    const meter = screen.getByRole('meter', { name: 'Lead score' });
    expect(meter.getAttribute('aria-valuenow')).toBe(String(rev!.snapshot.score.total));
    expect(screen.getByRole('heading', { name: 'Recommendation' })).toBeTruthy();
    expect(screen.getByText(rev!.snapshot.recommendation.headline)).toBeTruthy();
  });

  it('lists every revision (who changed what, when) and says the hash chain checks out', async () => {
    const row = rows.find((r) => r.rev === 2 && r.previousOutcomes[0] === 'accept' && r.outcome === 'reject')!;
    const [first, second] = await revisionsOf(row.id);
    show(row.id);
    expect((await screen.findByRole('status')).textContent).toBe('History verified: 2 revisions, every hash and link checks out.');
    const history = screen.getByRole('region', { name: 'History' });
    const items = within(history).getAllByRole('listitem').filter((li) => li.hasAttribute('data-rev'));
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain(`First decision: ${outcomeLabel(first!.decision, config)}`);
    expect(within(items[1]!).getByRole('list', { name: 'Changed' }).textContent).toContain(`Decision: Accepted as SQL → ${outcomeLabel(second!.decision, config)}`);
    expect(items[1]!.textContent).toContain(`Revision 2 by ${second!.author.name}`);
  });

  it('flags a broken chain and leaves the stored revision as it is', async () => {
    const row = rows.find((r) => r.rev === 1 && r.id !== rows[0]!.id)!;
    const [rev] = await revisionsOf(row.id);
    await db.revisions.put({ ...rev!, decision: { ...rev!.decision, note: 'Edited afterwards.' } });
    show(row.id);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('History broken at revision 1: content changed after it was saved. Nothing has been repaired; compare with the copy in the CRM.');
    expect((await db.revisions.get([row.id, 1]))!.decision.note).toBe('Edited afterwards.');
  });

  it('shows managers’ reviews in the history, in time order with the revisions', async () => {
    const row = rows.find((r) => r.outcome === 'reject' && r.rev === 1 && r.id !== rows[0]!.id && r.id !== rows[1]!.id)!;
    await db.reviews.put({ id: 'r1', dispositionId: row.id, reviewerId: 'email:morgan@acme.example', reviewerName: MANAGER.name, verdict: 'disagree', comment: 'Budget was confirmed in the note.', at: '2026-11-20T11:00:00.000Z' });
    show(row.id);
    const history = await screen.findByRole('region', { name: 'History' });
    const items = within(history).getAllByRole('listitem');
    expect(items.at(-1)!.textContent).toBe('Disagrees with the decision — review by \u2068Morgan Lee\u2069, 20 Nov 11:00Budget was confirmed in the note.');
  });

  it('shows what the engine recommended against what was decided, and the config version, in the header', async () => {
    const overridden = rows.find((r) => r.override && r.outcome === 'reject' && r.recommended === 'sql') ?? rows.find((r) => r.override)!;
    await db.dispositions.put({ ...overridden, configVersion: 4 });
    show(overridden.id);
    const decision = await screen.findByRole('region', { name: 'Decision' });
    const recommended = { sql: 'SQL', nurture: 'Nurture', disqualify: 'Disqualify' }[overridden.recommended as 'sql'];
    const decided = { accept: 'Accept as SQL', reject: 'Reject', recycle: 'Recycle' }[overridden.outcome];
    expect(within(decision).getByText(`Override: recommended ${recommended}, decided ${decided}.`)).toBeTruthy();
    expect(within(decision).getByText(/Made under team config version 4\./)).toBeTruthy();
    // Made on this device: nothing says "from the CRM".
    await screen.findByRole('region', { name: 'History' });
    expect(screen.queryByText('From the CRM')).toBeNull();
    cleanup();

    // An older row: no recommendation recorded on it, no version on it or its snapshot.
    const old = rows.find((r) => !r.override && r.id !== overridden.id)!;
    const { recommended: _r, override: _o, configVersion: _v, ...without } = old;
    await db.dispositions.put(without);
    show(old.id);
    const oldDecision = await screen.findByRole('region', { name: 'Decision' });
    expect(within(oldDecision).getByText('Made before config versions were recorded.')).toBeTruthy();
    expect(within(oldDecision).queryByText(/Override/)).toBeNull();
  });

  it('says which revisions and reviews came from the CRM and, unless verified, how far to trust them (as untrusted text)', async () => {
    const row = rows.find((r) => r.rev === 2 && r.id !== rows[0]!.id)!;
    await db.dispositions.put({
      ...row,
      trust: 'unconfirmed',
      team: {
        crm: 'hubspot',
        revs: {
          1: { noteId: 'n-1', trust: { state: 'verified', notes: [] } },
          2: { noteId: 'n-2', trust: { state: 'unconfirmed', notes: ['the CRM does not say who created the note', 'author typed \u202Ereviled'] } },
        },
      },
    });
    await db.reviews.bulkPut([
      { id: 'crm-review-1', dispositionId: row.id, reviewerId: 'hubspot:u9', reviewerName: 'Pat Kim', verdict: 'agree', comment: '', at: '2026-11-20T10:00:00.000Z', team: { crm: 'hubspot', noteId: 'n-3', trust: { state: 'flagged', notes: ['another author edited the note'] } } },
      { id: 'crm-review-2', dispositionId: row.id, reviewerId: 'hubspot:u8', reviewerName: 'Lee Wu', verdict: 'agree', comment: '', at: '2026-11-20T10:30:00.000Z', team: { crm: 'hubspot', noteId: 'n-4', trust: { state: 'verified', notes: [] } } },
    ]);
    const { container } = show(row.id);
    const history = await screen.findByRole('region', { name: 'History' });
    const revs = within(history).getAllByRole('listitem').filter((li) => li.hasAttribute('data-rev'));
    expect(revs[0]!.textContent).toContain('From the CRM');
    expect(revs[0]!.textContent).not.toMatch(/Not confirmed|Flagged/);
    expect(revs[1]!.textContent).toContain('From the CRM · Not confirmed: the CRM does not say who created the note; author typed [U+202E]reviled');
    // The CRM's words are isolated and their direction controls shown, never interpreted.
    const notes = within(revs[1]!).getByText(/the CRM does not say/);
    expect(notes.tagName).toBe('BDI');
    expect(notes.textContent).not.toContain('\u202E');
    const reviews = within(history).getAllByRole('listitem').filter((li) => li.className.includes('lqd-timeline__review'));
    expect(reviews.at(-2)!.textContent).toContain('From the CRM · Flagged: another author edited the note');
    expect(reviews.at(-1)!.textContent).toContain('From the CRM');
    expect(reviews.at(-1)!.textContent).not.toContain('Flagged');
    // One line per revision and review read from the CRM.
    expect(screen.getAllByText('From the CRM')).toHaveLength(4);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('says so when the decision is gone', async () => {
    show('no-such-id');
    expect(await screen.findByRole('heading', { level: 2, name: 'This decision is no longer stored on this device.' })).toBeTruthy();
  });

  it('has no axe violations', async () => {
    const row = rows.find((r) => r.rev === 2)!;
    const { container } = show(row.id);
    await screen.findByRole('region', { name: 'History' });
    expect(await axeViolations(container)).toEqual([]);
  });
});
