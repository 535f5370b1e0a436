/** The popup's strings in the current locale. The catalog lives in `src/i18n/en/popup.ts` (ADR 0012). */
export { popupStrings as strings, type PopupMessages as PopupStrings } from '../i18n/popup';
