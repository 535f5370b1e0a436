import { useId, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { KpiRow, Kpis } from '../domain/kpis';
import type { FilterOptions } from '../store/filters';
import { useFormat } from '../ui/panel/format';
import { funnelData, OTHER_REASONS, reasonsOverTime } from './chart-data';
import { BandTable } from './BandTable';
import { useDashboard } from './context';
import { bandLabel, percent, reasonLabel, repLabel } from './format';
import { strings as t } from './strings';

export interface ChartsViewProps {
  kpis: Kpis;
  rows: readonly KpiRow[];
  options: FilterOptions | undefined;
}

/** Colours with at least 3:1 contrast on white, told apart by legend and table, never by colour alone. */
const PALETTE = ['#0550ae', '#a40e26', '#116329', '#7a4700', '#6639ba', '#57606a'];
const CHART_STYLE = { width: '100%', maxWidth: 760, aspectRatio: 2.2 } as const;

/**
 * One chart: a caption with a one-sentence summary, the chart as an image named by that summary, and the
 * numbers as a table for anyone who cannot or would rather not read the chart.
 */
function ChartFigure({ title, summary, chart, table }: { title: string; summary: string; chart: ReactNode; table: ReactNode }) {
  const id = useId();
  return (
    <figure className="lqd-figure" aria-labelledby={id}>
      <figcaption>
        <h3 id={id}>{title}</h3>
        <p>{summary}</p>
      </figcaption>
      <div role="img" aria-label={summary} className="lqd-chart">
        {chart}
      </div>
      <details className="lqd-chart-data">
        <summary>{t.chartDataTable}</summary>
        {table}
      </details>
    </figure>
  );
}

export function ChartsView({ kpis, rows, options }: ChartsViewProps) {
  const fmt = useFormat();
  const { config } = useDashboard();
  const funnel = funnelData(kpis).map((p) => ({ ...p, label: t.funnelStages[p.stage] }));
  const reasons = reasonsOverTime(rows);
  const reasonName = (code: string) => (code === OTHER_REASONS ? t.otherReasons : reasonLabel(config, code));
  const bands = kpis.acceptanceByBand.map((b) => ({ band: bandLabel(b.from), rate: b.rate === null ? 0 : Math.round(b.rate * 1000) / 10, raw: b }));
  const rated = kpis.acceptanceByBand.filter((b) => b.rate !== null);
  const best = [...rated].sort((a, b) => b.rate! - a.rate!)[0];
  const worst = [...rated].sort((a, b) => a.rate! - b.rate!)[0];
  const breaches = kpis.slaBreaches.byRep.map((r) => ({ ...r, name: repLabel(options?.reps, r.rep) }));

  return (
    <div className="lqd-charts">
      <ChartFigure
        title={t.funnel}
        summary={t.funnelSummary(fmt.count(kpis.counts.mqls), fmt.count(kpis.counts.sals), fmt.count(kpis.counts.sqls))}
        chart={
          <BarChart data={funnel} layout="vertical" responsive style={CHART_STYLE} accessibilityLayer={false} margin={{ left: 24 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={60} />
            <Tooltip />
            <Bar dataKey="value" name={t.leads} fill={PALETTE[0]} isAnimationActive={false} />
          </BarChart>
        }
        table={
          <table className="lqd-grid-table">
            <thead>
              <tr>
                <th scope="col">{t.stage}</th>
                <th scope="col">{t.leads}</th>
              </tr>
            </thead>
            <tbody>
              {funnel.map((p) => (
                <tr key={p.stage}>
                  <th scope="row">{p.label}</th>
                  <td className="lqd-num">{fmt.count(p.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />

      <ChartFigure
        title={t.reasonsOverTime}
        summary={t.reasonsOverTimeSummary(reasons.points.length, reasons.reasons[0] ? reasonName(reasons.reasons[0]) : '')}
        chart={
          <BarChart data={reasons.points} responsive style={CHART_STYLE} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="month" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {reasons.reasons.map((code, i) => (
              <Bar key={code} dataKey={code} name={reasonName(code)} stackId="reasons" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        }
        table={
          <table className="lqd-grid-table">
            <thead>
              <tr>
                <th scope="col">{t.month}</th>
                {reasons.reasons.map((code) => (
                  <th key={code} scope="col">
                    {reasonName(code)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {reasons.points.map((p) => (
                <tr key={p.month}>
                  <th scope="row">{p.month}</th>
                  {reasons.reasons.map((code) => (
                    <td key={code} className="lqd-num">
                      {fmt.count(Number(p[code] ?? 0))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        }
      />

      <ChartFigure
        title={t.acceptanceByBand}
        summary={best && worst ? t.acceptanceSummary(`${bandLabel(best.from)} (${percent(best.rate)})`, `${bandLabel(worst.from)} (${percent(worst.rate)})`) : t.acceptanceNone}
        chart={
          <BarChart data={bands} responsive style={CHART_STYLE} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="band" />
            <YAxis unit="%" domain={[0, 100]} />
            <Tooltip />
            <Bar dataKey="rate" name={t.bandColumns.rate} fill={PALETTE[2]} isAnimationActive={false} />
          </BarChart>
        }
        table={<BandTable bands={kpis.acceptanceByBand} />}
      />

      <ChartFigure
        title={t.breachesByRep}
        summary={kpis.slaBreaches.total === 0 ? t.breachesNone : t.breachesSummary(fmt.count(kpis.slaBreaches.total), `${breaches[0]!.name} (${fmt.count(breaches[0]!.total)})`)}
        chart={
          <BarChart data={breaches} responsive style={CHART_STYLE} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="speedToLead" name={t.breachColumns.speed} stackId="breaches" fill={PALETTE[3]} isAnimationActive={false} />
            <Bar dataKey="disposition" name={t.breachColumns.disposition} stackId="breaches" fill={PALETTE[1]} isAnimationActive={false} />
          </BarChart>
        }
        table={
          <table className="lqd-grid-table">
            <thead>
              <tr>
                <th scope="col">{t.breachColumns.rep}</th>
                <th scope="col">{t.breachColumns.speed}</th>
                <th scope="col">{t.breachColumns.disposition}</th>
                <th scope="col">{t.breachColumns.total}</th>
              </tr>
            </thead>
            <tbody>
              {breaches.map((r) => (
                <tr key={r.rep}>
                  <th scope="row">{r.name}</th>
                  <td className="lqd-num">{fmt.count(r.speedToLead)}</td>
                  <td className="lqd-num">{fmt.count(r.disposition)}</td>
                  <td className="lqd-num">{fmt.count(r.total)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </div>
  );
}

export default ChartsView;
