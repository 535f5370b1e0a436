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

  // Recommendation (src/domain/recommendation.ts, ADR 0003 and 0018)
  recommendation: {
    scoreReason: (total: number, fit: number, engagement: number) => `Score ${total} (fit ${fit}, engagement ${engagement})`,
    /** ICP dimensions as a rep reads them. */
    dimension: { industry: 'industry', region: 'region', companySize: 'company size', techStack: 'tech stack' },
    // The adjustment between the score and the priority that decides, as its own line.
    strongFitLine: (dimensions: string, points: number, priority: number) => `Strong ICP fit on ${dimensions}: +${points} → priority ${priority}`,
    poorFitLine: (dimensions: string, points: number, priority: number) => `Outside ICP on ${dimensions}: −${points} → priority ${priority}`,
    // Every comparison names the number compared (priority, the score adjusted for ICP fit).
    priorityAtLeastSqlReady: (priority: number, sqlReady: number) => `Priority ${priority} reaches the SQL-ready ${sqlReady}`,
    priorityBelowSqlReady: (priority: number, sqlReady: number) => `Priority ${priority} is below the SQL-ready ${sqlReady}`,
    priorityAtLeastMql: (priority: number, mql: number) => `Priority ${priority} reaches the MQL follow-up threshold ${mql}`,
    priorityBelowMql: (priority: number, mql: number) => `Priority ${priority} is below the MQL follow-up threshold ${mql}`,
    list: (labels: readonly string[]) => labels.join(', '),
    /** "Authority", "Authority and Timeline", "Budget, Need and Timeline". */
    and: (labels: readonly string[]) => (labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`),
    quote: (evidence: string) => `: “${evidence}”`,
    ago: (duration: string) => `${duration} ago`,

    knockoutHeadline: (knockout: string) => `Disqualify: ${knockout.toLowerCase()}`,
    knockoutReason: (knockout: string, source: string, detail: string) => `${knockout} (${source}: ${detail})`,
    knockoutOverrules: (priority: number, sqlReady: number) => `Priority ${priority} would otherwise reach the SQL-ready ${sqlReady}; a knock-out overrules it`,
    rejectWithReason: 'Reject with the suggested reason code',

    disconfirmedHeadline: (criterion: string) => `Disqualify: ${criterion.toLowerCase()} disconfirmed`,
    disconfirmed: (criterion: string, quote: string) => `${criterion} disconfirmed${quote}`,

    belowSqlReady: (priority: number, sqlReady: number) => `Priority ${priority} is below the SQL-ready ${sqlReady}; the conversation confirmed intent`,
    outsideIcp: (missed: string) => `Company is outside the ICP on ${missed}`,
    sqlHeadline: (summary: string) => `SQL: ${summary}`,
    bookNextStep: 'Accept as SQL and book the next step today',

    notNowHeadline: (criteria: readonly string[]) => `Nurture: ${criteria.map((c) => c.toLowerCase()).join(' and ')} not there yet`,
    recycleRecheck: (days: number) => `Recycle to nurture; re-check in ${days} days`,

    oneGapHeadline: (summary: string) => `Nurture with a follow-up: ${summary}`,
    stillOpen: (open: string) => `Still open: ${open}`,
    followUpToConfirm: (days: number, open: string) => `Follow-up task in ${days} days to confirm ${open}`,
    nurtureToConfirm: (days: number, open: string) => `Nurture sequence; re-check ${open} in ${days} days (no rep task)`,
    askedNotConfirmed: (labels: string) => `Asked, not confirmed: ${labels}`,
    notAsked: (labels: string) => `Not asked yet: ${labels}`,

    notReadyHeadline: (missing: number, total: number, framework: string) => `Not ready: ${missing} of ${total} ${framework} signals missing`,
    signalsMissing: (missing: number, open: string) => `${missing} signals missing (${open}): more marketing development, not a closing pitch`,
    backToNurture: (days: number) => `Back to marketing nurture; re-check in ${days} days`,
    decidedWithoutDiscovery: (request: string) => `${request}, and nothing was asked on a call yet: a call may change this`,

    outOfReachHeadline: (criteria: string) => `SQL out of reach: ${criteria} not confirmed`,
    outOfReach: (criteria: string, best: number, total: number, framework: string) =>
      `${criteria} disconfirmed: at most ${best} of ${total} ${framework} can be confirmed, so nurture with a follow-up at best`,

    salesRequestReadyHeadline: 'SQL-ready: they asked to talk. Call now and confirm',
    salesRequestHeadline: 'They asked to talk: call and qualify before any pitch',
    directSalesRequest: (request: string, ago: string) => `Direct sales request: ${request.toLowerCase()}, ${ago}`,
    directSalesRequestPlain: 'Direct sales request',
    staleSalesRequest: (request: string, ago: string, days: number) =>
      `${request}, ${ago}: older than the ${days}-day window, an old signal (its points decay), not a call-now`,
    callNow: 'Call now (speed-to-lead)',
    onTheCall: 'On the speed-to-lead call: confirm before any pitch',

    hotMqlHeadline: 'Hot MQL without a sales request: nurture and follow up',
    noSalesRequest: 'No direct sales request yet',
    nurtureAndFollowUp: (days: number) => `Nurture sequence plus a follow-up task in ${days} days`,

    noSalesTaskHeadline: (rule: string) => `Nurture, no sales task: ${rule.toLowerCase()}`,
    noSalesTask: (rule: string, source: string, detail: string) => `${rule} (${source}: ${detail}): never routed to a sales task`,
    noSalesTaskCaution: (rule: string) => `${rule}: the team routes these leads away from sales; accept only if the conversation really showed authority`,

    coldHeadline: 'Not ready: keep in marketing nurture',
    marketingNurture: (days: number) => `Marketing nurture; re-check in ${days} days`,

    // On the call (ADR 0018): what to do next in this conversation.
    onCallAsk: (summary: string, labels: string) => `${summary} — ask about ${labels}`,
    onCallFollowUp: (summary: string, labels: string) => `${summary} — follow up on ${labels}`,
    onCallAskAndFollowUp: (summary: string, ask: string, followUp: string) => `${summary} — ask about ${ask}; follow up on ${followUp}`,
    onCallWrapUp: (summary: string) => `${summary} — everything asked: wrap up and record the decision`,
    onCallBook: (summary: string) => `${summary} — book the next step before the call ends`,
    ifDecidedNow: (outcome: string, headline: string) => `If you decide now: ${outcome} (${headline})`,
    outcome: { sql: 'SQL', nurture: 'nurture', disqualify: 'disqualify' },
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
