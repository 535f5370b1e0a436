import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { QualificationConfig } from './config';
import { findFramework } from './config';
import { outcomeLabel, outcomes, type Revision } from './dispositions';
import { criterionStates } from './config';

/**
 * The note (HubSpot) or task (Salesforce) a disposition becomes in the CRM. People read the top part;
 * the block at the end is JSON between marker lines, so the dashboard can import the team's decisions
 * back from the CRM. The idempotency key is in the subject and the block: the sync finds an earlier
 * attempt by it. Everything here is plain text: each CRM module converts to its own format.
 */

/** One word that starts every block; CRM searches look for it. */
export const NOTE_MARKER = 'lqblock';
const BLOCK_START = `--- ${NOTE_MARKER} v1 (machine-readable: do not edit) ---`;
const BLOCK_END = `--- end ${NOTE_MARKER} ---`;
const SUBJECT_MAX = 255;

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

/** The idempotency key of a revision: one alphanumeric token, the same on every retry. */
export function idempotencyKey(revision: Pick<Revision, 'hash'>): string {
  return `lq${revision.hash.slice(0, 32)}`;
}

export function noteBlockOf(revision: Revision): NoteBlock {
  const { decision: d, snapshot: s } = revision;
  return {
    v: 1,
    key: idempotencyKey(revision),
    dispositionId: revision.dispositionId,
    rev: revision.rev,
    hash: revision.hash,
    prevHash: revision.prevHash,
    crm: s.lead.crm,
    recordId: s.lead.recordId,
    leadName: s.lead.name,
    company: s.lead.company,
    source: s.lead.source,
    campaign: s.lead.campaign,
    mqlAt: s.lead.mqlAt,
    firstContactAt: s.lead.firstContactAt,
    outcome: d.outcome,
    ...(d.outcome === 'accept' ? { stage: d.stage, nextStepId: d.nextStepId, nextStepOn: d.nextStepOn } : {}),
    ...(d.outcome === 'reject' ? { reasonCode: d.reasonCode, attempts: d.attempts } : {}),
    ...(d.outcome === 'recycle' ? { recheckOn: d.recheckOn, trigger: d.trigger } : {}),
    note: d.note,
    score: s.score.total,
    fit: s.score.fit,
    engagement: s.score.engagement,
    recommendation: s.recommendation.outcome,
    frameworkId: s.checklist.frameworkId,
    criteria: Object.entries(s.checklist.answers).map(([id, a]) => ({ id, state: a.state, evidence: a.evidence })),
    author: revision.author,
    at: revision.at,
  };
}

/** JSON with no `--` anywhere (hyphens inside strings escaped), so text in a note can't end the block. */
function blockJson(block: NoteBlock): string {
  return JSON.stringify(block).replace(/-(?=-)/g, '\\u002d');
}

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`);

export interface FormattedNote {
  subject: string;
  body: string;
}

/**
 * The note for one revision, at most `maxChars` long (HubSpot 65,536; Salesforce task descriptions
 * 32,000). When too long, the readable part is shortened first, then the block's note (flagged
 * `noteTruncated`): the full text always stays in the local store.
 */
export function formatDispositionNote(revision: Revision, config: Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'frameworks'>, maxChars: number): FormattedNote {
  const block = noteBlockOf(revision);
  const { decision: d, snapshot: s } = revision;
  const label = outcomeLabel(d, config);
  const subject = clip(`Lead qualification: ${label} (${block.key})`, SUBJECT_MAX);
  const framework = findFramework(config as QualificationConfig, s.checklist.frameworkId);

  const readable = (noteMax: number, evidenceMax: number) => {
    const lines = [`Lead qualification: ${label}`];
    if (d.outcome === 'accept') {
      const step = config.nextSteps.find((n) => n.id === d.nextStepId)?.label ?? d.nextStepId;
      lines.push(`Next step: ${step} on ${d.nextStepOn}`);
    }
    if (d.outcome === 'reject' && d.attempts !== undefined) lines.push(`Contact attempts: ${d.attempts}`);
    if (d.outcome === 'recycle') lines.push(`Re-check: ${[d.recheckOn, d.trigger].filter(Boolean).join(' — ')}`);
    if (d.note) lines.push(`Note: ${clip(d.note, noteMax)}`);
    lines.push(`Score: ${s.score.total}/100 (fit ${s.score.fit}, engagement ${s.score.engagement}); recommended: ${s.recommendation.outcome}`);
    if (framework) {
      lines.push(`${framework.label}:`);
      for (const c of framework.criteria) {
        const a = s.checklist.answers[c.id];
        const evidence = a?.evidence ? ` — “${clip(a.evidence, evidenceMax)}”` : '';
        lines.push(`- ${c.label}: ${a?.state ?? 'unknown'}${evidence}`);
      }
    }
    lines.push(`By ${revision.author.name}, ${revision.at.slice(0, 16).replace('T', ' ')} UTC (disposition ${revision.dispositionId}, revision ${revision.rev})`);
    return lines.join('\n');
  };
  const compose = (human: string, b: NoteBlock) => `${human}\n\n${BLOCK_START}\n${blockJson(b)}\n${BLOCK_END}`;

  for (const [noteMax, evidenceMax] of [[Infinity, 2000], [2000, 300], [300, 80], [0, 0]] as const) {
    const body = compose(readable(noteMax, evidenceMax), block);
    if (body.length <= maxChars) return { subject, body };
  }
  // Still too long: the block itself must shrink. Keep the key, outcome and score; trim the texts.
  const human = `Lead qualification: ${label}\n(The full note is too long for this CRM field; it is kept in the extension.)`;
  const room = Math.max(0, maxChars - compose(human, { ...block, note: '', noteTruncated: true, criteria: [] }).length - 16);
  const trimmed: NoteBlock = { ...block, note: clip(d.note, Math.floor(room / 2)), noteTruncated: true, criteria: block.criteria.map((c) => ({ ...c, evidence: '' })) };
  return { subject, body: compose(human, trimmed) };
}

export type ParsedNote = { ok: true; block: NoteBlock } | { ok: false; reason: string };

/** Finds and validates the structured block in a note's plain text (imports from the CRM). */
export function parseDispositionNote(text: string): ParsedNote {
  const start = text.lastIndexOf(BLOCK_START);
  if (start < 0) return { ok: false, reason: 'no structured block' };
  const end = text.indexOf(BLOCK_END, start);
  if (end < 0) return { ok: false, reason: 'the structured block has no end line' };
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start + BLOCK_START.length, end).trim());
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

/**
 * Links between revisions imported from the CRM: each must name the previous one's hash, with no gaps.
 * Their content can't be re-hashed here (the CRM holds a summary, not the frozen snapshot).
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

/** A manager's verdict on a rejection, as it goes to the CRM (its own note, next to the decision's). */
export interface ReviewNoteInput {
  id: string;
  dispositionId: string;
  reviewerName: string;
  verdict: 'agree' | 'disagree';
  comment: string;
  at: string;
}

/** The idempotency key of a review: like a revision's, one token from a hash of the review. */
export function reviewKey(review: ReviewNoteInput): string {
  return `lq${bytesToHex(sha256(utf8ToBytes(canonicalize({ ...review }) ?? ''))).slice(0, 32)}`;
}

export function formatReviewNote(review: ReviewNoteInput, decision: { label: string; repName: string; rev: number }): FormattedNote & { key: string } {
  const key = reviewKey(review);
  const verdict = review.verdict === 'agree' ? 'agrees with' : 'disagrees with';
  const subject = clip(`Lead qualification review: ${review.reviewerName} ${verdict} “${decision.label}” (${key})`, SUBJECT_MAX);
  const body = [
    `Lead qualification review: ${review.reviewerName} ${verdict} the decision “${decision.label}” by ${decision.repName} (revision ${decision.rev}).`,
    review.comment.trim() ? `Comment: ${review.comment.trim()}` : '',
    `Reviewed ${review.at.slice(0, 16).replace('T', ' ')} UTC (disposition ${review.dispositionId}, review ${review.id}, ${key})`,
  ]
    .filter(Boolean)
    .join('\n');
  return { key, subject, body };
}
