import { CHANNEL, PANEL_PLACEMENTS, type PanelPlacement } from './names';

/**
 * The panel frame's one-time token (ADR 0015), in a module with no dependencies: the content script asks
 * for it and checks the reply here, without zod (ADR 0014); the background and the panel use the same names.
 *
 * The content script asks the background for a token each time it is about to put the panel iframe in
 * the page, and puts it in the page's address (`#t=<token>`) before the frame goes in; the panel presents it (`panel.claim`) before
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
 * The background's answer to `page.panelFrame`: where the panel shows and whether it is folded (the rep's
 * choices, read by the background so the CRM page reads no storage), and the frame's token when the panel
 * goes into the page (none in side-panel mode, or when refused).
 */
export interface PanelFrame {
  token: string | null;
  placement: PanelPlacement;
  collapsed: boolean;
}

/**
 * The reply to `page.panelFrame` as the content script takes it, or null. It trusts nothing else about the
 * reply: a plain shape check, no validator bundled into CRM pages; a token of another shape is no token.
 */
export function frameFromReply(reply: unknown): PanelFrame | null {
  if (typeof reply !== 'object' || reply === null || (reply as { ok?: unknown }).ok !== true) return null;
  const data = (reply as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const { token, placement, collapsed } = data as { token?: unknown; placement?: unknown; collapsed?: unknown };
  if (!(PANEL_PLACEMENTS as readonly unknown[]).includes(placement) || typeof collapsed !== 'boolean') return null;
  return { token: typeof token === 'string' && FRAME_TOKEN_PATTERN.test(token) ? token : null, placement: placement as PanelPlacement, collapsed };
}

/**
 * Asks the background for the panel frame's token and the rep's choices, in one message: null when it
 * refused or answered something else, a rejection when no answer came (no background, the worker
 * restarting, the extension gone) or the background failed, which the panel host may ask again for.
 */
export function requestPanelFrame(transport: (message: unknown) => Promise<unknown>): Promise<PanelFrame | null> {
  // A throw (an invalidated extension context throws at once) fails the request, as a rejection does; so do
  // no reply at all and the background's own failure (`failed`), as the panel's client treats them (ADR 15).
  return new Promise<unknown>((resolve) => resolve(transport({ channel: CHANNEL, type: PANEL_FRAME_REQUEST, payload: {} }))).then((reply) => {
    if (reply === undefined || (reply as { error?: { code?: unknown } } | null)?.error?.code === 'failed') throw new Error('No answer to page.panelFrame');
    return frameFromReply(reply);
  });
}

/** The panel address's fragment carrying `token`. */
export const frameTokenHash = (token: string) => `#${HASH_KEY}=${token}`;

/** The token a panel page's fragment carries, or '' (a frame someone else made may carry anything). */
export function frameTokenOf(hash: string): string {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(HASH_KEY) ?? '';
  return value.slice(0, 100);
}
