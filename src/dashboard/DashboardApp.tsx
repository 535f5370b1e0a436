import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { QualificationConfig } from '../domain/config';
import { storageErrorMessage, storeName, type Store } from '../store/store';
import { DEFAULT_SORT, filterOptions, type DispositionFilters, type DispositionSort } from '../store/filters';
import { prefetchSummaries, saveSummaries, summaryStatus, type SummaryLoad } from '../store/summaries';
import { loadConfig, loadRep, type Rep } from '../store/settings';
import { authorFrom } from '../domain/identity';
import { FormatProvider } from '../ui/panel/format';
import { CalibrationView } from './CalibrationView';
import { DashboardProvider, useDashboard, type DashboardContextValue, type DownloadFile } from './context';
import { DecisionsView } from './DecisionsView';
import { downloadFile, fileName, kpisCsv } from './export';
import { ExportView } from './ExportView';
import { FeedbackView } from './FeedbackView';
import { FilterBar } from './FilterBar';
import { useGeneration, useKpiRows, useKpis } from './hooks';
import { ImportFromCrm, type ImportFromCrmSlot } from './ImportFromCrm';
import { KpiView } from './KpiView';
import { ReviewView } from './ReviewView';
import { strings as t } from './strings';
import '../ui/theme.css';
import './dashboard.css';

// recharts is the biggest dependency here: loaded when the charts are first opened.
const ChartsView = lazy(() => import('./ChartsView'));

export const VIEWS = ['decisions', 'kpis', 'charts', 'calibration', 'feedback', 'review', 'export'] as const;
export type ViewId = (typeof VIEWS)[number];

export interface DashboardAppProps {
  db: Store;
  clock?: () => number;
  locale?: string;
  timeZone?: string;
  initialView?: ViewId;
  /** The "Import from CRM" control, provided by the CRM import when it exists; hidden without it. */
  importFromCrm?: ImportFromCrmSlot;
  /** Saves exported files; default: a browser download. */
  download?: (file: DownloadFile) => void;
  newId?: () => string;
  /** Read every row's summary ahead while idle, so search, KPIs and charts answer at once. Default on. */
  prefetch?: boolean;
  /** Height of the decisions table when it cannot be measured. */
  tableHeight?: number;
  /**
   * Who this browser's manager is on each CRM (the connections' users, from the background), so reviews
   * are signed by the CRM user; default: only the name and email given on the options page.
   */
  identity?: () => Promise<DashboardIdentity>;
}

/** The CRM user each connection belongs to (by CRM id), and the name the manager typed, if any. */
export interface DashboardIdentity {
  users: Record<string, { id: string; name: string; email?: string; ownerId?: string }>;
  rep?: Rep;
}

const VIEWS_WITH_FILTERS = new Set<ViewId>(['decisions', 'kpis', 'charts', 'calibration', 'feedback', 'export']);
const VIEWS_WITH_KPIS = new Set<ViewId>(['kpis', 'charts', 'calibration', 'feedback', 'export']);

const defaultNewId = () => crypto.randomUUID();

const SAVE_SUMMARIES_EVERY_MS = 10 * 60_000;

/** Waits for an idle moment (or a short pause where `requestIdleCallback` is missing). */
const idle = () => new Promise<void>((resolve) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => resolve(), { timeout: 500 }) : setTimeout(resolve, 20)));

function Shell({ initialView, importFromCrm, prefetch, tableHeight, configProblem }: { initialView: ViewId; importFromCrm?: ImportFromCrmSlot; prefetch: boolean; tableHeight?: number; configProblem?: string }) {
  const { db, generation, clock, download, config } = useDashboard();
  const [view, setView] = useState<ViewId>(initialView);
  const [filters, setFilters] = useState<DispositionFilters>({});
  const [sort, setSort] = useState<DispositionSort>(DEFAULT_SORT);
  const [selected, setSelected] = useState<{ id: string; index: number } | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);

  const options = useQuery({
    queryKey: ['filterOptions', storeName(db), generation],
    queryFn: () => filterOptions(db),
    placeholderData: (previous) => previous,
    staleTime: Infinity,
  });
  const needsKpis = VIEWS_WITH_KPIS.has(view);
  const kpiRows = useKpiRows(filters, needsKpis);
  const rows = needsKpis ? kpiRows.data : undefined;
  const kpis = useKpis(rows);

  // Summarise every row, so filters, search and KPIs are answered from memory: from the summaries saved
  // last time when there are any (a fraction of a second), else by reading every row while idle; again
  // after a bulk change (an import) dropped them. The summaries are saved for the next opening: right
  // after every row was read, when the page is hidden (saving stalls the page for a moment at 100,000
  // rows: better while nobody looks), and at most every 10 minutes while idle. A summary saved a while ago
  // still helps: only the rows changed since are read on restore. Stopped when the page goes.
  const stop = useRef<AbortController>(undefined);
  const lastSave = useRef(0);
  useEffect(() => {
    const controller = new AbortController();
    stop.current = controller;
    lastSave.current = Date.now(); // the saved summaries were just restored (or are about to be read)
    const save = () => {
      lastSave.current = Date.now();
      return saveSummaries(db, { pause: document.visibilityState === 'hidden' ? undefined : idle }).catch(() => false);
    };
    const onHidden = () => {
      if (document.visibilityState === 'hidden' && summaryStatus(db).complete) void save();
    };
    document.addEventListener('visibilitychange', onHidden);
    saveNow.current = save;
    return () => {
      controller.abort();
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [db]);
  const saveNow = useRef<() => Promise<boolean>>(undefined);
  const savedAfterLoad = useRef<SummaryLoad>(undefined);
  useEffect(() => {
    if (!prefetch) return;
    const signal = stop.current?.signal;
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    void (async () => {
      if (!summaryStatus(db).complete) await prefetchSummaries(db, { pause: idle, signal }).catch(() => {});
      const status = summaryStatus(db);
      if (cancelled || signal?.aborted || !status.complete) return;
      // Every row was just read (nothing was saved, or a bulk change dropped the summaries): save once now.
      const readEveryRow = status.lastLoad?.restored === 0 && status.lastLoad !== savedAfterLoad.current;
      if (readEveryRow) savedAfterLoad.current = status.lastLoad;
      const wait = readEveryRow ? 0 : Math.max(0, lastSave.current + SAVE_SUMMARIES_EVERY_MS - Date.now());
      saveTimer = setTimeout(() => {
        void idle().then(() => (signal?.aborted ? undefined : saveNow.current?.()));
      }, wait);
    })();
    return () => {
      cancelled = true;
      clearTimeout(saveTimer);
    };
  }, [db, prefetch, generation]);

  // A new section: its heading takes focus, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [view]);

  const changeFilters = (next: DispositionFilters) => {
    setFilters(next);
    setSelected(null);
  };
  const exportKpis = kpis ? () => download({ name: fileName('kpis', 'csv', clock()), type: 'text/csv;charset=utf-8', text: kpisCsv(kpis) }) : undefined;
  const kpiError = kpiRows.isError ? storageErrorMessage(kpiRows.error) : undefined;
  const analytics = (render: () => ReactNode) =>
    kpiError ? <p role="alert">{kpiError}</p> : rows && kpis ? render() : <p role="status">{t.loading}</p>;

  return (
    <div className="lqd-app">
      <header className="lqd-header">
        <h1>{t.appTitle}</h1>
        {importFromCrm && <ImportFromCrm slot={importFromCrm} />}
      </header>
      {configProblem && (
        <p role="alert" className="lqd-notice">
          <strong>{t.configProblem}:</strong> {configProblem}
        </p>
      )}
      <nav className="lqd-nav" aria-label={t.navLabel}>
        <ul>
          {VIEWS.map((v) => (
            <li key={v}>
              <button type="button" aria-current={v === view ? 'page' : undefined} onClick={() => setView(v)}>
                {t.views[v]}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <main className="lqd-main">
        <h2 ref={headingRef} tabIndex={-1} className="lqd-view-title">
          {t.views[view]}
        </h2>
        {VIEWS_WITH_FILTERS.has(view) && <FilterBar filters={filters} onChange={changeFilters} options={options.data} config={config} />}
        {options.isError && <p role="alert">{storageErrorMessage(options.error)}</p>}
        {view === 'decisions' && <DecisionsView filters={filters} sort={sort} onSort={setSort} selected={selected} onSelect={setSelected} fallbackHeight={tableHeight} />}
        {view === 'kpis' && <KpiView kpis={kpis} rows={rows?.length ?? 0} loading={kpiRows.isFetching} error={kpiError} options={options.data} />}
        {view === 'charts' &&
          analytics(() => (
            <Suspense fallback={<p role="status">{t.loading}</p>}>
              <ChartsView kpis={kpis!} rows={rows!} options={options.data} />
            </Suspense>
          ))}
        {view === 'calibration' && analytics(() => <CalibrationView rows={rows!} kpis={kpis!} />)}
        {view === 'feedback' && analytics(() => <FeedbackView rows={rows!} filters={filters} />)}
        {view === 'review' && <ReviewView />}
        {view === 'export' && <ExportView filters={filters} onExportKpis={exportKpis} />}
      </main>
    </div>
  );
}

/**
 * The manager's audit dashboard: the team's decisions, their evidence and history, KPIs against the
 * guides' ranges, charts, threshold calibration, feedback for marketing, the review of the last
 * rejections, and exports. Reads the local store (Dexie) live; nothing here writes except reviews.
 */
export function DashboardApp({ db, clock = Date.now, locale, timeZone, initialView = 'decisions', importFromCrm, download = downloadFile, newId = defaultNewId, prefetch = true, tableHeight, identity }: DashboardAppProps) {
  const generation = useGeneration(db);
  // The formatter only needs the clock to leave out the current year: read it once.
  const [now] = useState(clock);
  const settings = useQuery({
    queryKey: ['dashboardSettings', storeName(db)],
    queryFn: async (): Promise<{ config: QualificationConfig; problem?: string; who: DashboardIdentity }> => {
      const [loaded, who] = await Promise.all([loadConfig(db), identity ? identity() : loadRep(db).then((rep) => ({ users: {}, rep }))]);
      return { config: loaded.config, problem: loaded.problem, who };
    },
    staleTime: Infinity,
  });
  const value = useMemo<DashboardContextValue | undefined>(
    () => {
      if (!settings.data) return undefined;
      const { users, rep } = settings.data.who;
      return { db, config: settings.data.config, reviewerFor: (crm: string) => authorFrom(crm, users[crm], rep), clock, generation, download, newId };
    },
    [settings.data, db, clock, generation, download, newId],
  );

  if (settings.isError) {
    return (
      <div className="lqd-app">
        <h1>{t.appTitle}</h1>
        <p role="alert">
          <strong>{t.storageProblem}:</strong> {storageErrorMessage(settings.error)}
        </p>
        <button type="button" className="lq-button" onClick={() => void settings.refetch()}>
          {t.retry}
        </button>
      </div>
    );
  }
  if (!value) {
    return (
      <div className="lqd-app">
        <h1>{t.appTitle}</h1>
        <p role="status">{t.loading}</p>
      </div>
    );
  }
  return (
    <FormatProvider locale={locale} timeZone={timeZone} now={now}>
      <DashboardProvider value={value}>
        <Shell initialView={initialView} importFromCrm={importFromCrm} prefetch={prefetch} tableHeight={tableHeight} configProblem={settings.data?.problem} />
      </DashboardProvider>
    </FormatProvider>
  );
}
