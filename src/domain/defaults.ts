import type { QualificationConfigInput } from './config';
import { configSchema, defaultNoSalesTaskRules, type Criterion, type QualificationConfig } from './config';

/**
 * The starting configuration. Figures follow the domain brief (weights, thresholds, SLAs); a team
 * changes them on the options page. Wording is ours.
 */

type CriterionInput = Omit<Criterion, 'onDisconfirmed'> & Partial<Pick<Criterion, 'onDisconfirmed'>>;

const budget: CriterionInput = {
  id: 'budget',
  label: 'Budget',
  confirmedWhen: 'Money is set aside for this, or they named the budget line and cycle it comes from.',
  onDisconfirmed: 'nurture',
  disconfirmedReason: 'no_budget',
};
const authority: CriterionInput = {
  id: 'authority',
  label: 'Authority',
  confirmedWhen: 'You are talking to the person who signs, or they named that person and how to reach them.',
  onDisconfirmed: 'none',
  disconfirmedReason: 'not_decision_maker',
};
const need: CriterionInput = {
  id: 'need',
  label: 'Need',
  confirmedWhen: 'They described a problem we solve in their own words, with its cost to them.',
  onDisconfirmed: 'disqualify',
  disconfirmedReason: 'no_need',
};
const timeline: CriterionInput = {
  id: 'timeline',
  label: 'Timeline',
  confirmedWhen: 'A decision is expected within about 30–90 days, tied to a date or event.',
  onDisconfirmed: 'nurture',
  disconfirmedReason: 'bad_timing',
};
const engagement: CriterionInput = {
  id: 'engagement',
  label: 'Engagement depth',
  confirmedWhen: 'They attended a demo, replied in a thread, or pulled technical material.',
};
const challenges: CriterionInput = {
  id: 'challenges',
  label: 'Challenges',
  confirmedWhen: 'They named the challenge that hurts most today and who feels it.',
  onDisconfirmed: 'disqualify',
  disconfirmedReason: 'no_need',
};
const money: CriterionInput = {
  id: 'money',
  label: 'Money',
  confirmedWhen: 'Funding exists or can be found for the size of deal we would propose.',
  onDisconfirmed: 'nurture',
  disconfirmedReason: 'no_budget',
};
const prioritization: CriterionInput = {
  id: 'prioritization',
  label: 'Prioritization',
  confirmedWhen: 'Solving this ranks among their top priorities this quarter.',
  onDisconfirmed: 'nurture',
  disconfirmedReason: 'bad_timing',
};
const meddic: CriterionInput[] = [
  {
    id: 'metrics',
    label: 'Metrics',
    confirmedWhen: 'They put a number on the gain they expect (hours, revenue, cost, risk).',
  },
  {
    id: 'economic_buyer',
    label: 'Economic buyer',
    confirmedWhen: 'The person who controls the budget is named and aware of the evaluation.',
    disconfirmedReason: 'not_decision_maker',
  },
  {
    id: 'decision_criteria',
    label: 'Decision criteria',
    confirmedWhen: 'They listed how they will compare options (features, price, security, support).',
  },
  {
    id: 'decision_process',
    label: 'Decision process',
    confirmedWhen: 'The steps, people and dates from evaluation to signature are known.',
  },
  {
    id: 'identify_pain',
    label: 'Identify pain',
    confirmedWhen: 'A business pain with a cost and an owner is stated by the prospect.',
    onDisconfirmed: 'disqualify',
    disconfirmedReason: 'no_need',
  },
  {
    id: 'champion',
    label: 'Champion',
    confirmedWhen: 'Someone inside wants this to happen and will sell it internally.',
  },
];
const paperProcess: CriterionInput = {
  id: 'paper_process',
  label: 'Paper process',
  confirmedWhen: 'Legal, security review and procurement steps and their lead times are known.',
};
const competition: CriterionInput = {
  id: 'competition',
  label: 'Competition',
  confirmedWhen: 'You know which alternatives (including doing nothing) they are weighing.',
};

const defaultsInput: QualificationConfigInput = {
  schemaVersion: 1,
  defaultFrameworkId: 'bant',
  frameworks: [
    {
      id: 'bant',
      label: 'BANT',
      description: 'Budget, authority, need, timeline: the classic check. All four confirmed makes an SQL.',
      version: 1,
      criteria: [budget, authority, need, timeline],
      sqlAt: 4,
      followUpAt: 3,
    },
    {
      id: 'champ',
      label: 'CHAMP',
      description: 'Challenges first, then authority, money and prioritization. Quicker and pain-led.',
      version: 1,
      criteria: [challenges, { ...authority }, money, prioritization],
      sqlAt: 4,
      followUpAt: 3,
    },
    {
      id: 'meddic',
      label: 'MEDDIC',
      description: 'For enterprise deals that must hold up in a forecast.',
      version: 1,
      criteria: meddic,
      sqlAt: 6,
      followUpAt: 4,
    },
    {
      id: 'meddpicc',
      label: 'MEDDPICC',
      description: 'MEDDIC plus paper process and competition.',
      version: 1,
      criteria: [...meddic.slice(0, 4), paperProcess, meddic[4]!, meddic[5]!, competition],
      sqlAt: 8,
      followUpAt: 5,
    },
    {
      id: 'five_characteristics',
      label: 'Five characteristics',
      description: 'BANT plus engagement depth. Five confirmed: SQL; three or four: nurture; fewer: not ready.',
      version: 1,
      criteria: [budget, authority, need, timeline, engagement],
      sqlAt: 5,
      followUpAt: 3,
    },
  ],
  questions: [
    { id: 'pain_roadblock', theme: 'pain', text: 'What gets in the way most with how you handle this today?', criteria: ['need', 'challenges', 'identify_pain'] },
    { id: 'pain_workaround', theme: 'pain', text: 'Walk me through the last time this went wrong. What did the team do?', criteria: ['need', 'challenges', 'identify_pain'] },
    { id: 'impact_six_months', theme: 'impact', text: 'If nothing changes in the next six months, what does that cost you?', criteria: ['need', 'identify_pain', 'metrics'] },
    { id: 'impact_measure', theme: 'metrics', text: 'How would you measure that this worked? What number would move?', criteria: ['metrics', 'decision_criteria'] },
    { id: 'urgency_why_now', theme: 'urgency', text: 'What made this worth looking at now rather than last quarter?', criteria: ['timeline', 'prioritization'] },
    { id: 'urgency_rank', theme: 'urgency', text: 'Where does this sit among the other projects on your plate?', criteria: ['prioritization'] },
    { id: 'dm_who_else', theme: 'decision_makers', text: 'When your team picked a tool like this before, who else was involved?', criteria: ['authority', 'economic_buyer', 'decision_process'] },
    { id: 'dm_signoff', theme: 'decision_makers', text: 'Who has the final say on spend of this size?', criteria: ['authority', 'economic_buyer'] },
    { id: 'dm_champion', theme: 'decision_makers', text: 'Who on your side would want this most, and would they help make the case?', criteria: ['champion'] },
    { id: 'budget_set_aside', theme: 'budget', text: 'Is there money set aside for solving this, or would it need a new request?', criteria: ['budget', 'money'] },
    { id: 'budget_cycle', theme: 'budget', text: 'Which budget cycle would this fall into?', criteria: ['budget', 'money', 'timeline'] },
    { id: 'timeline_live', theme: 'timeline', text: 'By when does this need to be working, and what happens on that date?', criteria: ['timeline'] },
    { id: 'process_steps', theme: 'decision_makers', text: 'What are the steps between "we like it" and a signed agreement?', criteria: ['decision_process', 'paper_process'] },
    { id: 'criteria_compare', theme: 'competition', text: 'What will you compare options on?', criteria: ['decision_criteria', 'competition'] },
    { id: 'competition_other', theme: 'competition', text: 'What else are you looking at, including keeping things as they are?', criteria: ['competition'] },
    { id: 'paper_legal', theme: 'paper_process', text: 'Does a purchase like this go through security review or procurement? How long does that take?', criteria: ['paper_process'] },
    { id: 'engagement_next', theme: 'engagement', text: 'Would it help to bring your technical lead to a demo next week?', criteria: ['engagement', 'champion'] },
  ],
  scoring: {
    fitMax: 50,
    engagementMax: 50,
    icp: {
      industries: ['Software', 'Financial Services', 'Healthcare', 'Manufacturing'],
      regions: ['North America', 'Europe'],
      companySize: { min: 50, max: 5000 },
      techStack: ['Salesforce', 'HubSpot'],
    },
    fitRules: [
      {
        id: 'title_c_level_vp',
        label: 'C-level or VP title',
        points: 20,
        group: 'seniority',
        when: { kind: 'keywords', field: 'title', words: ['chief', 'ceo', 'cto', 'cfo', 'coo', 'cmo', 'cio', 'cro', 'vp', 'svp', 'evp', 'vice president', 'president', 'founder'] },
      },
      { id: 'title_director', label: 'Director title', points: 15, group: 'seniority', when: { kind: 'keywords', field: 'title', words: ['director', 'head of'] } },
      { id: 'title_manager', label: 'Manager title', points: 8, group: 'seniority', when: { kind: 'keywords', field: 'title', words: ['manager', 'lead'] } },
      { id: 'title_intern_student', label: 'Intern or student title', points: -10, group: 'seniority', when: { kind: 'keywords', field: 'title', words: ['intern', 'student', 'trainee'] } },
      { id: 'icp_industry', label: 'Ideal industry', points: 10, when: { kind: 'icp', dimension: 'industry' } },
      { id: 'icp_company_size', label: 'Company size in ICP', points: 10, when: { kind: 'icp', dimension: 'companySize' } },
      { id: 'tiny_company', label: 'Fewer than 10 employees', points: -5, when: { kind: 'range', field: 'companySize', max: 9 } },
      { id: 'icp_region', label: 'Region in ICP', points: 5, when: { kind: 'icp', dimension: 'region' } },
      { id: 'icp_tech', label: 'Uses a tool we integrate with', points: 5, when: { kind: 'icp', dimension: 'techStack' } },
    ],
    engagementRules: [
      { id: 'demo_request', label: 'Requested a demo', activity: 'demo_request', points: 30 },
      { id: 'contact_request', label: 'Asked to be contacted', activity: 'contact_request', points: 30 },
      { id: 'pricing_page', label: 'Visited the pricing page', activity: 'pricing_page_visit', points: 15 },
      { id: 'product_limit', label: 'Hit a paid-feature limit in the trial', activity: 'product_limit_reached', points: 20 },
      { id: 'case_study', label: 'Downloaded a case study', activity: 'case_study_download', points: 10, maxCount: 2 },
      { id: 'webinar', label: 'Attended a webinar', activity: 'webinar_attended', points: 10, maxCount: 2 },
      { id: 'email_reply', label: 'Replied to an email', activity: 'email_reply', points: 10, maxCount: 2 },
      { id: 'document', label: 'Downloaded a document', activity: 'document_download', points: 5, maxCount: 2 },
      { id: 'account_created', label: 'Created an account', activity: 'account_created', points: 5 },
      { id: 'blog_subscription', label: 'Subscribed to the blog', activity: 'blog_subscription', points: 5 },
      { id: 'newsletter', label: 'Signed up for the newsletter', activity: 'newsletter_signup', points: 3 },
      { id: 'unsubscribe', label: 'Unsubscribed from email', activity: 'unsubscribe', points: -10, decays: false },
      { id: 'hard_bounce', label: 'Email hard-bounced', activity: 'hard_bounce', points: -20, decays: false },
    ],
    decay: { afterDays: 30, stepDays: 30, percentPerStep: 50 },
  },
  knockouts: [
    { id: 'competitor', label: 'Works at a competitor', reasonCode: 'competitor', when: { kind: 'emailDomain', domains: ['rivalcrm.example', 'competitor.example'] } },
    { id: 'student_job_seeker', label: 'Student or job seeker', reasonCode: 'student_job_seeker', when: { kind: 'keywords', field: 'title', words: ['student', 'job seeker', 'looking for work', 'unemployed'] } },
    { id: 'existing_customer', label: 'Already a customer', reasonCode: 'existing_customer', when: { kind: 'existingCustomer' } },
    { id: 'bounced', label: 'Email address bounced', reasonCode: 'invalid_data', when: { kind: 'activity', type: 'hard_bounce' } },
  ],
  icpOverride: {
    strongFitRequires: ['industry', 'companySize'],
    poorFitWhenMissing: ['companySize'],
    strongFitBonus: 15,
    poorFitPenalty: 15,
  },
  thresholds: {
    sqlReady: 65,
    mql: 40,
    salesRequestActivities: ['demo_request', 'contact_request'],
    // Speed-to-lead is minutes for a contact request: a request nobody answered within a week is an old signal.
    salesRequestLiveDays: 7,
    followUpDays: 2,
    nurtureRecheckDays: 30,
  },
  routing: { noSalesTask: defaultNoSalesTaskRules },
  reasonCodes: [
    { code: 'not_decision_maker', label: 'Not a decision-maker', description: 'No authority and no route to the person who has it.' },
    { code: 'bad_timing', label: 'Bad timing', description: 'Real interest, but not in this buying window.' },
    { code: 'unresponsive', label: 'Unresponsive', description: 'No answer after the agreed number of attempts.', minAttempts: 3 },
    { code: 'no_budget', label: 'No budget', description: 'No money now and none expected this cycle.' },
    { code: 'no_need', label: 'No clear need', description: 'No problem we solve, in their words.' },
    { code: 'not_icp', label: 'Not ICP fit', description: 'Outside our ideal customer profile (size, industry, region).' },
    { code: 'student_job_seeker', label: 'Student or job seeker' },
    { code: 'competitor', label: 'Competitor' },
    { code: 'duplicate', label: 'Duplicate', description: 'Another record already covers this person.' },
    { code: 'invalid_data', label: 'Invalid contact data', description: 'Fake name, bounced email, or a number that does not connect.' },
    { code: 'existing_customer', label: 'Already a customer', description: 'Belongs with the account team, not new business.' },
    { code: 'other', label: 'Other', description: 'Explain in the note.', minNoteChars: 30 },
  ],
  nextSteps: [
    { id: 'demo', label: 'Demo' },
    { id: 'proposal_call', label: 'Proposal call' },
    { id: 'technical_review', label: 'Technical review' },
    { id: 'discovery_meeting', label: 'Discovery meeting with the buyer' },
  ],
  sla: { contactRequestMinutes: 5, mqlMinutes: 240, dispositionHours: 24, dueSoonShare: 0.25 },
  limits: { noteMaxChars: 10000, evidenceMaxChars: 2000 },
};

/**
 * A deep copy with no shared objects. Frameworks reuse criterion objects above (BANT's budget is also
 * five characteristics' budget); structuredClone would keep that sharing, so editing one would edit both.
 */
const unshared = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** A fresh, validated copy of the defaults (callers may mutate it). */
export function defaultConfig(): QualificationConfig {
  return configSchema.parse(unshared(defaultsInput));
}

/** The raw defaults, e.g. for "reset to defaults" or as the base of a JSON export. */
export function defaultConfigInput(): QualificationConfigInput {
  return unshared(defaultsInput);
}
