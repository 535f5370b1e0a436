import type { QualificationConfig } from '../domain/config';
import { outcomeLabel, type Decision, type Revision } from '../domain/dispositions';
import type { ReviewRecord } from '../store/records';
import { frameworkLabel, reasonLabel } from './format';
import { strings as t } from './strings';

/** What one revision changed against the one before, in the manager's words. */
export interface Change {
  field: string;
  from: string;
  to: string;
}

type Config = Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'frameworks'>;

const show = (value: string | number | undefined) => (value === undefined || value === '' ? t.empty : String(value));

/** The fields of a decision that only exist for its outcome, as label → value. */
function detailsOf(d: Decision, config: Config): [string, string][] {
  switch (d.outcome) {
    case 'accept':
      return [
        [t.changeFields.nextStep, show(config.nextSteps.find((s) => s.id === d.nextStepId)?.label ?? d.nextStepId)],
        [t.changeFields.nextStepOn, show(d.nextStepOn)],
      ];
    case 'reject':
      return [
        [t.changeFields.subReason, show(d.subReason)],
        [t.changeFields.attempts, show(d.attempts)],
      ];
    case 'recycle':
      return [
        [t.changeFields.recheckOn, show(d.recheckOn)],
        [t.changeFields.trigger, show(d.trigger)],
      ];
  }
}

export function revisionChanges(prev: Revision, next: Revision, config: Config): Change[] {
  const changes: Change[] = [];
  const push = (field: string, from: string, to: string) => {
    if (from !== to) changes.push({ field, from, to });
  };
  push(t.changeFields.outcome, outcomeLabel(prev.decision, config), outcomeLabel(next.decision, config));
  if (prev.decision.outcome === next.decision.outcome) {
    const before = new Map(detailsOf(prev.decision, config));
    for (const [field, value] of detailsOf(next.decision, config)) push(field, before.get(field) ?? t.empty, value);
  }
  push(t.changeFields.note, show(prev.decision.note.trim()), show(next.decision.note.trim()));
  push(t.changeFields.score, String(prev.snapshot.score.total), String(next.snapshot.score.total));
  push(t.changeFields.framework, frameworkLabel(config, prev.snapshot.framework.id), frameworkLabel(config, next.snapshot.framework.id));
  return changes;
}

/** A decision's own details, as "label: value" lines (only the filled ones). */
export function decisionDetails(d: Decision, config: Config): string[] {
  const lines = detailsOf(d, config)
    .filter(([, v]) => v !== t.empty)
    .map(([label, v]) => `${label}: ${v}`);
  if (d.outcome === 'reject' && d.reasonCode) lines.unshift(`${t.changeFields.reasonCode}: ${reasonLabel(config, d.reasonCode)}`);
  return lines;
}

export type TimelineEntry = { kind: 'revision'; at: string; revision: Revision; previous?: Revision } | { kind: 'review'; at: string; review: ReviewRecord };

/** Revisions and reviews in one list, oldest first (a review made at the same moment comes after). */
export function timeline(revisions: readonly Revision[], reviews: readonly ReviewRecord[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    ...revisions.map((revision, i): TimelineEntry => ({ kind: 'revision', at: revision.at, revision, previous: revisions[i - 1] })),
    ...reviews.map((review): TimelineEntry => ({ kind: 'review', at: review.at, review })),
  ];
  return entries.sort((a, b) => a.at.localeCompare(b.at) || (a.kind === b.kind ? 0 : a.kind === 'revision' ? -1 : 1));
}
