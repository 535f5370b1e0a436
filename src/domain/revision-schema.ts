import { z } from 'zod';
import { decisionSchema, type Revision } from './dispositions';
import { checklistSchema } from './frameworks';
import { activitySchema, leadProfileSchema } from './lead';

/**
 * A revision read from somewhere we do not control (a CRM note written by another rep's extension, or
 * by anyone with access to the CRM): every field checked and bounded before anything uses it. The
 * shape is `Revision`'s; whether it is genuine is another question (`team-record.ts`).
 */

const text = (max: number) => z.string().max(max);

export const authorSchema = z.object({
  id: z.string().min(1).max(200),
  name: text(200),
  email: text(320).optional(),
  crm: text(40).optional(),
  ownerId: text(200).optional(),
});

const scoreLineSchema = z.object({
  half: z.enum(['fit', 'engagement']),
  kind: z.enum(['rule', 'decay', 'cap']),
  ruleId: text(200),
  label: text(500),
  points: z.number().finite(),
  source: text(300),
  detail: text(1000),
  at: text(40),
});

const scoreSchema = z.object({
  total: z.number().finite(),
  fit: z.number().finite(),
  engagement: z.number().finite(),
  fitMax: z.number().finite(),
  engagementMax: z.number().finite(),
  lines: z.array(scoreLineSchema).max(1000),
  unscored: z.array(activitySchema).max(5000),
  scoredAt: text(40),
});

const recommendationSchema = z.object({
  outcome: z.enum(['sql', 'nurture', 'disqualify']),
  rule: text(60),
  headline: text(1000),
  reasons: z.array(text(2000)).max(100),
  cautions: z.array(text(2000)).max(100),
  nextAction: z.object({ kind: text(60), label: text(1000), dueAt: text(40).optional() }),
  suggestedReasonCode: text(60).optional(),
});

const snapshotLeadSchema = leadProfileSchema.pick({
  crm: true,
  recordId: true,
  name: true,
  company: true,
  title: true,
  email: true,
  source: true,
  campaign: true,
  mqlAt: true,
  firstContactAt: true,
  crmStatus: true,
});

const hex = z.string().regex(/^[0-9a-f]{64}$/);

export const revisionSchema = z
  .object({
    dispositionId: z.string().min(1).max(200),
    rev: z.number().int().positive().max(10_000),
    decision: decisionSchema,
    snapshot: z.object({
      lead: snapshotLeadSchema,
      score: scoreSchema,
      checklist: checklistSchema,
      recommendation: recommendationSchema,
      framework: z.object({ id: text(60), version: z.number().int(), label: text(200) }),
      configVersion: z.number().int().optional(),
    }),
    author: authorSchema,
    at: z.iso.datetime({ offset: true }),
    prevHash: hex.nullable(),
    hash: hex,
  })
  // The schema's types are looser than the engine's (rule names, next-action kinds as text): the
  // reader displays them, it never runs rules on them.
  .transform((r) => r as unknown as Revision);
