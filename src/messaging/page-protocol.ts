import * as z from 'zod/mini';
import { CHANNEL, type MessageDef } from './envelope';

/** Messages from the content script: which lead the tab shows, and what the page says about it. */
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
} satisfies Record<string, MessageDef>;

/** Messages from the background to the content script (keyboard shortcut). Only our extension may send them. */
export const TOGGLE_PANEL = 'content.togglePanel';
export const toggleMessageSchema = z.object({ channel: z.literal(CHANNEL), type: z.literal(TOGGLE_PANEL), payload: z.object({}) });
