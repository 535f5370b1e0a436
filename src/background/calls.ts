import { findFramework, type QualificationConfig } from '../domain/config';
import { attemptsOf, criterionLabels, firstContactOf, parseCallLine, withEvidence, type CallLine } from '../domain/calls';
import type { LeadRef } from '../domain/lead-ref';
import { UNIDENTIFIED_REP } from '../domain/identity';
import { ProtocolError } from '../messaging/envelope';
import type { CallDraftView, CallLineView, LoggedCallView, PanelCall, panelProtocol } from '../messaging/panel-protocol';
import type { Handlers } from '../messaging/router';
import { addCallLine, CallFullError, CallGoneError, callDraftOf, changeCallDraft, discardCallDraft, logCall, loggedCallsOf, startCallDraft } from '../store/calls';
import { draftOf } from '../store/leads';
import { callEntriesOf } from '../store/outbox';
import type { CallDraftRecord, CallRecord, DraftRecord, OutboxRecord } from '../store/records';
import { storageErrorMessage, type Store } from '../store/store';
import { backgroundStrings as t } from '../i18n/background';
import type { BackgroundDeps } from './sessions';

/**
 * Call mode's handlers (issue 17 part 5; ADR 19): start a call on the lead of the sender's tab, add and
 * remove its lines (a `#tag` or a shortcut ties a line to a criterion and adds it to that criterion's
 * evidence), keep what is typed, log it (stored and queued for the CRM in one transaction) or discard it.
 * Each acts on the lead the background paired with the panel's tab, which must be the lead the request
 * names (a call's id is then checked against that lead's call in progress), like the other `panel.*` handlers.
 */

/** What the call handlers need of the lead sessions (`createLeadSessions`). */
export interface LeadAccess {
  /**
   * The tab's lead and its cached row; throws a ProtocolError when the tab shows no lead, or another one
   * than `named` (the lead the panel showed when the rep acted, ADR 0015).
   */
  requireLead(tabId: number | undefined, named: string): Promise<{ ref: LeadRef; key: string }>;
  /** A new draft (checklist, questions, form) for a lead that has none. */
  freshDraft(key: string, config: QualificationConfig): DraftRecord;
}

type CallHandlers = Pick<
  Handlers<typeof panelProtocol>,
  'panel.startCall' | 'panel.addCallLine' | 'panel.removeCallLine' | 'panel.setCallPending' | 'panel.endCall' | 'panel.discardCall'
>;

const criterionLabelsOf = (config: QualificationConfig) => criterionLabels(config.frameworks);

const lineView = (l: CallLine, labelOf: (id: string) => string | undefined): CallLineView => ({
  id: l.id,
  at: l.at,
  text: l.text,
  ...(l.criterionId ? { criterionId: l.criterionId, ...(labelOf(l.criterionId) ? { criterionLabel: labelOf(l.criterionId) } : {}) } : {}),
  ...(l.unknownTag ? { unknownTag: l.unknownTag } : {}),
});

export const draftView = (d: CallDraftRecord, labelOf: (id: string) => string | undefined): CallDraftView => ({
  callId: d.callId,
  startedAt: d.startedAt,
  lines: d.lines.map((l) => lineView(l, labelOf)),
  pending: d.pending,
});

/** A logged call's sync state, from its outbox entry (the CRM's words clipped to what the protocol carries). */
function syncOf(entry: OutboxRecord | undefined): Pick<LoggedCallView, 'sync' | 'problem'> {
  const problem = entry?.lastError ? { problem: entry.lastError.length > 2000 ? `${entry.lastError.slice(0, 1999)}…` : entry.lastError } : {};
  if (!entry) return { sync: 'queued' };
  if (entry.unsupported) return { sync: 'unsupported', ...problem };
  if (entry.state === 'done') return { sync: 'synced' };
  if (entry.state === 'failed') return { sync: 'failed', ...problem };
  return { sync: 'queued', ...problem };
}

export const loggedView = (c: CallRecord, entry: OutboxRecord | undefined): LoggedCallView => ({
  callId: c.callId,
  outcome: c.outcome,
  startedAt: c.startedAt,
  endedAt: c.endedAt,
  durationSec: c.durationSec,
  lineCount: c.lines.length,
  by: c.by,
  ...syncOf(entry),
});

/** Most logged calls a panel state lists (newest first); attempts and first contact count them all. */
const LOGGED_SHOWN = 200;

/** `PanelState.call` for a lead: its call in progress, its logged calls with their sync state, attempts, first contact. */
export async function callViewOf(db: Store, leadKey: string, config: QualificationConfig): Promise<PanelCall> {
  const labelOf = criterionLabelsOf(config);
  const [draft, logged] = await Promise.all([callDraftOf(db, leadKey), loggedCallsOf(db, leadKey)]);
  const shown = logged.slice(0, LOGGED_SHOWN);
  const entries = await callEntriesOf(db, shown.map((c) => c.callId));
  const first = firstContactOf(logged);
  return {
    draft: draft ? draftView(draft, labelOf) : null,
    logged: shown.map((c) => loggedView(c, entries.get(c.callId))),
    attempts: attemptsOf(logged),
    ...(first ? { firstContactAt: first } : {}),
  };
}

/** An empty `PanelState.call` (no lead shown yet). */
export const noCalls = (): PanelCall => ({ draft: null, logged: [], attempts: 0 });

/** Store failures reach the panel as a clear message; a call no longer in progress says so. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    if (e instanceof CallGoneError) throw new ProtocolError('failed', e.message);
    if (e instanceof CallFullError) throw new ProtocolError('invalid', e.message);
    throw new ProtocolError('failed', storageErrorMessage(e));
  }
}

export function createCallHandlers(deps: BackgroundDeps, leads: LeadAccess): CallHandlers {
  const { db } = deps;
  const iso = () => new Date(deps.now()).toISOString();

  return {
    'panel.startCall': ({ leadKey: named }, caller) =>
      guarded(async () => {
        const { ref, key } = await leads.requireLead(caller.tabId, named);
        const config = await deps.config();
        const at = iso();
        const draft = await startCallDraft(db, key, ref, () => ({ callId: deps.newId(), startedAt: at, lines: [], pending: '' }), at);
        return { draft: draftView(draft, criterionLabelsOf(config)) };
      }),

    'panel.addCallLine': ({ leadKey: named, callId, text, criterionId }, caller) =>
      guarded(async () => {
        const { ref, key } = await leads.requireLead(caller.tabId, named);
        const config = await deps.config();
        const labelOf = criterionLabelsOf(config);
        // The tags name the criteria of the framework the rep is working in.
        const frameworkId = (await draftOf(db, key))?.checklist.frameworkId ?? config.defaultFrameworkId;
        const framework = findFramework(config, frameworkId) ?? findFramework(config, config.defaultFrameworkId)!;
        if (criterionId !== undefined && !framework.criteria.some((c) => c.id === criterionId)) {
          throw new ProtocolError('invalid', t.calls.unknownCriterion(criterionId), [{ path: 'criterionId', message: t.calls.unknownCriterion(criterionId) }]);
        }
        const parsed = parseCallLine(text, framework.criteria);
        // A shortcut's criterion wins over a tag; a known tag is dropped from the text either way.
        const tied = criterionId ?? parsed.criterionId;
        const lineText = parsed.criterionId ? parsed.text : text.trim();
        if (!lineText) throw new ProtocolError('invalid', t.calls.emptyAfterTag(labelOf(tied ?? '') ?? tied ?? ''), [{ path: 'text', message: t.calls.emptyAfterTag(labelOf(tied ?? '') ?? tied ?? '') }]);
        const at = iso();
        const line: CallLine = { id: deps.newId(), at, text: lineText, ...(tied ? { criterionId: tied } : !criterionId && parsed.unknownTag ? { unknownTag: parsed.unknownTag } : {}) };
        // Who gave the evidence: until the rep is known, the marker a decision's save replaces with their name.
        const by = tied ? ((await deps.author(ref.crm))?.name ?? UNIDENTIFIED_REP) : UNIDENTIFIED_REP;
        const limit = config.limits.evidenceMaxChars;
        await addCallLine(
          db,
          key,
          callId,
          line,
          at,
          tied
            ? {
                fresh: () => leads.freshDraft(key, config),
                change: (d) => {
                  const checklist = withEvidence(d.checklist, tied, lineText, by, at);
                  const evidence = checklist.answers[tied]!.evidence;
                  if (evidence.length > limit) throw new ProtocolError('invalid', t.calls.evidenceFull(labelOf(tied) ?? tied, limit), [{ path: 'text', message: t.calls.evidenceFull(labelOf(tied) ?? tied, limit) }]);
                  d.checklist = checklist;
                },
              }
            : undefined,
        );
        return { line: lineView(line, labelOf) };
      }),

    'panel.removeCallLine': ({ leadKey: named, callId, lineId }, caller) =>
      guarded(async () => {
        const { key } = await leads.requireLead(caller.tabId, named);
        // The line leaves the call's notes; evidence it added to the checklist stays (the rep edits it there).
        await changeCallDraft(db, key, callId, (d) => void (d.lines = d.lines.filter((l) => l.id !== lineId)), iso());
        return null;
      }),

    'panel.setCallPending': ({ leadKey: named, callId, text }, caller) =>
      guarded(async () => {
        const { key } = await leads.requireLead(caller.tabId, named);
        await changeCallDraft(db, key, callId, (d) => void (d.pending = text), iso());
        return null;
      }),

    'panel.endCall': ({ leadKey: named, callId, outcome, note }, caller) =>
      guarded(async () => {
        const { ref, key } = await leads.requireLead(caller.tabId, named);
        // Who logged it is who the CRM says this browser is (asked first if not asked yet), as for decisions.
        const author = (await deps.author(ref.crm)) ?? (await deps.identify?.(ref.crm).then(() => deps.author(ref.crm)));
        if (!author) throw new ProtocolError('failed', t.panel.whoAreYou);
        // Stored and queued in one transaction; the outbox wakes the sync loop when it commits.
        const call = await logCall(db, { leadKey: key, callId, outcome, note: note?.trim() ?? '', endedAt: iso(), by: author.name, byId: author.id });
        const entries = await callEntriesOf(db, [call.callId]);
        return { logged: loggedView(call, entries.get(call.callId)) };
      }),

    'panel.discardCall': ({ leadKey: named, callId }, caller) =>
      guarded(async () => {
        const { key } = await leads.requireLead(caller.tabId, named);
        await discardCallDraft(db, key, callId);
        return null;
      }),
  };
}
