import type { QualificationConfig } from '../../domain/config';
import type { Decision } from '../../domain/dispositions';
import { useFormat } from './format';
import { strings as t } from './strings';
import type { SavedDecisionInfo, SyncState } from './types';
import { isolate } from '../../domain/untrusted-text';
import { Untrusted } from '../Untrusted';

export interface SavedDecisionProps {
  saved: SavedDecisionInfo;
  /** To name reason codes and next steps. */
  config: Pick<QualificationConfig, 'reasonCodes' | 'nextSteps'>;
  /** Offers "Change decision" (a new revision) when given. */
  onRevise?: () => void;
  /** Offers "Retry sync" when the CRM update needs attention. */
  onRetrySync?: () => void;
}

/** "Accepted as SQL", "Rejected — Not ICP fit", "Recycled to nurture". */
export function decisionHeadline(d: Decision, config: Pick<QualificationConfig, 'reasonCodes'>): string {
  switch (d.outcome) {
    case 'accept':
      return t.savedAccepted(d.stage);
    case 'reject':
      return t.savedRejected(config.reasonCodes.find((r) => r.code === d.reasonCode)?.label ?? d.reasonCode);
    case 'recycle':
      return t.savedRecycled;
  }
}

export function syncText(state: SyncState, message?: string): string {
  switch (state) {
    case 'saved_locally':
      return message?.trim() ? t.sync.retrying(message.trim()) : t.sync.saved_locally;
    case 'synced':
      return t.sync.synced;
    case 'needs_attention':
      return t.sync.needs_attention(message?.trim() || t.needsAttentionUnknown);
  }
}

export function SavedDecision({ saved, config, onRevise, onRetrySync }: SavedDecisionProps) {
  const fmt = useFormat();
  const d = saved.decision;
  const details: string[] = [];
  switch (d.outcome) {
    case 'accept': {
      const step = config.nextSteps.find((s) => s.id === d.nextStepId)?.label ?? d.nextStepId;
      if (step) details.push(t.nextStepOnDay(step, d.nextStepOn ? fmt.day(d.nextStepOn) : ''));
      break;
    }
    case 'reject':
      if (d.subReason) details.push(t.subReasonValue(d.subReason));
      if (d.attempts !== undefined) details.push(t.attemptsValue(d.attempts));
      break;
    case 'recycle':
      if (d.recheckOn) details.push(t.recheckOnDay(fmt.day(d.recheckOn)));
      if (d.trigger.trim()) details.push(t.recheckWhen(d.trigger.trim()));
      break;
  }
  if (d.note.trim()) details.push(t.noteValue(isolate(d.note.trim())));

  return (
    <div className={`lq-saved lq-saved--${d.outcome}`} data-outcome={d.outcome}>
      <p className="lq-saved__outcome">{decisionHeadline(d, config)}</p>
      <p className="lq-muted">
        <time dateTime={saved.at}>{saved.by ? <Untrusted text={t.savedBy(saved.by, fmt.dateTime(saved.at))} /> : t.savedAt(fmt.dateTime(saved.at))}</time>
      </p>
      {details.length > 0 && (
        <ul className="lq-saved__details">
          {details.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      <p role="status" className={`lq-sync lq-sync--${saved.syncState}`} data-sync={saved.syncState}>
        {saved.source === 'team' ? t.teamSource : syncText(saved.syncState, saved.syncMessage)}
      </p>
      {(onRevise || (onRetrySync && saved.syncState === 'needs_attention')) && (
        <div className="lq-actions">
          {onRetrySync && saved.syncState === 'needs_attention' && (
            <button type="button" className="lq-button" onClick={onRetrySync}>
              {t.retrySync}
            </button>
          )}
          {onRevise && (
            <button type="button" className="lq-button" onClick={onRevise}>
              {t.changeDecision}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
