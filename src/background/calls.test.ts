import { describe, expect, it } from 'vitest';
import { leadKey } from '../crm';
import { defaultConfig } from '../domain/defaults';
import { callKey } from '../domain/calls';
import type { Author } from '../domain/dispositions';
import { createClient } from '../messaging/client';
import { ProtocolError } from '../messaging/envelope';
import { createRouter } from '../messaging/router';
import type { Caller } from '../messaging/sender';
import { closeStore, createStore, tablesOf, type Store } from '../store/store';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { backgroundProtocol } from './protocol';
import { createLeadSessions, memoryTabStore, type TabStore } from './sessions';
import { freshDb } from '../../test/support/db';

const T0 = Date.parse('2026-11-20T12:00:00Z');
const refA = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };
/** The lead key each panel request names (the lead the panel shows). */
const A = leadKey(refA);
const sam: Author = { id: '005xx000001Sam', name: 'Sam Rep', crm: 'salesforce' };

function setup(opts: { db?: Store; tabs?: TabStore; author?: () => Promise<Author | undefined> } = {}) {
  let ids = 0;
  const clock = { now: T0 };
  const db: Store = opts.db ?? freshDb();
  const bg = createLeadSessions({ db, tabs: opts.tabs ?? memoryTabStore(), now: () => clock.now, config: async () => defaultConfig(), author: opts.author ?? (async () => sam), newId: () => `id${++ids}` });
  const route = createRouter(backgroundProtocol, bg.handlers);
  const as = (caller: Caller) => createClient(backgroundProtocol, (m) => route(m, caller));
  return { db, clock, content: (tabId: number) => as({ role: 'content', tabId }), panel: (tabId: number) => as({ role: 'panel', tabId }) };
}

async function onLead(s: ReturnType<typeof setup>, tabId = 1) {
  await s.content(tabId)('page.leadShown', { ref: refA, dom: { name: 'Ada Park' } });
  return s.panel(tabId);
}

describe('call mode', () => {
  it('starts a call on the tab’s lead, and a second start returns the same call', async () => {
    const s = setup();
    const panel = await onLead(s);
    expect((await panel('panel.getState', {})).call).toEqual({ draft: null, logged: [], attempts: 0 });
    const { draft } = await panel('panel.startCall', { leadKey: A });
    expect(draft).toEqual({ callId: 'id1', startedAt: '2026-11-20T12:00:00.000Z', lines: [], pending: '' });
    s.clock.now += 30_000;
    expect((await panel('panel.startCall', { leadKey: A })).draft).toEqual(draft);
    expect((await panel('panel.getState', {})).call.draft).toEqual(draft);
  });

  it('ties a #tag line to its criterion and appends it to the evidence, keeping the state', async () => {
    const s = setup();
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    const { line } = await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: '#budget 40k set aside for Q2' });
    expect(line).toMatchObject({ text: '40k set aside for Q2', criterionId: 'budget', criterionLabel: 'Budget' });
    let state = await panel('panel.getState', {});
    // Still unknown: the rep sets the state; the note only adds the prospect's words.
    expect(state.checklist.answers.budget).toEqual({ state: 'unknown', evidence: '40k set aside for Q2', by: 'Sam Rep', at: '2026-11-20T12:00:00.000Z' });
    await panel('panel.setAnswer', { leadKey: A, criterionId: 'budget', state: 'partly', evidence: state.checklist.answers.budget!.evidence });
    await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: '#Budget approved by the CFO' });
    state = await panel('panel.getState', {});
    expect(state.checklist.answers.budget).toMatchObject({ state: 'partly', evidence: '40k set aside for Q2\napproved by the CFO' });
    expect(state.call.draft?.lines.map((l) => [l.text, l.criterionId])).toEqual([
      ['40k set aside for Q2', 'budget'],
      ['approved by the CFO', 'budget'],
    ]);
  });

  it('lets a shortcut’s criterion win over a tag, keeps unknown tags whole, and refuses unknown criteria', async () => {
    const s = setup();
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    expect((await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: '#budget go-live in March', criterionId: 'timeline' })).line).toMatchObject({ text: 'go-live in March', criterionId: 'timeline' });
    expect((await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: '#pricing asked about seats' })).line).toEqual({ id: expect.any(String), at: expect.any(String), text: '#pricing asked about seats', unknownTag: 'pricing' });
    expect((await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: 'Dana decides', criterionId: 'authority' })).line).toMatchObject({ criterionId: 'authority' });
    await expect(panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: 'x', criterionId: 'champion' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: '#budget ' })).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining('Budget') });
    const state = await panel('panel.getState', {});
    expect(state.checklist.answers.timeline?.evidence).toBe('go-live in March');
    expect(state.checklist.answers.budget).toBeUndefined();
    expect(state.checklist.answers.authority?.evidence).toBe('Dana decides');
  });

  it('keeps pending text and lines across a new background (a stopped worker), and removes a line without undoing its evidence', async () => {
    const db = freshDb();
    const tabs = memoryTabStore();
    const first = setup({ db, tabs });
    const panel = await onLead(first);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    const { line } = await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: '#need spreadsheets break weekly' });
    await panel('panel.setCallPending', { leadKey: A, callId: draft.callId, text: 'half a thou' });

    const again = setup({ db, tabs }).panel(1);
    expect((await again('panel.getState', {})).call.draft).toMatchObject({ callId: draft.callId, pending: 'half a thou', lines: [{ id: line.id }] });
    expect(await again('panel.removeCallLine', { leadKey: A, callId: draft.callId, lineId: line.id })).toBeNull();
    const state = await again('panel.getState', {});
    expect(state.call.draft?.lines).toEqual([]);
    expect(state.checklist.answers.need?.evidence).toBe('spreadsheets break weekly');
  });

  it('logs the call with the background’s duration, queues it once and counts the attempt and first contact', async () => {
    const s = setup();
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    await panel('panel.addCallLine', { leadKey: A, callId: draft.callId, text: 'hello' });
    s.clock.now += 7 * 60_000 + 5_000;
    const { logged } = await panel('panel.endCall', { leadKey: A, callId: draft.callId, outcome: 'connected', note: ' Demo booked. ' });
    expect(logged).toEqual({ callId: draft.callId, outcome: 'connected', startedAt: '2026-11-20T12:00:00.000Z', endedAt: '2026-11-20T12:07:05.000Z', durationSec: 425, lineCount: 1, by: 'Sam Rep', sync: 'queued' });
    expect(await tablesOf(s.db).outbox.toArray()).toMatchObject([{ key: callKey(draft.callId), callId: draft.callId, dispositionId: `call:${draft.callId}`, crm: 'salesforce', state: 'pending' }]);
    expect(await tablesOf(s.db).calls.get(draft.callId)).toMatchObject({ note: 'Demo booked.', lines: [{ text: 'hello' }] });
    // Ending it again is refused: it is no longer in progress, and nothing is queued twice.
    await expect(panel('panel.endCall', { leadKey: A, callId: draft.callId, outcome: 'connected' })).rejects.toMatchObject({ code: 'failed' });
    expect(await tablesOf(s.db).outbox.count()).toBe(1);

    s.clock.now += 60 * 60_000;
    const second = (await panel('panel.startCall', { leadKey: A })).draft;
    expect(second.callId).not.toBe(draft.callId);
    await panel('panel.endCall', { leadKey: A, callId: second.callId, outcome: 'no_answer' });
    const state = await panel('panel.getState', {});
    expect(state.call).toMatchObject({ draft: null, attempts: 2, firstContactAt: '2026-11-20T12:00:00.000Z' });
    expect(state.call.logged.map((c) => c.outcome)).toEqual(['no_answer', 'connected']);
  });

  it('uses the first logged call as first contact when the decision is saved', async () => {
    const s = setup();
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    await panel('panel.endCall', { leadKey: A, callId: draft.callId, outcome: 'voicemail' });
    await panel('panel.saveDisposition', { leadKey: A, decision: { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people.' }, today: '2026-11-20' });
    const [revision] = await tablesOf(s.db).revisions.toArray();
    expect(revision!.snapshot.lead.firstContactAt).toBe('2026-11-20T12:00:00.000Z');
  });

  it('does not count a wrong number as contact, but as an attempt', async () => {
    const s = setup();
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    await panel('panel.endCall', { leadKey: A, callId: draft.callId, outcome: 'wrong_number' });
    const { call } = await panel('panel.getState', {});
    expect(call.attempts).toBe(1);
    expect(call.firstContactAt).toBeUndefined();
  });

  it('discards a call: nothing logged or queued', async () => {
    const s = setup();
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    expect(await panel('panel.discardCall', { leadKey: A, callId: draft.callId })).toBeNull();
    expect((await panel('panel.getState', {})).call).toEqual({ draft: null, logged: [], attempts: 0 });
    expect(await tablesOf(s.db).outbox.count()).toBe(0);
    await expect(panel('panel.setCallPending', { leadKey: A, callId: draft.callId, text: 'x' })).rejects.toMatchObject({ code: 'failed' });
  });

  it('asks who the rep is before logging when nobody can say, keeping the call', async () => {
    const s = setup({ author: async () => undefined });
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    const error = await panel('panel.endCall', { leadKey: A, callId: draft.callId, outcome: 'connected' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toContain('Who is deciding?');
    expect((await panel('panel.getState', {})).call.draft?.callId).toBe(draft.callId);
  });

  it('refuses call work for a tab without a lead, and from a content script', async () => {
    const s = setup();
    await expect(s.panel(9)('panel.startCall', { leadKey: A })).rejects.toMatchObject({ code: 'failed' });
    await expect(s.content(1)('panel.startCall', { leadKey: A } as never)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(s.panel(1)('panel.addCallLine', { leadKey: A, callId: 'x', text: '' })).rejects.toMatchObject({ code: 'invalid' });
  });

  it('keeps a draft in a database reopened from disk', async () => {
    const indexedDB = new IDBFactory();
    const name = 'calls-reopen';
    const tabs = memoryTabStore();
    const one = createStore(name, { indexedDB, IDBKeyRange });
    const s = setup({ db: one, tabs });
    const panel = await onLead(s);
    const { draft } = await panel('panel.startCall', { leadKey: A });
    await panel('panel.setCallPending', { leadKey: A, callId: draft.callId, text: 'typing…' });
    closeStore(one);
    const two = createStore(name, { indexedDB, IDBKeyRange });
    expect((await setup({ db: two, tabs }).panel(1)('panel.getState', {})).call.draft).toMatchObject({ callId: draft.callId, pending: 'typing…' });
    closeStore(two);
  });
});
