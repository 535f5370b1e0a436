import { z } from 'zod';
import { configStrings as t } from '../i18n/config';
import { conditionSchema, icpDimensions, icpSchema } from './conditions';

/**
 * The team's qualification configuration: frameworks, questions, scoring rules, knock-outs,
 * thresholds, reason codes, SLAs and limits. All of it is data a manager edits (options page,
 * JSON import); `parseConfig` turns any input into either a valid config or field-named errors.
 */

const id = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9_]+$/, { message: t.idFormat });
const label = z.string().trim().min(1).max(120);

export const criterionStates = ['unknown', 'partly', 'confirmed', 'disconfirmed'] as const;
export type CriterionState = (typeof criterionStates)[number];

export const criterionSchema = z.object({
  id,
  label,
  /** What the rep must hear to mark it confirmed. */
  confirmedWhen: z.string().min(1).max(500),
  /**
   * What a disconfirmed answer means for the recommendation: `disqualify` (e.g. no need at all),
   * `nurture` (e.g. no budget this year), or `none` (it only counts as not confirmed).
   */
  onDisconfirmed: z.enum(['disqualify', 'nurture', 'none']).default('none'),
  /** The reason code suggested when this criterion is disconfirmed. */
  disconfirmedReason: id.optional(),
});
export type Criterion = z.infer<typeof criterionSchema>;

export const frameworkSchema = z.object({
  id,
  label,
  description: z.string().max(500).default(''),
  /** Bumped when criteria change, and frozen into each disposition's snapshot. */
  version: z.number().int().positive(),
  criteria: z.array(criterionSchema).min(1).max(20),
  /** Confirmed criteria needed for an SQL recommendation (usually all of them). */
  sqlAt: z.number().int().positive(),
  /** At least this many confirmed (but fewer than sqlAt): nurture with a follow-up task; fewer: marketing development. */
  followUpAt: z.number().int().nonnegative(),
});
export type Framework = z.infer<typeof frameworkSchema>;

export const questionThemes = [
  'pain',
  'impact',
  'urgency',
  'decision_makers',
  'budget',
  'timeline',
  'competition',
  'paper_process',
  'engagement',
  'metrics',
] as const;
export type QuestionTheme = (typeof questionThemes)[number];

export const questionSchema = z.object({
  id,
  theme: z.enum(questionThemes),
  text: z.string().trim().min(1).max(400),
  /** Criterion ids this question helps to confirm, in any framework. */
  criteria: z.array(id).min(1),
});
export type Question = z.infer<typeof questionSchema>;

export const fitRuleSchema = z.object({
  id,
  label,
  points: z.number().int().min(-100).max(100),
  when: conditionSchema,
  /** Rules sharing a group are alternatives: only the first matching one (in list order) scores. */
  group: id.optional(),
});
export type FitRule = z.infer<typeof fitRuleSchema>;

export const engagementRuleSchema = z.object({
  id,
  label,
  activity: z.string().min(1).max(100),
  points: z.number().int().min(-100).max(100),
  /** How many occurrences score (the most recent ones). */
  maxCount: z.number().int().positive().default(1),
  /** Whether points fade with age. Negative signals such as a hard bounce usually do not. */
  decays: z.boolean().default(true),
});
export type EngagementRule = z.infer<typeof engagementRuleSchema>;

export const decaySchema = z.object({
  /** Activities up to this many days old keep all their points. */
  afterDays: z.number().int().nonnegative(),
  /** Each further step of this many days (a started step counts) ... */
  stepDays: z.number().int().positive(),
  /** ... removes this share of what was left. */
  percentPerStep: z.number().min(0).max(100),
});
export type Decay = z.infer<typeof decaySchema>;

export const scoringSchema = z.object({
  fitMax: z.number().int().min(0).max(100),
  engagementMax: z.number().int().min(0).max(100),
  icp: icpSchema,
  fitRules: z.array(fitRuleSchema),
  engagementRules: z.array(engagementRuleSchema),
  decay: decaySchema,
});
export type ScoringConfig = z.infer<typeof scoringSchema>;

export const knockoutSchema = z.object({
  id,
  label,
  when: conditionSchema,
  /** The reject reason the disqualify recommendation suggests. */
  reasonCode: id,
});
export type Knockout = z.infer<typeof knockoutSchema>;

export const icpOverrideSchema = z.object({
  /** All of these must match for a strong fit ... */
  strongFitRequires: z.array(z.enum(icpDimensions)).min(1),
  /** ... and if any of these is known and does not match, the fit is poor. */
  poorFitWhenMissing: z.array(z.enum(icpDimensions)),
  /** Added to the score when ranking and recommending a strong-fit lead (never shown as score). */
  strongFitBonus: z.number().int().min(0).max(50),
  poorFitPenalty: z.number().int().min(0).max(50),
});
export type IcpOverride = z.infer<typeof icpOverrideSchema>;

export const thresholdsSchema = z.object({
  /** Priority (score adjusted for ICP fit) at which a lead with a sales request is SQL-ready. */
  sqlReady: z.number().int().min(1).max(100),
  /** Below this a lead is not worth a rep's follow-up task yet. */
  mql: z.number().int().min(0).max(100),
  /** Activities that are a direct request to talk to sales. */
  salesRequestActivities: z.array(z.string().min(1)),
  /**
   * How long a sales request stays a live "they asked to talk: call now" (days; ADR 0018). After that it
   * is an old signal: its (decaying) points still count in the score, but it no longer routes the lead to
   * a call or makes it SQL-ready. Configs saved before this field existed get the default.
   */
  salesRequestLiveDays: z.number().int().min(0).max(90).default(7),
  followUpDays: z.number().int().min(0).max(60),
  nurtureRecheckDays: z.number().int().min(1).max(365),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** A routing rule: leads it matches are never given a sales task (call now, rep follow-up task). */
export const routingRuleSchema = z.object({
  id,
  label,
  when: conditionSchema,
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/** The brief: intern and student titles take points away precisely to keep the sales team focused. */
export const defaultNoSalesTaskRules: RoutingRule[] = [
  {
    id: 'intern_trainee_student',
    label: 'Intern, trainee or student title',
    when: { kind: 'keywords', field: 'title', words: ['intern', 'internship', 'trainee', 'student', 'apprentice'] },
  },
];

export const routingSchema = z.object({
  /**
   * Leads matching any of these stay in marketing nurture before a conversation: no "call now", no
   * follow-up task for a rep (ADR 0018). A conversation that confirms every criterion still recommends SQL,
   * with a caution.
   */
  noSalesTask: z.array(routingRuleSchema).max(50),
});
export type Routing = z.infer<typeof routingSchema>;

export const reasonCodeSchema = z.object({
  code: id,
  label,
  description: z.string().max(300).default(''),
  /** Optional finer choices shown under the reason. */
  subReasons: z.array(label).default([]),
  /** Minimum note length for this reason ("other" wants a real explanation). */
  minNoteChars: z.number().int().min(1).max(2000).default(1),
  /** For "unresponsive": contact attempts the rep must have logged. */
  minAttempts: z.number().int().min(1).max(20).optional(),
  /** A retired code stays valid in history but is not offered for new decisions. */
  retired: z.boolean().default(false),
});
export type ReasonCode = z.infer<typeof reasonCodeSchema>;

export const nextStepSchema = z.object({ id, label });
export type NextStep = z.infer<typeof nextStepSchema>;

export const slaSchema = z.object({
  /** Minutes from MQL to first contact attempt when the lead asked to be contacted. */
  contactRequestMinutes: z.number().positive(),
  /** Minutes from MQL to first contact attempt for other MQLs. */
  mqlMinutes: z.number().positive(),
  /** Hours from first contact to a disposition. */
  dispositionHours: z.number().positive(),
  /** A timer is "due soon" when at most this share of its window is left. */
  dueSoonShare: z.number().gt(0).lt(1),
});
export type SlaConfig = z.infer<typeof slaSchema>;

export const limitsSchema = z.object({
  noteMaxChars: z.number().int().min(100).max(60000),
  evidenceMaxChars: z.number().int().min(50).max(10000),
});
export type Limits = z.infer<typeof limitsSchema>;

export const configSchema = z
  .object({
    schemaVersion: z.literal(1),
    /**
     * The team's revision of these settings (not the file format, which is `schemaVersion`): sales ops
     * raise it with each change they hand out; the export file and the policy carry it (ADR 0016).
     */
    version: z.number().int().positive().default(1),
    frameworks: z.array(frameworkSchema).min(1),
    defaultFrameworkId: id,
    questions: z.array(questionSchema),
    scoring: scoringSchema,
    knockouts: z.array(knockoutSchema),
    icpOverride: icpOverrideSchema,
    thresholds: thresholdsSchema,
    /** Configs saved before routing rules existed get the brief's default (interns, trainees, students). */
    routing: routingSchema.default(() => ({ noSalesTask: structuredClone(defaultNoSalesTaskRules) })),
    reasonCodes: z.array(reasonCodeSchema).min(1),
    nextSteps: z.array(nextStepSchema).min(1),
    sla: slaSchema,
    limits: limitsSchema,
  })
  .superRefine((c, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const dupes = (ids: string[]) => ids.filter((v, i) => ids.indexOf(v) !== i);

    for (const d of dupes(c.frameworks.map((f) => f.id))) issue(['frameworks'], t.duplicateFramework(d));
    if (!c.frameworks.some((f) => f.id === c.defaultFrameworkId)) {
      issue(['defaultFrameworkId'], t.notAFramework(c.defaultFrameworkId));
    }
    const reasons = new Set(c.reasonCodes.map((r) => r.code));
    for (const d of dupes(c.reasonCodes.map((r) => r.code))) issue(['reasonCodes'], t.duplicateReasonCode(d));
    const allCriteria = new Set<string>();
    c.frameworks.forEach((f, fi) => {
      for (const d of dupes(f.criteria.map((x) => x.id))) issue(['frameworks', fi, 'criteria'], t.duplicateCriterion(d));
      f.criteria.forEach((cr, ci) => {
        allCriteria.add(cr.id);
        if (cr.disconfirmedReason && !reasons.has(cr.disconfirmedReason)) {
          issue(['frameworks', fi, 'criteria', ci, 'disconfirmedReason'], t.notAReasonCode(cr.disconfirmedReason));
        }
      });
      if (f.sqlAt > f.criteria.length) {
        issue(['frameworks', fi, 'sqlAt'], t.sqlAtAboveCriteria(f.criteria.length));
      }
      if (f.followUpAt > f.sqlAt) issue(['frameworks', fi, 'followUpAt'], t.followUpAboveSqlAt(f.sqlAt));
    });
    for (const d of dupes(c.questions.map((q) => q.id))) issue(['questions'], t.duplicateQuestion(d));
    c.questions.forEach((q, qi) =>
      q.criteria.forEach((cr, ci) => {
        if (!allCriteria.has(cr)) issue(['questions', qi, 'criteria', ci], t.notACriterion(cr));
      }),
    );
    if (c.scoring.fitMax + c.scoring.engagementMax !== 100) {
      issue(['scoring', 'engagementMax'], t.weightsNot100(c.scoring.fitMax + c.scoring.engagementMax));
    }
    for (const d of dupes([...c.scoring.fitRules, ...c.scoring.engagementRules].map((r) => r.id))) {
      issue(['scoring'], t.duplicateRule(d));
    }
    for (const d of dupes(c.routing.noSalesTask.map((r) => r.id))) issue(['routing', 'noSalesTask'], t.duplicateRule(d));
    c.knockouts.forEach((k, ki) => {
      if (!reasons.has(k.reasonCode)) issue(['knockouts', ki, 'reasonCode'], t.notAReasonCode(k.reasonCode));
    });
    if (c.thresholds.mql >= c.thresholds.sqlReady) {
      issue(['thresholds', 'mql'], t.mqlNotBelowSqlReady(c.thresholds.sqlReady));
    }
  });

export type QualificationConfig = z.infer<typeof configSchema>;
export type QualificationConfigInput = z.input<typeof configSchema>;

export interface ConfigError {
  /** Dotted path to the field, e.g. `scoring.engagementRules[2].points`. */
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || t.root;
}

/** zod issues as field-named errors a manager can act on. */
export function toConfigErrors(error: z.ZodError): ConfigError[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** Validates any input (e.g. imported JSON). Never throws. */
export function parseConfig(input: unknown): ParseResult<QualificationConfig> {
  const r = configSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: toConfigErrors(r.error) };
}

/** One line per error, for an alert: `scoring.fitMax: Too big: expected number to be <=100`. */
export function describeConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}

export function findFramework(config: QualificationConfig, frameworkId: string): Framework | undefined {
  return config.frameworks.find((f) => f.id === frameworkId);
}
