import { createContext, useContext, type ReactNode } from 'react';
import type { QualificationConfig } from '../domain/config';
import type { Store } from '../store/store';
import type { Rep } from '../store/settings';

/** A file the dashboard hands to the browser to save. */
export interface DownloadFile {
  name: string;
  type: string;
  text: string;
}

/** What every view of the dashboard needs: the store, the team config, who is looking, the clock. */
export interface DashboardContextValue {
  db: Store;
  config: QualificationConfig;
  /** The manager using this browser (reviews are written in their name). */
  rep: Rep;
  clock: () => number;
  /** Bumped (at most every so often) when the dispositions table changes: part of analytical query keys. */
  generation: number;
  download: (file: DownloadFile) => void;
  newId: () => string;
}

const Context = createContext<DashboardContextValue | undefined>(undefined);

export function DashboardProvider({ value, children }: { value: DashboardContextValue; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useDashboard(): DashboardContextValue {
  const value = useContext(Context);
  if (!value) throw new Error('useDashboard() outside <DashboardProvider>');
  return value;
}
