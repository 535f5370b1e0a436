import type { KpiRow, Kpis } from '../domain/kpis';
import { UNSPECIFIED_REASON } from '../domain/kpis';

/** Chart series shaped from KPI rows and KPIs. Pure, so the text alternatives and the charts agree. */

export interface FunnelPoint {
  stage: 'mqls' | 'sals' | 'sqls';
  value: number;
}

export function funnelData(k: Kpis): FunnelPoint[] {
  return [
    { stage: 'mqls', value: k.counts.mqls },
    { stage: 'sals', value: k.counts.sals },
    { stage: 'sqls', value: k.counts.sqls },
  ];
}

export interface ReasonsOverTime {
  /** Reason codes shown as their own series, most frequent first; the rest are summed as `other`. */
  reasons: string[];
  /** One point per calendar month (UTC) with rejections: `month` is YYYY-MM, the rest counts per reason. */
  points: ({ month: string } & Record<string, number | string>)[];
}

export const OTHER_REASONS = '__other';

export function reasonsOverTime(rows: readonly KpiRow[], top = 5): ReasonsOverTime {
  const totals = new Map<string, number>();
  const byMonth = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.outcome !== 'reject' || !r.decidedAt) continue;
    const code = r.reasonCode || UNSPECIFIED_REASON;
    const month = r.decidedAt.slice(0, 7);
    totals.set(code, (totals.get(code) ?? 0) + 1);
    const m = byMonth.get(month) ?? new Map<string, number>();
    m.set(code, (m.get(code) ?? 0) + 1);
    byMonth.set(month, m);
  }
  const ranked = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code]) => code);
  const shown = ranked.slice(0, top);
  const hasOther = ranked.length > top;
  const points = [...byMonth]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([month, counts]) => {
      const point: { month: string } & Record<string, number | string> = { month };
      let other = 0;
      for (const code of shown) point[code] = counts.get(code) ?? 0;
      for (const [code, n] of counts) if (!shown.includes(code)) other += n;
      if (hasOther) point[OTHER_REASONS] = other;
      return point;
    });
  return { reasons: hasOther ? [...shown, OTHER_REASONS] : shown, points };
}
