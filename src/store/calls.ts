import { CALL_LINES_MAX, type CallDraft, type CallLine, type CallOutcome, callKey, durationSec } from '../domain/calls';
import type { LeadRef } from '../domain/lead-ref';
import { backgroundStrings as t } from '../i18n/background';
import { enqueue, newCallEntry } from './outbox';
import type { CallDraftRecord, CallRecord, DraftRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * Call mode's storage (ADR 19). A lead's call in progress (`callDrafts`, one per lead) is written on
 * every change, so a reload or a stopped worker loses nothing, as with the rep's other drafts. Logging a
 * call stores it (`calls`), queues its write-back to the CRM (the outbox, `newCallEntry`) and removes the
 * draft in ONE transaction: the call is logged and queued, or nothing changed.
 */

export class CallGoneError extends Error {
  constructor(readonly callId: string) {
    super(t.calls.gone);
    this.name = 'CallGoneError';
  }
}

export class CallFullError extends Error {
  constructor() {
    super(t.calls.tooManyLines(CALL_LINES_MAX));
    this.name = 'CallFullError';
  }
}

/** The lead's call in progress, if any. */
export function callDraftOf(store: Store, leadKey: string): Promise<CallDraftRecord | undefined> {
  return tablesOf(store).callDrafts.get(leadKey);
}

/** The lead's call in progress, or a new one from `fresh` (stored); a second start returns the first. */
export function startCallDraft(store: Store, leadKey: string, ref: LeadRef, fresh: () => CallDraft, at: string): Promise<CallDraftRecord> {
  const db = tablesOf(store);
  return db.transaction('rw', db.callDrafts, async () => {
    const existing = await db.callDrafts.get(leadKey);
    if (existing) return existing;
    const draft: CallDraftRecord = { ...fresh(), leadKey, ref, updatedAt: at };
    await db.callDrafts.add(draft);
    return draft;
  });
}

/** Reads the lead's call `callId`, changes it and writes it, in one transaction; throws `CallGoneError` if it is not in progress. */
export function changeCallDraft(store: Store, leadKey: string, callId: string, change: (draft: CallDraftRecord) => void, at: string): Promise<CallDraftRecord> {
  const db = tablesOf(store);
  return db.transaction('rw', db.callDrafts, async () => {
    const draft = await db.callDrafts.get(leadKey);
    if (!draft || draft.callId !== callId) throw new CallGoneError(callId);
    change(draft);
    draft.updatedAt = at;
    await db.callDrafts.put(draft);
    return draft;
  });
}

/**
 * Adds a line to the call, and (for a line tied to a criterion) changes the lead's checklist draft in the
 * same transaction: the line and its evidence are stored together, or neither. `checklist.fresh` makes the
 * lead's draft when it has none; `checklist.change` applies the evidence (the background's answer rules).
 */
export function addCallLine(
  store: Store,
  leadKey: string,
  callId: string,
  line: CallLine,
  at: string,
  checklist?: { fresh: () => DraftRecord; change: (draft: DraftRecord) => void },
): Promise<CallDraftRecord> {
  const db = tablesOf(store);
  return db.transaction('rw', [db.callDrafts, db.drafts], async () => {
    const draft = await db.callDrafts.get(leadKey);
    if (!draft || draft.callId !== callId) throw new CallGoneError(callId);
    if (draft.lines.length >= CALL_LINES_MAX) throw new CallFullError();
    draft.lines = [...draft.lines, line];
    // The line was entered: what was typed for it is no longer pending.
    draft.pending = '';
    draft.updatedAt = at;
    await db.callDrafts.put(draft);
    if (checklist) {
      const lead = (await db.drafts.get(leadKey)) ?? checklist.fresh();
      checklist.change(lead);
      lead.updatedAt = at;
      await db.drafts.put(lead);
    }
    return draft;
  });
}

/** Drops the lead's call in progress (nothing is logged or sent); throws `CallGoneError` if it is not in progress. */
export function discardCallDraft(store: Store, leadKey: string, callId: string): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', db.callDrafts, async () => {
    const draft = await db.callDrafts.get(leadKey);
    if (!draft || draft.callId !== callId) throw new CallGoneError(callId);
    await db.callDrafts.delete(leadKey);
  });
}

export interface LogCallInput {
  leadKey: string;
  callId: string;
  outcome: CallOutcome;
  note: string;
  /** When it ended: the background's clock (the duration runs from the draft's start to this). */
  endedAt: string;
  by: string;
  byId: string;
}

/**
 * Logs the lead's call in progress: the call row, its outbox entry (key `callKey(callId)`) and the
 * draft's removal in ONE transaction; the outbox wakes the sync loop once it commits. Throws
 * `CallGoneError` when the call is not in progress (logged already, discarded): nothing is written.
 */
export async function logCall(store: Store, input: LogCallInput): Promise<CallRecord> {
  const db = tablesOf(store);
  return db.transaction('rw', [db.callDrafts, db.calls, db.outbox], async () => {
    const draft = await db.callDrafts.get(input.leadKey);
    if (!draft || draft.callId !== input.callId) throw new CallGoneError(input.callId);
    const call: CallRecord = {
      callId: draft.callId,
      outcome: input.outcome,
      startedAt: draft.startedAt,
      endedAt: input.endedAt,
      durationSec: durationSec(draft.startedAt, input.endedAt),
      lines: draft.lines,
      note: input.note,
      by: input.by,
      byId: input.byId,
      leadKey: input.leadKey,
      ref: draft.ref,
      loggedAt: input.endedAt,
    };
    await db.calls.add(call);
    await enqueue(db, newCallEntry({ key: callKey(call.callId), callId: call.callId, crm: draft.ref.crm, ref: draft.ref }, input.endedAt));
    await db.callDrafts.delete(input.leadKey);
    return call;
  });
}

/** The lead's logged calls, newest first. */
export async function loggedCallsOf(store: Store, leadKey: string): Promise<CallRecord[]> {
  const rows = await tablesOf(store).calls.where('leadKey').equals(leadKey).toArray();
  return rows.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.callId.localeCompare(a.callId));
}

/** One logged call, if stored (the sync loop builds its write-back from it). */
export function loggedCallOf(store: Store, callId: string): Promise<CallRecord | undefined> {
  return tablesOf(store).calls.get(callId);
}
