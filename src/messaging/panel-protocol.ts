import { z } from 'zod';
import { configSchema, criterionStates } from '../domain/config';
import { decisionSchema } from '../domain/dispositions';
import { checklistSchema } from '../domain/frameworks';
import { isoDate, isoDateTime, leadProfileSchema } from '../domain/lead';
import { CHANNEL, type MessageDef } from './envelope';
import { leadRefSchema } from './page-protocol';

/** Messages from the panel iframe. The background answers for the lead shown in the panel's own tab. */

export const syncStates = ['saved_locally', 'synced', 'needs_attention'] as const;

export const savedDecisionSchema = z.object({
  dispositionId: z.string().min(1).max(100),
  rev: z.number().int().positive(),
  decision: decisionSchema,
  at: isoDateTime,
  by: z.string().max(200),
  syncState: z.enum(syncStates),
  syncMessage: z.string().max(2000).optional(),
});
export type SavedDecision = z.infer<typeof savedDecisionSchema>;

/**
 * Background → panel: the lead shown in tab `tabId` changed (or was left); panels of that tab re-read their
 * state at once instead of waiting for their next poll. Broadcast with `runtime.sendMessage`, so every
 * extension page receives it: panels act only on their own tab's, and only from the background.
 */
export const PANEL_LEAD_CHANGED = 'panel.leadChanged';
export const panelPushSchema = z.object({ channel: z.literal(CHANNEL), type: z.literal(PANEL_LEAD_CHANGED), payload: z.object({ tabId: z.number().int() }) });

export const panelStateSchema = z.object({
  /** The CRM tab this panel is in (pushes name it). */
  tabId: z.number().int().nullable(),
  /** Null until the content script has reported the lead (the panel shows "Loading"). */
  ref: z.nullable(leadRefSchema),
  lead: leadProfileSchema.nullable(),
  /** Where the profile came from: `fetchedAt` = last read from the CRM's API; `problem` = why that failed. */
  source: z.object({ fetchedAt: isoDateTime.optional(), problem: z.string().max(2000).optional() }).nullable(),
  checklist: checklistSchema,
  askedQuestions: z.array(z.string().max(60)).max(500),
  /** The unsaved disposition form, kept by the background so nothing typed is lost. */
  draft: z.record(z.string().max(60), z.unknown()).nullable(),
  saved: savedDecisionSchema.nullable(),
  config: configSchema,
  rep: z.object({ id: z.string().max(200), name: z.string().max(200) }),
});
export type PanelState = z.infer<typeof panelStateSchema>;

const id = z.string().min(1).max(60);

export const panelProtocol = {
  'panel.getState': { from: ['panel'], request: z.object({}), response: panelStateSchema },
  'panel.setFramework': { from: ['panel'], request: z.object({ frameworkId: id }), response: panelStateSchema },
  'panel.setAnswer': {
    from: ['panel'],
    request: z.object({ criterionId: id, state: z.enum(criterionStates), evidence: z.string().max(10_000) }),
    response: panelStateSchema,
  },
  'panel.markAsked': { from: ['panel'], request: z.object({ questionId: id }), response: panelStateSchema },
  'panel.saveDraft': { from: ['panel'], request: z.object({ draft: z.record(z.string().max(60), z.unknown()) }), response: z.null() },
  /** `today` is the rep's calendar day, for date rules ("not in the past"). */
  'panel.saveDisposition': { from: ['panel'], request: z.object({ decision: z.unknown(), today: isoDate }), response: panelStateSchema },
  /** Puts this lead's failed or waiting CRM update back in line (after fixing what "Needs attention" said). */
  'panel.retrySync': { from: ['panel'], request: z.object({}), response: panelStateSchema },
} satisfies Record<string, MessageDef>;
