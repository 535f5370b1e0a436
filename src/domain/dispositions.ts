import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { ConfigError, ParseResult, QualificationConfig } from './config';
import type { Checklist } from './frameworks';
import { DAY_MS, isoDate, type LeadProfile } from './lead';
import type { Recommendation } from './recommendation';
import type { ScoreResult } from './scoring';
import { decisionStrings } from '../i18n/decision';

const m = decisionStrings;

/**
 * The rep's decision on a lead: accept as SQL (with a dated next step), reject (reason code and note
 * required), or recycle to nurture (with a re-check date or trigger). A decision freezes a snapshot of
 * what the rep saw; edits never overwrite, they add a revision chained to the previous one by hash.
 */

export const outcomes = ['accept', 'reject', 'recycle'] as const;
export type Outcome = (typeof outcomes)[number];

// Notes are bounded by the team's limit in validateDecision (a friendly message), not here; the
// message protocol bounds the size of anything that crosses it.
const text = (max?: number) => (max === undefined ? z.string() : z.string().max(max));

export const decisionSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('accept'),
    /** SQL by default; teams with the optional SAL stage may accept as SAL. */
    stage: z.enum(['sql', 'sal']).default('sql'),
    nextStepId: z.string().max(60).default(''),
    nextStepOn: z.union([isoDate, z.literal('')]).default(''),
    note: text().default(''),
  }),
  z.object({
    outcome: z.literal('reject'),
    reasonCode: z.string().max(60).default(''),
    subReason: z.string().max(120).optional(),
    note: text().default(''),
    /** Contact attempts logged, for reasons such as "unresponsive". */
    attempts: z.number().int().min(0).max(1000).optional(),
  }),
  z.object({
    outcome: z.literal('recycle'),
    recheckOn: z.union([isoDate, z.literal('')]).default(''),
    trigger: text(300).default(''),
    note: text().default(''),
  }),
]);
export type Decision = z.infer<typeof decisionSchema>;
export type DecisionInput = z.input<typeof decisionSchema>;

const MAX_AHEAD_DAYS = 366;
const dayNumber = (d: string) => Math.floor(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
const formatCount = (n: number) => n.toLocaleString('en-US');

/**
 * Checks a decision against the team's configuration. `today` is the rep's local calendar day
 * (`YYYY-MM-DD`): dates are days the rep picked, so they compare as days, not instants.
 * Errors name the form field (`reasonCode`, `note`…) and say what to do.
 */
export function validateDecision(
  input: unknown,
  config: Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'limits'>,
  today: string,
): ParseResult<Decision> {
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const field = i.path.length ? String(i.path[0]) : 'outcome';
        const message = field === 'outcome' ? m.chooseOutcome : m.sentence(i.message);
        return { path: field, message };
      }),
    };
  }
  const d = parsed.data;
  const errors: ConfigError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });
  const todayN = dayNumber(today);
  const futureDay = (field: string, value: string, what: string, allowToday: boolean) => {
    const n = dayNumber(value);
    if (n < todayN || (!allowToday && n === todayN)) fail(field, m.notBefore(what, allowToday));
    else if (n - todayN > MAX_AHEAD_DAYS) fail(field, m.withinAYear(what));
  };

  if (d.note.length > config.limits.noteMaxChars) {
    fail('note', m.noteTooLong(formatCount(d.note.length), formatCount(config.limits.noteMaxChars)));
  }
  switch (d.outcome) {
    case 'accept':
      if (!d.nextStepId) fail('nextStepId', m.chooseNextStep);
      else if (!config.nextSteps.some((s) => s.id === d.nextStepId)) fail('nextStepId', m.unknownNextStep(d.nextStepId));
      if (!d.nextStepOn) fail('nextStepOn', m.pickNextStepDate);
      else futureDay('nextStepOn', d.nextStepOn, m.theNextStep, true);
      break;
    case 'reject': {
      const reason = config.reasonCodes.find((r) => r.code === d.reasonCode);
      if (!d.reasonCode) fail('reasonCode', m.chooseReason);
      else if (!reason || reason.retired) fail('reasonCode', m.inactiveReason(d.reasonCode));
      const note = d.note.trim();
      if (!note) fail('note', m.addNote);
      else if (reason && note.length < reason.minNoteChars) {
        fail('note', m.noteTooShort(reason.label, reason.minNoteChars, note.length));
      }
      if (reason && d.subReason && reason.subReasons.length > 0 && !reason.subReasons.includes(d.subReason)) {
        fail('subReason', m.unknownSubReason(d.subReason, reason.label));
      }
      if (reason?.minAttempts !== undefined && (d.attempts ?? 0) < reason.minAttempts) {
        fail('attempts', m.tooFewAttempts(reason.label, reason.minAttempts, d.attempts ?? 0));
      }
      break;
    }
    case 'recycle':
      if (!d.recheckOn && !d.trigger.trim()) fail('recheckOn', m.recheckRequired);
      if (d.recheckOn) futureDay('recheckOn', d.recheckOn, m.theRecheckDate, false);
      break;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: d };
}

/** What the rep saw when deciding, frozen so a later config or score change can't rewrite history. */
export interface DispositionSnapshot {
  lead: Pick<LeadProfile, 'crm' | 'recordId' | 'name' | 'company' | 'title' | 'email' | 'source' | 'campaign' | 'mqlAt' | 'firstContactAt' | 'crmStatus'>;
  score: ScoreResult;
  checklist: Checklist;
  recommendation: Recommendation;
  framework: { id: string; version: number; label: string };
  /** The team config's version the decision was made under (absent on revisions made before it was recorded). */
  configVersion?: number;
}

export function snapshotLead(lead: LeadProfile): DispositionSnapshot['lead'] {
  const { crm, recordId, name, company, title, email, source, campaign, mqlAt, firstContactAt, crmStatus } = lead;
  return { crm, recordId, name, company, title, email, source, campaign, mqlAt, firstContactAt, crmStatus };
}

/**
 * Who made a decision or review: a CRM user as the CRM names them (`crm` set, `id` the CRM's user id),
 * or, only when the CRM cannot say, the name and email the rep gave once on the options page
 * (`id` = `email:<address>`, no `crm`). Never a placeholder such as "You".
 */
export interface Author {
  id: string;
  name: string;
  email?: string;
  /** The CRM whose user `id` is; absent for a rep who typed their name. */
  crm?: string;
  /** HubSpot: the owner id of the same user (records name owners, not users). */
  ownerId?: string;
}

export interface Revision {
  dispositionId: string;
  /** 1 for the first decision, then 2, 3… */
  rev: number;
  decision: Decision;
  snapshot: DispositionSnapshot;
  author: Author;
  at: string;
  /** The previous revision's hash; null for the first. */
  prevHash: string | null;
  /** SHA-256 over the canonical JSON (RFC 8785) of every other field. */
  hash: string;
}

export type RevisionBody = Omit<Revision, 'hash'>;

export function hashRevision(body: RevisionBody): string {
  const { hash: _ignored, ...rest } = body as Revision;
  return bytesToHex(sha256(utf8ToBytes(canonicalize(rest) ?? '')));
}

/** The next revision of a disposition (or its first, when `previous` is undefined). */
export function createRevision(
  previous: Revision | undefined,
  fields: { dispositionId: string; decision: Decision; snapshot: DispositionSnapshot; author: Author; at: string },
): Revision {
  if (previous && previous.dispositionId !== fields.dispositionId) {
    throw new Error(`Revision for ${fields.dispositionId} cannot follow one of ${previous.dispositionId}`);
  }
  const body: RevisionBody = { ...fields, rev: (previous?.rev ?? 0) + 1, prevHash: previous?.hash ?? null };
  return { ...body, hash: hashRevision(body) };
}

export type ChainCheck = { ok: true } | { ok: false; rev: number; problem: string };

/**
 * Verifies a disposition's history, oldest first: numbering, links and hashes. A broken chain is
 * reported at the first revision that does not check out; nothing is repaired.
 */
export function verifyChain(revisions: readonly Revision[]): ChainCheck {
  let prev: Revision | undefined;
  for (const [i, r] of revisions.entries()) {
    if (r.rev !== i + 1) return { ok: false, rev: r.rev, problem: decisionStrings.chain.expectedRevision(i + 1, r.rev) };
    if (prev && r.dispositionId !== prev.dispositionId) return { ok: false, rev: r.rev, problem: decisionStrings.chain.otherDisposition };
    if (r.prevHash !== (prev?.hash ?? null)) return { ok: false, rev: r.rev, problem: decisionStrings.chain.unlinked };
    if (hashRevision(r) !== r.hash) return { ok: false, rev: r.rev, problem: decisionStrings.chain.changed };
    prev = r;
  }
  return { ok: true };
}

/** The decision's outcome as the manager's reports name it. */
export function outcomeLabel(d: Decision, config: Pick<QualificationConfig, 'reasonCodes'>): string {
  switch (d.outcome) {
    case 'accept':
      return d.stage === 'sal' ? 'Accepted as SAL' : 'Accepted as SQL';
    case 'reject':
      return `Rejected: ${config.reasonCodes.find((r) => r.code === d.reasonCode)?.label ?? d.reasonCode}`;
    case 'recycle':
      return 'Recycled to nurture';
  }
}
