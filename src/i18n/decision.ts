import { locale } from './current';
import { decision as en, type DecisionMessages } from './en/decision';
import type { Locale } from './locales';

export type { DecisionMessages };

/**
 * The strings of the decision and history checks (src/domain/dispositions.ts), one catalog per locale.
 * Only this namespace, so a bundle that shows it carries no other surface's strings. A new locale is a
 * file `./<locale>/decision.ts` typed `DecisionMessages`.
 */
export const decisionCatalogs: Record<Locale, DecisionMessages> = { en };

/** The strings in use: the current locale's. */
export const decisionStrings: DecisionMessages = decisionCatalogs[locale];
