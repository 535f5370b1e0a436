import { useId } from 'react';
import { benchmarks, compareToBenchmark, type BenchmarkRange, type Kpis } from '../domain/kpis';
import type { FilterOptions } from '../store/filters';
import { useFormat } from '../ui/panel/format';
import { useDashboard } from './context';
import { fileName, kpisCsv } from './export';
import { duration, percent, reasonLabel, repLabel, signedPercent } from './format';
import { strings as t } from './strings';

export interface KpiViewProps {
  kpis: Kpis | undefined;
  /** Decisions the KPIs are computed over. */
  rows: number;
  loading: boolean;
  error?: string;
  options: FilterOptions | undefined;
}

interface Line {
  label: string;
  value: string;
  range?: Pick<BenchmarkRange, 'low' | 'high'>;
  raw?: number | null;
  note?: string;
}

function Verdict({ value, range }: { value: number | null | undefined; range?: Pick<BenchmarkRange, 'low' | 'high'> }) {
  if (!range) return <>{t.notApplicable}</>;
  const c = compareToBenchmark(value, range);
  // Words, not colour alone.
  return <span className={`lqd-verdict lqd-verdict--${c}`}>{t.comparison[c]}</span>;
}

/** The manager's key figures with the guides' typical ranges beside them, then reasons and breaches. */
export function KpiView({ kpis, rows, loading, error, options }: KpiViewProps) {
  const fmt = useFormat();
  const { config, clock, download } = useDashboard();
  const reasonsId = useId();
  const breachesId = useId();
  if (error) return <p role="alert">{error}</p>;
  if (!kpis) return <p role="status">{loading ? t.loading : t.kpiNoData}</p>;
  if (rows === 0) return <p role="status">{t.kpiNoData}</p>;

  const lines: Line[] = [
    { label: t.kpi.mqlToSal, value: percent(kpis.mqlToSal), note: t.salNote },
    { label: t.kpi.salToSql, value: percent(kpis.salToSql) },
    { label: t.kpi.mqlToSql, value: percent(kpis.mqlToSql), range: benchmarks.mqlToSql, raw: kpis.mqlToSql, note: benchmarks.mqlToSql.note },
    { label: t.kpi.acceptanceRate, value: percent(kpis.acceptanceRate) },
    { label: t.kpi.recycleRate, value: percent(kpis.recycleRate) },
    { label: t.kpi.rejectionRate, value: percent(kpis.rejectionRate) },
    { label: t.kpi.speedMedian, value: duration(kpis.speedToLead.medianMs) },
    { label: t.kpi.speedP90, value: duration(kpis.speedToLead.p90Ms) },
    { label: t.kpi.slaBreaches, value: t.breaches(fmt.count(kpis.slaBreaches.total), fmt.count(kpis.slaBreaches.speedToLead), fmt.count(kpis.slaBreaches.disposition)) },
    {
      label: t.kpi.sqlsDisqualified,
      value: `${percent(kpis.sqlsDisqualifiedAfterFirstCall.share)} (${fmt.count(kpis.sqlsDisqualifiedAfterFirstCall.count)})`,
      range: benchmarks.sqlsDisqualifiedAfterFirstCallMax,
      raw: kpis.sqlsDisqualifiedAfterFirstCall.share,
      note: t.disqualifiedWarning,
    },
    { label: t.kpi.leadVelocity, value: t.velocity(fmt.count(kpis.leadVelocity.current), fmt.count(kpis.leadVelocity.previous), signedPercent(kpis.leadVelocity.rate)) },
  ];

  return (
    <div className="lqd-kpis" aria-busy={loading}>
      <p className="lqd-hint">
        {t.kpisScope(fmt.count(rows))} {t.funnelNote}
      </p>
      <table className="lqd-grid-table lqd-kpi-table">
        <caption>{t.kpiTable}</caption>
        <thead>
          <tr>
            <th scope="col">{t.kpiColumns.metric}</th>
            <th scope="col">{t.kpiColumns.value}</th>
            <th scope="col">{t.kpiColumns.typical}</th>
            <th scope="col">{t.kpiColumns.verdict}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.label}>
              <th scope="row">
                {l.label}
                {l.note && <span className="lqd-sub">{l.note}</span>}
              </th>
              <td className="lqd-num">{l.value}</td>
              <td>{l.range ? t.benchmarkRange(percent(l.range.low), percent(l.range.high)) : t.notApplicable}</td>
              <td>
                <Verdict value={l.raw} range={l.range} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 id={reasonsId}>{t.reasonsHeading}</h3>
      <table className="lqd-grid-table" aria-labelledby={reasonsId}>
        <thead>
          <tr>
            <th scope="col">{t.reasonColumns.reason}</th>
            <th scope="col">{t.reasonColumns.count}</th>
            <th scope="col">{t.reasonColumns.share}</th>
          </tr>
        </thead>
        <tbody>
          {kpis.rejectionReasons.map((r) => (
            <tr key={r.code}>
              <th scope="row">{reasonLabel(config, r.code)}</th>
              <td className="lqd-num">{fmt.count(r.count)}</td>
              <td className="lqd-num">
                <span className="lqd-bar" aria-hidden="true" style={{ width: `${Math.round(r.share * 100)}%` }} />
                {percent(r.share)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 id={breachesId}>{t.breachesHeading}</h3>
      <table className="lqd-grid-table" aria-labelledby={breachesId}>
        <thead>
          <tr>
            <th scope="col">{t.breachColumns.rep}</th>
            <th scope="col">{t.breachColumns.speed}</th>
            <th scope="col">{t.breachColumns.disposition}</th>
            <th scope="col">{t.breachColumns.total}</th>
          </tr>
        </thead>
        <tbody>
          {kpis.slaBreaches.byRep.map((r) => (
            <tr key={r.rep}>
              <th scope="row">{repLabel(options?.reps, r.rep)}</th>
              <td className="lqd-num">{fmt.count(r.speedToLead)}</td>
              <td className="lqd-num">{fmt.count(r.disposition)}</td>
              <td className="lqd-num">{fmt.count(r.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <p>
        <button type="button" className="lq-button" onClick={() => download({ name: fileName('kpis', 'csv', clock()), type: 'text/csv;charset=utf-8', text: kpisCsv(kpis) })}>
          {t.exportKpis}
        </button>
      </p>
    </div>
  );
}
