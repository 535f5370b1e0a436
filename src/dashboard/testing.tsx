/**
 * Test helpers for the dashboard's component tests: a seeded store in fake-indexeddb, a fixed clock, UTC
 * dates, downloads captured instead of saved. Test files import 'fake-indexeddb/auto' first, so Dexie
 * (and its liveQuery) find a global indexedDB.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import axe from 'axe-core';
import type { ReactNode } from 'react';
import type { QualificationConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { LeadQualifierDb } from '../store/db';
import { seedDispositions } from '../demo/seed-dispositions';
import { SETTINGS } from '../store/settings';
import { FormatProvider } from '../ui/panel/format';
import { DashboardProvider, type DashboardContextValue, type DownloadFile } from './context';
import { DashboardApp, type DashboardAppProps } from './DashboardApp';

/** 2026-11-20 12:00 UTC. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const MANAGER = { name: 'Morgan Lee', email: 'morgan@acme.example' };
/** The manager as reviews are signed where the CRM cannot say who they are. */
export const MANAGER_AUTHOR = { id: 'email:morgan@acme.example', name: 'Morgan Lee', email: 'morgan@acme.example' };

let counter = 0;

/** A fresh store with `n` seeded decisions and the manager as this browser's user. */
export async function seededDb(n: number, seed = 7): Promise<LeadQualifierDb> {
  const db = new LeadQualifierDb(`dashboard-test-${++counter}-${Date.now()}`);
  if (n > 0) await seedDispositions(db, n, { seed, now: NOW, chunkSize: 500 });
  await db.settings.put({ key: SETTINGS.rep, value: MANAGER });
  return db;
}

export function queryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}

/** The whole app, as main.tsx mounts it, with test defaults. Returns the captured downloads. */
export function renderDashboard(db: LeadQualifierDb, props: Partial<DashboardAppProps> = {}) {
  const downloads: DownloadFile[] = [];
  let ids = 0;
  const view = render(
    <QueryClientProvider client={queryClient()}>
      <DashboardApp
        db={db}
        clock={() => NOW}
        locale="en-GB"
        timeZone="UTC"
        prefetch={false}
        download={(f) => downloads.push(f)}
        newId={() => `review-${++ids}`}
        {...props}
      />
    </QueryClientProvider>,
  );
  return { ...view, downloads };
}

/** One view on its own, inside the providers the app would give it. */
export function renderInDashboard(ui: ReactNode, context: Partial<DashboardContextValue> & { db: LeadQualifierDb; config?: QualificationConfig }) {
  const downloads: DownloadFile[] = [];
  const value: DashboardContextValue = {
    config: defaultConfig(),
    reviewerFor: () => MANAGER_AUTHOR,
    clock: () => NOW,
    generation: 0,
    download: (f) => downloads.push(f),
    newId: () => 'id-1',
    ...context,
  };
  const view = render(
    <QueryClientProvider client={queryClient()}>
      <FormatProvider locale="en-GB" timeZone="UTC" now={NOW}>
        <DashboardProvider value={value}>{ui}</DashboardProvider>
      </FormatProvider>
    </QueryClientProvider>,
  );
  return { ...view, downloads };
}

/** axe-core over a rendered part: names, labels, ARIA and structure (layout rules need a real browser). */
export async function axeViolations(container: Element): Promise<string[]> {
  const result = await axe.run(container, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    rules: { 'color-contrast': { enabled: false }, 'target-size': { enabled: false }, 'scrollable-region-focusable': { enabled: false }, region: { enabled: false } },
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
