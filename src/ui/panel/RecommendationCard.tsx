import { useId } from 'react';
import type { ReasonCode } from '../../domain/config';
import type { CallGuidance, Recommendation } from '../../domain/recommendation';
import { useFormat } from './format';
import { strings as t } from './strings';

export interface RecommendationCardProps {
  recommendation: Recommendation;
  /** config.reasonCodes, to name the suggested reason code. */
  reasonCodes: readonly ReasonCode[];
  /**
   * qualification.call: the phase (before the call, on the call, deciding) and, on the call, what the
   * guides' decision-time rules would say if the rep decided now. Left out for a frozen snapshot.
   */
  call?: CallGuidance;
  headingId?: string;
}

export function RecommendationCard({ recommendation: r, reasonCodes, call, headingId }: RecommendationCardProps) {
  const fmt = useFormat();
  const id = useId();
  const heading = headingId ?? `${id}-heading`;
  const suggested = r.suggestedReasonCode ? (reasonCodes.find((c) => c.code === r.suggestedReasonCode)?.label ?? r.suggestedReasonCode) : undefined;
  return (
    <section className={`lq-section lq-rec lq-rec--${r.outcome}`} aria-labelledby={heading} data-outcome={r.outcome} data-rule={r.rule} data-phase={call?.phase}>
      <h3 id={heading} tabIndex={-1}>
        {t.recommendation}
      </h3>
      <p className="lq-rec__top">
        <span className={`lq-badge lq-badge--${r.outcome}`}>{t.outcome[r.outcome]}</span>{' '}
        <span className="lq-rec__headline">{r.headline}</span>
      </p>
      {r.reasons.length > 0 && (
        <>
          <h4 className="lq-subheading">{t.why}</h4>
          <ul className="lq-reasons">
            {r.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
        </>
      )}
      {r.cautions.length > 0 && (
        <div className="lq-cautions">
          <h4 className="lq-subheading">{t.cautions}</h4>
          <ul>
            {r.cautions.map((caution, i) => (
              <li key={i}>{caution}</li>
            ))}
          </ul>
        </div>
      )}
      <h4 className="lq-subheading">{t.nextAction}</h4>
      <p className="lq-next" data-kind={r.nextAction.kind}>
        {r.nextAction.label}
        {r.nextAction.dueAt && <span className="lq-next__due">{` (${t.due(fmt.dateTime(r.nextAction.dueAt))})`}</span>}
      </p>
      {call?.ifDecidedNow && (
        <p className="lq-hint lq-rec__if-decided" data-outcome={call.ifDecidedNow.outcome}>
          {call.ifDecidedNow.text}
        </p>
      )}
      {suggested && <p className="lq-hint">{t.suggestedReason(suggested)}</p>}
    </section>
  );
}
