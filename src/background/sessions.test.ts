import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { verifyChain, type Author, type Revision } from '../domain/dispositions';
import { UNIDENTIFIED_REP } from '../domain/identity';
import { formatDispositionNote } from '../domain/note-format';
import { readTeamRecord } from '../domain/team-record';
import { leadKey } from '../crm';
import { recordLeadTeam } from '../store/team';
import { createClient } from '../messaging/client';
import { ProtocolError } from '../messaging/envelope';
import { createRouter } from '../messaging/router';
import type { Caller } from '../messaging/sender';
import { backgroundProtocol } from './protocol';
import { createLeadSessions, memoryTabStore, NEW_LEADS_PER_TAB_PER_MINUTE } from './sessions';
import { freshDb } from '../../test/support/db';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const refA = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };
const refB = { ...refA, recordId: '00Q5e00000ZzYyXEAV', url: refA.url.replace('AbCdEEAV', 'ZzYyXEAV') };
/** The lead key each panel request names (the lead the panel shows). */
const A = leadKey(refA);

function setup(author: () => Promise<Author | undefined> = async () => ({ id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' })) {
  let ids = 0;
  const db = freshDb();
  const bg = createLeadSessions({ db, tabs: memoryTabStore(), now: () => NOW, config: async () => defaultConfig(), author, newId: () => `d${++ids}` });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const as = (caller: Caller) => createClient(backgroundProtocol, (m) => route(m, caller));
  return { bg, db, content: (tabId: number) => as({ role: 'content', tabId }), panel: (tabId: number) => as({ role: 'panel', tabId }) };
}

describe('background lead sessions', () => {
  it('gives a panel the lead its own tab shows, and nothing before the page reported it', async () => {
    const { content, panel } = setup();
    expect(await panel(1)('panel.getState', {})).toMatchObject({ ref: null, lead: null, saved: null });
    await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park', title: 'Director of IT', company: 'Northwind' } });
    await content(2)('page.leadShown', { ref: refB, dom: { name: 'Bo Okafor' } });
    expect((await panel(1)('panel.getState', {})).lead).toMatchObject({ name: 'Ada Park', title: 'Director of IT', crm: 'salesforce' });
    expect((await panel(2)('panel.getState', {})).lead?.name).toBe('Bo Okafor');
  });

  it('records answers with who and when, per lead, and keeps them when the tab comes back', async () => {
    const { content, panel } = setup();
    await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
    const s = await panel(1)('panel.setAnswer', { leadKey: A, criterionId: 'budget', state: 'confirmed', evidence: 'We have 40k set aside.' });
    expect(s.checklist.answers.budget).toEqual({ state: 'confirmed', evidence: 'We have 40k set aside.', by: 'Sam Rep', at: '2026-11-20T12:00:00.000Z' });
    await content(1)('page.leadLeft', {});
    expect((await panel(1)('panel.getState', {})).lead).toBeNull();
    await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
    expect((await panel(1)('panel.getState', {})).checklist.answers.budget?.state).toBe('confirmed');
  });

  it('rejects a decision with field errors, then saves a valid one as revision 1 with a frozen snapshot', async () => {
    const { db, content, panel } = setup();
    await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park', title: 'Director' } });
    await panel(1)('panel.saveDraft', { leadKey: A, draft: { outcome: 'reject', note: 'half-typed' } });
    expect((await panel(1)('panel.getState', {})).draft).toEqual({ outcome: 'reject', note: 'half-typed' });

    const error = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject' }, today: '2026-11-20' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).issues.map((i) => i.path)).toEqual(['reasonCode', 'note']);
    expect((await panel(1)('panel.getState', {})).saved).toBeNull();

    const saved = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, today: '2026-11-20' });
    expect(saved.saved).toMatchObject({ dispositionId: 'd1', rev: 1, decision: { outcome: 'reject', reasonCode: 'not_icp' }, syncState: 'saved_locally', by: 'Sam Rep' });
    expect(saved.draft).toBeNull();
    const revisions = await db.revisions.toArray();
    expect(await db.outbox.toArray()).toMatchObject([{ dispositionId: 'd1', rev: 1, state: 'pending', unsure: false, key: `lq${revisions[0]!.hash.slice(0, 32)}` }]);
    expect(await db.dispositions.get('d1')).toMatchObject({ outcome: 'reject', reasonCode: 'not_icp', repName: 'Sam Rep', leadName: 'Ada Park', sync: 'saved_locally' });
    expect(revisions[0]!.snapshot.lead.name).toBe('Ada Park');
    expect(revisions[0]!.snapshot.score.lines.map((l) => l.ruleId)).toEqual(['title_director']);
  });

  it('chains a changed decision onto the first as revision 2', async () => {
    const { db, content, panel } = setup();
    await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
    await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'bad_timing', note: 'Q2.' }, today: '2026-11-20' });
    const s = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'recycle', recheckOn: '2027-02-01' }, today: '2026-11-20' });
    expect(s.saved).toMatchObject({ dispositionId: 'd1', rev: 2, decision: { outcome: 'recycle' } });
    expect(verifyChain(await db.revisions.orderBy('[dispositionId+rev]').toArray())).toEqual({ ok: true });
    expect(await db.outbox.count()).toBe(2);
    expect(await db.dispositions.get('d1')).toMatchObject({ rev: 2, outcome: 'recycle', previousOutcomes: ['reject'] });
  });

  it('refuses panel work for a tab that shows no lead, and unknown frameworks', async () => {
    const { content, panel } = setup();
    await expect(panel(5)('panel.setAnswer', { leadKey: A, criterionId: 'need', state: 'partly', evidence: '' })).rejects.toMatchObject({ code: 'failed' });
    await content(1)('page.leadShown', { ref: refA, dom: {} });
    await expect(panel(1)('panel.setFramework', { leadKey: A, frameworkId: 'spin' })).rejects.toMatchObject({ code: 'invalid' });
    expect((await panel(1)('panel.setFramework', { leadKey: A, frameworkId: 'meddic' })).checklist.frameworkId).toBe('meddic');
  });

  it('bounds evidence by the team’s limit with a clear message, storing nothing', async () => {
    const { content, panel } = setup();
    await content(1)('page.leadShown', { ref: refA, dom: {} });
    await expect(panel(1)('panel.setAnswer', { leadKey: A, criterionId: 'need', state: 'partly', evidence: 'x'.repeat(2001) })).rejects.toMatchObject({
      code: 'invalid',
      message: 'Evidence is limited to 2000 characters.',
    });
    expect((await panel(1)('panel.getState', {})).checklist.answers).toEqual({});
  });

  it('does not let a content script speak for the panel, or a panel for the page', async () => {
    const { content, panel } = setup();
    await expect(content(1)('panel.getState', {} as never)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(panel(1)('page.leadShown', { ref: refA, dom: {} })).rejects.toMatchObject({ code: 'forbidden' });
  });

  describe('a request for a lead the tab no longer shows (ADR 0015, issue 18 finding 1 follow-up)', () => {
    const B = leadKey(refB);
    /** The panel showed A; the page pushStated to B (its content script reported it) before the rep's action arrived. */
    async function switchedToB() {
      const s = setup();
      await s.content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      await s.content(1)('page.leadShown', { ref: refB, dom: { name: 'Bo Okafor' } });
      return s;
    }
    const isSwitch = (e: unknown) => e instanceof ProtocolError && e.code === 'failed' && e.issues.some((i) => i.path === 'leadKey');

    it('refuses a save naming lead A while the tab shows B: nothing stored, nothing enqueued, on either lead', async () => {
      const { db, panel } = await switchedToB();
      const error = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'recycle', recheckOn: '2027-02-01' }, today: '2026-11-20' }).catch((e: unknown) => e);
      expect(isSwitch(error)).toBe(true);
      expect((error as Error).message).toBe('The page switched to another lead before this was saved: nothing was saved. Check the lead and save again.');
      expect(await db.revisions.count()).toBe(0);
      expect(await db.dispositions.count()).toBe(0);
      expect(await db.outbox.count()).toBe(0);
      // The same request naming the lead the tab shows is saved, on that lead.
      const saved = await panel(1)('panel.saveDisposition', { leadKey: B, decision: { outcome: 'recycle', recheckOn: '2027-02-01' }, today: '2026-11-20' });
      expect(saved.ref?.recordId).toBe(refB.recordId);
      expect((await db.revisions.toArray()).map((r) => r.snapshot.lead.recordId)).toEqual([refB.recordId]);
    });

    it('refuses every other change naming another lead, changing nothing', async () => {
      const { db, panel } = await switchedToB();
      const attempts = [
        () => panel(1)('panel.setAnswer', { leadKey: A, criterionId: 'need', state: 'confirmed', evidence: 'Spreadsheets.' }),
        () => panel(1)('panel.markAsked', { leadKey: A, questionId: 'q1' }),
        () => panel(1)('panel.setFramework', { leadKey: A, frameworkId: 'meddic' }),
        () => panel(1)('panel.retrySync', { leadKey: A }),
        () => panel(1)('panel.startCall', { leadKey: A }),
      ];
      for (const attempt of attempts) expect(isSwitch(await attempt().catch((e: unknown) => e))).toBe(true);
      expect(await db.drafts.count()).toBe(0);
      expect(await db.callDrafts.count()).toBe(0);
      const state = await panel(1)('panel.getState', {});
      expect(state.checklist.answers).toEqual({});
      expect(state.askedQuestions).toEqual([]);
    });

    it('a call of lead A cannot be logged, changed or discarded once the tab shows B', async () => {
      const s = setup();
      await s.content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      const { draft } = await s.panel(1)('panel.startCall', { leadKey: A });
      await s.content(1)('page.leadShown', { ref: refB, dom: { name: 'Bo Okafor' } });
      const attempts = [
        () => s.panel(1)('panel.endCall', { leadKey: A, callId: draft.callId, outcome: 'connected' }),
        () => s.panel(1)('panel.addCallLine', { leadKey: A, callId: draft.callId, text: 'hello' }),
        () => s.panel(1)('panel.setCallPending', { leadKey: A, callId: draft.callId, text: 'hel' }),
        () => s.panel(1)('panel.discardCall', { leadKey: A, callId: draft.callId }),
      ];
      for (const attempt of attempts) expect(isSwitch(await attempt().catch((e: unknown) => e))).toBe(true);
      // Naming B (the tab's lead) with A's call: B has no such call.
      await expect(s.panel(1)('panel.endCall', { leadKey: B, callId: draft.callId, outcome: 'connected' })).rejects.toMatchObject({ code: 'failed' });
      expect(await s.db.calls.count()).toBe(0);
      expect(await s.db.outbox.count()).toBe(0);
      expect((await s.db.callDrafts.toArray()).map((d) => [d.leadKey, d.callId, d.lines.length])).toEqual([[A, draft.callId, 0]]);
    });

    it('a draft goes to the lead it names, also after the tab moved on, never to the tab’s new lead; back on A, A shows it', async () => {
      const { content, panel } = await switchedToB();
      await panel(1)('panel.saveDraft', { leadKey: A, draft: { outcome: 'reject', note: 'typed on A' } });
      expect((await panel(1)('panel.getState', {})).draft).toBeNull(); // B's: untouched
      // A lead this device never saw has no draft to keep.
      await expect(panel(1)('panel.saveDraft', { leadKey: leadKey({ ...refA, recordId: '00Q5e00000NeVeREAV' }), draft: { outcome: 'reject' } })).rejects.toMatchObject({ code: 'failed' });
      await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      expect((await panel(1)('panel.getState', {})).draft).toEqual({ outcome: 'reject', note: 'typed on A' });
    });
  });

  it('holds a tab to a number of leads never seen here per minute; known leads always pass (finding 9)', async () => {
    const { db, content, panel } = setup();
    const ref = (i: number) => ({ ...refA, recordId: `00Q5e0000${String(i).padStart(6, '0')}EAV`, url: refA.url.replace('AbCdEEAV', String(i)) });
    for (let i = 0; i < NEW_LEADS_PER_TAB_PER_MINUTE; i++) await content(1)('page.leadShown', { ref: ref(i), dom: {} });
    await expect(content(1)('page.leadShown', { ref: ref(100_000), dom: {} })).rejects.toMatchObject({ code: 'failed' });
    expect(await db.leads.get(leadKey(ref(100_000)))).toBeUndefined();
    expect((await panel(1)('panel.getState', {})).ref).toBeNull(); // paired with nothing, not the last lead
    await content(1)('page.leadShown', { ref: ref(3), dom: {} }); // seen before: fine
    expect((await panel(1)('panel.getState', {})).ref?.recordId).toBe(ref(3).recordId);
    await content(2)('page.leadShown', { ref: ref(100_000), dom: {} }); // another tab has its own count
  });

  describe('the team record', () => {
    const ana: Author = { id: '005xx000001Ana', name: 'Ana Souza', crm: 'salesforce' };
    /** Ana's browser decided on refA; her note is what the CRM holds. */
    async function anaDecided(): Promise<Revision> {
      const other = setup(async () => ana);
      await other.content(7)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      await other.panel(7)('panel.setAnswer', { leadKey: A, criterionId: 'budget', state: 'disconfirmed', evidence: 'No budget until June.' });
      await other.panel(7)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'no_budget', note: 'Frozen until June.' }, today: '2026-11-20' });
      return (await other.db.revisions.toArray())[0]!;
    }
    const notesOf = (r: Revision, by: Author) => [{ noteId: '00T1', recordId: refA.recordId, body: formatDispositionNote(r, defaultConfig(), 32_000).body, at: r.at, createdBy: { id: by.id, name: by.name } }];

    it('shows another rep’s decision before any form, and changing it adds revision 2 to their chain', async () => {
      const theirs = await anaDecided();
      const { db, content, panel } = setup();
      await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      const team = readTeamRecord(notesOf(theirs, ana), 'salesforce');
      await recordLeadTeam(db, leadKey(refA), { decisions: team.decisions, reviews: team.reviews, status: 'Unqualified', readAt: '2026-11-20T11:59:00.000Z' });

      const s = await panel(1)('panel.getState', {});
      expect(s.saved).toMatchObject({ dispositionId: theirs.dispositionId, rev: 1, by: 'Ana Souza', source: 'team', decision: { outcome: 'reject', reasonCode: 'no_budget', note: 'Frozen until June.' } });
      expect(s.team).toMatchObject({ status: 'Unqualified', entries: [{ kind: 'decision', by: 'Ana Souza', label: expect.stringContaining('Rejected'), note: 'Frozen until June.', trust: { state: 'verified' } }] });

      const changed = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-11-25' }, today: '2026-11-20' });
      expect(changed.saved).toMatchObject({ dispositionId: theirs.dispositionId, rev: 2, by: 'Sam Rep', source: 'mine', syncState: 'saved_locally' });
      const revisions = await db.revisions.orderBy('[dispositionId+rev]').toArray();
      expect(revisions.map((r) => [r.rev, r.author.name])).toEqual([[1, 'Ana Souza'], [2, 'Sam Rep']]);
      expect(revisions[0]).toEqual(theirs);
      expect(verifyChain(revisions)).toEqual({ ok: true });
      // Only the new revision goes to the CRM: Ana's is there already.
      expect(await db.outbox.toArray()).toMatchObject([{ dispositionId: theirs.dispositionId, rev: 2 }]);
      expect(await db.dispositions.get(theirs.dispositionId)).toMatchObject({ rev: 2, repName: 'Sam Rep', previousOutcomes: ['reject'], team: { revs: { 1: { noteId: '00T1' } } }, trust: 'verified' });
    });

    it('does not build on a flagged decision: the form starts a decision of its own', async () => {
      const theirs = await anaDecided();
      const { db, content, panel } = setup();
      await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      const forged = readTeamRecord(notesOf(theirs, { id: '005xx000001Eve', name: 'Eve', crm: 'salesforce' }), 'salesforce');
      await recordLeadTeam(db, leadKey(refA), { decisions: forged.decisions, reviews: [], readAt: '2026-11-20T11:59:00.000Z' });
      const s = await panel(1)('panel.getState', {});
      expect(s.saved).toBeNull();
      expect(s.team?.entries[0]).toMatchObject({ trust: { state: 'flagged', notes: [expect.stringContaining('but salesforce says Eve')] } });
      const saved = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, today: '2026-11-20' });
      expect(saved.saved).toMatchObject({ dispositionId: 'd1', rev: 1 });
    });

    it('asks who the rep is before saving when nobody can say, and keeps everything entered', async () => {
      const { db, content, panel } = setup(async () => undefined);
      await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      const s = await panel(1)('panel.setAnswer', { leadKey: A, criterionId: 'need', state: 'confirmed', evidence: 'Spreadsheets break weekly.' });
      expect(s.author).toBeNull();
      expect(s.checklist.answers.need?.by).toBe(UNIDENTIFIED_REP);
      await panel(1)('panel.saveDraft', { leadKey: A, draft: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people.' } });
      const error = await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, today: '2026-11-20' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'failed', message: expect.stringContaining('Who is deciding?') });
      expect(await db.revisions.count()).toBe(0);
      expect((await panel(1)('panel.getState', {})).draft).toMatchObject({ note: 'Ten people.' });
    });

    it('signs answers given before the rep was known with their name when they save', async () => {
      const known: { who?: Author } = {};
      const { db, content, panel } = setup(async () => known.who);
      await content(1)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
      await panel(1)('panel.setAnswer', { leadKey: A, criterionId: 'need', state: 'confirmed', evidence: 'Spreadsheets break weekly.' });
      const who = (known.who = { id: 'email:sam@acme.example', name: 'Sam Rep', email: 'sam@acme.example' });
      await panel(1)('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, today: '2026-11-20' });
      const [r] = await db.revisions.toArray();
      expect(r!.snapshot.checklist.answers.need?.by).toBe('Sam Rep');
      expect(r!.author).toEqual(who);
      expect(JSON.stringify(r)).not.toContain('"You"');
    });
  });
});
