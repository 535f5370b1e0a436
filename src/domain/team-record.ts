import { hashRevision, type Author, type Outcome, type Revision } from './dispositions';
import { idempotencyKey, parseTeamNote, reviewKey, type NoteBlock, type ReviewPayload } from './note-format';

/**
 * The team's record of one CRM: the decisions and reviews every rep's extension wrote into it, read back
 * and checked. A note in the CRM is untrusted input — anyone with CRM access can write one, copy one onto
 * another record, or edit one — so each entry says how far it can be trusted, from the CRM's own
 * metadata, never from what the note says about itself:
 * - `verified`: the CRM says the note's author created it, it is attached to the record it names, its
 *   content hashes to what it claims, and it follows the revision before it.
 * - `unconfirmed`: nothing contradicts it, but something cannot be checked (the CRM does not say who
 *   created the note; the author typed their name; an earlier revision is not in the CRM; a version 1
 *   summary, which has no content to hash; a revision shortened to fit the CRM's field).
 * - `flagged`: something contradicts it (another author, another record, edited content, a revision that
 *   conflicts with another one of the same number). Shown as such, never merged into a history.
 */

export type TrustState = 'verified' | 'unconfirmed' | 'flagged';
export interface Trust {
  state: TrustState;
  /** Why it is not verified, for people, most serious first. */
  notes: string[];
}

/** A note as a CRM module returns it (see `ImportedNote` in `src/crm/api.ts`). */
export interface TeamNoteInput {
  noteId: string;
  recordId: string;
  body: string;
  at: string;
  createdBy?: { id: string; name?: string; ownerId?: string };
}

/** One revision of a decision, as the CRM holds it. */
export interface TeamDecision {
  kind: 'decision';
  noteId: string;
  /** The record the CRM attaches the note to. */
  recordId: string;
  noteAt: string;
  createdBy?: TeamNoteInput['createdBy'];
  key: string;
  dispositionId: string;
  rev: number;
  hash: string;
  prevHash: string | null;
  /** The whole revision (version 2 notes); absent for version 1 summaries. */
  revision?: Revision;
  /** Version 1 notes: the summary block. */
  legacy?: NoteBlock;
  /** Where the record lives beyond its id (HubSpot's object type), as the note says. */
  record?: { objectType: string; account?: string };
  summary: DecisionSummary;
  trust: Trust;
}

/** What every view needs from a decision, from either note version. */
export interface DecisionSummary {
  outcome: Outcome;
  /** As the deciding rep's config named it: "Rejected: Bad timing". */
  label: string;
  reasonCode?: string;
  reasonLabel?: string;
  subReason?: string;
  note: string;
  author: Author;
  at: string;
  leadName?: string;
  company?: string;
  score: number;
  recommendation: string;
  frameworkId: string;
  configVersion?: number;
  nextStep?: string;
  nextStepOn?: string;
  recheckOn?: string;
  trigger?: string;
}

export interface TeamReview {
  kind: 'review';
  noteId: string;
  recordId: string;
  noteAt: string;
  createdBy?: TeamNoteInput['createdBy'];
  key: string;
  review: ReviewPayload;
  decisionLabel?: string;
  trust: Trust;
}

export interface TeamRecord {
  /** Every decision revision found, grouped by disposition, oldest revision first. */
  decisions: TeamDecision[];
  reviews: TeamReview[];
  /** Notes whose data could not be read, with why (edited in the CRM, another tool's note). */
  unreadable: { noteId: string; reason: string }[];
}

/** Trust states from most to least trusted, as numbers to compare. */
export const TRUST_RANK: Readonly<Record<TrustState, number>> = { verified: 0, unconfirmed: 1, flagged: 2 };

function trustOf(flags: string[], doubts: string[]): Trust {
  if (flags.length) return { state: 'flagged', notes: [...flags, ...doubts] };
  if (doubts.length) return { state: 'unconfirmed', notes: doubts };
  return { state: 'verified', notes: [] };
}

/** Whether the CRM's record of who created the note matches the author the note names. */
function authorship(author: Author, crm: string, createdBy: TeamNoteInput['createdBy'], flags: string[], doubts: string[]) {
  if (!createdBy) {
    doubts.push(`${crm} does not say who created this note`);
    return;
  }
  const creator = createdBy.name ? `${createdBy.name} (${createdBy.id})` : createdBy.id;
  if (!author.crm) {
    doubts.push(`signed with a typed name (“${author.name}”); ${crm} says ${creator} created the note`);
    return;
  }
  if (author.crm !== crm) {
    flags.push(`signed by a ${author.crm} user, but the note is in ${crm}`);
    return;
  }
  const same = createdBy.id === author.id || (author.ownerId !== undefined && createdBy.ownerId === author.ownerId);
  if (!same) flags.push(`signed by ${author.name} (${author.id}), but ${crm} says ${creator} created the note`);
}

function recordCheck(named: string, attached: string, flags: string[], doubts: string[]) {
  if (!attached) doubts.push(`the CRM no longer attaches this note to a record (it names record ${named})`);
  else if (attached !== named) flags.push(`it names record ${named}, but the CRM attaches it to record ${attached}`);
}

function summaryOfRevision(r: Revision, labels: { outcome: string; reason?: string; nextStep?: string }): DecisionSummary {
  const d = r.decision;
  const s = r.snapshot;
  return {
    outcome: d.outcome,
    label: labels.outcome,
    ...(d.outcome === 'reject' ? { reasonCode: d.reasonCode, reasonLabel: labels.reason, subReason: d.subReason } : {}),
    ...(d.outcome === 'accept' ? { nextStep: labels.nextStep, nextStepOn: d.nextStepOn } : {}),
    ...(d.outcome === 'recycle' ? { recheckOn: d.recheckOn, trigger: d.trigger } : {}),
    note: d.note,
    author: r.author,
    at: r.at,
    leadName: s.lead.name,
    company: s.lead.company,
    score: s.score.total,
    recommendation: s.recommendation.outcome,
    frameworkId: s.checklist.frameworkId,
    configVersion: s.configVersion,
  };
}

function summaryOfBlock(b: NoteBlock): DecisionSummary {
  const label = b.outcome === 'accept' ? 'Accepted' : b.outcome === 'reject' ? `Rejected: ${b.reasonCode ?? ''}` : 'Recycled to nurture';
  return {
    outcome: b.outcome,
    label,
    ...(b.outcome === 'reject' ? { reasonCode: b.reasonCode } : {}),
    ...(b.outcome === 'accept' ? { nextStep: b.nextStepId, nextStepOn: b.nextStepOn } : {}),
    ...(b.outcome === 'recycle' ? { recheckOn: b.recheckOn, trigger: b.trigger } : {}),
    note: b.note,
    author: { id: b.author.id, name: b.author.name },
    at: b.at,
    leadName: b.leadName,
    company: b.company,
    score: b.score,
    recommendation: b.recommendation,
    frameworkId: b.frameworkId,
  };
}

/**
 * Reads and checks the notes of one CRM (`crm`: the module id, e.g. `hubspot`). Notes may come in any
 * order and any number of times; the result is the same.
 */
export function readTeamRecord(notes: readonly TeamNoteInput[], crm: string): TeamRecord {
  const decisions: TeamDecision[] = [];
  const reviews: TeamReview[] = [];
  const unreadable: TeamRecord['unreadable'] = [];
  const seen = new Set<string>();

  for (const note of notes) {
    if (seen.has(note.noteId)) continue;
    seen.add(note.noteId);
    const parsed = parseTeamNote(note.body);
    if (!parsed.ok) {
      unreadable.push({ noteId: note.noteId, reason: parsed.reason });
      continue;
    }
    const c = parsed.content;
    const flags: string[] = [];
    const doubts: string[] = [];
    const base = { noteId: note.noteId, recordId: note.recordId, noteAt: note.at, createdBy: note.createdBy, key: c.key };
    if (c.kind === 'review') {
      const v = c.review;
      const fields = { id: v.id, dispositionId: v.dispositionId, reviewerId: v.reviewer.id, reviewerName: v.reviewer.name, verdict: v.verdict, comment: v.comment, at: v.at };
      // Reviews saved before the reviewer and revision were recorded were keyed without them.
      const keys = [reviewKey({ ...fields, rev: v.rev, reviewer: v.reviewer }), reviewKey(fields)];
      if (!keys.includes(c.key)) flags.push('its content was changed after it was written');
      authorship(c.review.reviewer, crm, note.createdBy, flags, doubts);
      reviews.push({ ...base, kind: 'review', review: c.review, decisionLabel: c.decisionLabel, trust: trustOf(flags, doubts) });
      continue;
    }
    if (c.v === 1) {
      const b = c.block;
      if (b.crm !== crm) flags.push(`it says it is a ${b.crm} decision, but the note is in ${crm}`);
      recordCheck(b.recordId, note.recordId, flags, doubts);
      authorship({ id: b.author.id, name: b.author.name }, crm, note.createdBy, flags, doubts);
      doubts.push('an older note format: a summary, whose content cannot be checked');
      decisions.push({ ...base, kind: 'decision', dispositionId: b.dispositionId, rev: b.rev, hash: b.hash, prevHash: b.prevHash, legacy: b, summary: summaryOfBlock(b), trust: trustOf(flags, doubts) });
      continue;
    }
    const r = c.revision;
    if (r.snapshot.lead.crm !== crm) flags.push(`it says it is a ${r.snapshot.lead.crm} decision, but the note is in ${crm}`);
    recordCheck(r.snapshot.lead.recordId, note.recordId, flags, doubts);
    if (c.shortened) doubts.push('shortened to fit the CRM’s field: the full text is on the deciding rep’s device');
    else if (hashRevision(r) !== r.hash || idempotencyKey(r) !== c.key) flags.push('its content was changed after it was written');
    authorship(r.author, crm, note.createdBy, flags, doubts);
    decisions.push({ ...base, kind: 'decision', dispositionId: r.dispositionId, rev: r.rev, hash: r.hash, prevHash: r.prevHash, revision: r, ...(c.record ? { record: c.record } : {}), summary: summaryOfRevision(r, c.labels), trust: trustOf(flags, doubts) });
  }

  checkChains(decisions);
  decisions.sort((a, b) => a.dispositionId.localeCompare(b.dispositionId) || a.rev - b.rev || a.noteAt.localeCompare(b.noteAt));
  reviews.sort((a, b) => a.review.at.localeCompare(b.review.at));
  return { decisions, reviews, unreadable };
}

/** Conflicts and links between revisions of one disposition; adds to each entry's trust. */
function checkChains(decisions: TeamDecision[]) {
  const byDisposition = new Map<string, TeamDecision[]>();
  for (const d of decisions) byDisposition.set(d.dispositionId, [...(byDisposition.get(d.dispositionId) ?? []), d]);
  const flag = (d: TeamDecision, why: string) => (d.trust = { state: 'flagged', notes: [why, ...d.trust.notes] });
  const doubt = (d: TeamDecision, why: string) => {
    if (d.trust.state === 'verified') d.trust = { state: 'unconfirmed', notes: [why] };
    else d.trust.notes.push(why);
  };
  for (const chain of byDisposition.values()) {
    const byRev = new Map<number, TeamDecision[]>();
    for (const d of chain) byRev.set(d.rev, [...(byRev.get(d.rev) ?? []), d]);
    for (const [rev, same] of byRev) {
      const hashes = new Set(same.map((d) => d.hash));
      if (hashes.size > 1) for (const d of same) flag(d, `conflicts with another revision ${rev} of this decision (the CRM holds ${hashes.size} different ones)`);
      // The same revision twice (a copied note): the first stays, the copies say so.
      else for (const d of same.slice(1)) doubt(d, 'a copy of another note with the same revision');
    }
    for (const d of chain) {
      if (d.rev === 1) {
        if (d.prevHash !== null) flag(d, 'a first revision that claims a previous one');
        continue;
      }
      const before = byRev.get(d.rev - 1);
      if (!before) doubt(d, gapDoubt(d.rev));
      else if (!before.some((b) => b.hash === d.prevHash)) flag(d, `does not follow revision ${d.rev - 1} in the CRM`);
    }
  }
}

/** The doubt a revision carries while the one before it was not among the notes read. */
export const gapDoubt = (rev: number) => `revision ${rev - 1} is not in the CRM`;

/** A trust without the gap doubt: the revision before it turned out to be known after all. */
export function closeGap(trust: Trust, rev: number): Trust {
  const notes = trust.notes.filter((n) => n !== gapDoubt(rev));
  return trust.state === 'flagged' ? { state: 'flagged', notes } : notes.length ? { state: 'unconfirmed', notes } : { state: 'verified', notes: [] };
}


/**
 * The chains a history can be built on: per disposition, the revisions that are not flagged and follow
 * one another from revision 1, oldest first. A flagged revision, and whatever comes after it, is left out
 * (shown as flagged, never merged).
 */
export function trustedChains(decisions: readonly TeamDecision[]): TeamDecision[][] {
  const byDisposition = new Map<string, TeamDecision[]>();
  for (const d of decisions) if (d.trust.state !== 'flagged' && d.revision) byDisposition.set(d.dispositionId, [...(byDisposition.get(d.dispositionId) ?? []), d]);
  const chains: TeamDecision[][] = [];
  for (const list of byDisposition.values()) {
    const chain: TeamDecision[] = [];
    for (const d of [...list].sort((a, b) => a.rev - b.rev)) {
      const prev = chain.at(-1);
      if (prev ? d.rev === prev.rev + 1 && d.prevHash === prev.hash : d.rev === 1) chain.push(d);
      else if (!prev || d.rev !== prev.rev) break;
    }
    if (chain.length) chains.push(chain);
  }
  return chains;
}
