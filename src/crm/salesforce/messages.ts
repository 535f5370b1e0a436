import { localized, type Catalogs } from '../../i18n/localized';

/**
 * What the Salesforce module says to people, in English: per-item failures and request errors of the API
 * (`api.ts`, shown as "Needs attention: …"), the sign-in's errors (`oauth.ts`, shown on the options
 * page), the connection's label, and the details of the activities it reads. Sentences every CRM says
 * (could not be reached, not JSON, batch too large) are in `src/i18n/en/crm.ts`. Salesforce's own
 * error messages and codes pass through as Salesforce wrote them.
 *
 * A translation adds its locale to `catalogs` (e.g. `fr: { … }` typed `SalesforceMessages`);
 * `src/crm/messages.test.ts` checks it has English's keys.
 */
export const en = {
  // The REST API (api.ts)
  sessionRejected: (message: string) => `Salesforce did not accept the session, even after renewing it: ${message}`,
  limitExceeded: (message: string) => `The Salesforce org has used up its 24-hour API allocation: ${message}`,
  noRefreshToken: 'The Salesforce session expired and there is no refresh token to renew it: sign in again.',
  tokenEndpointUnreachable: (why: string) => `Salesforce’s token endpoint could not be reached (${why}).`,
  /** The `why` of `cannotRenewNow` and `renewRefused` when Salesforce gave no message. */
  renewAnswered: (status: number) => `answered ${status}`,
  cannotRenewNow: (why: string) => `Salesforce could not renew the session now: ${why}`,
  renewRefused: (why: string) => `Salesforce refused to renew the session: ${why}. Sign in again.`,
  noAccessToken: 'Salesforce’s token endpoint answered without an access token.',
  orgMismatch: (leadOrg: string, connectionHost: string) => `This lead is in the Salesforce org at ${leadOrg}, but the connection is for ${connectionHost}.`,
  unsupportedObject: (objectType: string) => `Salesforce ${objectType} records are not supported; only leads are.`,
  notALeadId: (id: string) => `“${id}” is not a Salesforce lead id.`,
  /** One record error in a list of them: Salesforce's message, when it gave none. */
  noMessage: 'no message',
  /** A failed record without any error. */
  noReason: 'no reason given',
  updateNotConfirmed: (leadId: string) => `Salesforce did not confirm the update of lead ${leadId}.`,
  leadDeleted: (errors: string) => `The lead was deleted in Salesforce: ${errors}.`,
  updateFailed: (leadId: string, errors: string) => `Salesforce did not update lead ${leadId}: ${errors}.`,
  taskNotConfirmed: 'Salesforce did not confirm the task; it will be looked for before trying again.',
  taskFailed: (errors: string) => `The status was updated, but Salesforce did not create the task: ${errors}.`,
  /** A task refused for a write-back that had no status to set. */
  taskRefused: (errors: string) => `Salesforce did not create the task: ${errors}.`,
  /** The task request failed as a whole after the status was updated. */
  taskNotCreated: (message: string) => `The status was updated, but the task was not created: ${message}`,
  lookupFailed: (message: string) =>
    `Salesforce could not be asked whether an earlier attempt already created the task, so none was created (it will be looked for again): ${message}`,
  itemNotConfirmed: 'Salesforce did not confirm this item.',
  callNotConfirmed: 'Salesforce did not confirm the call’s task; it will be looked for before trying again.',
  callRefused: (errors: string) => `Salesforce did not log the call: ${errors}.`,
  unreadableLead: 'Salesforce answered with an unreadable lead.',
  leadGone: 'The lead no longer exists in Salesforce.',
  badCursor: 'The import cursor is not a Salesforce query locator.',
  cursorExpired: 'Salesforce no longer holds this import’s page (query locators expire after some idle minutes): start the import again.',
  /** `importNotes`' `since` was not a date and time. */
  badSince: (since: string) => `“${since}” is not a date and time to import changes since.`,
  /** The connection's name on the options page (stored with the connection). */
  connectionLabel: (org: string, host: string) => `Salesforce org ${org} (${host})`,
  connectionLabelNoOrg: (host: string) => `Salesforce at ${host}`,

  // Details of the activities read from a lead, shown next to the activity in the score breakdown
  activity: {
    /** A campaign response whose campaign has no name. */
    campaign: 'Campaign',
    emailBounced: 'Email bounced',
    emailBouncedBecause: (reason: string) => `Email bounced: ${reason}`,
    optedOut: 'Opted out of email',
  },

  // Signing in (oauth.ts), shown on the options page
  signIn: {
    notAWebAddress: (host: string) => `“${host}” is not a web address. Use https://login.salesforce.com, https://test.salesforce.com or your My Domain.`,
    notALoginHost: (host: string) =>
      `Sign in through https://login.salesforce.com, https://test.salesforce.com or your org’s My Domain (https://<name>.my.salesforce.com), not ${host}.`,
    cancelled: 'Salesforce sign-in was cancelled: the window was closed before access was allowed.',
    incomplete: (why: string) => `Salesforce sign-in did not complete: ${why}`,
    notAUrl: 'Salesforce redirected to an address that is not a URL.',
    elsewhere: 'Salesforce redirected somewhere other than this extension.',
    stateMismatch: 'The Salesforce sign-in answer does not belong to this sign-in (state mismatch). Nothing was saved; try again.',
    accessDenied: 'Access was not allowed in Salesforce, so the extension cannot sync decisions. Sign in again and choose Allow.',
    refused: (description: string, error: string) => `Salesforce refused the sign-in: ${description} (${error}).`,
    noCode: 'Salesforce redirected back without an authorization code.',
    clientIdRequired: 'Enter the connected app’s consumer key.',
    unreachable: (message: string) => `Salesforce could not be reached to finish signing in (${message}).`,
    noSession: (description: string, error: string) => `Salesforce did not issue a session: ${description} (${error}).`,
    /** The `description` of `noSession` when Salesforce gave none. */
    noDescription: 'no description',
    noToken: 'Salesforce’s answer had no usable access token or instance URL.',
    noRefreshToken:
      'Salesforce did not grant a refresh token. Add the “Perform requests at any time (refresh_token, offline_access)” scope to the connected app, then sign in again.',
  },
};

export type SalesforceMessages = typeof en;

export const catalogs: Catalogs<SalesforceMessages> = { en };

/** The strings in use: the current locale's, else English. */
export const messages: SalesforceMessages = localized(catalogs);
