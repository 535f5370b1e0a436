import { LOCALES, pickLocale, type Locale } from './locales';

/**
 * The locale in use: the browser's preferred languages (extension pages and the service worker have
 * `navigator.languages`; Node, in tests and scripts, has none) against the catalogs we ship.
 */
const preferred: readonly string[] = typeof navigator === 'undefined' || !navigator.languages ? [] : navigator.languages;

export const locale: Locale = pickLocale(preferred, LOCALES);
