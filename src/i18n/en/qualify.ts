import { plurals } from '../plural';

const plural = plurals('en');

/**
 * Fixed sentences of the qualification the rep reads in the panel, in English (`QualifyMessages`): the
 * recommendation's headline, reasons and next action (`src/domain/recommendation.ts`), score cap and decay
 * lines (`scoring.ts`) and checklist progress (`frameworks.ts`).
 *
 * Labels from the team's configuration (criteria, rules, knock-outs) come in as arguments: they are the
 * team's content, translated by editing the configuration (ADR 0012).
 */
export const qualify = {
  // Checklist progress, e.g. "3 of 4 BANT confirmed".
  progressSummary: (confirmed: number, total: number, framework: string) => `${confirmed} of ${total} ${framework} confirmed`,

  // Recommendation (src/domain/recommendation.ts)
  recommendation: {
    scoreReason: (total: number, fit: number, engagement: number) => `Score ${total} (fit ${fit}, engagement ${engagement})`,
    strongFit: (adjustment: number, priority: number) => `Strong ICP fit adds ${adjustment} to priority (${priority})`,
    poorFit: (missed: string, adjustment: number, priority: number) => `Poor ICP fit (${missed}) takes ${adjustment} off priority (${priority})`,
    priority: (priority: number) => `Priority ${priority}`,
    list: (labels: readonly string[]) => labels.join(', '),
    quote: (evidence: string) => `: “${evidence}”`,

    knockoutHeadline: (knockout: string) => `Disqualify: ${knockout.toLowerCase()}`,
    knockoutReason: (knockout: string, source: string, detail: string) => `${knockout} (${source}: ${detail})`,
    knockoutOverrules: (scoreReason: string) => `${scoreReason} would otherwise be SQL-ready; a knock-out overrules the score`,
    rejectWithReason: 'Reject with the suggested reason code',

    disconfirmedHeadline: (criterion: string) => `Disqualify: ${criterion.toLowerCase()} disconfirmed`,
    disconfirmed: (criterion: string, quote: string) => `${criterion} disconfirmed${quote}`,

    belowSqlReady: (scoreReason: string, sqlReady: number) => `${scoreReason} is below the SQL-ready ${sqlReady}; the conversation confirmed intent`,
    outsideIcp: (missed: string) => `Company is outside the ICP (${missed})`,
    sqlHeadline: (summary: string) => `SQL: ${summary}`,
    bookNextStep: 'Accept as SQL and book the next step today',

    notNowHeadline: (criteria: readonly string[]) => `Nurture: ${criteria.map((c) => c.toLowerCase()).join(' and ')} not there yet`,
    recycleRecheck: (days: number) => `Recycle to nurture; re-check in ${days} days`,

    oneGapHeadline: (summary: string) => `Nurture with a follow-up: ${summary}`,
    stillOpen: (open: string) => `Still open: ${open}`,
    followUpToConfirm: (days: number, open: string) => `Follow-up task in ${days} days to confirm ${open}`,

    notReadyHeadline: (missing: number, total: number, framework: string) => `Not ready: ${missing} of ${total} ${framework} signals missing`,
    signalsMissing: (missing: number, open: string) => `${missing} signals missing (${open}): more marketing development, not a closing pitch`,
    backToNurture: (days: number) => `Back to marketing nurture; re-check in ${days} days`,

    salesRequestReadyHeadline: 'SQL-ready: they asked to talk. Call now and confirm',
    salesRequestHeadline: 'They asked to talk: call and qualify before any pitch',
    directSalesRequest: 'Direct sales request',
    priorityBelowSqlReady: (priority: number, sqlReady: number) => `Priority ${priority} is below the SQL-ready ${sqlReady}`,
    callNow: 'Call now (speed-to-lead)',

    hotMqlHeadline: 'Hot MQL without a sales request: nurture and follow up',
    noSalesRequest: 'No direct sales request yet',
    nurtureAndFollowUp: (days: number) => `Nurture sequence plus a follow-up task in ${days} days`,

    coldHeadline: 'Not ready: keep in marketing nurture',
    belowMql: (mql: number) => `Below the MQL follow-up threshold ${mql}`,
    marketingNurture: (days: number) => `Marketing nurture; re-check in ${days} days`,
  },

  // Score lines (src/domain/scoring.ts)
  scoring: {
    halves: { fit: 'Fit', engagement: 'Engagement' },
    capped: (half: string, max: number) => `${half} is capped at ${max}`,
    beforeCap: (raw: number) => `${raw} before the cap`,
    floored: (half: string) => `${half} cannot go below 0`,
    beforeFloor: (raw: number) => `${raw} before the floor`,
    decay: (rule: string, days: number) => `Decay: ${rule.toLowerCase()} ${days} days ago`,
    olderThan: (days: number) => `older than ${days} days`,
  },

  // What a fit rule or knock-out condition matched, shown after its source (src/domain/conditions.ts)
  match: {
    employees: (n: number) => plural(n, { one: `${n} employee`, other: `${n} employees` }),
    existingCustomer: 'marked as a customer in the CRM',
  },
};

export type QualifyMessages = typeof qualify;
