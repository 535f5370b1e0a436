import { locale } from './current';
import { panel as en, type PanelMessages } from './en/panel';
import type { Locale } from './locales';

export type { PanelMessages };

/**
 * The strings of the lead panel (src/ui/panel, src/panel), one catalog per locale. Only this namespace, so
 * a bundle that shows it carries no other surface's strings. A new locale is a file `./<locale>/panel.ts`
 * typed `PanelMessages`.
 */
export const panelCatalogs: Record<Locale, PanelMessages> = { en };

/** The strings in use: the current locale's. */
export const panelStrings: PanelMessages = panelCatalogs[locale];
