/** The options page's strings in the current locale. The catalog lives in `src/i18n/en/options.ts` (ADR 0012). */
export { optionsStrings as strings, type OptionsMessages as OptionsStrings } from '../i18n/options';
