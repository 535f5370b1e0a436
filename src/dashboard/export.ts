import Papa from 'papaparse';
import type { QualificationConfig } from '../domain/config';
import { benchmarks, compareToBenchmark, type Kpis } from '../domain/kpis';
import type { DispositionRecord } from '../store/records';
import type { DownloadFile } from './context';
import { frameworkLabel, reasonLabel } from './format';
import { strings as t } from './strings';

/**
 * Files the dashboard exports. CSV through papaparse with formula escaping: notes are typed by people
 * and a cell starting with "=" must not run as a formula when a manager opens the file in a spreadsheet.
 */

/**
 * Cells a spreadsheet could read as a formula, prefixed with `'`: a start (after optional white space,
 * ideographic too) of `=`, `+`, `-`, `@` or their full-width forms, or a tab, CR or LF, whatever follows
 * (papaparse's own pattern ends in `.*$`, which a line break later in the cell defeats).
 */
export const FORMULA_START = /^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** With a byte-order mark, so spreadsheet programs read the file as UTF-8 (names, "→"). */
const csv = (rows: unknown[][]) => `\uFEFF${Papa.unparse(rows, { escapeFormulae: FORMULA_START, newline: '\r\n' })}`;

export function dispositionsCsv(rows: readonly DispositionRecord[], config: QualificationConfig): string {
  const c = t.csv;
  // The note stays last (people read it at the end of the line; tests find it there).
  const header = [
    c.id, c.lead, c.company, c.crm, c.recordId, c.url, c.rep, c.outcome, c.reason, c.recommended, c.override, c.decidedAt, c.updatedAt, c.revisions, c.previousOutcomes,
    c.source, c.campaign, c.score, c.fit, c.engagement, c.framework, c.configVersion, c.sla, c.mqlAt, c.firstContactAt, c.sync, c.trust, c.note,
  ];
  return csv([
    header,
    ...rows.map((r) => [
      r.id,
      r.leadName,
      r.company,
      r.crm,
      r.recordId,
      r.url ?? '',
      r.repName,
      t.outcomes[r.outcome],
      r.reasonCode ? reasonLabel(config, r.reasonCode) : '',
      // Rows saved before these were recorded: empty, not "No".
      r.recommended ? ((t.recommendations as Record<string, string | undefined>)[r.recommended] ?? r.recommended) : '',
      r.override === undefined ? '' : r.override ? c.yes : c.no,
      r.decidedAt,
      r.updatedAt,
      r.rev,
      r.previousOutcomes.map((o) => t.outcomes[o]).join(' → '),
      r.source,
      r.campaign,
      r.score,
      r.fit,
      r.engagement,
      frameworkLabel(config, r.frameworkId),
      r.configVersion ?? '',
      t.slaStates[r.slaState],
      r.mqlAt ?? '',
      r.firstContactAt ?? '',
      t.syncStates[r.sync],
      // Only rows with revisions read from the CRM have a trust state (the least trusted revision's).
      r.trust ? t.trustStates[r.trust] : '',
      r.noteSearch,
    ]),
  ]);
}

/** One line per measure: value as a number (fractions for rates, ms for durations), and the typical range. */
export function kpisCsv(k: Kpis): string {
  const c = t.csv;
  const range = (r?: { low: number; high: number }) => (r ? [r.low, r.high] : ['', '']);
  const line = (metric: string, value: number | null, bench?: { low: number; high: number }) => [
    metric,
    value ?? '',
    ...range(bench),
    bench ? t.comparison[compareToBenchmark(value, bench)] : '',
  ];
  return csv([
    [c.metric, c.value, c.typicalLow, c.typicalHigh, c.comparison],
    line(t.kpi.mqlToSal, k.mqlToSal),
    line(t.kpi.salToSql, k.salToSql),
    line(t.kpi.mqlToSql, k.mqlToSql, benchmarks.mqlToSql),
    line(t.kpi.acceptanceRate, k.acceptanceRate),
    line(t.kpi.recycleRate, k.recycleRate),
    line(t.kpi.rejectionRate, k.rejectionRate),
    line(`${t.kpi.speedMedian} (ms)`, k.speedToLead.medianMs),
    line(`${t.kpi.speedP90} (ms)`, k.speedToLead.p90Ms),
    line(t.kpi.slaBreaches, k.slaBreaches.total),
    line(t.kpi.sqlsDisqualified, k.sqlsDisqualifiedAfterFirstCall.share, benchmarks.sqlsDisqualifiedAfterFirstCallMax),
    line(t.kpi.leadVelocity, k.leadVelocity.rate),
    ...k.rejectionReasons.map((r) => [`${t.reasonsTable}: ${r.code}`, r.share, '', '', '']),
    ...k.slaBreaches.byRep.map((r) => [`${t.breachesTable}: ${r.rep}`, r.total, '', '', '']),
  ]);
}

export function configJson(config: QualificationConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** A file name with the day it was made: `decisions-2026-11-20.csv`. */
export function fileName(base: string, ext: string, now: number): string {
  return `${base}-${new Date(now).toISOString().slice(0, 10)}.${ext}`;
}

/** Saves a file through a temporary link (the extension page has no other download path without a permission). */
export function downloadFile(file: DownloadFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
