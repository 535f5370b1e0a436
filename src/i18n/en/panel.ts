import type { CallOutcome } from '../../domain/calls';
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
  /** A panel frame the background refused (not the one our content script opened on this page, ADR 0015). */
  notOurFrame: 'This panel was not opened by Lead Qualifier on this page, so it shows no lead and cannot act. If you expected the panel here, reload the page.',
  /** The browser's side panel beside a tab that shows no lead (ADR 0020); `crms`: the CRMs this build reads. */
  noLeadHere: (crms: readonly string[]) => `Open a lead in ${new Intl.ListFormat('en', { type: 'disjunction' }).format(crms)} to qualify it here.`,
  noLeadHereHint: 'This panel follows the tab you are on: switch to a tab with a lead and it shows that lead.',
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
  /** The compact recommendation line is a disclosure button; these say what it opens. */
  recommendationExpand: 'Show why',
  recommendationCollapse: 'Hide why',

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
  /** On a call (issue 17 part 6): each question has an answer box that writes a call note tied to its criterion. */
  answerBox: (question: string) => `Answer to: ${question}`,
  answerBoxHint: (criterion: string) => `Enter adds it to the call notes and to ${criterion}’s evidence.`,
  /** Criterion shortcut keys (a criterion's states focused); `aria-keyshortcuts` lists the same keys. */
  stateKeysHint: 'Keys 1–4 set Unknown, Partly, Confirmed, Disconfirmed.',
  criterionKey: (n: number) => `Alt+Shift+${n}`,

  // Call mode (issue 17 part 5)
  call: {
    heading: 'Call',
    start: 'Start call',
    /** The panel's own shortcut (the browser-level command is set in the extension's keyboard shortcuts). */
    startHint: 'Alt+Shift+C starts a call and takes you to its notes.',
    onCall: 'On call',
    timerLabel: 'Call time',
    end: 'End call',
    endHint: 'Alt+Shift+C ends the call.',
    notes: 'Call notes',
    notesPlaceholder: (n: number) => `Enter adds a line · #tag or Alt+Shift+1…${n} ties it`,
    notACriterion: 'not a criterion',
    notesHint: (n: number) => `Enter adds the line. #budget at the start, or Alt+Shift+1…${n}, ties it to a criterion.`,
    noLines: 'No notes yet.',
    lines: 'Notes of this call',
    tagChip: (label: string) => `Tied to ${label}`,
    untag: (label: string) => `Untie from ${label}`,
    unknownTag: (tag: string) => `No criterion called “#${tag}”: the line is kept as it is.`,
    suggestions: 'Criteria to tie the line to',
    removeLine: (text: string) => `Remove note: ${text}`,
    lineAdded: 'Note added.',
    lineAddedTo: (label: string) => `Note added to ${label}.`,
    lineFailed: (message: string) => `The note was not added (${message}). Your text is kept.`,
    outcomeLegend: 'How did the call end?',
    outcomes: { connected: 'Connected', voicemail: 'Left a voicemail', no_answer: 'No answer', wrong_number: 'Wrong number', meeting_booked: 'Meeting booked' } satisfies Record<CallOutcome, string>,
    note: 'Call note',
    log: 'Log call',
    logging: 'Logging…',
    backToCall: 'Back to the call',
    discard: 'Discard call',
    discardConfirm: (n: number) =>
      plural(n, { one: 'Discard this call and its note? Nothing goes to the CRM.', other: `Discard this call and its ${n} notes? Nothing goes to the CRM.` }),
    discardYes: 'Discard',
    discardNo: 'Keep the call',
    chooseOutcome: 'Choose how the call ended.',
    /** As `saveWhileHidden`: logging writes to the CRM, so it waits until the panel is fully in view (ADR 15). */
    logWhileHidden: 'Logging is paused while this panel is covered or not fully in view. Bring it fully into view to log the call.',
    /** As `logWhileHidden`, for discarding the call's notes. */
    discardWhileHidden: 'Discarding is paused while this panel is covered or not fully in view. Bring it fully into view to discard the call.',
    failed: (message: string) => `That did not work: ${message}. Everything is kept.`,
    logged: 'Logged calls',
    /** Said (a status message) when a call was logged: its outcome, and the attempts now. */
    loggedNow: (outcome: string, attempts: string) => `Call logged: ${outcome}. ${attempts}.`,
    attempts: (n: number) => plural(n, { one: '1 attempt logged', other: `${n} attempts logged` }),
    lineCount: (n: number) => plural(n, { one: '1 note', other: `${n} notes` }),
    firstContact: (when: string) => `First contact ${when}`,
    sync: {
      queued: 'Logged · saved on this device',
      synced: (crm: string) => `Logged · synced to ${crm}`,
      failed: (problem: string) => `Needs attention: ${problem}`,
      unsupported: (crm: string) => `Logged here · ${crm} does not take calls from the extension`,
    },
  },

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
  /** The panel is covered, see-through, moved off screen or folded (ADR 0015): saving waits until it is fully in view. */
  saveWhileHidden: 'Saving is paused while this panel is covered or not fully in view. Bring it fully into view to save.',
  /** A click on a button that writes (Save, Log call, Discard) came right after the pointer entered the panel (ADR 0015): it did nothing. */
  pointerTooSoon: 'That click came right after the pointer moved into the panel, so it did nothing. Check what you are clicking, then click again.',
  /** Closes a notice. */
  dismiss: 'Dismiss',
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
