import { locale } from './current';
import { qualify as en, type QualifyMessages } from './en/qualify';
import type { Locale } from './locales';

export type { QualifyMessages };

/**
 * The strings of the qualification shown in the panel (src/domain: recommendation, scoring, frameworks),
 * one catalog per locale. Only this namespace, so a bundle that shows it carries no other surface's
 * strings. A new locale is a file `./<locale>/qualify.ts` typed `QualifyMessages`.
 */
export const qualifyCatalogs: Record<Locale, QualifyMessages> = { en };

/** The strings in use: the current locale's. */
export const qualifyStrings: QualifyMessages = qualifyCatalogs[locale];
