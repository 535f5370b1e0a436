import type { Revision } from '../domain/dispositions';
import { trustedChains, type TeamDecision } from '../domain/team-record';
import type { PanelTeam } from '../messaging/panel-protocol';
import type { LeadTeamRecord } from '../store/records';

/**
 * What the panel shows of a lead's team record (every rep's decisions and the managers' reviews, as the
 * CRM holds them), and which decision is the lead's current one: this browser's latest revision, or a
 * newer one by someone else from the CRM — then "Change decision" continues that chain.
 */

const MAX_ENTRIES = 100;

export function teamViewOf(team: LeadTeamRecord | undefined): PanelTeam | null {
  if (!team) return null;
  const decisions = team.decisions.map((d) => ({
    kind: 'decision' as const,
    noteId: d.noteId,
    dispositionId: d.dispositionId,
    rev: d.rev,
    outcome: d.summary.outcome,
    label: d.summary.label,
    subReason: d.summary.subReason,
    note: d.summary.note,
    by: d.summary.author.name,
    at: d.summary.at,
    trust: d.trust,
  }));
  const reviews = team.reviews.map((r) => ({
    kind: 'review' as const,
    noteId: r.noteId,
    dispositionId: r.review.dispositionId,
    rev: r.review.rev,
    verdict: r.review.verdict,
    comment: r.review.comment,
    label: r.decisionLabel ?? '',
    by: r.review.reviewer.name,
    at: r.review.at,
    trust: r.trust,
  }));
  const entries = [...decisions, ...reviews].sort((a, b) => a.at.localeCompare(b.at)).slice(-MAX_ENTRIES);
  return { entries, status: team.status, readAt: team.readAt, problem: team.problem };
}

/** The newest trusted chain tip in the team record, with the chain's revisions (oldest first). */
export function teamTip(team: LeadTeamRecord | undefined): { tip: TeamDecision; revisions: Revision[] } | undefined {
  if (!team) return undefined;
  const chains = trustedChains(team.decisions);
  const best = chains.map((c) => ({ chain: c, tip: c.at(-1)! })).sort((a, b) => b.tip.summary.at.localeCompare(a.tip.summary.at))[0];
  return best && { tip: best.tip, revisions: best.chain.map((d) => d.revision!) };
}

/** Whether the team's tip is newer than this browser's latest revision of the lead. */
export function teamIsAhead(tip: TeamDecision, local: Revision | undefined): boolean {
  if (!local) return true;
  if (tip.dispositionId === local.dispositionId) return tip.rev > local.rev;
  return tip.summary.at > local.at;
}
