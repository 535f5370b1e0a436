import { useId } from 'react';
import type { ScoreHalf, ScoreLine, ScoreResult } from '../../domain/scoring';
import { signedPoints, useFormat } from './format';
import { strings as t } from './strings';

export interface ScoreBreakdownProps {
  score: ScoreResult;
  headingId?: string;
}

/** A readable name for a line's source: "Title", "Activity: pricing page visit". */
export function sourceLabel(source: string): string {
  if (source.startsWith('activity:')) return t.activitySource(source.slice('activity:'.length));
  return t.sources[source] ?? source;
}

/** The text tag that marks a line as something other than plain positive points (never colour alone). */
function tagOf(line: ScoreLine): { text: string; kind: 'decay' | 'cap' | 'negative' } | undefined {
  if (line.kind === 'decay') return { text: t.tagDecay, kind: 'decay' };
  if (line.kind === 'cap') return { text: t.tagCap, kind: 'cap' };
  if (line.points < 0) return { text: t.tagNegative, kind: 'negative' };
  return undefined;
}

function Line({ line }: { line: ScoreLine }) {
  const fmt = useFormat();
  const tag = tagOf(line);
  const sign = line.points < 0 ? 'negative' : line.points > 0 ? 'positive' : 'zero';
  const detail = line.detail && line.detail !== line.label ? line.detail : undefined;
  return (
    <li className={`lq-line lq-line--${line.kind} lq-line--${sign}`} data-kind={line.kind} data-rule={line.ruleId}>
      <span className="lq-line__points">{signedPoints(line.points)}</span>{' '}
      <span className="lq-line__body">
        <span className="lq-line__label">{line.label}</span>{' '}
        {tag && (
          <>
            <span className={`lq-tag lq-tag--${tag.kind}`}>{tag.text}</span>{' '}
          </>
        )}
        <span className="lq-line__meta">
          {[detail ? `${sourceLabel(line.source)}: ${detail}` : sourceLabel(line.source), fmt.date(line.at)].join(' · ')}
        </span>
      </span>
    </li>
  );
}

function Half({ half, score }: { half: ScoreHalf; score: ScoreResult }) {
  const id = useId();
  const lines = score.lines.filter((l) => l.half === half);
  const [name, value, max] = half === 'fit' ? [t.fit, score.fit, score.fitMax] : [t.engagement, score.engagement, score.engagementMax];
  return (
    <div className="lq-half">
      <h5 id={id} className="lq-half__heading">
        {name} <span className="lq-half__total">{t.subtotal(value, max)}</span>
      </h5>
      {lines.length === 0 ? (
        <p className="lq-muted">{t.noLines}</p>
      ) : (
        <ul className="lq-lines" aria-labelledby={id}>
          {lines.map((l, i) => (
            <Line key={`${l.ruleId}-${l.kind}-${i}`} line={l} />
          ))}
        </ul>
      )}
    </div>
  );
}

export function ScoreBreakdown({ score, headingId }: ScoreBreakdownProps) {
  const fmt = useFormat();
  const id = useId();
  const heading = headingId ?? `${id}-heading`;
  const percent = Math.max(0, Math.min(100, score.total));
  return (
    <section className="lq-section" aria-labelledby={heading}>
      <h3 id={heading} tabIndex={-1}>
        {t.score}
      </h3>
      <div className="lq-score">
        <div
          role="meter"
          className="lq-meter"
          aria-label={t.scoreMeter}
          aria-valuenow={score.total}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuetext={t.scoreValueText(score.total)}
        >
          <span className="lq-meter__value">{score.total}</span>
          <span className="lq-meter__max">/100</span>
          <span className="lq-meter__track" aria-hidden="true">
            <span className="lq-meter__fill" style={{ width: `${percent}%` }} />
          </span>
        </div>
        <dl className="lq-subtotals">
          <div>
            <dt>{t.fit}</dt>
            <dd>{t.subtotal(score.fit, score.fitMax)}</dd>
          </div>
          <div>
            <dt>{t.engagement}</dt>
            <dd>{t.subtotal(score.engagement, score.engagementMax)}</dd>
          </div>
        </dl>
      </div>
      <h4>{t.breakdown}</h4>
      <Half half="fit" score={score} />
      <Half half="engagement" score={score} />
      {score.unscored.length > 0 && (
        <div className="lq-half">
          <h5 className="lq-half__heading">{t.notScoredHeading}</h5>
          <ul className="lq-lines">
            {score.unscored.map((a, i) => (
              <li key={`${a.type}-${a.at}-${i}`} className="lq-line lq-line--unscored">
                <span className="lq-line__points" aria-hidden="true">
                  –
                </span>
                <span className="lq-line__body">
                  <span className="lq-line__label">{a.detail ? `${sourceLabel(`activity:${a.type}`)}: ${a.detail}` : sourceLabel(`activity:${a.type}`)}</span>{' '}
                  <span className="lq-tag lq-tag--unscored">{t.notScored}</span>{' '}
                  <span className="lq-line__meta">{fmt.date(a.at)}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="lq-hint">{t.scoredAt(fmt.dateTime(score.scoredAt))}</p>
    </section>
  );
}
