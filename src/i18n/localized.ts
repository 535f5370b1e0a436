import { locale } from './current';
import type { Locale } from './locales';

/**
 * A catalog kept next to the code that uses it, by locale: English (the source, required) and any
 * translations. A locale left out falls back to English, so a CRM folder can ship English only.
 */
export type Catalogs<T> = { en: T } & Partial<Record<Locale, T>>;

/**
 * The current locale's catalog, else English. For strings that belong to one plug-in folder rather than
 * to a namespace of `src/i18n` (each `src/crm/<name>/messages.ts`: one CRM = one folder, ADR 0012):
 *
 * ```ts
 * export const en = { recordGone: 'The record no longer exists in HubSpot.' };
 * export const catalogs: Catalogs<typeof en> = { en };
 * export const messages = localized(catalogs);
 * ```
 *
 * `use` is for tests; code takes the current locale.
 */
export function localized<T>(catalogs: Catalogs<T>, use: string = locale): T {
  return (catalogs as Partial<Record<string, T>>)[use] ?? catalogs.en;
}
