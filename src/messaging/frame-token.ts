import { CHANNEL } from './names';

/**
 * The panel frame's one-time token (ADR 0015), in a module with no dependencies: the content script asks
 * for it and checks the reply here, without zod (ADR 0014); the background and the panel use the same names.
 *
 * The content script asks the background for a token each time it points the panel iframe at the panel
 * page, and puts it in the page's address (`#t=<token>`); the panel presents it (`panel.claim`) before
 * anything else, and the background then answers panel messages from that tab only from that frame.
 */

/** The content script's request for a token (`page-protocol.ts` has its schema). */
export const PANEL_FRAME_REQUEST = 'page.panelFrame';
/** 128 random bits as 32 lowercase hex digits. */
export const FRAME_TOKEN_PATTERN = /^[0-9a-f]{32}$/;
/** The key of the token in the panel address's fragment. */
const HASH_KEY = 't';

/** A fresh token (the background draws it). */
export function newFrameToken(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return Array.from(random(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The token in the background's reply to `page.panelFrame`, or null. The content script trusts nothing
 * else about the reply: a plain shape check, no validator bundled into CRM pages.
 */
export function tokenFromReply(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null || (reply as { ok?: unknown }).ok !== true) return null;
  const data = (reply as { data?: unknown }).data;
  const token = typeof data === 'object' && data !== null ? (data as { token?: unknown }).token : undefined;
  return typeof token === 'string' && FRAME_TOKEN_PATTERN.test(token) ? token : null;
}

/** Asks the background for a token; null when it did not give one (no background, refused). */
export function requestFrameToken(transport: (message: unknown) => Promise<unknown>): Promise<string | null> {
  // A throw (an invalidated extension context throws at once) counts as no token, like a rejection.
  return new Promise<unknown>((resolve) => resolve(transport({ channel: CHANNEL, type: PANEL_FRAME_REQUEST, payload: {} }))).then(tokenFromReply, () => null);
}

/** The panel address's fragment carrying `token`. */
export const frameTokenHash = (token: string) => `#${HASH_KEY}=${token}`;

/** The token a panel page's fragment carries, or '' (a frame someone else made may carry anything). */
export function frameTokenOf(hash: string): string {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(HASH_KEY) ?? '';
  return value.slice(0, 100);
}
