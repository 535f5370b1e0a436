import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { findings, leadsToSample, proposeChanges, rejectionStats, type FeedbackDimension, type FeedbackRow, type GroupStats } from '../domain/feedback';
import type { KpiRow } from '../domain/kpis';
import { storageErrorMessage, storeName } from '../store/store';
import type { DispositionFilters } from '../store/filters';
import { scoredLeads } from '../store/kpi-rows';
import { useFormat } from '../ui/panel/format';
import { useDashboard } from './context';
import { fileName } from './export';
import { filtersKey } from './hooks';
import { groupLabel, percent, reasonLabel } from './format';
import { strings as t } from './strings';

export interface FeedbackViewProps {
  rows: readonly KpiRow[];
  filters: DispositionFilters;
}

function toFeedbackRows(rows: readonly KpiRow[]): FeedbackRow[] {
  const out: FeedbackRow[] = [];
  for (const r of rows) {
    if (!r.dispositionId || !r.outcome) continue;
    out.push({ dispositionId: r.dispositionId, source: r.source, campaign: r.campaign, outcome: r.outcome, reasonCode: r.reasonCode, score: r.score });
  }
  return out;
}

function GroupTable({ stats, dimension }: { stats: GroupStats[]; dimension: FeedbackDimension }) {
  const fmt = useFormat();
  const { config } = useDashboard();
  const id = useId();
  return (
    <>
      <h3 id={id}>{dimension === 'source' ? t.bySource : t.byCampaign}</h3>
      <table className="lqd-grid-table" aria-labelledby={id}>
        <thead>
          <tr>
            <th scope="col">{dimension === 'source' ? t.source : t.campaign}</th>
            <th scope="col">{t.groupColumns.decided}</th>
            <th scope="col">{t.groupColumns.rejected}</th>
            <th scope="col">{t.groupColumns.top}</th>
          </tr>
        </thead>
        <tbody>
          {stats.map((g) => (
            <tr key={g.value}>
              <th scope="row">{groupLabel(g.value)}</th>
              <td className="lqd-num">{fmt.count(g.decided)}</td>
              <td className="lqd-num">
                {fmt.count(g.rejected)} ({percent(g.rejected / g.decided)})
              </td>
              <td>{g.reasons
                .slice(0, 3)
                .map((r) => t.topReason(reasonLabel(config, r.code), percent(r.share)))
                .join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Rejection reasons by source and campaign, and proposals for marketing that a manager can export. */
export function FeedbackView({ rows, filters }: FeedbackViewProps) {
  const { db, config, generation, clock, download } = useDashboard();
  const feedbackRows = useMemo(() => toFeedbackRows(rows), [rows]);
  const bySource = useMemo(() => rejectionStats(feedbackRows, 'source'), [feedbackRows]);
  const byCampaign = useMemo(() => rejectionStats(feedbackRows, 'campaign'), [feedbackRows]);
  const found = useMemo(() => findings(feedbackRows), [feedbackRows]);
  const proposals = useQuery({
    queryKey: ['proposals', storeName(db), filtersKey(filters), generation, found.length],
    queryFn: async () => proposeChanges(found, await scoredLeads(db, leadsToSample(found, feedbackRows)), config),
    staleTime: Infinity,
  });
  const proposalsId = useId();

  const exportProposals = () =>
    download({
      name: fileName('feedback-proposals', 'json', clock()),
      type: 'application/json',
      text: `${JSON.stringify({ generatedAt: new Date(clock()).toISOString(), filters, findings: found, proposals: proposals.data ?? [] }, null, 2)}\n`,
    });

  return (
    <div className="lqd-feedback">
      <p>{t.feedbackIntro}</p>
      <h3 id={proposalsId}>{t.proposalsHeading}</h3>
      {found.length === 0 ? (
        <p>{t.proposalsNone}</p>
      ) : proposals.isError ? (
        <p role="alert">{storageErrorMessage(proposals.error)}</p>
      ) : !proposals.data ? (
        <p role="status">{t.proposalsLoading}</p>
      ) : (
        <ol className="lqd-proposals" aria-labelledby={proposalsId}>
          {proposals.data.map((p) => (
            <li key={`${p.finding.dimension}:${p.finding.value}:${p.finding.reasonCode}`} className={`lqd-proposal lqd-proposal--${p.kind}`}>
              <span className="lqd-tag">{t.proposalKinds[p.kind]}</span> {p.text}
            </li>
          ))}
        </ol>
      )}
      <p>
        <button type="button" className="lq-button" onClick={exportProposals} disabled={found.length > 0 && !proposals.data}>
          {t.exportProposals}
        </button>
      </p>
      <GroupTable stats={bySource} dimension="source" />
      <GroupTable stats={byCampaign} dimension="campaign" />
    </div>
  );
}
