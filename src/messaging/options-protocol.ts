import { z } from 'zod';
import { crmUserSchema, mappingSchema } from '../crm/api';
import { configSchema } from '../domain/config';
import type { MessageDef } from './envelope';
import { PANEL_PLACEMENTS } from './names';
import { protocolStrings as t } from '../i18n/protocol';

/**
 * Messages from top-level extension pages (options, dashboard). Credentials go in (connect) and never
 * come back out: connections are answered without their tokens.
 */

const crm = z.string().min(1).max(40);

export const publicConnectionSchema = z.object({
  crm,
  apiBase: z.string(),
  account: z.string().optional(),
  label: z.string(),
  mapping: mappingSchema,
  connectedAt: z.string(),
  state: z.enum(['connected', 'expired']),
  auth: z.enum(['token', 'oauth']),
  /** Who the credentials belong to, as the CRM says; absent when it cannot say (or was not asked yet). */
  user: crmUserSchema.optional(),
  userCheckedAt: z.string().optional(),
});

export const queueItemSchema = z.object({
  key: z.string(),
  dispositionId: z.string(),
  rev: z.number(),
  crm,
  leadName: z.string(),
  state: z.enum(['pending', 'failed', 'expired', 'done']),
  attempts: z.number(),
  nextAt: z.number(),
  lastError: z.string().optional(),
  updatedAt: z.string(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const overviewSchema = z.object({
  connections: z.array(publicConnectionSchema),
  available: z.array(z.object({ id: crm, label: z.string(), connectWith: z.enum(['token', 'oauth']), defaultApiBase: z.string().optional(), defaultMapping: mappingSchema })),
  config: configSchema,
  configProblem: z.string().optional(),
  /** Where `config` comes from: the organisation's browser policy (read-only here) or this browser (ADR 0016). */
  configSource: z.enum(['local', 'managed']).optional(),
  /** The policy sets a config that is not valid: shown, and the local config stays in force. */
  managedProblem: z.string().optional(),
  /** The name and email the rep gave, used where the CRM cannot say who they are; null = not given. */
  rep: z.object({ name: z.string(), email: z.string() }).nullable(),
  queue: z.object({
    counts: z.object({ pending: z.number(), failed: z.number(), done: z.number() }),
    items: z.array(queueItemSchema),
  }),
  /**
   * Where the panel shows (ADR 0020): in the CRM page (`page`, the default) or the browser's side panel;
   * `available`: the browser has a side panel for extensions (without one, the page it is).
   */
  placement: z.object({ value: z.enum(PANEL_PLACEMENTS), available: z.boolean() }),
});
export type Overview = z.infer<typeof overviewSchema>;

export const importProgressSchema = z.object({
  crm,
  pages: z.number(),
  notes: z.number(),
  newDecisions: z.number(),
  newRevisions: z.number(),
  unchanged: z.number(),
  refused: z.number(),
  reviews: z.number(),
  unreadable: z.number(),
  refusedNotes: z.array(z.object({ noteId: z.string(), dispositionId: z.string(), rev: z.number().optional(), why: z.array(z.string()) })),
  done: z.boolean(),
  cursor: z.string().optional(),
  runStartedAt: z.string().optional(),
  since: z.string().optional(),
  lastRunAt: z.string().optional(),
  problem: z.string().optional(),
});
export type ImportProgressView = z.infer<typeof importProgressSchema>;

export const connectRequestSchema = z.discriminatedUnion('auth', [
  z.object({ auth: z.literal('token'), crm, apiBase: z.string().url().optional(), token: z.string().trim().min(1, t.tokenRequired).max(4000) }),
  z.object({
    auth: z.literal('oauth'),
    crm,
    /** `https://login.salesforce.com`, `https://test.salesforce.com` or the org's My Domain. */
    loginHost: z.string().url(),
    clientId: z.string().trim().min(1, t.clientIdRequired).max(400),
  }),
]);

export const optionsProtocol = {
  'options.getOverview': { from: ['extension_page'], request: z.object({}), response: overviewSchema },
  /** Tests the credentials against the CRM and stores them only if they work. */
  'options.connect': { from: ['extension_page'], request: connectRequestSchema, response: publicConnectionSchema },
  'options.testConnection': { from: ['extension_page'], request: z.object({ crm }), response: z.object({ label: z.string(), account: z.string().optional() }) },
  'options.disconnect': { from: ['extension_page'], request: z.object({ crm }), response: z.null() },
  'options.setMapping': { from: ['extension_page'], request: z.object({ crm, mapping: mappingSchema }), response: publicConnectionSchema },
  /** Any JSON: validated with field-named errors. Refused (`forbidden`) while the policy's config is in force. */
  'options.saveConfig': { from: ['extension_page'], request: z.object({ config: z.unknown() }), response: z.object({ ok: z.literal(true) }) },
  'options.resetConfig': { from: ['extension_page'], request: z.object({}), response: z.object({ ok: z.literal(true) }) },
  'options.setRep': { from: ['extension_page'], request: z.object({ name: z.string().trim().min(1, t.nameRequired).max(200), email: z.email(t.emailRequired).max(320) }), response: z.null() },
  'options.retry': { from: ['extension_page'], request: z.object({ key: z.string().max(100).optional(), dispositionId: z.string().max(100).optional(), crm: crm.optional() }), response: z.object({ requeued: z.number() }) },
  'options.syncNow': { from: ['extension_page'], request: z.object({}), response: z.null() },
  /** Where the panel shows; side-panel mode is refused (`invalid`) where the browser has no side panel. */
  'options.setPlacement': { from: ['extension_page'], request: z.object({ placement: z.enum(PANEL_PLACEMENTS) }), response: z.null() },
  /** Reads one page of the CRM's notes into the dashboard; call again until `done`. */
  'dashboard.importStep': { from: ['extension_page'], request: z.object({ crm }), response: importProgressSchema },
  'dashboard.importStatus': { from: ['extension_page'], request: z.object({ crm }), response: importProgressSchema },
} satisfies Record<string, MessageDef>;

/** A manager's review of a decision this browser's rep made, as the toolbar popup lists it (CRM text: shown as text). */
export const myReviewSchema = z.object({
  id: z.string().max(100),
  verdict: z.enum(['agree', 'disagree']),
  reviewerName: z.string().max(200),
  at: z.string().max(40),
  comment: z.string().max(2000),
  crm,
  decision: z.object({
    dispositionId: z.string().max(200),
    rev: z.number(),
    /** As the deciding rep's config named it: "Rejected: No budget". */
    label: z.string().max(300),
    leadName: z.string().max(300),
    /** The lead in the CRM (http/https only); absent when not known here. */
    url: z.string().max(2000).optional(),
  }),
  trust: z.object({ state: z.enum(['verified', 'unconfirmed', 'flagged']), notes: z.array(z.string().max(2000)).max(20) }),
});
export type MyReview = z.infer<typeof myReviewSchema>;

/** Messages of the toolbar popup (a top-level extension page too), beside the options messages it also sends. */
export const popupProtocol = {
  /**
   * The managers' reviews of decisions this browser's rep made (the rep: who this browser is on each CRM),
   * from the reviews stored here and the team records of the leads shown; newest first, at most 50.
   * `identified` is false when nobody is known on any CRM (no CRM user, no name given).
   */
  'popup.myReviews': { from: ['extension_page'], request: z.object({}), response: z.object({ identified: z.boolean(), reviews: z.array(myReviewSchema).max(50) }) },
} satisfies Record<string, MessageDef>;
