import { locale } from './current';
import { protocol as en, type ProtocolMessages } from './en/protocol';
import type { Locale } from './locales';

export type { ProtocolMessages };

/**
 * The strings of the message protocol's request checks (src/messaging/options-protocol.ts), one catalog
 * per locale. Only this namespace, so a bundle that shows it carries no other surface's strings. A new
 * locale is a file `./<locale>/protocol.ts` typed `ProtocolMessages`.
 */
export const protocolCatalogs: Record<Locale, ProtocolMessages> = { en };

/** The strings in use: the current locale's. */
export const protocolStrings: ProtocolMessages = protocolCatalogs[locale];
