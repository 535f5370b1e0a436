/** The dashboard's strings in the current locale. The catalog lives in `src/i18n/en/dashboard.ts` (ADR 0012). */
export { dashboardStrings as strings, type DashboardMessages as DashboardStrings } from '../i18n/dashboard';
