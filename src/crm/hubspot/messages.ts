import { localized, type Catalogs } from '../../i18n/localized';

/**
 * What the HubSpot module says to people, in English: per-item failures and request errors (shown as
 * "Needs attention: …"), the connection's label, and the details of the activities it reads. Sentences
 * every CRM says (could not be reached, not JSON, batch too large) are in `src/i18n/en/crm.ts`.
 * HubSpot's own error messages pass through as HubSpot wrote them.
 *
 * A translation adds its locale to `catalogs` (e.g. `fr: { … }` typed `HubSpotMessages`);
 * `src/crm/messages.test.ts` checks it has English's keys.
 */
export const en = {
  couldNotUpdate: 'HubSpot could not update this record.',
  updateNotConfirmed: (id: string) => `HubSpot did not confirm the update of record ${id} (merged into another record?).`,
  noteNotCreated: 'HubSpot did not create the note.',
  noteNotConfirmed: 'HubSpot did not confirm the note; it will be looked for before trying again.',
  earlierNoteUnknown: 'HubSpot could not say whether an earlier attempt already created the note; it will be checked again before a note is created.',
  callNotCreated: 'HubSpot did not create the call.',
  callNotConfirmed: 'HubSpot did not confirm the call; it will be looked for before trying again.',
  earlierCallUnknown: 'HubSpot could not say whether an earlier attempt already logged the call; it will be checked again before a call is created.',
  leadWithoutContact: 'This HubSpot lead has no associated contact to log the call on.',
  unsupportedObject: (objectType: string) => `HubSpot ${objectType} records are not supported.`,
  portalMismatch: (recordPortal: string, connectionPortal: string) =>
    `This record is in HubSpot portal ${recordPortal}, but the connection is for portal ${connectionPortal}.`,
  unreadableRecord: 'HubSpot answered with an unreadable record.',
  recordGone: 'The record no longer exists in HubSpot.',
  noPortal: 'HubSpot did not say which portal this token belongs to.',
  tokenPortalMismatch: (tokenPortal: string, connectionPortal: string) =>
    `This token belongs to HubSpot portal ${tokenPortal}, but the connection is for portal ${connectionPortal}.`,
  historyIncomplete: 'HubSpot did not answer for all of this record’s notes; the history will be read again.',
  badCursor: 'The import’s place in HubSpot’s notes is unreadable; start the import again.',
  badSince: (since: string) => `“${since}” is not a date HubSpot notes can be searched from.`,
  /** The connection's name on the options page (stored with the connection). */
  connectionLabel: (portal: string) => `HubSpot portal ${portal}`,

  // Details of the activities read from a contact, shown next to the activity in the score breakdown
  activity: {
    marketingEmailReply: 'Replied to a marketing email',
    salesEmailReply: 'Replied to a sales email',
    hardBounce: (reason: string) => `Hard bounce: ${reason}`,
    invalidEmail: 'Invalid email address',
    unsubscribed: 'Unsubscribed from all email',
  },
};

export type HubSpotMessages = typeof en;

export const catalogs: Catalogs<HubSpotMessages> = { en };

/** The strings in use: the current locale's, else English. */
export const messages: HubSpotMessages = localized(catalogs);
