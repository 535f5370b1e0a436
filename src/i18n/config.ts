import { locale } from './current';
import { config as en, type ConfigMessages } from './en/config';
import type { Locale } from './locales';

export type { ConfigMessages };

/**
 * The team configuration's validation messages (src/domain/config.ts, conditions.ts), shown on the
 * options page, one catalog per locale. A new locale is a file `./<locale>/config.ts` typed `ConfigMessages`.
 */
export const configCatalogs: Record<Locale, ConfigMessages> = { en };

/** The strings in use: the current locale's. */
export const configStrings: ConfigMessages = configCatalogs[locale];
