import * as z from 'zod/mini';
import type { MessageDef } from './envelope';
import { FRAME_TOKEN_PATTERN, PANEL_FRAME_REQUEST } from './frame-token';
import { PANEL_PLACEMENTS } from './names';

/**
 * Messages from the content script: which lead the tab shows, and what the page says about it. The
 * background validates them with these schemas; the content script sends them typed from them, without
 * zod, and reads no reply (ADR 0014).
 */
const text = (max: number) => z.optional(z.string().check(z.maxLength(max)));

export const leadRefSchema = z.object({
  crm: z.string().check(z.minLength(1), z.maxLength(40)),
  recordId: z.string().check(z.minLength(1), z.maxLength(100)),
  objectType: z.string().check(z.minLength(1), z.maxLength(60)),
  url: z.string().check(z.maxLength(2000)),
  host: z.string().check(z.maxLength(300)),
  account: text(100),
});

export const leadDomSchema = z.object({
  name: text(300),
  company: text(300),
  title: text(300),
  email: text(320),
  status: text(100),
});

export const pageProtocol = {
  /** The tab now shows this lead (after the CRM rendered it). */
  'page.leadShown': { from: ['content'], request: z.object({ ref: leadRefSchema, dom: leadDomSchema }), response: z.null() },
  /** The tab left the lead (list view, another object, closed). */
  'page.leadLeft': { from: ['content'], request: z.object({}), response: z.null() },
  /**
   * The content script is about to put the panel iframe in the page: a one-time token for that frame (it
   * replaces any earlier one of the tab), with the rep's choices (where the panel shows, folded or not), so
   * the page reads no storage. The only page message whose reply the content script reads, with a plain
   * check (src/messaging/frame-token.ts, ADR 0015).
   */
  [PANEL_FRAME_REQUEST]: {
    from: ['content'],
    request: z.object({}),
    response: z.object({
      /** None in side-panel mode: nothing goes into the page. */
      token: z.optional(z.string().check(z.regex(FRAME_TOKEN_PATTERN))),
      placement: z.enum(PANEL_PLACEMENTS),
      collapsed: z.boolean(),
    }),
  },
} satisfies Record<string, MessageDef>;
export type PageProtocol = typeof pageProtocol;
