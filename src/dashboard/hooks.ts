import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type DependencyList } from 'react';
import { computeKpis, type KpiRow, type Kpis } from '../domain/kpis';
import { storageErrorMessage, storeName, watch, type Store } from '../store/store';
import { dispositionsGeneration, onDispositionsChanged } from '../store/changes';
import { normaliseFilters, type DispositionFilters, type DispositionSort } from '../store/filters';
import { kpiRows } from '../store/kpi-rows';
import { matchDispositions, type DispositionMatch } from '../store/match';
import { useDashboard } from './context';

/**
 * The dispositions table's change counter as React state, updated at most every `throttleMs` (the sync
 * loop or a bulk import can change thousands of rows in a second; analytical views need not follow each).
 */
export function useGeneration(db: Store, throttleMs = 750): number {
  const [generation, setGeneration] = useState(() => dispositionsGeneration(db));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const update = () => {
      last = Date.now();
      timer = undefined;
      setGeneration(dispositionsGeneration(db));
    };
    const off = onDispositionsChanged(db, () => {
      if (timer) return;
      const wait = Math.max(0, throttleMs - (Date.now() - last));
      timer = setTimeout(update, wait);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [db, throttleMs]);
  return generation;
}

export type Live<T> = { status: 'loading' } | { status: 'ok'; data: T } | { status: 'error'; message: string };

/**
 * A live read of the store (it answers again whenever what it read changes, here or in another context),
 * with the error as a value: a storage failure is shown where the data would be, in words from
 * `storageErrorMessage`, instead of throwing into React.
 */
export function useLive<T>(querier: () => Promise<T>, deps: DependencyList): Live<T> {
  const [result, setResult] = useState<Live<T>>({ status: 'loading' });
  useEffect(
    () =>
      watch(
        querier,
        (data) => setResult({ status: 'ok', data }),
        (error: unknown) => setResult({ status: 'error', message: storageErrorMessage(error) }),
      ),
    // The querier is the caller's; the deps say when it changes.
    deps,
  );
  return result;
}

/** A stable key for filters: `{ rep: undefined }` and `{}` are the same. */
export function filtersKey(filters: DispositionFilters): string {
  return JSON.stringify(normaliseFilters(filters));
}

/** The filtered decisions as KPI rows (shared by KPIs, charts, calibration and the feedback loop). */
export function useKpiRows(filters: DispositionFilters, enabled = true) {
  const { db, generation } = useDashboard();
  const key = filtersKey(filters);
  return useQuery({
    queryKey: ['kpiRows', storeName(db), key, generation],
    queryFn: () => kpiRows(db, filters),
    enabled,
    placeholderData: (previous) => previous,
    staleTime: Infinity,
  });
}

/**
 * The decisions that pass the filters, in order: asked again when the table changes (the generation),
 * the previous answer shown meanwhile. Not a live query: from memory the match reads nothing to watch.
 */
export function useMatch(filters: DispositionFilters, sort: DispositionSort): Live<DispositionMatch> & { updating: boolean } {
  const { db, generation } = useDashboard();
  const query = useQuery({
    queryKey: ['match', storeName(db), filtersKey(filters), sort.key, sort.direction, generation],
    queryFn: () => matchDispositions(db, filters, sort),
    placeholderData: (previous) => previous,
    staleTime: Infinity,
    retry: false,
  });
  if (query.isError) return { status: 'error', message: storageErrorMessage(query.error), updating: false };
  // The previous answer, shown while this one is worked out: say so.
  return query.data ? { status: 'ok', data: query.data, updating: query.isPlaceholderData } : { status: 'loading', updating: true };
}

/** KPIs over KPI rows, computed once per rows and clock. */
export function useKpis(rows: readonly KpiRow[] | undefined): Kpis | undefined {
  const { config, clock } = useDashboard();
  return useMemo(() => (rows ? computeKpis(rows, config.sla, clock()) : undefined), [rows, config.sla, clock]);
}
