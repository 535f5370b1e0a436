/** Every user-facing string of the toolbar popup, in English. */
const decisions = (n: number) => `${n} ${n === 1 ? 'decision' : 'decisions'}`;

export const en = {
  title: 'Lead Qualifier',
  loading: 'Loading…',
  loadFailed: (message: string) => `The extension did not answer (${message}).`,
  syncHeading: 'Sync',
  /** "3 decisions waiting to sync · 1 needs attention". */
  syncSummary: (pending: number, failed: number, done: number): string => {
    const parts: string[] = [];
    if (pending > 0) parts.push(`${decisions(pending)} waiting to sync`);
    if (failed > 0) parts.push(pending > 0 ? `${failed} ${failed === 1 ? 'needs' : 'need'} attention` : `${decisions(failed)} ${failed === 1 ? 'needs' : 'need'} attention`);
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

export type PopupStrings = typeof en;
export const strings: PopupStrings = en;
