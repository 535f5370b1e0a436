import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { z } from 'zod';
import type { QualificationConfig } from './config';
import { findFramework } from './config';
import { outcomeLabel, outcomes, type Author, type Revision } from './dispositions';
import { criterionStates } from './config';
import { revisionSchema, authorSchema } from './revision-schema';

/**
 * The note (HubSpot) or task (Salesforce) a disposition or a manager's review becomes in the CRM.
 *
 * People read the top part: a clean summary an account executive can take in at a glance (outcome,
 * reason, note, who and when, the score and its top lines, the checklist with the prospect's words).
 * The last two lines carry the whole revision for the extension, compact and out of the way: a marker
 * line (`lqblock v2 <key> …`, one word CRM searches find) and the revision as deflated, base64url JSON.
 * The dashboard and every rep's panel read decisions back from it at full fidelity, and because the
 * payload is the revision itself, its hash can be checked: an edit in the CRM shows, a forged one does not
 * pass for the original (ADR 16 — see `team-record.ts` for the checks).
 *
 * Version 1 notes (a JSON block between marker lines) are still read, as summaries.
 * Everything here is plain text: each CRM module converts to its own format.
 */

/** One word that starts every block; CRM searches look for it. */
export const NOTE_MARKER = 'lqblock';
const V1_START = `--- ${NOTE_MARKER} v1 (machine-readable: do not edit) ---`;
const V1_END = `--- end ${NOTE_MARKER} ---`;
const V2_LINE = new RegExp(`^${NOTE_MARKER} v2 (lq[0-9a-f]{8,64})\\b.*$`, 'gm');
const SUBJECT_MAX = 255;
/** Upper bound on a payload's inflated size: a hostile note cannot make the reader inflate a bomb. */
const PAYLOAD_MAX_BYTES = 512 * 1024;

/** Version 1's block (notes written before version 2): a summary of the revision. */
export const noteBlockSchema = z.object({
  v: z.literal(1),
  key: z.string().regex(/^lq[0-9a-f]{8,64}$/),
  dispositionId: z.string().min(1).max(100),
  rev: z.number().int().positive(),
  hash: z.string().max(128),
  prevHash: z.string().max(128).nullable(),
  crm: z.string().max(40),
  recordId: z.string().max(100),
  leadName: z.string().max(300).optional(),
  company: z.string().max(300).optional(),
  source: z.string().max(200).optional(),
  campaign: z.string().max(200).optional(),
  mqlAt: z.string().max(40).optional(),
  firstContactAt: z.string().max(40).optional(),
  outcome: z.enum(outcomes),
  stage: z.string().max(10).optional(),
  reasonCode: z.string().max(60).optional(),
  nextStepId: z.string().max(60).optional(),
  nextStepOn: z.string().max(10).optional(),
  recheckOn: z.string().max(10).optional(),
  trigger: z.string().max(300).optional(),
  attempts: z.number().int().min(0).optional(),
  note: z.string().max(60_000),
  noteTruncated: z.boolean().optional(),
  score: z.number(),
  fit: z.number(),
  engagement: z.number(),
  recommendation: z.string().max(20),
  frameworkId: z.string().max(60),
  criteria: z.array(z.object({ id: z.string().max(60), state: z.enum(criterionStates), evidence: z.string().max(10_000) })).max(50),
  author: z.object({ id: z.string().max(200), name: z.string().max(200) }),
  at: z.string().max(40),
});
export type NoteBlock = z.infer<typeof noteBlockSchema>;

/** Where the record lives, beyond the snapshot's crm + record id (HubSpot: contact or lead object). */
const recordSchema = z.object({ objectType: z.string().max(60), account: z.string().max(200).optional() });

/** Labels as the team's config named them when the decision was made, for readers without that config. */
const labelsSchema = z.object({
  outcome: z.string().max(300),
  reason: z.string().max(300).optional(),
  nextStep: z.string().max(300).optional(),
});

const decisionPayloadSchema = z.object({
  v: z.literal(2),
  kind: z.literal('decision'),
  key: z.string().regex(/^lq[0-9a-f]{8,64}$/),
  record: recordSchema.optional(),
  labels: labelsSchema,
  /** The revision did not fit the CRM's field whole: texts were shortened, so its hash cannot match. */
  shortened: z.boolean().optional(),
  revision: revisionSchema,
});

export const reviewPayloadSchema = z.object({
  id: z.string().min(1).max(100),
  dispositionId: z.string().min(1).max(200),
  /** The revision reviewed. */
  rev: z.number().int().positive(),
  reviewer: authorSchema,
  verdict: z.enum(['agree', 'disagree']),
  comment: z.string().max(2000),
  at: z.string().max(40),
});
export type ReviewPayload = z.infer<typeof reviewPayloadSchema>;

const reviewNotePayloadSchema = z.object({
  v: z.literal(2),
  kind: z.literal('review'),
  key: z.string().regex(/^lq[0-9a-f]{8,64}$/),
  record: recordSchema.optional(),
  decisionLabel: z.string().max(300).optional(),
  review: reviewPayloadSchema,
});

const payloadSchema = z.discriminatedUnion('kind', [decisionPayloadSchema, reviewNotePayloadSchema]);
export type DecisionPayload = z.infer<typeof decisionPayloadSchema>;
export type ReviewNotePayload = z.infer<typeof reviewNotePayloadSchema>;

/** What a note read back from the CRM carries. */
export type TeamNoteContent =
  | { v: 1; kind: 'decision'; key: string; block: NoteBlock }
  | (DecisionPayload & { revision: Revision })
  | ReviewNotePayload;

/** The idempotency key of a revision: one alphanumeric token, the same on every retry. */
export function idempotencyKey(revision: Pick<Revision, 'hash'>): string {
  return `lq${revision.hash.slice(0, 32)}`;
}

// base64url without padding: only letters, digits, `-` and `_`, so CRMs keep it as one word.
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const encodePayload = (payload: object) => toBase64Url(deflateSync(strToU8(JSON.stringify(payload)), { level: 9 }));

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`);
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0');
const RECOMMENDED = { sql: 'SQL', nurture: 'nurture', disqualify: 'disqualify' } as Record<string, string>;

export interface FormattedNote {
  subject: string;
  body: string;
}

type LabelConfig = Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'frameworks'>;

function labelsOf(revision: Revision, config: LabelConfig): DecisionPayload['labels'] {
  const d = revision.decision;
  return {
    outcome: outcomeLabel(d, config),
    ...(d.outcome === 'reject' ? { reason: config.reasonCodes.find((r) => r.code === d.reasonCode)?.label ?? d.reasonCode } : {}),
    ...(d.outcome === 'accept' ? { nextStep: config.nextSteps.find((n) => n.id === d.nextStepId)?.label ?? d.nextStepId } : {}),
  };
}

function marker(key: string, kind: 'decision' | 'review') {
  return `${NOTE_MARKER} v2 ${key} · the Lead Qualifier extension reads the ${kind} from the next line: please leave both lines as they are`;
}

/**
 * The note for one revision, at most `maxChars` long (HubSpot 65,536; Salesforce task descriptions
 * 32,000). When too long, the readable part is shortened first, then the payload's texts (flagged
 * `shortened`): the full text always stays in the deciding rep's store.
 */
export function formatDispositionNote(revision: Revision, config: LabelConfig, maxChars: number, record?: { objectType: string; account?: string }): FormattedNote {
  const key = idempotencyKey(revision);
  const labels = labelsOf(revision, config);
  const { decision: d, snapshot: s } = revision;
  const subject = clip(`Lead qualification: ${labels.outcome} (${key})`, SUBJECT_MAX);
  const framework = findFramework(config as QualificationConfig, s.checklist.frameworkId);

  const readable = (noteMax: number, evidenceMax: number, topLines: number) => {
    const lines = [`Lead qualification: ${labels.outcome}`, `Decided by ${revision.author.name}, ${when(revision.at)}${revision.rev > 1 ? ` (revision ${revision.rev})` : ''}`];
    if (d.outcome === 'reject' && d.subReason) lines.push(`Detail: ${d.subReason}`);
    if (d.outcome === 'accept') lines.push(`Next step: ${labels.nextStep} on ${d.nextStepOn}`);
    if (d.outcome === 'reject' && d.attempts !== undefined) lines.push(`Contact attempts: ${d.attempts}`);
    if (d.outcome === 'recycle') lines.push(`Re-check: ${[d.recheckOn, d.trigger].filter(Boolean).join(' — ')}`);
    if (d.note && noteMax > 0) lines.push(`Note: ${clip(d.note, noteMax)}`);
    lines.push(`Score ${s.score.total}/100 (fit ${s.score.fit}, engagement ${s.score.engagement}); recommended: ${RECOMMENDED[s.recommendation.outcome] ?? s.recommendation.outcome}`);
    const top = [...s.score.lines].filter((l) => l.points !== 0).sort((a, b) => Math.abs(b.points) - Math.abs(a.points)).slice(0, topLines);
    if (top.length) lines.push(`Top points: ${top.map((l) => `${signed(l.points)} ${oneLine(l.label)}`).join('; ')}`);
    if (framework) {
      const items = framework.criteria.map((c) => {
        const a = s.checklist.answers[c.id];
        const evidence = a?.evidence && evidenceMax > 0 ? ` “${clip(oneLine(a.evidence), evidenceMax)}”` : '';
        return `${c.label} ${a?.state ?? 'unknown'}${evidence}`;
      });
      lines.push(`${framework.label}: ${items.join('; ')}`);
    }
    return lines.join('\n');
  };
  const payload: DecisionPayload = { v: 2, kind: 'decision', key, ...(record ? { record } : {}), labels, revision };
  const compose = (human: string, p: DecisionPayload) => `${human}\n\n${marker(key, 'decision')}\n${encodePayload(p)}`;

  const encoded = compose('', payload).length;
  for (const [noteMax, evidenceMax, topLines] of [[Infinity, 300, 3], [2000, 120, 3], [300, 60, 3], [0, 0, 0]] as const) {
    const human = readable(noteMax, evidenceMax, topLines);
    if (human.length + encoded <= maxChars) return { subject, body: compose(human, payload) };
  }
  // The revision itself does not fit: shorten its texts, mark it. Its hash no longer matches its content.
  const human = `Lead qualification: ${labels.outcome}\nDecided by ${revision.author.name}, ${when(revision.at)}\n(The full decision is too long for this CRM field; the deciding rep's extension keeps it.)`;
  let room = Math.max(200, maxChars - human.length - 400);
  for (;;) {
    const short = shortenRevision(revision, room);
    const body = compose(human, { ...payload, shortened: true, revision: short });
    if (body.length <= maxChars || room <= 200) return { subject, body };
    room = Math.floor(room / 2);
  }
}

function shortenRevision(r: Revision, room: number): Revision {
  const answers = Object.fromEntries(Object.entries(r.snapshot.checklist.answers).map(([id, a]) => [id, { ...a, evidence: clip(a.evidence, Math.floor(room / 20)) }]));
  return {
    ...r,
    decision: { ...r.decision, note: clip(r.decision.note, Math.floor(room / 2)) },
    snapshot: {
      ...r.snapshot,
      checklist: { ...r.snapshot.checklist, answers },
      score: { ...r.snapshot.score, lines: r.snapshot.score.lines.slice(0, 10), unscored: [] },
      recommendation: { ...r.snapshot.recommendation, reasons: r.snapshot.recommendation.reasons.slice(0, 3), cautions: [] },
    },
  };
}

export type ParsedTeamNote = { ok: true; content: TeamNoteContent } | { ok: false; reason: string };

/**
 * Finds and validates what the extension wrote in a note's plain text (imports and the panel's team
 * history). The last marker line counts: text a rep typed comes before it. Nothing here says who wrote
 * the note or whether the revision is genuine: `team-record.ts` checks that against the CRM's metadata.
 */
export function parseTeamNote(text: string): ParsedTeamNote {
  const markers = [...text.matchAll(V2_LINE)];
  const last = markers.at(-1);
  if (!last) {
    const v1 = parseDispositionNote(text);
    return v1.ok ? { ok: true, content: { v: 1, kind: 'decision', key: v1.block.key, block: v1.block } } : v1;
  }
  const rest = text.slice(last.index! + last[0].length).trim();
  const encoded = rest.split(/\s+/)[0] ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return { ok: false, reason: 'the data line after the marker is missing (edited in the CRM?)' };
  let json: unknown;
  try {
    const bytes = fromBase64Url(encoded);
    const inflated = inflateSync(bytes, { out: undefined });
    if (inflated.length > PAYLOAD_MAX_BYTES) return { ok: false, reason: 'the data line is too large' };
    json = JSON.parse(strFromU8(inflated));
  } catch {
    return { ok: false, reason: 'the data line cannot be read (edited in the CRM?)' };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, reason: `the data line is not valid (${i?.path.join('.')}: ${i?.message})` };
  }
  if (parsed.data.key !== last[1]) return { ok: false, reason: 'the data line belongs to another key' };
  return { ok: true, content: parsed.data as TeamNoteContent };
}

export type ParsedNote = { ok: true; block: NoteBlock } | { ok: false; reason: string };

/** Finds and validates a version 1 block in a note's plain text (notes written before version 2). */
export function parseDispositionNote(text: string): ParsedNote {
  const start = text.lastIndexOf(V1_START);
  if (start < 0) return { ok: false, reason: 'no structured block' };
  const end = text.indexOf(V1_END, start);
  if (end < 0) return { ok: false, reason: 'the structured block has no end line' };
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start + V1_START.length, end).trim());
  } catch {
    return { ok: false, reason: 'the structured block is not valid JSON (edited in the CRM?)' };
  }
  const parsed = noteBlockSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, reason: `the structured block is not valid (${i?.path.join('.')}: ${i?.message})` };
  }
  return { ok: true, block: parsed.data };
}

/** A manager's verdict on a decision, as it goes to the CRM (its own note, next to the decision's). */
export interface ReviewNoteInput {
  id: string;
  dispositionId: string;
  reviewerId: string;
  reviewerName: string;
  verdict: 'agree' | 'disagree';
  comment: string;
  at: string;
  /** The revision reviewed (absent on reviews saved before it was recorded: the latest then). */
  rev?: number;
  /** The reviewer as their CRM names them. */
  reviewer?: Author;
}

/** The idempotency key of a review: like a revision's, one token from a hash of the review. */
export function reviewKey(review: ReviewNoteInput): string {
  return `lq${bytesToHex(sha256(utf8ToBytes(canonicalize({ ...review }) ?? ''))).slice(0, 32)}`;
}

/** The review as its note's payload carries it (and as `team-record.ts` reads it back). */
export function reviewPayloadOf(review: ReviewNoteInput, decisionRev: number): ReviewPayload {
  return {
    id: review.id,
    dispositionId: review.dispositionId,
    rev: review.rev ?? decisionRev,
    reviewer: review.reviewer ?? { id: review.reviewerId, name: review.reviewerName },
    verdict: review.verdict,
    comment: review.comment,
    at: review.at,
  };
}

export function formatReviewNote(
  review: ReviewNoteInput,
  decision: { label: string; repName: string; rev: number },
  record?: { objectType: string; account?: string },
): FormattedNote & { key: string } {
  const key = reviewKey(review);
  const verdict = review.verdict === 'agree' ? 'agrees with' : 'disagrees with';
  const subject = clip(`Lead qualification review: ${review.reviewerName} ${verdict} “${decision.label}” (${key})`, SUBJECT_MAX);
  const payload: ReviewNotePayload = { v: 2, kind: 'review', key, ...(record ? { record } : {}), decisionLabel: decision.label, review: reviewPayloadOf(review, decision.rev) };
  const body = [
    `Lead qualification review: ${review.reviewerName} ${verdict} the decision “${decision.label}” by ${decision.repName}${decision.rev > 1 ? ` (revision ${decision.rev})` : ''}.`,
    review.comment.trim() ? `Comment: ${review.comment.trim()}` : '',
    `Reviewed ${when(review.at)}`,
    '',
    marker(key, 'review'),
    encodePayload(payload),
  ]
    .filter((line, i) => line !== '' || i === 3)
    .join('\n');
  return { key, subject, body };
}

/**
 * Links between version 1 summaries imported from the CRM: each must name the previous one's hash, with
 * no gaps. Their content can't be re-hashed (a summary is not the revision); version 2 notes carry whole
 * revisions, which `verifyChain` checks like local ones.
 */
export function checkImportedChain(blocks: readonly NoteBlock[]): { ok: true } | { ok: false; rev: number; problem: string } {
  let prev: NoteBlock | undefined;
  for (const b of [...blocks].sort((x, y) => x.rev - y.rev)) {
    if (prev && b.rev !== prev.rev + 1) return { ok: false, rev: b.rev, problem: `revision ${prev.rev + 1} is missing in the CRM` };
    if (!prev && b.rev !== 1) return { ok: false, rev: b.rev, problem: `revisions before ${b.rev} are missing in the CRM` };
    if (prev && b.prevHash !== prev.hash) return { ok: false, rev: b.rev, problem: 'does not link to the previous revision' };
    prev = b;
  }
  return { ok: true };
}
