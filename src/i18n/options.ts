import { locale } from './current';
import { options as en, type OptionsMessages } from './en/options';
import type { Locale } from './locales';

export type { OptionsMessages };

/**
 * The strings of the options page (src/options), one catalog per locale. Only this namespace, so a bundle
 * that shows it carries no other surface's strings. A new locale is a file `./<locale>/options.ts` typed
 * `OptionsMessages`.
 */
export const optionsCatalogs: Record<Locale, OptionsMessages> = { en };

/** The strings in use: the current locale's. */
export const optionsStrings: OptionsMessages = optionsCatalogs[locale];
