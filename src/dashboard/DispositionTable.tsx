import { useQueries } from '@tanstack/react-query';
import { observeElementRect, useVirtualizer, type Rect, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { DispositionSort, SortKey } from '../store/filters';
import { dispositionsByIds, type DispositionMatch } from '../store/match';
import type { DispositionRecord } from '../store/records';
import { useFormat } from '../ui/panel/format';
import { useDashboard } from './context';
import { reasonLabel } from './format';
import { strings as t } from './strings';
import { storeName } from '../store/store';
import { showControls } from '../domain/untrusted-text';
import { Untrusted } from '../ui/Untrusted';

export interface DispositionTableProps {
  match: DispositionMatch;
  sort: DispositionSort;
  onSort: (sort: DispositionSort) => void;
  onOpen: (id: string, index: number) => void;
  /** Moves focus to this row's button (coming back from the detail); `seq` makes a repeat request new. */
  focusRequest?: { index: number; seq: number };
  /** Used when the scroll area cannot be measured (hidden, or a DOM without layout in tests). */
  fallbackHeight?: number;
}

/** Fixed row height: rows are never measured, so 100,000 of them cost nothing until they scroll into view. */
export const ROW_HEIGHT = 44;
const HEADER_HEIGHT = 40;
/** Rows are fetched in blocks of this many ids (one `bulkGet` each), cached by TanStack Query. */
const BLOCK = 100;

interface Column {
  label: string;
  sortKey?: SortKey;
  /** Newest or highest first when first sorted by this column. */
  descFirst?: boolean;
}

const COLUMNS: Column[] = [
  { label: t.columns.lead },
  { label: t.columns.rep, sortKey: 'repId' },
  { label: t.columns.outcome, sortKey: 'outcome' },
  { label: t.columns.reason, sortKey: 'reasonCode' },
  { label: t.columns.decidedAt, sortKey: 'decidedAt', descFirst: true },
  { label: t.columns.score, sortKey: 'score', descFirst: true },
  { label: t.columns.source, sortKey: 'source' },
  { label: t.columns.sla, sortKey: 'slaState' },
  { label: t.columns.updatedAt, sortKey: 'updatedAt', descFirst: true },
];

/**
 * The rows of the blocks in view. A block is keyed by its ids and the table's change counter: the same
 * ids after a re-sort are not read again, a change to the data is; meanwhile the old rows stay on screen.
 */
function useRowBlocks(match: DispositionMatch, first: number, last: number) {
  const { db, generation } = useDashboard();
  const blocks: number[] = [];
  if (last >= first) for (let b = Math.floor(first / BLOCK); b <= Math.floor(last / BLOCK); b++) blocks.push(b);
  const results = useQueries({
    queries: blocks.map((b) => {
      const ids = match.ids.slice(b * BLOCK, (b + 1) * BLOCK);
      return {
        queryKey: ['dispositionRows', storeName(db), generation, ids.join('\n')],
        queryFn: () => dispositionsByIds(db, ids),
        placeholderData: (previous: (DispositionRecord | undefined)[] | undefined) => previous,
        staleTime: Infinity,
        gcTime: 60_000,
      };
    }),
  });
  return (index: number): DispositionRecord | undefined => {
    const i = blocks.indexOf(Math.floor(index / BLOCK));
    const row = i < 0 ? undefined : results[i]?.data?.[index % BLOCK];
    // A placeholder from another block (after a re-sort) must not show a row at the wrong place.
    return row?.id === match.ids[index] ? row : undefined;
  };
}

const nextSort = (current: DispositionSort, column: Column): DispositionSort =>
  current.key === column.sortKey
    ? { key: current.key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
    : { key: column.sortKey!, direction: column.descFirst ? 'desc' : 'asc' };

/** Keys that move between rows, and how far. */
function targetIndex(key: string, index: number, total: number): number | undefined {
  switch (key) {
    case 'ArrowDown':
      return Math.min(total - 1, index + 1);
    case 'ArrowUp':
      return Math.max(0, index - 1);
    case 'PageDown':
      return Math.min(total - 1, index + 10);
    case 'PageUp':
      return Math.max(0, index - 10);
    case 'Home':
      return 0;
    case 'End':
      return total - 1;
    default:
      return undefined;
  }
}

/** The engine's recommendation in words (an unknown value, e.g. from another rep's newer extension, as it is). */
export function recommendationLabel(recommended: string): string {
  return (t.recommendations as Record<string, string | undefined>)[recommended] ?? showControls(recommended);
}

/** "Override: recommended SQL, decided Reject" (the recommendation may be unknown on older rows). */
export function overrideLabel(row: Pick<DispositionRecord, 'recommended' | 'outcome'>): string {
  return t.overrideLabel(row.recommended ? recommendationLabel(row.recommended) : t.empty, t.decidedAs[row.outcome]);
}

/**
 * A short "Override" tag after the outcome: the rep decided against the recommendation. Its name (and
 * tooltip) says what was recommended and what was decided; the visible word keeps the column narrow.
 */
function OverrideMarker({ row }: { row: DispositionRecord }) {
  const label = overrideLabel(row);
  return (
    <span className="lqd-tag lqd-tag--override" role="img" aria-label={label} title={label}>
      {' '}
      {t.overrideTag}
    </span>
  );
}

function Row({ row, index, onOpen, onKeyDown }: { row: DispositionRecord; index: number; onOpen: () => void; onKeyDown: (e: KeyboardEvent) => void }) {
  const fmt = useFormat();
  const { config } = useDashboard();
  return (
    <tr aria-rowindex={index + 2} data-index={index} className={`lqd-row lqd-row--${row.outcome}`} style={{ height: ROW_HEIGHT }}>
      <td className="lqd-cell-lead">
        <button type="button" className="lqd-rowlink" data-row={index} aria-label={t.openDetail(row.leadName ? showControls(row.leadName) : t.unnamedLead)} onClick={onOpen} onKeyDown={onKeyDown}>
          {row.leadName ? <Untrusted text={row.leadName} /> : t.unnamedLead}
        </button>
        {row.company && (
          <span className="lqd-sub">
            <Untrusted text={row.company} />
          </span>
        )}
      </td>
      <td>
        <Untrusted text={row.repName} />
      </td>
      <td>
        <span className={`lqd-outcome lqd-outcome--${row.outcome}`}>{t.outcomes[row.outcome]}</span>
        {/* Tags on their own line: the outcome column stays narrow and nothing is cut off. */}
        {(row.rev > 1 || row.override) && (
          <span className="lqd-sub">
            {row.rev > 1 && <span className="lqd-tag">{t.revisedTag(row.rev)}</span>}
            {row.override && <OverrideMarker row={row} />}
          </span>
        )}
      </td>
      <td>{row.reasonCode ? reasonLabel(config, row.reasonCode) : ''}</td>
      <td>
        <time dateTime={row.decidedAt}>{fmt.dateTime(row.decidedAt)}</time>
      </td>
      <td className="lqd-num">{row.score}</td>
      <td>
        {row.source}
        {row.campaign && <span className="lqd-sub">{row.campaign}</span>}
      </td>
      <td>
        <span className={`lqd-sla lqd-sla--${row.slaState}`}>{t.slaStates[row.slaState]}</span>
      </td>
      <td>
        <time dateTime={row.updatedAt}>{fmt.date(row.updatedAt)}</time>
      </td>
    </tr>
  );
}

/**
 * The decisions as a real table (columns, header cells, `aria-sort`, `aria-rowcount`/`aria-rowindex` so
 * screen readers know the full size), of which only the rows in view exist in the DOM. Each row's first
 * cell is a button that opens the decision; arrow keys, Page Up/Down, Home and End move between them.
 */
export function DispositionTable({ match, sort, onSort, onOpen, focusRequest, fallbackHeight = 560 }: DispositionTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [pendingFocus, setPendingFocus] = useState<number | null>(null);
  const total = match.total;
  // No React Compiler here: the virtualizer re-renders this component itself when the list scrolls.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    initialRect: { width: 1000, height: fallbackHeight },
    // A hidden or unlaid-out scroll area measures 0 high: keep showing a screenful instead of nothing.
    observeElementRect: (instance: Virtualizer<HTMLDivElement, Element>, cb: (rect: Rect) => void) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { width: rect.width || 1000, height: fallbackHeight })),
  });
  const items = virtualizer.getVirtualItems();
  const rowAt = useRowBlocks(match, items[0]?.index ?? 0, items.at(-1)?.index ?? -1);

  const focusRow = (index: number) => {
    virtualizer.scrollToIndex(index, { align: 'auto' });
    setPendingFocus(index);
  };

  useEffect(() => {
    if (focusRequest) focusRow(focusRequest.index);
    // Only a new request moves focus, not a re-render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusRequest?.seq]);

  // The row to focus may only exist once it has scrolled into view and its block has loaded.
  const loadedInView = items.filter((item) => rowAt(item.index) !== undefined).length;
  useEffect(() => {
    if (pendingFocus === null) return;
    const button = scrollRef.current?.querySelector<HTMLButtonElement>(`button[data-row="${pendingFocus}"]`);
    if (button) {
      button.focus();
      setPendingFocus(null);
    }
  }, [pendingFocus, items, loadedInView]);

  const onKeyDown = (index: number) => (e: KeyboardEvent) => {
    const target = targetIndex(e.key, index, total);
    if (target === undefined || target === index) return;
    e.preventDefault();
    focusRow(target);
  };

  const paddingTop = items.length ? items[0]!.start - HEADER_HEIGHT : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - (items.at(-1)!.end - HEADER_HEIGHT) : 0;
  const colSpan = COLUMNS.length;

  return (
    <div className="lqd-table-scroll" ref={scrollRef} style={{ height: `min(70vh, ${fallbackHeight}px)` }}>
      <table className="lqd-table" aria-label={t.tableLabel} aria-rowcount={total + 1}>
        <thead>
          <tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
            {COLUMNS.map((c) => {
              const active = c.sortKey !== undefined && sort.key === c.sortKey;
              return (
                <th key={c.label} scope="col" aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {c.sortKey ? (
                    <button type="button" className="lqd-sort" onClick={() => onSort(nextSort(sort, c))}>
                      {c.label}
                      <span className="lqd-sort__icon" aria-hidden="true">
                        {active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ' ↕'}
                      </span>
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 && (
            <tr aria-hidden="true" className="lqd-spacer">
              <td colSpan={colSpan} style={{ height: paddingTop }} />
            </tr>
          )}
          {items.map((item) => {
            const row = rowAt(item.index);
            return row ? (
              <Row key={row.id} row={row} index={item.index} onOpen={() => onOpen(row.id, item.index)} onKeyDown={onKeyDown(item.index)} />
            ) : (
              <tr key={`loading-${item.index}`} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                <td colSpan={colSpan} className="lqd-muted">
                  {t.rowLoading}
                </td>
              </tr>
            );
          })}
          {paddingBottom > 0 && (
            <tr aria-hidden="true" className="lqd-spacer">
              <td colSpan={colSpan} style={{ height: paddingBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
