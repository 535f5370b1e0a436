import type { CallOutcome } from '../../domain/calls';
import type { CriterionState } from '../../domain/config';
import type { Decision } from '../../domain/dispositions';

/** What the panel reports when the rep answers a criterion; the host adds who and when. */
export interface AnswerInput {
  state: CriterionState;
  /** The prospect's own words. */
  evidence: string;
}

export type OnAnswer = (criterionId: string, answer: AnswerInput) => void;

export type SyncState = 'saved_locally' | 'synced' | 'needs_attention';

/** A decision the host has stored, and how far its sync to the CRM got. */
export interface SavedDecisionInfo {
  decision: Decision;
  /** When it was decided (ISO instant). */
  at: string;
  syncState: SyncState;
  /** Why it needs attention, in words the rep can act on. */
  syncMessage?: string;
  /** Who decided (shown when it was someone else, or to say whose name it went out with). */
  by?: string;
  /** `team`: decided in another browser, read from the CRM. */
  source?: 'mine' | 'team';
}

/**
 * Called with a decision that passed `validateDecision`. May return a promise: the form shows "Saving…"
 * until it settles and, if it rejects, says so and keeps everything typed.
 */
export type OnSave = (decision: Decision) => void | Promise<unknown>;

export type { CallOutcome };

/** A line of the call's notes, as the background stored it (its `#tag` already read). */
export interface CallLineView {
  id: string;
  /** ISO instant. */
  at: string;
  /** The words, without the tag. */
  text: string;
  criterionId?: string;
  criterionLabel?: string;
  /** A `#tag` that named no criterion (the text was kept whole). */
  unknownTag?: string;
}

/** The call in progress (kept by the background: it survives reloads and a stopped worker). */
export interface CallDraftView {
  callId: string;
  /** ISO instant, the background's clock. */
  startedAt: string;
  lines: CallLineView[];
  /** Typed and not entered yet. */
  pending: string;
}

export interface LoggedCallView {
  callId: string;
  outcome: CallOutcome;
  startedAt: string;
  endedAt: string;
  durationSec: number;
  lineCount: number;
  by: string;
  sync: 'queued' | 'synced' | 'failed' | 'unsupported';
  problem?: string;
}

/** `PanelState.call`: the call in progress, the calls logged on this lead, and how many attempts that makes. */
export interface CallView {
  draft: CallDraftView | null;
  logged: LoggedCallView[];
  attempts: number;
  firstContactAt?: string;
}

/**
 * What the panel asks of its host on a call. Each may return a promise: the panel keeps what was typed
 * until it settles, and says so if it rejects.
 */
export interface CallActions {
  onStart: () => void | Promise<unknown>;
  /** `criterionId`: tied by a shortcut (wins over a `#tag` in the text). */
  onAddLine: (callId: string, text: string, criterionId?: string) => void | Promise<unknown>;
  onRemoveLine: (callId: string, lineId: string) => void | Promise<unknown>;
  /** What is typed and not entered yet (the panel debounces it). */
  onPending: (callId: string, text: string) => void;
  onEnd: (callId: string, outcome: CallOutcome, note?: string) => void | Promise<unknown>;
  onDiscard: (callId: string) => void | Promise<unknown>;
}
