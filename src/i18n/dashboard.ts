import { locale } from './current';
import { dashboard as en, type DashboardMessages } from './en/dashboard';
import type { Locale } from './locales';

export type { DashboardMessages };

/**
 * The strings of the manager dashboard (src/dashboard), one catalog per locale. Only this namespace, so a
 * bundle that shows it carries no other surface's strings. A new locale is a file
 * `./<locale>/dashboard.ts` typed `DashboardMessages`.
 */
export const dashboardCatalogs: Record<Locale, DashboardMessages> = { en };

/** The strings in use: the current locale's. */
export const dashboardStrings: DashboardMessages = dashboardCatalogs[locale];
