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
