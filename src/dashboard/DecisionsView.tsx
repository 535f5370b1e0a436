import { useState } from 'react';
import type { DispositionFilters, DispositionSort } from '../store/filters';
import { useFormat } from '../ui/panel/format';
import { DetailView } from './DetailView';
import { DispositionTable } from './DispositionTable';
import { useMatch } from './hooks';
import { strings as t } from './strings';

export interface DecisionsViewProps {
  filters: DispositionFilters;
  sort: DispositionSort;
  onSort: (sort: DispositionSort) => void;
  /** The open decision (kept by the app so the section can be left and found again). */
  selected: { id: string; index: number } | null;
  onSelect: (selected: { id: string; index: number } | null) => void;
  fallbackHeight?: number;
}

/**
 * The decisions table and, when a row is opened, its detail in place of the table. The table stays
 * mounted (hidden) so its scroll position survives, and focus goes back to the row that was opened.
 */
export function DecisionsView({ filters, sort, onSort, selected, onSelect, fallbackHeight }: DecisionsViewProps) {
  const fmt = useFormat();
  // Asked again on every change to the table: a decision saved in the panel or synced by the worker
  // appears without a reload.
  const live = useMatch(filters, sort);
  const [focusRequest, setFocusRequest] = useState<{ index: number; seq: number }>();

  const back = () => {
    if (selected) setFocusRequest((r) => ({ index: selected.index, seq: (r?.seq ?? 0) + 1 }));
    onSelect(null);
  };

  if (live.status === 'error') return <p role="alert">{live.message}</p>;
  const match = live.status === 'ok' ? live.data : undefined;
  const count = !match ? t.loading : match.total === match.all ? t.countAll(fmt.count(match.all)) : t.count(fmt.count(match.total), fmt.count(match.all));

  return (
    <>
      <div hidden={selected !== null} className="lqd-list">
        <p role="status" className="lqd-count" aria-busy={live.updating}>
          {count}
          {live.status === 'ok' && live.updating && <span className="lqd-updating"> · {t.updating}</span>}
        </p>
        {match && match.all === 0 && <p>{t.emptyStore}</p>}
        {match && match.all > 0 && match.total === 0 && <p>{t.noMatches}</p>}
        {match && match.total > 0 && (
          <>
            <p className="lqd-hint">
              {t.tableHint}
            </p>
            <DispositionTable match={match} sort={sort} onSort={onSort} onOpen={(id, index) => onSelect({ id, index })} focusRequest={focusRequest} fallbackHeight={fallbackHeight} />
          </>
        )}
      </div>
      {selected && <DetailView dispositionId={selected.id} onBack={back} />}
    </>
  );
}
