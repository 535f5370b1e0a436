/** The panel's strings in the current locale. The catalog lives in `src/i18n/en/panel.ts` (ADR 0012). */
export { panelStrings as strings, type PanelMessages as PanelStrings } from '../../i18n/panel';
