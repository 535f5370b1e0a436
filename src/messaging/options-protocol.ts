import { z } from 'zod';
import { mappingSchema } from '../crm/api';
import { configSchema } from '../domain/config';
import type { MessageDef } from './envelope';
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
  rep: z.object({ id: z.string(), name: z.string() }),
  queue: z.object({
    counts: z.object({ pending: z.number(), failed: z.number(), done: z.number() }),
    items: z.array(queueItemSchema),
  }),
});
export type Overview = z.infer<typeof overviewSchema>;

export const importProgressSchema = z.object({
  crm,
  pages: z.number(),
  notes: z.number(),
  imported: z.number(),
  skippedLocal: z.number(),
  invalid: z.number(),
  done: z.boolean(),
  cursor: z.string().optional(),
  pageCursor: z.string().optional(),
  lastRunAt: z.string().optional(),
  problem: z.string().optional(),
});

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
  /** Any JSON: validated with field-named errors. */
  'options.saveConfig': { from: ['extension_page'], request: z.object({ config: z.unknown() }), response: z.object({ ok: z.literal(true) }) },
  'options.resetConfig': { from: ['extension_page'], request: z.object({}), response: z.object({ ok: z.literal(true) }) },
  'options.setRep': { from: ['extension_page'], request: z.object({ id: z.string().trim().min(1).max(200), name: z.string().trim().min(1, t.nameRequired).max(200) }), response: z.null() },
  'options.retry': { from: ['extension_page'], request: z.object({ key: z.string().max(100).optional(), dispositionId: z.string().max(100).optional(), crm: crm.optional() }), response: z.object({ requeued: z.number() }) },
  'options.syncNow': { from: ['extension_page'], request: z.object({}), response: z.null() },
  /** Reads one page of the CRM's notes into the dashboard; call again until `done`. */
  'dashboard.importStep': { from: ['extension_page'], request: z.object({ crm }), response: importProgressSchema },
  'dashboard.importStatus': { from: ['extension_page'], request: z.object({ crm }), response: importProgressSchema },
} satisfies Record<string, MessageDef>;
