import { locale } from './current';
import { page as en, type PageMessages } from './en/page';
import type { Locale } from './locales';

export type { PageMessages };

/**
 * The strings the content script shows on the CRM page (src/content), one catalog per locale. A new
 * locale is a file `./<locale>/page.ts` typed `PageMessages`.
 */
export const pageCatalogs: Record<Locale, PageMessages> = { en };

/** The strings in use: the current locale's. */
export const pageStrings: PageMessages = pageCatalogs[locale];
