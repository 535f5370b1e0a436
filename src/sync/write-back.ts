import type { CallWrite, CrmUser, Mapping, WriteBack } from '../crm/api';
import { callKey, criterionLabels, formatCall, type LoggedCall } from '../domain/calls';
import type { LeadRef } from '../domain/lead-ref';
import type { QualificationConfig } from '../domain/config';
import type { Decision, Revision } from '../domain/dispositions';
import { formatDispositionNote, idempotencyKey } from '../domain/note-format';

/**
 * What the CRM receives for a revision, under the team's mapping: built by the sync loop at send time
 * from the stored revision, so a mapping fixed after a failure applies on the retry.
 */

function mappedReason(decision: Decision, mapping: Mapping, config: Pick<QualificationConfig, 'reasonCodes'>): string | undefined {
  if (!mapping.reasonField) return undefined;
  if (decision.outcome !== 'reject') return '';
  return mapping.reasons[decision.reasonCode] ?? config.reasonCodes.find((r) => r.code === decision.reasonCode)?.label ?? decision.reasonCode;
}

export function writeBackFor(
  revision: Revision,
  ref: LeadRef,
  mapping: Mapping,
  config: Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'frameworks'>,
  noteMaxChars: number,
  authorUser?: CrmUser,
): WriteBack {
  const note = formatDispositionNote(revision, config, noteMaxChars, { objectType: ref.objectType, ...(ref.account ? { account: ref.account } : {}) });
  return {
    key: idempotencyKey(revision),
    ref,
    status: mapping.status[revision.decision.outcome],
    reason: mappedReason(revision.decision, mapping, config),
    note: { ...note, at: revision.at, author: revision.author.name, ...(authorUser ? { authorUser } : {}) },
  };
}

/**
 * What the CRM receives for a logged call (ADR 19): its title and body with the key, outcome, start and
 * duration. Built by the sync loop at send time from the stored call, like a revision's write-back.
 */
export function callWriteFor(call: LoggedCall, ref: LeadRef, config: Pick<QualificationConfig, 'frameworks'>, authorUser?: CrmUser): CallWrite {
  const key = callKey(call.callId);
  const { title, body } = formatCall(call, criterionLabels(config.frameworks), key);
  return { key, ref, outcome: call.outcome, startedAt: call.startedAt, durationSec: call.durationSec, title, body, ...(authorUser ? { authorUser } : {}) };
}
