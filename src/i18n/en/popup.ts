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
  reviews: {
    /** The button that opens the list, and the list's name. */
    heading: 'Reviews of my decisions',
    loading: 'Reading reviews…',
    failed: (message: string) => `The reviews could not be read (${message}).`,
    none: 'No reviews of your decisions yet. Reviews appear here when a manager reviews one and you open the lead, or after an import.',
    notIdentified: 'Nobody is known as you yet: the CRM has not said which user this browser is signed in as, and no name is given. Add your name and email in Options.',
    /** "Ana Souza disagrees" (the reviewer's name comes from the CRM). */
    verdictBy: (reviewer: string, verdict: 'agree' | 'disagree') => `${reviewer} ${verdict === 'agree' ? 'agrees' : 'disagrees'}`,
    /** When the decision's label is not known. */
    someDecision: 'Your decision',
    unnamedLead: 'Unnamed lead',
    openInCrm: 'Open the lead in the CRM',
    trust: {
      unconfirmed: (why: string) => `Not confirmed: ${why}`,
      flagged: (why: string) => `Flagged: ${why}`,
    },
    checkNow: 'Check the CRM now',
    checking: (crm: string, notes: number) => `Reading ${crm}: ${plural(notes, { one: `${notes} note`, other: `${notes} notes` })} read…`,
    checked: 'Checked the CRM: the list is up to date.',
    checkFailed: (crm: string, problem: string) => `${crm}: ${problem}`,
  },
};

export type PopupMessages = typeof popup;
