import { locale } from './current';
import { background as en, type BackgroundMessages } from './en/background';
import type { Locale } from './locales';

export type { BackgroundMessages };

/**
 * The strings of the store, sync and background handlers (src/store, src/sync, src/background), one
 * catalog per locale. Only this namespace, so a bundle that shows it carries no other surface's strings. A
 * new locale is a file `./<locale>/background.ts` typed `BackgroundMessages`.
 */
export const backgroundCatalogs: Record<Locale, BackgroundMessages> = { en };

/** The strings in use: the current locale's. */
export const backgroundStrings: BackgroundMessages = backgroundCatalogs[locale];
