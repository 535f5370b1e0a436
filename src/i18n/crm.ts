import { locale } from './current';
import { crm as en, type CrmMessages } from './en/crm';
import type { Locale } from './locales';

export type { CrmMessages };

/**
 * The sentences the CRM API modules share (src/crm/<name>/api.ts, in the background), one catalog per
 * locale. Each CRM's own sentences live in its folder (`src/crm/<name>/messages.ts`, through
 * `localized`). A new locale is a file `./<locale>/crm.ts` typed `CrmMessages`.
 */
export const crmCatalogs: Record<Locale, CrmMessages> = { en };

/** The strings in use: the current locale's. */
export const crmStrings: CrmMessages = crmCatalogs[locale];
