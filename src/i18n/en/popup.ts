import { plurals } from '../plural';

const plural = plurals('en');
const decisions = (n: number) => plural(n, { one: `${n} decision`, other: `${n} decisions` });
const needAttention = (n: number) => plural(n, { one: 'needs attention', other: 'need attention' });

/** Every user-facing string of the toolbar popup, in English (`PopupMessages`). */
export const popup = {
  title: 'Lead Qualifier',
  loading: 'Loading…',
  loadFailed: (message: string) => `The extension did not answer (${message}).`,
  syncHeading: 'Sync',
  /** "3 decisions waiting to sync · 1 needs attention". */
  syncSummary: (pending: number, failed: number, done: number): string => {
    const parts: string[] = [];
    if (pending > 0) parts.push(`${decisions(pending)} waiting to sync`);
    if (failed > 0) parts.push(`${pending > 0 ? failed : decisions(failed)} ${needAttention(failed)}`);
    if (parts.length) return parts.join(' · ');
    return done > 0 ? 'Everything is synced.' : 'No decisions to sync yet.';
  },
  connectionsHeading: 'CRM connections',
  connected: (label: string) => `Connected to ${label}`,
  expired: 'Expired — reconnect in Options',
  notConnected: 'Not connected',
  crmState: (crm: string, state: string) => `${crm}: ${state}`,
  noCrms: 'No CRM available.',
  openDashboard: 'Open team dashboard',
  options: 'Options',
};

export type PopupMessages = typeof popup;
