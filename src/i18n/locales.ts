/**
 * Which languages the extension speaks, and how one is chosen (ADR 0012). Pure TypeScript: the caller
 * passes the browser's preferred languages (`navigator.languages`).
 */

/** Every locale with a full catalog. Adding one here makes `tsc` list each namespace registry that lacks it. */
export const LOCALES = ['en'] as const;

export type Locale = (typeof LOCALES)[number];

/** The language of the source catalog, and the fallback when nothing the user prefers is available. */
export const DEFAULT_LOCALE: Locale = 'en';

const norm = (tag: string) => tag.trim().replace(/_/g, '-').toLowerCase();
const base = (tag: string) => norm(tag).split('-')[0]!;

/**
 * The first of the user's preferred languages that the extension has, else the fallback. For each
 * preference in order: the exact tag ('fr-CA'), then its language ('fr'), then any regional catalog of that
 * language ('fr-CA' for a user who prefers 'fr-CH').
 */
export function pickLocale<L extends string>(preferred: readonly string[], available: readonly L[], fallback: NoInfer<L> = DEFAULT_LOCALE as L): L {
  for (const tag of preferred) {
    if (!tag.trim()) continue;
    const exact = available.find((a) => norm(a) === norm(tag));
    if (exact) return exact;
    const language = base(tag);
    const sameLanguage = available.find((a) => norm(a) === language) ?? available.find((a) => base(a) === language);
    if (sameLanguage) return sameLanguage;
  }
  return fallback;
}
