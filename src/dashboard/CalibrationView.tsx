import { useId, useMemo, useState } from 'react';
import { suggestSqlThreshold, thresholdEffect } from '../domain/calibration';
import { messageOf } from '../domain/errors';
import { DAY_MS } from '../domain/lead';
import type { KpiRow, Kpis } from '../domain/kpis';
import { useFormat } from '../ui/panel/format';
import { BandTable } from './BandTable';
import { useDashboard } from './context';
import { strings as t } from './strings';

export interface CalibrationViewProps {
  rows: readonly KpiRow[];
  kpis: Kpis;
}

function NumberField({ label, value, onChange, min, max, step = 1 }: { label: string; value: string; onChange: (v: string) => void; min: number; max?: number; step?: number }) {
  const id = useId();
  return (
    <div className="lqd-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" inputMode="decimal" min={min} max={max} step={step} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

/** The weeks the decisions span (at least one), from the first to the last decision. */
function periodWeeks(rows: readonly KpiRow[]): number {
  let min = Infinity;
  let max = -Infinity;
  for (const r of rows) {
    const at = r.decidedAt ? Date.parse(r.decidedAt) : NaN;
    if (Number.isNaN(at)) continue;
    if (at < min) min = at;
    if (at > max) max = at;
  }
  if (!Number.isFinite(min)) return 1;
  return Math.max(1, Math.round(((max - min) / (7 * DAY_MS)) * 10) / 10);
}

/** Acceptance by score band, and the SQL threshold the team's capacity calls for, with its effect. */
export function CalibrationView({ rows, kpis }: CalibrationViewProps) {
  const fmt = useFormat();
  const { config } = useDashboard();
  const current = config.thresholds.sqlReady;
  const repCount = useMemo(() => new Set(rows.map((r) => r.rep).filter(Boolean)).size || 1, [rows]);
  const [reps, setReps] = useState(String(repCount));
  const [perRep, setPerRep] = useState('10');
  const [tried, setTried] = useState(String(current));
  const scores = useMemo(() => rows.flatMap((r) => (r.score === undefined ? [] : [r.score])), [rows]);
  const weeks = useMemo(() => periodWeeks(rows), [rows]);

  let suggestion: ReturnType<typeof suggestSqlThreshold> | undefined;
  let problem: string | undefined;
  try {
    suggestion = suggestSqlThreshold({ scores, periodWeeks: weeks, reps: Number(reps), leadsPerRepPerWeek: Number(perRep) });
  } catch (e) {
    problem = messageOf(e);
  }
  const triedNumber = Number(tried);
  const effect = tried.trim() !== '' && Number.isFinite(triedNumber) ? thresholdEffect(scores, current, triedNumber) : undefined;
  const perWeek = (n: number) => t.perWeek(fmt.count(Math.round((n / weeks) * 10) / 10));

  return (
    <div className="lqd-calibration">
      <p>{t.calibrationIntro}</p>
      <BandTable bands={kpis.acceptanceByBand} caption={t.acceptanceByBand} />

      <div className="lqd-form-row">
        <NumberField label={t.reps} value={reps} onChange={setReps} min={1} />
        <NumberField label={t.leadsPerRep} value={perRep} onChange={setPerRep} min={1} />
      </div>
      <p className="lqd-hint">{t.periodWeeks(fmt.count(weeks))}</p>
      <div role="status" className="lqd-result">
        {problem ? (
          <p className="lqd-error">{t.calibrationError(problem)}</p>
        ) : (
          suggestion && (
            <>
              <p className="lqd-big">{t.suggested(suggestion.threshold)}</p>
              <p>{suggestion.reason}</p>
            </>
          )
        )}
        <p>{t.currentThreshold(current)}</p>
      </div>

      <div className="lqd-form-row">
        <NumberField label={t.tryThreshold} value={tried} onChange={setTried} min={0} max={100} />
      </div>
      {effect && (
        <p role="status">
          {t.effect(
            current,
            triedNumber,
            `${fmt.count(effect.passedAtFrom)} (${perWeek(effect.passedAtFrom)})`,
            `${fmt.count(effect.passedAtTo)} (${perWeek(effect.passedAtTo)})`,
            `${effect.difference > 0 ? '+' : effect.difference < 0 ? '\u2212' : ''}${fmt.count(Math.abs(effect.difference))}`,
          )}
        </p>
      )}
    </div>
  );
}
