import type { CriterionState } from '../../domain/config';
import type { RecommendationOutcome } from '../../domain/recommendation';
import { plurals } from '../plural';

const plural = plurals('en');

/**
 * Every user-facing string of the panel, in English. A translation is another object of the same
 * shape (`PanelMessages`, e.g. `src/i18n/fr/panel.ts`); components never build sentences of their own.
 *
 * Some names are part of the panel's accessibility contract (external tests look them up by role and
 * name): `panelLabel`, `framework`, the criterion state labels, `evidenceLabel`, `scoreMeter`, the three
 * decision buttons, `reasonCode`, `note`, `save`. Change them only together with those tests.
 */
export const panel = {
  panelLabel: 'Lead qualification',
  // While the panel starts (src/panel/PanelApp.tsx)
  loadingPanel: 'Loading…',
  readingLead: 'Reading the lead…',
  noAnswer: (message: string) => `The extension did not answer (${message}). Reload the page to try again.`,
  unnamedLead: 'Unnamed lead',
  navLabel: 'Panel sections',

  // Header
  company: 'Company',
  title: 'Title',
  crmStatus: 'CRM status',
  recordId: 'Record',
  /** Whose reading the name and facts are (ADR 15). */
  fromCrm: (crm: string) => `from ${crm}`,
  fromPage: 'from the page',
  identityField: { name: 'Name', company: 'Company', title: 'Title', email: 'Email' },
  disagreementsLabel: (crm: string) => `The page and ${crm} disagree`,
  /** `page`, `value`: isolated untrusted text. */
  pageDisagrees: (field: string, page: string, crm: string, value: string) => `${field}: the page shows “${page}”, ${crm} says “${value}” — using ${crm}’s.`,
  pageDisagreesEmpty: (field: string, page: string, crm: string) => `${field}: the page shows “${page}”, ${crm} has none — using ${crm}’s (none).`,
  slaLabel: 'Service level',
  slaSpeedToLead: 'Speed-to-lead',
  slaDisposition: 'Time to dispose',
  slaLeft: (duration: string) => `${duration} left`,
  slaBreachedAgo: (duration: string) => `Breached ${duration} ago`,
  slaMet: 'Met',
  slaMissedBy: (duration: string) => `Missed by ${duration}`,
  slaDueSoon: 'Due soon',
  slaDeadline: (when: string) => `(deadline ${when})`,

  // Recommendation
  recommendation: 'Recommendation',
  outcome: { sql: 'SQL', nurture: 'Nurture', disqualify: 'Disqualify' } satisfies Record<RecommendationOutcome, string>,
  why: 'Why',
  cautions: 'Cautions',
  nextAction: 'Next action',
  due: (when: string) => `due ${when}`,
  suggestedReason: (label: string) => `Suggested reason code: ${label}`,

  // Checklist
  checklist: 'Checklist',
  framework: 'Framework',
  states: { unknown: 'Unknown', partly: 'Partly', confirmed: 'Confirmed', disconfirmed: 'Disconfirmed' } satisfies Record<CriterionState, string>,
  confirmedWhen: (text: string) => `Confirmed when: ${text}`,
  evidence: 'Evidence',
  evidenceLabel: (criterion: string) => `${criterion} evidence`,
  evidencePlaceholder: 'The prospect’s own words',
  answeredBy: (by: string, when: string) => `${by}, ${when}`,
  evidenceTooLong: (length: string, max: string) => `${length} characters; the limit is ${max}. Shorten it: your text is kept.`,
  characters: (length: string, max: string) => `${length} / ${max} characters`,

  // Discovery
  discovery: 'Next questions',
  discoveryEmpty: 'No questions left for this framework.',
  discoverySettled: 'Every criterion is confirmed: nothing left to ask. Wrap up and book the next step.',
  helpsWith: (labels: string) => `Helps with: ${labels}`,
  alreadyAsked: 'Asked before',
  recordedAnswer: (criterion: string, state: string) => `Answer noted for ${criterion} (${state}):`,
  asked: 'Asked',
  askedLabel: (question: string) => `Asked: ${question}`,
  answer: 'Answer',
  answerHint: 'Enter saves; Shift+Enter starts a new line; Esc closes.',
  criterion: 'Criterion',
  markAs: 'Mark as',
  saveAnswer: 'Save answer',
  cancel: 'Cancel',
  answerRequired: 'Type what the prospect said.',

  // Score
  score: 'Lead score',
  scoreMeter: 'Lead score',
  scoreValueText: (total: number) => `${total} of 100`,
  fit: 'Fit',
  engagement: 'Engagement',
  subtotal: (value: number, max: number) => `${value} of ${max}`,
  breakdown: 'Why this score',
  noLines: 'No rule matched.',
  tagDecay: 'Decay',
  tagNegative: 'Negative',
  tagCap: 'Cap',
  notScoredHeading: 'Activities no rule scores',
  notScored: 'not scored',
  scoredAt: (when: string) => `Scored ${when}`,
  sources: {
    title: 'Title',
    companySize: 'Company size',
    industry: 'Industry',
    region: 'Region',
    techStack: 'Tech stack',
    email: 'Email',
    company: 'Company',
    source: 'Lead source',
    campaign: 'Campaign',
    crmStatus: 'CRM status',
    existingCustomer: 'Customer flag',
    fit: 'Fit total',
    engagement: 'Engagement total',
  } as Record<string, string>,
  activitySource: (type: string) => `Activity: ${type.replace(/_/g, ' ')}`,

  // Decision
  decision: 'Decision',
  accept: 'Accept as SQL',
  reject: 'Reject',
  recycle: 'Recycle to nurture',
  acceptForm: 'Accept as SQL',
  rejectForm: 'Reject the lead',
  recycleForm: 'Recycle to nurture',
  reasonCode: 'Reason code',
  chooseReason: 'Choose a reason',
  subReason: 'Sub-reason (optional)',
  noSubReason: 'None',
  attempts: 'Contact attempts',
  attemptsHint: (min: number) => `At least ${min} logged attempts.`,
  note: 'Note',
  optional: 'Optional.',
  noteMinHint: (min: number) => `At least ${min} characters.`,
  nextStep: 'Next step',
  chooseNextStep: 'Choose the next step',
  nextStepOn: 'Next step date',
  recheckOn: 'Re-check on',
  recheckTrigger: 'Or re-check when',
  recheckHint: 'A date, a trigger, or both.',
  triggerPlaceholder: 'e.g. their budget cycle opens',
  save: 'Save disposition',
  saving: 'Saving…',
  errorSummary: (n: number) => plural(n, { one: 'There is 1 problem:', other: `There are ${n} problems:` }),
  saveFailed: (message: string) => `Could not save: ${message}. Everything you typed is kept.`,

  // Saved decision
  savedAccepted: (stage: 'sql' | 'sal') => (stage === 'sal' ? 'Accepted as SAL' : 'Accepted as SQL'),
  savedRejected: (reason: string) => `Rejected — ${reason}`,
  savedRecycled: 'Recycled to nurture',
  savedAt: (when: string) => `Decided ${when}`,
  savedBy: (who: string, when: string) => `Decided by ${who}, ${when}`,
  teamSource: 'In the CRM: decided in another browser. Change it to add a new revision after theirs.',
  team: {
    heading: 'Team record',
    statusNow: (status: string) => `CRM status now: ${status}`,
    readAgo: (age: string) => `read from the CRM ${age} ago`,
    readJustNow: 'read from the CRM just now',
    offline: (age: string, problem: string) => `Last known history, read ${age} ago. ${problem}`,
    none: 'No decision on this lead in the CRM yet.',
    decision: (label: string, by: string, when: string) => `${label} — ${by}, ${when}`,
    review: (by: string, verdict: 'agree' | 'disagree', label: string, when: string) => `${by} ${verdict === 'agree' ? 'agrees with' : 'disagrees with'} “${label}” — review, ${when}`,
    revision: (rev: number) => `revision ${rev}`,
    trust: {
      unconfirmed: (why: string) => `Not confirmed: ${why}`,
      flagged: (why: string) => `Flagged, not counted: ${why}`,
    },
  },
  whoAreYou: 'Who is deciding? The CRM did not say which user this browser is signed in as: add your name and email once, before you save.',
  openOptions: 'Add my name',
  nextStepOnDay: (step: string, day: string) => `Next step: ${step} on ${day}`,
  recheckOnDay: (day: string) => `Re-check on ${day}`,
  recheckWhen: (trigger: string) => `Re-check when: ${trigger}`,
  subReasonValue: (value: string) => `Sub-reason: ${value}`,
  attemptsValue: (n: number) => `Contact attempts: ${n}`,
  noteValue: (note: string) => `Note: ${note}`,
  sync: {
    saved_locally: 'Saved on this device',
    /** Saved here; the CRM update failed for a passing reason and will be tried again. */
    retrying: (message: string) => `Saved on this device. ${message}`,
    synced: 'Synced to CRM',
    needs_attention: (message: string) => `Needs attention: ${message}`,
  },
  needsAttentionUnknown: 'the CRM did not accept the update',
  changeDecision: 'Change decision',
  retrySync: 'Retry sync',
};

export type PanelMessages = typeof panel;
