/**
 * Call mode's storage (src/store/calls.ts): a call in progress survives a reopened database; logging it
 * stores the call, queues it for the CRM and drops the draft in one transaction; a failed enqueue loses
 * nothing.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { callKey } from '../../src/domain/calls';
import type { LeadRef } from '../../src/domain/lead-ref';
import { addCallLine, CallGoneError, callDraftOf, changeCallDraft, logCall, loggedCallsOf, startCallDraft } from '../../src/store/calls';
import { LeadQualifierDb } from '../../src/store/db';
import { callEntriesOf, newEntry, onEnqueued, queueOverview } from '../../src/store/outbox';
import { freshDb } from '../support/db';

const REF: LeadRef = { crm: 'demo', recordId: 'L-1', objectType: 'lead', url: 'http://127.0.0.1:5180/leads/L-1', host: '127.0.0.1:5180' };
const KEY = 'demo:127.0.0.1:5180:L-1';
const AT = '2026-11-20T12:00:00.000Z';
const LATER = '2026-11-20T12:03:20.000Z';
const fresh = (callId = 'c1') => () => ({ callId, startedAt: AT, lines: [], pending: '' });
const line = (id: string, text: string) => ({ id, at: AT, text });

let off: (() => void) | undefined;
afterEach(() => off?.());

describe('call drafts', () => {
  it('survive a reopened database, lines and pending text included', async () => {
    const indexedDB = new IDBFactory();
    const one = new LeadQualifierDb('calls', { indexedDB, IDBKeyRange });
    await startCallDraft(one, KEY, REF, fresh(), AT);
    await addCallLine(one, KEY, 'c1', line('l1', 'first'), AT);
    await changeCallDraft(one, KEY, 'c1', (d) => void (d.pending = 'half-typed'), AT);
    one.close();
    const two = new LeadQualifierDb('calls', { indexedDB, IDBKeyRange });
    expect(await callDraftOf(two, KEY)).toMatchObject({ callId: 'c1', startedAt: AT, lines: [{ id: 'l1', text: 'first' }], pending: 'half-typed', ref: REF });
    two.close();
  });

  it('keep the first call when started twice, and refuse changes to another call', async () => {
    const db = freshDb();
    await startCallDraft(db, KEY, REF, fresh('c1'), AT);
    expect((await startCallDraft(db, KEY, REF, fresh('c2'), LATER)).callId).toBe('c1');
    await expect(changeCallDraft(db, KEY, 'c2', () => undefined, AT)).rejects.toBeInstanceOf(CallGoneError);
  });

  it('store a tagged line and its evidence together, or neither', async () => {
    const db = freshDb();
    await startCallDraft(db, KEY, REF, fresh(), AT);
    const draft = () => ({ key: KEY, checklist: { frameworkId: 'bant', answers: {} }, askedQuestions: [], form: null, updatedAt: AT });
    await expect(
      addCallLine(db, KEY, 'c1', line('l1', 'too long'), AT, {
        fresh: draft,
        change: () => {
          throw new Error('evidence full');
        },
      }),
    ).rejects.toThrow('evidence full');
    expect((await callDraftOf(db, KEY))?.lines).toEqual([]);
    await addCallLine(db, KEY, 'c1', line('l2', '40k'), AT, { fresh: draft, change: (d) => void (d.checklist.answers.budget = { state: 'unknown', evidence: '40k', by: 'Sam', at: AT }) });
    expect((await callDraftOf(db, KEY))?.lines.map((l) => l.id)).toEqual(['l2']);
    expect((await db.drafts.get(KEY))?.checklist.answers.budget?.evidence).toBe('40k');
  });
});

describe('logging a call', () => {
  it('stores the call, queues it under its key and drops the draft, in one transaction that wakes the loop', async () => {
    const db = freshDb();
    let wakes = 0;
    off = onEnqueued(() => void wakes++);
    await startCallDraft(db, KEY, REF, fresh(), AT);
    await addCallLine(db, KEY, 'c1', line('l1', 'hello'), AT);
    const logged = await logCall(db, { leadKey: KEY, callId: 'c1', outcome: 'voicemail', note: '', endedAt: LATER, by: 'Sam', byId: 'u1' });
    expect(logged).toMatchObject({ callId: 'c1', durationSec: 200, lines: [{ text: 'hello' }], ref: REF });
    expect(await callDraftOf(db, KEY)).toBeUndefined();
    expect(await loggedCallsOf(db, KEY)).toHaveLength(1);
    expect(await db.outbox.toArray()).toEqual([
      expect.objectContaining({ key: callKey('c1'), callId: 'c1', dispositionId: 'call:c1', rev: 1, crm: 'demo', ref: REF, state: 'pending', unsure: false, attempts: 0 }),
    ]);
    expect((await callEntriesOf(db, ['c1'])).get('c1')?.key).toBe(callKey('c1'));
    expect(wakes).toBe(1);
    // Logging it again finds no call in progress: nothing more is stored or queued.
    await expect(logCall(db, { leadKey: KEY, callId: 'c1', outcome: 'voicemail', note: '', endedAt: LATER, by: 'Sam', byId: 'u1' })).rejects.toBeInstanceOf(CallGoneError);
    expect(await db.outbox.count()).toBe(1);
  });

  it('loses nothing when the enqueue fails: no call row, no entry, the draft as it was', async () => {
    const db = freshDb();
    await startCallDraft(db, KEY, REF, fresh(), AT);
    await addCallLine(db, KEY, 'c1', line('l1', 'keep me'), AT);
    // An entry already holds the call's key: the outbox refuses the second one (ConstraintError).
    await db.outbox.add(newEntry({ key: callKey('c1'), dispositionId: 'd-other', rev: 1, crm: 'demo', ref: REF }, AT));
    let wakes = 0;
    off = onEnqueued(() => void wakes++);
    await expect(logCall(db, { leadKey: KEY, callId: 'c1', outcome: 'connected', note: 'x', endedAt: LATER, by: 'Sam', byId: 'u1' })).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.calls.count()).toBe(0);
    expect(await db.outbox.count()).toBe(1);
    expect(await callDraftOf(db, KEY)).toMatchObject({ callId: 'c1', lines: [{ text: 'keep me' }] });
    expect(wakes).toBe(0);
  });

  it('names the lead of a queued call in the options page’s queue', async () => {
    const db = freshDb();
    await db.leads.put({ key: KEY, ref: REF, profile: { crm: 'demo', recordId: 'L-1', name: 'Ada Park', activities: [] }, updatedAt: AT });
    await startCallDraft(db, KEY, REF, fresh(), AT);
    await logCall(db, { leadKey: KEY, callId: 'c1', outcome: 'connected', note: '', endedAt: LATER, by: 'Sam', byId: 'u1' });
    expect((await queueOverview(db, 10)).items).toMatchObject([{ callId: 'c1', leadName: 'Ada Park' }]);
  });
});
