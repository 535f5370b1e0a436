import { useId, useState } from 'react';
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
  /**
   * The panel's form (issue 17 part 6): one line, outcome and next step, that a disclosure button opens to
   * the whole card. Off for a frozen snapshot (the dashboard), which always shows everything.
   */
  compact?: boolean;
  /** Id for the compact line's button (the panel's navigation jumps to it). */
  toggleId?: string;
}

export function RecommendationCard({ recommendation: r, reasonCodes, call, headingId, compact, toggleId }: RecommendationCardProps) {
  const id = useId();
  const heading = headingId ?? `${id}-heading`;
  const detailsId = `${id}-details`;
  const [expanded, setExpanded] = useState(false);
  const details = <RecommendationDetails recommendation={r} reasonCodes={reasonCodes} call={call} />;
  if (compact) {
    return (
      <section className={`lq-section lq-rec lq-rec--compact lq-rec--${r.outcome}`} aria-labelledby={heading} data-outcome={r.outcome} data-rule={r.rule} data-phase={call?.phase}>
        <h3 id={heading} tabIndex={-1} className="lq-visually-hidden">
          {t.recommendation}
        </h3>
        {/* One line that never grows while the rep types: the text is cut with an ellipsis, the whole of it is in the button's name. */}
        <button
          id={toggleId}
          type="button"
          className="lq-rec__line"
          aria-expanded={expanded}
          aria-controls={detailsId}
          title={expanded ? t.recommendationCollapse : t.recommendationExpand}
          onClick={() => setExpanded((e) => !e)}
        >
          <span className={`lq-badge lq-badge--${r.outcome}`}>{t.outcome[r.outcome]}</span>
          <span className="lq-rec__summary">
            <span className="lq-rec__headline">{r.headline}</span>
            {r.nextAction.label !== r.headline && <span className="lq-rec__next">{` · ${r.nextAction.label}`}</span>}
          </span>
          <span className="lq-rec__chevron" aria-hidden="true" />
        </button>
        <div id={detailsId} className="lq-rec__details" hidden={!expanded}>
          {expanded && details}
        </div>
      </section>
    );
  }
  return (
    <section className={`lq-section lq-rec lq-rec--${r.outcome}`} aria-labelledby={heading} data-outcome={r.outcome} data-rule={r.rule} data-phase={call?.phase}>
      <h3 id={heading} tabIndex={-1}>
        {t.recommendation}
      </h3>
      <p className="lq-rec__top">
        <span className={`lq-badge lq-badge--${r.outcome}`}>{t.outcome[r.outcome]}</span>{' '}
        <span className="lq-rec__headline">{r.headline}</span>
      </p>
      {details}
    </section>
  );
}

/** Today's full card below its headline: why, cautions, the next action, and what deciding now would say. */
function RecommendationDetails({ recommendation: r, reasonCodes, call }: Pick<RecommendationCardProps, 'recommendation' | 'reasonCodes' | 'call'>) {
  const fmt = useFormat();
  const suggested = r.suggestedReasonCode ? (reasonCodes.find((c) => c.code === r.suggestedReasonCode)?.label ?? r.suggestedReasonCode) : undefined;
  return (
    <>
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
    </>
  );
}
