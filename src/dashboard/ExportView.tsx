import { useState } from 'react';
import { storageErrorMessage } from '../store/store';
import type { DispositionFilters } from '../store/filters';
import { filteredRows } from '../store/kpi-rows';
import { useFormat } from '../ui/panel/format';
import { useDashboard } from './context';
import { configJson, dispositionsCsv, fileName } from './export';
import { strings as t } from './strings';

export interface ExportViewProps {
  filters: DispositionFilters;
  /** Present once the KPIs are computed (the KPI view has the same button). */
  onExportKpis?: () => void;
}

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done'; file: string } | { kind: 'error'; message: string };

/** CSV of the filtered decisions, CSV of the KPIs, JSON of the team configuration. */
export function ExportView({ filters, onExportKpis }: ExportViewProps) {
  const { db, config, clock, download } = useDashboard();
  const fmt = useFormat();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  const exportTable = async () => {
    setStatus({ kind: 'busy' });
    try {
      const rows = await filteredRows(db, filters);
      const name = fileName('decisions', 'csv', clock());
      download({ name, type: 'text/csv;charset=utf-8', text: dispositionsCsv(rows, config) });
      setStatus({ kind: 'done', file: `${name} (${fmt.count(rows.length)})` });
    } catch (e) {
      setStatus({ kind: 'error', message: storageErrorMessage(e) });
    }
  };
  const exportConfig = () => {
    const name = fileName('qualification-config', 'json', clock());
    download({ name, type: 'application/json', text: configJson(config) });
    setStatus({ kind: 'done', file: name });
  };

  return (
    <div className="lqd-export">
      <ul className="lqd-actions">
        <li>
          <button type="button" className="lq-button" onClick={exportTable} disabled={status.kind === 'busy'}>
            {t.exportTable}
          </button>
        </li>
        {onExportKpis && (
          <li>
            <button type="button" className="lq-button" onClick={onExportKpis}>
              {t.exportKpis}
            </button>
          </li>
        )}
        <li>
          <button type="button" className="lq-button" onClick={exportConfig}>
            {t.exportConfig}
          </button>
        </li>
      </ul>
      <p role="status">
        {status.kind === 'busy' ? t.exporting : status.kind === 'done' ? t.exported(status.file) : ''}
      </p>
      {status.kind === 'error' && <p role="alert">{t.exportFailed(status.message)}</p>}
    </div>
  );
}
