import { createContext, useContext, type ReactNode } from 'react';
import type { QualificationConfig } from '../domain/config';
import type { Store } from '../store/store';
import type { Author } from '../domain/dispositions';

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
  /**
   * Who signs a review of a decision on this CRM's records: the CRM user this browser's connection
   * belongs to, else the name the manager typed; undefined when neither is known (the form says so).
   */
  reviewerFor: (crm: string) => Author | undefined;
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
