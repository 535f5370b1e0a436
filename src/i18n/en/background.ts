import { plurals } from '../plural';

const plural = plurals('en');

/**
 * Sentences the extension's own machinery writes for people, in English (`BackgroundMessages`): storage
 * failures (`src/store`), sync and import states (`src/sync`), the refusals of the background's message
 * handlers (`src/background`). (The Salesforce sign-in's errors are the Salesforce folder's own:
 * `src/crm/salesforce/messages.ts`.)
 * The pages show them as they come ("Needs attention: …").
 */
export const background = {
  // Storage (src/store/db.ts, settings.ts, dispositions.ts)
  storage: {
    full: 'This device is out of storage space for the extension. Free some disk space; nothing saved so far is lost.',
    upgrading: 'The extension’s storage is being upgraded in another window. Close other extension tabs (dashboard, options) and try again; nothing is lost.',
    badRecord: 'A stored record could not be read or written. Nothing saved so far is lost; reload the page and try again.',
    failed: (name: string) => `The extension’s storage failed (${name}). Nothing saved so far is lost; try again.`,
    unknownError: 'unknown error',
  },
  configInvalid: (path: string, message: string) => `The saved configuration is not valid (${path}: ${message}); the defaults are in use until it is fixed.`,
  managedConfigInvalid: (path: string, message: string, count: number) =>
    plural(count, {
      one: `Your organisation’s policy sets a configuration that is not valid (${path}: ${message}). This browser’s own settings are in use until your administrator fixes it.`,
      other: `Your organisation’s policy sets a configuration with ${count} problems (first: ${path}: ${message}). This browser’s own settings are in use until your administrator fixes it.`,
    }),
  staleRevision: 'This lead’s decision was changed elsewhere (another tab or device). The panel now shows the latest one; make your change again.',

  // Sync (src/sync/engine.ts)
  sync: {
    connectionExpired: (label: string) => `The ${label} connection has expired. Reconnect on the options page; your decision is saved and will be sent.`,
    reviewUnreadable: 'The review could not be read from this device’s storage.',
    revisionUnreadable: 'The saved revision could not be read from this device’s storage.',
    noConnector: (crm: string) => `This extension has no connector for “${crm}”.`,
    notConnectedYet: (label: string) => `Not connected to ${label} yet: connect it on the options page and this decision will be sent.`,
    expiredReconnect: (label: string) => `The ${label} connection has expired: reconnect on the options page.`,
    notConfirmed: 'The CRM did not confirm this item.',
    willRetry: (message: string, status: string) => `Will retry: ${message}${status}`,
    status: (status: number) => ` (${status})`,
    askedToWait: 'it asked us to wait',
    rateLimited: (label: string, seconds: number, message: string) => `Waiting for ${label}’s rate limit (${seconds} s; ${message}): it will be sent then.`,
  },

  // Managers' reviews of decisions (src/store/reviews.ts)
  review: {
    invalid: (field: string, message: string) => `The review is not valid (${field}: ${message}).`,
    wholeReview: 'review',
    disagreeNeedsComment: 'Say why you disagree: the rep and marketing read this comment.',
    decisionGone: 'This decision is no longer stored on this device.',
  },

  // Import from the CRM (src/sync/import.ts)
  import: {
    notConnected: (label: string) => `Not connected to ${label}: connect it on the options page first.`,
    unsupported: (label: string) => `${label} does not support importing decisions.`,
  },

  // Reading the lead from the CRM's API (src/sync/lead-refresh.ts)
  leadRead: {
    unusable: (label: string, path: string) => `${label} sent lead data this extension cannot use (${path}).`,
    failed: (label: string) => `Reading the lead from ${label} failed.`,
    showingPage: (message: string) => `Showing what the page shows: ${message}`,
    /** After an earlier read: the profile is still what the CRM's API said then. */
    showingLast: (label: string, message: string) => `Showing what ${label} said when last read: ${message}`,
    rateLimited: (label: string, seconds: number) => `Waiting for ${label}’s rate limit (${seconds} s).`,
  },

  // What the background answers the options page (src/background/options.ts)
  options: {
    unknownCrm: (crm: string) => `“${crm}” is not a CRM this extension connects to.`,
    unknownCrmField: 'Unknown CRM',
    apiBaseRequired: 'Enter the CRM’s address.',
    apiBaseNotAllowed: (label: string) => `That is not one of ${label}’s API addresses (https only). Use the address ${label} gives for its API.`,
    required: 'Required',
    notConnected: (label: string) => `Not connected to ${label}.`,
    configManaged: 'Your organisation’s policy sets these settings, so they cannot be changed here. Ask your administrator to change the policy.',
    configRejected: (n: number) =>
      plural(n, {
        one: `The configuration has ${n} problem; nothing was changed.`,
        other: `The configuration has ${n} problems; nothing was changed.`,
      }),
    noSidePanel: 'This browser has no side panel for extensions: the panel stays in the CRM page.',
  },

  // The browser's side panel (src/background/side-panel.ts, ADR 0020): the toolbar button's title when the
  // shortcut could not open it.
  sidePanel: {
    openFailed: 'Lead Qualifier could not open the side panel. Press the shortcut again, or open it from the browser’s side panel menu.',
  },

  // What the background answers the panel (src/background/sessions.ts)
  panel: {
    noLead: 'This tab does not show a lead any more. Reload the page.',
    whoAreYou: 'Who is deciding? The CRM did not say which user this browser is signed in as. Add your name and email on the options page (once), then save again: everything you entered is kept.',
    unknownFramework: (id: string) => `“${id}” is not a framework of this team.`,
    unknownFrameworkField: 'Unknown framework',
    evidenceTooLong: (limit: number) => `Evidence is limited to ${limit} characters.`,
    evidenceTooLongField: (limit: number, now: number) => `At most ${limit} characters (now ${now}).`,
    fieldsNeedAttention: 'Some fields need attention.',
    /** A panel request named another lead than the one its tab shows now: the page navigated in between (ADR 15). */
    leadSwitched: 'The page switched to another lead before this was saved: nothing was saved. Check the lead and save again.',
    leadSwitchedField: 'Not the lead this tab shows now',
    /** A draft for a lead this device does not know (never shown here, or its row is gone). */
    unknownLead: 'This lead is not known on this device. Reload the page.',
    /** The page reported too many leads this device had never seen, too fast (ADR 15, finding 9). */
    tooManyNewLeads: 'This page showed too many new leads in a minute; the panel waits a moment before reading another one.',
  },

  // Call mode (src/store/calls.ts, src/background/calls.ts, the sync loop's call write-back)
  calls: {
    gone: 'This call is no longer in progress (it was logged or discarded, perhaps in another tab). Reload the panel.',
    tooManyLines: (max: number) => `A call keeps at most ${max} lines. End this call and start another one.`,
    emptyAfterTag: (label: string) => `Type what was said after the tag for “${label}”.`,
    unknownCriterion: (id: string) => `“${id}” is not a criterion of this framework.`,
    evidenceFull: (label: string, limit: number) => `The evidence for “${label}” would exceed ${limit} characters: the line was not added. Shorten the evidence in the checklist first.`,
    unsupported: (label: string) => `${label}’s connector cannot log calls: the call is kept on this device.`,
    unreadable: 'The logged call could not be read from this device’s storage.',
  },
};

export type BackgroundMessages = typeof background;
