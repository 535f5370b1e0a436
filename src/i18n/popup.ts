import { locale } from './current';
import { popup as en, type PopupMessages } from './en/popup';
import type { Locale } from './locales';

export type { PopupMessages };

/**
 * The strings of the toolbar popup (src/popup), one catalog per locale. Only this namespace, so a bundle
 * that shows it carries no other surface's strings. A new locale is a file `./<locale>/popup.ts` typed
 * `PopupMessages`.
 */
export const popupCatalogs: Record<Locale, PopupMessages> = { en };

/** The strings in use: the current locale's. */
export const popupStrings: PopupMessages = popupCatalogs[locale];
