import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { setAnswer, type Checklist } from './frameworks';

/**
 * Call mode (issue 17 part 5): a rep's calls to a lead, as the domain sees them. Pure: the background
 * stores drafts and logged calls (src/store/calls.ts) and the sync loop writes each logged call to the
 * CRM once (src/sync/write-back.ts); this module says what a typed line means, what counts as an attempt
 * and as contact, and what the CRM record says. ADR 19 has the why.
 */

/** How a call ended, as the rep logs it. */
export const CALL_OUTCOMES = ['connected', 'voicemail', 'no_answer', 'wrong_number', 'meeting_booked'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Longest line, pending text and end note (characters). */
export const CALL_TEXT_MAX = 2000;
/** Most lines one call keeps. */
export const CALL_LINES_MAX = 500;

/** One line of a call's notes. `criterionId`: tied to a criterion (its text went to that criterion's evidence). */
export interface CallLine {
  id: string;
  /** When it was entered (ISO, the background's clock). */
  at: string;
  text: string;
  criterionId?: string;
  /** A leading `#tag` that names no criterion: the text is kept whole. */
  unknownTag?: string;
}

/** A call in progress on a lead (one at a time per lead). */
export interface CallDraft {
  callId: string;
  startedAt: string;
  lines: CallLine[];
  /** Typed and not entered yet. */
  pending: string;
}

/** A call as logged: what the CRM receives, and what attempts and first contact are counted from. */
export interface LoggedCall {
  callId: string;
  outcome: CallOutcome;
  startedAt: string;
  endedAt: string;
  durationSec: number;
  lines: CallLine[];
  /** The rep's closing note (optional). */
  note: string;
  /** Who logged it, as the CRM names them (or the typed name); `byId` as in `Author.id`. */
  by: string;
  byId: string;
}

export interface ParsedLine {
  /** The line as kept: without a known tag; whole when the tag is unknown. */
  text: string;
  criterionId?: string;
  unknownTag?: string;
}

/** A leading tag: `#word` (letters, digits, `_`, `-`; at most 60, as criterion ids), then the end, whitespace or a colon. */
const TAG = /^#([\p{L}\p{N}_-]{1,60}):?(?:\s+|$)/u;

const norm = (s: string) => s.toLowerCase().replace(/[-\s]+/g, '_');
/** A label's words, lower-cased ("Economic buyer" → economic, buyer). */
const wordsOf = (label: string) => label.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Which criterion a tag names, or undefined when it names none or more than one. In order, the first rule
 * that finds exactly one criterion wins: the id or the whole label (`#budget`, `#Budget`,
 * `#economic_buyer`, `#economic-buyer`); a word of the label (`#buyer`); a prefix of the id, of the whole
 * label or of a label word (`#auth` → authority). An ambiguous tag (`#decision`: criteria and process)
 * names none.
 */
export function criterionOfTag(tag: string, criteria: readonly { id: string; label: string }[]): string | undefined {
  const t = norm(tag);
  if (!t) return undefined;
  const unique = (match: (c: { id: string; label: string }) => boolean) => {
    const hits = criteria.filter(match);
    return hits.length === 1 ? hits[0]!.id : hits.length > 1 ? null : undefined;
  };
  const rules = [
    (c: { id: string; label: string }) => norm(c.id) === t || norm(c.label) === t,
    (c: { id: string; label: string }) => wordsOf(c.label).includes(t),
    (c: { id: string; label: string }) => norm(c.id).startsWith(t) || norm(c.label).startsWith(t) || wordsOf(c.label).some((w) => w.startsWith(t)),
  ];
  for (const rule of rules) {
    const hit = unique(rule);
    if (hit === null) return undefined; // ambiguous at this level: a less exact rule must not pick one
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A typed line, read: a leading `#tag` that names one criterion ties the line to it and is dropped from
 * the text; a tag that names none keeps the text whole and is reported as `unknownTag`. No tag: the text
 * as typed (trimmed).
 */
export function parseCallLine(text: string, criteria: readonly { id: string; label: string }[]): ParsedLine {
  const trimmed = text.trim();
  const m = TAG.exec(trimmed);
  if (!m) return { text: trimmed };
  const criterionId = criterionOfTag(m[1]!, criteria);
  if (!criterionId) return { text: trimmed, unknownTag: m[1]! };
  return { text: trimmed.slice(m[0].length).trim(), criterionId };
}

/**
 * The checklist with `text` appended to a criterion's evidence (a new line after what is there). The
 * criterion's state stays as it is, `unknown` included: the rep sets the state, a note only adds words.
 * `by` and `at` name who gave the evidence and when, as every answer does.
 */
export function withEvidence(checklist: Checklist, criterionId: string, text: string, by: string, at: string): Checklist {
  const current = checklist.answers[criterionId];
  const evidence = current?.evidence ? `${current.evidence}\n${text}` : text;
  return setAnswer(checklist, criterionId, { state: current?.state ?? 'unknown', evidence, by, at });
}

/** Every logged call is an attempt, whatever its outcome (the disposition form's "attempts"). */
export function attemptsOf(calls: readonly Pick<LoggedCall, 'outcome'>[]): number {
  return calls.length;
}

/**
 * Whether a call's outcome counts as contact for speed-to-lead (and starts the disposition deadline). A
 * wrong number does not: the call reached someone else, so the lead has still not heard from sales, and
 * the record's contact data is bad (a reason of its own). Every other outcome reached the lead's own line.
 */
export const countsAsContact = (outcome: CallOutcome) => outcome !== 'wrong_number';

/** The earliest start of a logged call that counts as contact; undefined when there is none. */
export function firstContactOf(calls: readonly Pick<LoggedCall, 'outcome' | 'startedAt'>[]): string | undefined {
  let first: string | undefined;
  for (const c of calls) if (countsAsContact(c.outcome) && (first === undefined || Date.parse(c.startedAt) < Date.parse(first))) first = c.startedAt;
  return first;
}

/** The earlier of two contact times (the CRM's and the first logged call's); either may be missing. */
export function earliestContact(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) < Date.parse(a) ? b : a;
}

/** Whole seconds from start to end, never negative. */
export function durationSec(startedAt: string, endedAt: string): number {
  return Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
}

/**
 * The idempotency key of a logged call (ADR 9): `lq` + 32 hex of a hash of its id, one alphanumeric
 * token the CRM record carries so an earlier attempt can be found.
 */
export function callKey(callId: string): string {
  return `lq${bytesToHex(sha256(utf8ToBytes(`call:${callId}`))).slice(0, 32)}`;
}

/** A criterion's label by id, across the team's frameworks (ids are shared between them). */
export function criterionLabels(frameworks: readonly { criteria: readonly { id: string; label: string }[] }[]): (id: string) => string | undefined {
  const labels = new Map<string, string>();
  for (const f of frameworks) for (const c of f.criteria) if (!labels.has(c.id)) labels.set(c.id, c.label);
  return (id) => labels.get(id);
}

/** The outcome as the CRM record says it (English, like the note text: CRM records are not localised). */
export const CALL_OUTCOME_TEXT: Record<CallOutcome, string> = {
  connected: 'Connected',
  voicemail: 'Left voicemail',
  no_answer: 'No answer',
  wrong_number: 'Wrong number',
  meeting_booked: 'Meeting booked',
};

const SUBJECT_MAX = 255;

/** `m:ss` (or `h:mm:ss`) for the record's text. */
function clock(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = String(sec % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The call as people read it in the CRM: a one-line title with the key (Salesforce Task subject, HubSpot
 * call title) and a plain-text body: outcome, duration, who, each line (tagged lines with the criterion's
 * label), the closing note, and the key again. `labelOf` names criteria (the team's labels).
 */
export function formatCall(call: LoggedCall, labelOf: (criterionId: string) => string | undefined, key = callKey(call.callId)): { title: string; body: string } {
  const outcome = CALL_OUTCOME_TEXT[call.outcome];
  const suffix = ` (${key})`;
  const base = `Call: ${outcome}`;
  const title = (base.length + suffix.length <= SUBJECT_MAX ? base : base.slice(0, SUBJECT_MAX - suffix.length)) + suffix;
  const lines = call.lines.map((l) => {
    const label = l.criterionId ? labelOf(l.criterionId) ?? l.criterionId : undefined;
    return `- ${label ? `[${label}] ` : ''}${l.text}`;
  });
  const body = [
    `Call logged by ${call.by}: ${outcome}, ${clock(call.durationSec)} (started ${call.startedAt}).`,
    ...(lines.length ? ['', 'Notes:', ...lines] : []),
    ...(call.note ? ['', call.note] : []),
    '',
    `Logged with Lead Qualifier (${key}).`,
  ].join('\n');
  return { title, body };
}
