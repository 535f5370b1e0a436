import { locale } from './current';
import { insights as en, type InsightsMessages } from './en/insights';
import type { Locale } from './locales';

export type { InsightsMessages };

/**
 * The strings of the manager's analyses (src/domain: calibration, feedback), one catalog per locale. Only
 * this namespace, so a bundle that shows it carries no other surface's strings. A new locale is a file
 * `./<locale>/insights.ts` typed `InsightsMessages`.
 */
export const insightsCatalogs: Record<Locale, InsightsMessages> = { en };

/** The strings in use: the current locale's. */
export const insightsStrings: InsightsMessages = insightsCatalogs[locale];
