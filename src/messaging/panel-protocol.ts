import { z } from 'zod';
import { configSchema, criterionStates } from '../domain/config';
import { decisionSchema } from '../domain/dispositions';
import { checklistSchema } from '../domain/frameworks';
import { CALL_OUTCOMES, CALL_TEXT_MAX } from '../domain/calls';
import { isoDate, isoDateTime, leadProfileSchema } from '../domain/lead';
import { comparedFields } from '../domain/lead-identity';
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
  /** `team`: another browser's decision, read from the CRM (this one has not changed it since). */
  source: z.enum(['mine', 'team']).optional(),
});
export type SavedDecision = z.infer<typeof savedDecisionSchema>;

const trustSchema = z.object({ state: z.enum(['verified', 'unconfirmed', 'flagged']), notes: z.array(z.string().max(2000)).max(20) });
const text = (max: number) => z.string().max(max);

/** The lead's team record as the panel shows it: every rep's decisions and the managers' reviews. */
export const panelTeamSchema = z.object({
  entries: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('decision'),
          noteId: text(200),
          dispositionId: text(200),
          rev: z.number().int(),
          outcome: z.enum(['accept', 'reject', 'recycle']),
          label: text(400),
          subReason: text(200).optional(),
          note: text(60_000),
          by: text(200),
          at: text(40),
          trust: trustSchema,
        }),
        z.object({
          kind: z.literal('review'),
          noteId: text(200),
          dispositionId: text(200),
          rev: z.number().int(),
          verdict: z.enum(['agree', 'disagree']),
          comment: text(2000),
          label: text(400),
          by: text(200),
          at: text(40),
          trust: trustSchema,
        }),
      ]),
    )
    .max(100),
  /** The record's status in the CRM when last read. */
  status: text(200).optional(),
  readAt: text(40).optional(),
  /** Why the last read failed (the entries are the last known ones). */
  problem: text(2000).optional(),
});
export type PanelTeam = z.infer<typeof panelTeamSchema>;

/**
 * Background → panel pushes: something a panel shows changed; a panel it concerns re-reads its state with
 * `panel.getState` (the panel does not poll). Pushes carry ids, never data. Broadcast with
 * `runtime.sendMessage`, so every extension page receives them: panels act only on pushes from the
 * background (see src/panel/pushes.ts) about their own tab, lead or decision.
 * - `panel.leadChanged`: the lead shown in tab `tabId` changed, was left, or was first reported.
 * - `panel.syncChanged`: the sync state of these dispositions changed (the sync engine's `onChange`).
 * - `panel.leadRefreshed`: the read of this lead's profile from its CRM's API finished or failed
 *   (`leadKey` as in src/crm `leadKey`: `<crm>:<account or host>:<recordId>`).
 */
export const PANEL_LEAD_CHANGED = 'panel.leadChanged';
export const PANEL_SYNC_CHANGED = 'panel.syncChanged';
export const PANEL_LEAD_REFRESHED = 'panel.leadRefreshed';
/** Dispositions named in one `panel.syncChanged` (the background sends more in several). */
export const MAX_PUSH_IDS = 500;
const pushOf = <T extends string, P extends z.ZodType>(type: T, payload: P) => z.object({ channel: z.literal(CHANNEL), type: z.literal(type), payload });
export const panelPushSchema = z.discriminatedUnion('type', [
  pushOf(PANEL_LEAD_CHANGED, z.object({ tabId: z.number().int() })),
  pushOf(PANEL_SYNC_CHANGED, z.object({ dispositionIds: z.array(z.string().min(1).max(100)).min(1).max(MAX_PUSH_IDS) })),
  pushOf(PANEL_LEAD_REFRESHED, z.object({ leadKey: z.string().min(1).max(600) })),
]);
export type PanelPush = z.infer<typeof panelPushSchema>;

/**
 * The port a panel holds open (`runtime.connect({ name: PANEL_PORT })`) while it shows something that waits
 * on the background. Nothing is sent on it: when the browser stops the idle service worker the port ends,
 * and the panel connects again at once, which starts the worker (and its start-up resumes the outbox).
 */
export const PANEL_PORT = 'lead-qualifier/panel';

/** Call mode (issue 17 part 5; ADR 19): the call in progress on the lead, and the calls logged on it. */
export const callOutcomeSchema = z.enum(CALL_OUTCOMES);
export const callLineViewSchema = z.object({
  id: z.string().min(1).max(100),
  at: isoDateTime,
  text: z.string().max(CALL_TEXT_MAX),
  /** Tied to this criterion (a `#tag` or a shortcut): its text went to the criterion's evidence. */
  criterionId: z.string().max(60).optional(),
  criterionLabel: z.string().max(200).optional(),
  /** A leading `#tag` that names no criterion of the framework: the text was kept whole. */
  unknownTag: z.string().max(200).optional(),
});
export type CallLineView = z.infer<typeof callLineViewSchema>;
export const callDraftViewSchema = z.object({
  callId: z.string().min(1).max(100),
  /** ISO, the background's clock: the panel's timer counts from it. */
  startedAt: isoDateTime,
  lines: z.array(callLineViewSchema).max(500),
  /** Typed and not entered yet (`panel.setCallPending`). */
  pending: z.string().max(CALL_TEXT_MAX),
});
export type CallDraftView = z.infer<typeof callDraftViewSchema>;
export const loggedCallViewSchema = z.object({
  callId: z.string().min(1).max(100),
  outcome: callOutcomeSchema,
  startedAt: isoDateTime,
  endedAt: isoDateTime,
  durationSec: z.number().int().nonnegative(),
  lineCount: z.number().int().nonnegative(),
  by: z.string().max(200),
  /** `unsupported`: this CRM's connector cannot log calls (not an error: the call is kept here). */
  sync: z.enum(['queued', 'synced', 'failed', 'unsupported']),
  /** The CRM's words when it refused, or why it waits. */
  problem: z.string().max(2000).optional(),
});
export type LoggedCallView = z.infer<typeof loggedCallViewSchema>;
export const panelCallSchema = z.object({
  draft: callDraftViewSchema.nullable(),
  /** Newest first. */
  logged: z.array(loggedCallViewSchema).max(200),
  /** Logged calls on this lead, every outcome: the disposition form's "attempts" for "unresponsive". */
  attempts: z.number().int().nonnegative(),
  /** The earliest logged call that counts as contact (not a wrong number): pass it to `qualify` as `loggedFirstContactAt`. */
  firstContactAt: isoDateTime.optional(),
});
export type PanelCall = z.infer<typeof panelCallSchema>;

export const panelStateSchema = z.object({
  /** The CRM tab this panel is in (pushes name it). */
  tabId: z.number().int().nullable(),
  /** Null until the content script has reported the lead (the panel shows "Loading"). */
  ref: z.nullable(leadRefSchema),
  lead: leadProfileSchema.nullable(),
  /**
   * Where the profile came from: `fetchedAt` = last read from the CRM's API, whose word on who the lead is
   * then wins over the page's (ADR 15); before that, the page's reading. `problem` = why a read failed;
   * `crmLabel` = the CRM's name for people; `disagreements` = where the page shows something else than
   * the CRM's API (whose value is used).
   */
  source: z
    .object({
      fetchedAt: isoDateTime.optional(),
      problem: z.string().max(2000).optional(),
      crmLabel: z.string().max(100).optional(),
      disagreements: z.array(z.object({ field: z.enum(comparedFields), page: z.string().max(320), crm: z.string().max(320).optional() })).max(comparedFields.length).optional(),
    })
    .nullable(),
  checklist: checklistSchema,
  askedQuestions: z.array(z.string().max(60)).max(500),
  /** The unsaved disposition form, kept by the background so nothing typed is lost. */
  draft: z.record(z.string().max(60), z.unknown()).nullable(),
  saved: savedDecisionSchema.nullable(),
  config: configSchema,
  /**
   * Who decisions are signed as: the CRM user this browser's connection belongs to (`crm`), or the name
   * the rep gave (`typed`); null when neither is known — the panel asks before a decision can be saved.
   */
  author: z.object({ name: z.string().max(200), source: z.enum(['crm', 'typed']) }).nullable(),
  /** The lead's decisions and reviews by the whole team, from the CRM; null before the first read. */
  team: panelTeamSchema.nullable(),
  /** Call mode: the call in progress, the calls logged on this lead, attempts and first contact (ADR 19). */
  call: panelCallSchema,
});
export type PanelState = z.infer<typeof panelStateSchema>;

const id = z.string().min(1).max(60);
/**
 * The lead the panel showed when the rep acted (`leadKey` of `PanelState.ref`, src/crm). Every request that
 * changes data names it: the background refuses it when the tab shows another lead by then (the page
 * navigated in between, ADR 0015), so nothing lands on a lead the rep did not see.
 */
const leadKey = z.string().min(1).max(600);
const onLead = <T extends z.ZodRawShape>(shape: T) => z.object({ leadKey, ...shape });

export const panelProtocol = {
  /**
   * The panel's first message: the one-time token its address carries (ADR 0015). `bound`: the background
   * now answers this tab's panel messages from this frame only; false: this frame was not opened by our
   * content script on this page (or its token was used or expired), and every other panel message is refused.
   */
  'panel.claim': { from: ['panel'], request: z.object({ token: z.string().max(100) }), response: z.object({ bound: z.boolean() }) },
  'panel.getState': { from: ['panel'], request: z.object({}), response: panelStateSchema },
  'panel.setFramework': { from: ['panel'], request: onLead({ frameworkId: id }), response: panelStateSchema },
  'panel.setAnswer': {
    from: ['panel'],
    request: onLead({ criterionId: id, state: z.enum(criterionStates), evidence: z.string().max(10_000) }),
    response: panelStateSchema,
  },
  'panel.markAsked': { from: ['panel'], request: onLead({ questionId: id }), response: panelStateSchema },
  'panel.saveDraft': { from: ['panel'], request: onLead({ draft: z.record(z.string().max(60), z.unknown()) }), response: z.null() },
  /** `today` is the rep's calendar day, for date rules ("not in the past"). */
  'panel.saveDisposition': { from: ['panel'], request: onLead({ decision: z.unknown(), today: isoDate }), response: panelStateSchema },
  /** Puts this lead's failed or waiting CRM update back in line (after fixing what "Needs attention" said). */
  'panel.retrySync': { from: ['panel'], request: onLead({}), response: panelStateSchema },
  // Call mode (ADR 19). Each acts on the lead of the sender's tab, the one it names; a second start returns the call in progress.
  'panel.startCall': { from: ['panel'], request: onLead({}), response: z.object({ draft: callDraftViewSchema }) },
  /** A leading `#tag` ties the line to a criterion; `criterionId` (a keyboard shortcut) wins over a tag. */
  'panel.addCallLine': {
    from: ['panel'],
    request: onLead({ callId: z.string().min(1).max(100), text: z.string().min(1).max(CALL_TEXT_MAX), criterionId: id.optional() }),
    response: z.object({ line: callLineViewSchema }),
  },
  /** Removes the line from the call's notes; evidence it added stays in the checklist. */
  'panel.removeCallLine': { from: ['panel'], request: onLead({ callId: z.string().min(1).max(100), lineId: z.string().min(1).max(100) }), response: z.null() },
  'panel.setCallPending': { from: ['panel'], request: onLead({ callId: z.string().min(1).max(100), text: z.string().max(CALL_TEXT_MAX) }), response: z.null() },
  'panel.endCall': {
    from: ['panel'],
    request: onLead({ callId: z.string().min(1).max(100), outcome: callOutcomeSchema, note: z.string().max(CALL_TEXT_MAX).optional() }),
    response: z.object({ logged: loggedCallViewSchema }),
  },
  'panel.discardCall': { from: ['panel'], request: onLead({ callId: z.string().min(1).max(100) }), response: z.null() },
} satisfies Record<string, MessageDef>;
