import { localized, type Catalogs } from '../../i18n/localized';

/**
 * What the demo CRM's module says to people, in English: request errors (shown as "Needs attention: …")
 * and the connection's label. The demo server's own error messages pass through as it wrote them.
 *
 * A translation adds its locale to `catalogs` (e.g. `fr: { … }` typed `DemoMessages`);
 * `src/crm/messages.test.ts` checks it has English's keys.
 */
export const en = {
  unreachable: (why: string) => `The demo CRM could not be reached (${why}).`,
  answered: (status: number) => `The demo CRM answered ${status}.`,
  /** The note request failed after the status was updated (the retry sends the note alone). */
  noteNotCreated: (message: string) => `The status was updated, but the note was not created: ${message}`,
  /** The connection's name on the options page (stored with the connection). */
  connectionLabel: (host: string) => `Demo CRM at ${host}`,
};

export type DemoMessages = typeof en;

export const catalogs: Catalogs<DemoMessages> = { en };

/** The strings in use: the current locale's, else English. */
export const messages: DemoMessages = localized(catalogs);
