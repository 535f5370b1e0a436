import { leadKey } from '../crm';
import { salesforceIdChecksum } from '../crm/salesforce/page';
import type { LeadRef } from '../domain/lead-ref';
import type { Framework, QualificationConfig, ReasonCode } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { createRevision, snapshotLead, type Author, type Decision, type Revision } from '../domain/dispositions';
import { emptyChecklist, setAnswer, type Checklist } from '../domain/frameworks';
import { addDays, DAY_MS, type Activity, type LeadProfile } from '../domain/lead';
import { findKnockouts } from '../domain/knockouts';
import { qualify } from '../domain/qualify';
import { chance, intBetween, mulberry32, pick, pickWeighted, type Random } from '../domain/random';
import { scoreLead } from '../domain/scoring';
import type { Store } from '../store/store';
import { dispositionRow, putHistories } from '../store/dispositions';
import type { DispositionRecord, SyncState } from '../store/records';

/**
 * Demo and test data, never part of a store build: realistic, reproducible dispositions for tests, the
 * dashboard's bench (100,000 rows) and the demo build's `dashboard.html?seed=N`.
 * Every disposition is made the way the background makes one: a lead profile qualified by the real engine
 * (`qualify`), a checklist with the prospect's words, a decision, and hash-chained revisions from
 * `createRevision`; the dashboard row comes from the store's own `dispositionRow`. So `verifyChain` passes
 * on every seeded history, and the KPIs, charts and feedback proposals have something true to find:
 * campaigns with their own rejection patterns, a rep who is often late, SQLs disqualified after the first
 * call, recycled leads picked up again.
 */

export interface SeedOptions {
  /** Same seed, same data. Default 1. */
  seed?: number;
  /** The clock (ms): every decision lies before it. Default `Date.now()`. */
  now?: number;
  config?: QualificationConfig;
  /** How far back first decisions go, in days. Default 180. */
  spanDays?: number;
  /** Rows per transaction. Default 2,000. */
  chunkSize?: number;
  /** Disposition ids are `<idPrefix>-<number>`. Default `s<seed>`. */
  idPrefix?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface SeedResult {
  dispositions: number;
  revisions: number;
  /** Dispositions with more than one revision. */
  revised: number;
  ms: number;
}

export interface SeedRep extends Author {
  /** Share of decisions made late (after the disposition deadline). */
  lateShare: number;
  /** Multiplies the chance of rejecting. */
  strictness: number;
}

export const SEED_REPS: readonly SeedRep[] = [
  { id: 'rep-ana', name: 'Ana Souza', lateShare: 0.04, strictness: 1 },
  { id: 'rep-ben', name: 'Ben Okoro', lateShare: 0.3, strictness: 1 },
  { id: 'rep-cleo', name: 'Cleo Varga', lateShare: 0.06, strictness: 0.8 },
  { id: 'rep-dev', name: 'Dev Patel', lateShare: 0.08, strictness: 1.1 },
  { id: 'rep-eva', name: 'Eva Lindqvist', lateShare: 0.05, strictness: 1 },
  { id: 'rep-finn', name: 'Finn Byrne', lateShare: 0.12, strictness: 1.5 },
  { id: 'rep-gia', name: 'Gia Moreau', lateShare: 0.03, strictness: 0.9 },
  { id: 'rep-hugo', name: 'Hugo Tanaka', lateShare: 0.1, strictness: 1.2 },
];

type FitBias = 'good' | 'mixed' | 'poor' | 'students';

interface CampaignProfile {
  source: string;
  campaign: string;
  weight: number;
  fit: FitBias;
  /** Activities this campaign's leads typically have. */
  activities: readonly (readonly [string, number])[];
  /** Multiplies the chance of an acceptance. */
  acceptBoost: number;
  /** Extra weight for reason codes on rejection (added to the common mix). */
  reasons: Readonly<Record<string, number>>;
}

/**
 * Each campaign has a pattern the feedback loop should find: the trade-show booth brings small companies
 * outside the ICP, the syndicated report brings students and bad data, the newsletter goes unanswered.
 */
export const SEED_CAMPAIGNS: readonly CampaignProfile[] = [
  { source: 'Paid search', campaign: 'Pricing Page Retargeting', weight: 3, fit: 'good', activities: [['pricing_page_visit', 4], ['demo_request', 2], ['case_study_download', 1]], acceptBoost: 1.3, reasons: { bad_timing: 2 } },
  { source: 'Webinar', campaign: 'Q4 Pipeline Webinar', weight: 3, fit: 'mixed', activities: [['webinar_attended', 5], ['email_reply', 1], ['pricing_page_visit', 1]], acceptBoost: 1, reasons: { bad_timing: 3, no_need: 1 } },
  { source: 'Trade show', campaign: 'SaaStr Booth', weight: 2, fit: 'poor', activities: [['webinar_attended', 3], ['document_download', 2], ['newsletter_signup', 1]], acceptBoost: 0.5, reasons: { not_icp: 18 } },
  { source: 'Content syndication', campaign: 'State of RevOps Report', weight: 2, fit: 'students', activities: [['document_download', 5], ['newsletter_signup', 2]], acceptBoost: 0.6, reasons: { student_job_seeker: 6, invalid_data: 4 } },
  { source: 'Referral', campaign: 'Partner Referral Program', weight: 1.5, fit: 'good', activities: [['contact_request', 3], ['email_reply', 2]], acceptBoost: 1.5, reasons: { duplicate: 2, existing_customer: 1 } },
  { source: 'Email', campaign: 'Monthly Newsletter', weight: 1.5, fit: 'mixed', activities: [['newsletter_signup', 4], ['blog_subscription', 2], ['email_reply', 1]], acceptBoost: 0.7, reasons: { unresponsive: 6 } },
  { source: 'Organic search', campaign: '', weight: 1, fit: 'mixed', activities: [['pricing_page_visit', 2], ['blog_subscription', 2], ['account_created', 1]], acceptBoost: 1, reasons: {} },
];

const COMMON_REASONS: Readonly<Record<string, number>> = {
  bad_timing: 3,
  no_budget: 3,
  not_decision_maker: 3,
  unresponsive: 2,
  no_need: 2,
  not_icp: 2,
  duplicate: 0.7,
  invalid_data: 0.7,
  other: 0.4,
};

const FIRST = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kemal', 'Lena', 'Mo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Uma', 'Vik', 'Wen', 'Yara', 'Zane'];
const LAST = ['Park', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Kowalski', 'Reyes', 'Schmidt', 'Byrne', 'Ivanova', 'Costa', 'Nakamura'];
const COMPANIES = ['Northwind Analytics', 'Bluefin Health', 'Cobalt Manufacturing', 'Delta Ledger', 'Evergreen Retail', 'Foxglove Software', 'Granite Insurance', 'Harbor Logistics', 'Ironbark Labs', 'Juniper Clinics', 'Kestrel Finance', 'Lumen Education', 'Maple Robotics', 'Nimbus Media', 'Orchid Biotech', 'Tinyloop', 'Pebble Studio'];
const SENIOR_TITLES = ['Chief Executive Officer', 'VP of Sales', 'VP Operations', 'Director of IT', 'Head of Revenue Operations', 'Sales Manager'];
const ALL_TITLES = [...SENIOR_TITLES, 'Marketing Manager', 'Operations Lead', 'Software Engineer', 'Analyst', 'Office Administrator'];
const STUDENT_TITLES = ['Student', 'Marketing Intern', 'Analyst', 'Job seeker', 'Research Assistant'];
const ICP_INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Manufacturing'];
const OTHER_INDUSTRIES = ['Retail', 'Education', 'Media', 'Government', 'Hospitality'];
const ICP_REGIONS = ['North America', 'Europe'];
const OTHER_REGIONS = ['Asia Pacific', 'Latin America'];

/** The prospect's words, by criterion: what a rep writes as evidence. */
const EVIDENCE: Record<string, { confirmed: string[]; disconfirmed: string[]; partly: string[] }> = {
  budget: {
    confirmed: ['We set aside 40k for this in Q1.', 'Budget is approved under the ops tooling line.', 'Money is there; finance signed off last week.'],
    disconfirmed: ['No budget until next fiscal year.', 'Budget frozen after the reorg.', 'We spent this year’s tooling money already.'],
    partly: ['Might find budget if the pilot works.', 'Depends on the Q2 planning round.'],
  },
  money: {
    confirmed: ['Funding exists for a deal this size.'],
    disconfirmed: ['Nothing left to spend this year.'],
    partly: ['Could fund a small pilot.'],
  },
  authority: {
    confirmed: ['I sign off on tools under 50k.', 'The CFO is in the next call and signs.'],
    disconfirmed: ['I just collect options for my manager.', 'No idea who would approve this.'],
    partly: ['My director decides; I can introduce you.'],
  },
  economic_buyer: {
    confirmed: ['Our COO controls the budget and knows about this.'],
    disconfirmed: ['The budget owner has not heard of this project.'],
    partly: ['Probably the CFO, not confirmed yet.'],
  },
  need: {
    confirmed: ['We lose two days a month reconciling leads by hand.', 'Our reps waste hours on junk leads.'],
    disconfirmed: ['Honestly our spreadsheet works fine.', 'We were just curious about the report.'],
    partly: ['Some pain, not sure it is big enough.'],
  },
  challenges: {
    confirmed: ['Lead routing is broken and sales blames marketing.'],
    disconfirmed: ['No real challenge right now.'],
    partly: ['A few complaints from the team.'],
  },
  identify_pain: {
    confirmed: ['Forecast misses cost us a quarter of pipeline.'],
    disconfirmed: ['No pain they could name.'],
    partly: ['Pain is there but nobody owns it.'],
  },
  timeline: {
    confirmed: ['Must be live before the March kickoff.', 'Deciding within 60 days.'],
    disconfirmed: ['Not before next year.', 'Maybe after the migration, no date.'],
    partly: ['Sometime this half, no hard date.'],
  },
  prioritization: {
    confirmed: ['It is in our top three this quarter.'],
    disconfirmed: ['Behind five other projects.'],
    partly: ['On the list, not at the top.'],
  },
  engagement: {
    confirmed: ['Came to the demo with their tech lead.'],
    disconfirmed: ['Never opened the follow-up.'],
    partly: ['Replied once, then quiet.'],
  },
};
const GENERIC = { confirmed: ['Confirmed on the call.'], disconfirmed: ['Ruled out on the call.'], partly: ['Partly confirmed; to check again.'] };

const NOTES: Record<string, string[]> = {
  accept: ['Budget confirmed for next quarter; demo booked with the VP.', 'Strong fit, clear pain, decision within 60 days.', 'Champion is keen; proposal call set up with finance.', 'All four confirmed; technical review next week.'],
  recycle: ['Interested but budget opens in Q3; re-check then.', 'Timing is off until their migration ends.', 'Good fit, no urgency yet; nurture with case studies.'],
  not_decision_maker: ['Spoke to an analyst with no route to the budget owner.', 'Contact collects options for a manager who did not reply.'],
  bad_timing: ['Real interest but they just signed a two-year contract elsewhere.', 'Not in this buying window; asked to talk after the summer.'],
  unresponsive: ['Three calls and two emails, no answer.', 'Left voicemails all week; no reply to the sequence.'],
  no_budget: ['Budget frozen after the reorg; nothing this year.', 'No money now and none expected this cycle.'],
  no_need: ['Their spreadsheet works fine for their volume.', 'Downloaded the report out of curiosity; no problem to solve.'],
  not_icp: ['Five-person studio outside our ICP.', 'Retail chain outside our industries; too small for us.', 'Company size and region are outside the ICP.'],
  student_job_seeker: ['Student writing a thesis on RevOps.', 'Job seeker collecting material for interviews.'],
  competitor: ['Works at a competitor; asked about our pricing.'],
  duplicate: ['Duplicate of an open lead owned by another rep.'],
  invalid_data: ['Phone number does not connect and the email bounced.', 'Fake name and a disposable email address.'],
  existing_customer: ['Already a customer; passed to the account team.'],
  other: ['Company is being acquired; all purchasing is on hold until the deal closes next year.'],
};

const SALESFORCE_HOST = 'acme.lightning.force.com';
const HUBSPOT_PORTAL = '2468101';

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

function leadRef(i: number, rnd: Random): LeadRef {
  if (chance(rnd, 0.65)) {
    const id15 = `00Q5e${String(i).padStart(10, '0')}`;
    const recordId = id15 + salesforceIdChecksum(id15);
    return { crm: 'salesforce', recordId, objectType: 'Lead', url: `https://${SALESFORCE_HOST}/lightning/r/Lead/${recordId}/view`, host: SALESFORCE_HOST };
  }
  const recordId = String(100_000_000 + i);
  return {
    crm: 'hubspot',
    recordId,
    objectType: 'contact',
    url: `https://app.hubspot.com/contacts/${HUBSPOT_PORTAL}/record/0-1/${recordId}`,
    host: 'app.hubspot.com',
    account: HUBSPOT_PORTAL,
  };
}

function profileFor(ref: LeadRef, camp: CampaignProfile, rnd: Random, mqlAt: number, firstContactAt: number | undefined): LeadProfile {
  const first = pick(rnd, FIRST);
  const last = pick(rnd, LAST);
  const company = pick(rnd, COMPANIES);
  const fit = camp.fit;
  const title =
    fit === 'students' && chance(rnd, 0.45) ? pick(rnd, STUDENT_TITLES) : fit === 'good' && chance(rnd, 0.7) ? pick(rnd, SENIOR_TITLES) : pick(rnd, ALL_TITLES);
  const inIcp = fit === 'good' ? 0.85 : fit === 'mixed' ? 0.55 : fit === 'poor' ? 0.2 : 0.35;
  const companySize = chance(rnd, inIcp) ? pick(rnd, [60, 120, 200, 450, 900, 1800, 3200]) : pick(rnd, [4, 8, 12, 25, 40, 8000, 20000]);
  const industry = chance(rnd, inIcp) ? pick(rnd, ICP_INDUSTRIES) : pick(rnd, OTHER_INDUSTRIES);
  const region = chance(rnd, inIcp + 0.1) ? pick(rnd, ICP_REGIONS) : pick(rnd, OTHER_REGIONS);
  const domain = fit === 'students' && title === 'Student' ? 'university.example' : chance(rnd, 0.01) ? 'rivalcrm.example' : `${company.split(' ')[0]!.toLowerCase()}.example`;
  const activities: Activity[] = [];
  const count = intBetween(rnd, 1, 5);
  for (let a = 0; a < count; a++) {
    activities.push({ type: pickWeighted(rnd, camp.activities), at: iso(mqlAt - Math.floor(rnd() * 25 * DAY_MS)) });
  }
  if (chance(rnd, 0.03)) activities.push({ type: 'hard_bounce', at: iso(mqlAt + HOUR_MS) });
  if (chance(rnd, 0.05)) activities.push({ type: 'unsubscribe', at: iso(mqlAt - DAY_MS) });
  activities.sort((x, y) => x.at.localeCompare(y.at));
  return {
    crm: ref.crm,
    recordId: ref.recordId,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}`,
    company,
    title,
    companySize,
    industry,
    region,
    techStack: chance(rnd, 0.5) ? [pick(rnd, ['Salesforce', 'HubSpot', 'Excel', 'Pipedrive'])] : [],
    source: camp.source,
    campaign: camp.campaign || undefined,
    crmStatus: 'Working',
    existingCustomer: chance(rnd, 0.01),
    mqlAt: iso(mqlAt),
    firstContactAt: firstContactAt === undefined ? undefined : iso(firstContactAt),
    activities,
  };
}

function evidence(criterionId: string, state: 'confirmed' | 'disconfirmed' | 'partly', rnd: Random): string {
  return pick(rnd, (EVIDENCE[criterionId] ?? GENERIC)[state]);
}

/** The checklist a rep would have filled in before this decision. */
function checklistFor(framework: Framework, decision: Decision, rep: Author, at: (k: number) => string, rnd: Random): Checklist {
  let checklist = emptyChecklist(framework.id);
  const answer = (id: string, state: 'confirmed' | 'disconfirmed' | 'partly', k: number) => {
    checklist = setAnswer(checklist, id, { state, evidence: evidence(id, state, rnd), by: rep.name, at: at(k) });
  };
  framework.criteria.forEach((c, k) => {
    if (decision.outcome === 'accept') answer(c.id, 'confirmed', k);
    else if (decision.outcome === 'reject' && c.disconfirmedReason === decision.reasonCode) answer(c.id, 'disconfirmed', k);
    else if (decision.outcome === 'recycle' && c.onDisconfirmed === 'nurture' && chance(rnd, 0.5)) answer(c.id, 'disconfirmed', k);
    else {
      const roll = rnd();
      if (roll < 0.35) answer(c.id, 'confirmed', k);
      else if (roll < 0.55) answer(c.id, 'partly', k);
    }
  });
  return checklist;
}

function decisionFor(outcome: Decision['outcome'], reason: ReasonCode | undefined, config: QualificationConfig, day: string, rnd: Random): Decision {
  switch (outcome) {
    case 'accept':
      return { outcome, stage: 'sql', nextStepId: pick(rnd, config.nextSteps).id, nextStepOn: addDays(day, intBetween(rnd, 1, 10)), note: pick(rnd, NOTES.accept!) };
    case 'recycle':
      return { outcome, recheckOn: addDays(day, intBetween(rnd, 30, 120)), trigger: chance(rnd, 0.3) ? 'their budget cycle opens' : '', note: pick(rnd, NOTES.recycle!) };
    case 'reject': {
      const code = reason!.code;
      let note = pick(rnd, NOTES[code] ?? NOTES.other!);
      while (note.length < reason!.minNoteChars) note = `${note} ${note}`;
      return {
        outcome,
        reasonCode: code,
        subReason: reason!.subReasons.length ? pick(rnd, reason!.subReasons) : undefined,
        note,
        attempts: reason!.minAttempts !== undefined ? reason!.minAttempts + intBetween(rnd, 0, 3) : undefined,
      };
    }
  }
}

interface Built {
  row: DispositionRecord;
  revisions: Revision[];
}

/** The generator, one disposition at a time: no storage, so tests can look at what would be stored. */
export function makeSeeder(options: SeedOptions = {}) {
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now();
  const config = options.config ?? defaultConfig();
  const spanDays = options.spanDays ?? 180;
  const idPrefix = options.idPrefix ?? `s${seed}`;
  const rnd = mulberry32(seed);
  const reasons = config.reasonCodes.filter((r) => !r.retired);
  const reasonByCode = new Map(reasons.map((r) => [r.code, r]));
  const frameworkWeights = config.frameworks.map((f) => [f, f.id === config.defaultFrameworkId ? 8 : 1] as const);
  const campaignWeights = SEED_CAMPAIGNS.map((c) => [c, c.weight] as const);

  const reasonFor = (camp: CampaignProfile, suggested: string | undefined): ReasonCode => {
    if (suggested && reasonByCode.has(suggested) && chance(rnd, 0.85)) return reasonByCode.get(suggested)!;
    const entries = reasons.map((r) => [r, (COMMON_REASONS[r.code] ?? 0.2) + (camp.reasons[r.code] ?? 0)] as const);
    return pickWeighted(rnd, entries);
  };

  function build(i: number): Built {
    const camp = pickWeighted(rnd, campaignWeights);
    const rep = pick(rnd, SEED_REPS);
    const framework = pickWeighted(rnd, frameworkWeights);
    // Recent weeks are busier than older ones, so lead velocity has a trend to show.
    // Whole seconds, as CRMs store them.
    const sec = (ms: number) => Math.round(ms / 1000) * 1000;
    const decided = sec(now - HOUR_MS - Math.pow(rnd(), 1.2) * spanDays * DAY_MS);
    const late = chance(rnd, rep.lateShare);
    const decisionDelay = late ? (24 + rnd() * 48) * HOUR_MS : rnd() * 20 * HOUR_MS;
    const contactLogged = chance(rnd, 0.98);
    const firstContact = sec(decided - decisionDelay);
    // Speed-to-lead: most within the 4-hour MQL window, some well after it.
    const contactDelay = chance(rnd, 0.8) ? rnd() * 3.5 * HOUR_MS : (4 + rnd() * 30) * HOUR_MS;
    const mqlAt = sec(firstContact - contactDelay);
    const ref = leadRef(i, rnd);
    const lead = profileFor(ref, camp, rnd, mqlAt, contactLogged ? firstContact : undefined);
    const at = (ms: number) => iso(sec(ms));
    const decidedAt = at(decided);
    const day = decidedAt.slice(0, 10);
    const answerAt = (k: number) => at(firstContact + (k + 1) * Math.min(decisionDelay / (framework.criteria.length + 2), 10 * 60_000));

    // Decide with the engine's view of the lead: knock-outs are (almost always) rejected, scores push acceptance.
    const score = scoreLead(lead, config.scoring, decided).total;
    const knockout = findKnockouts(lead, config)[0]?.knockout.reasonCode;
    const pAccept = Math.min(0.85, Math.max(0.03, (0.05 + (score - 25) / 70) * camp.acceptBoost)) / rep.strictness;
    const roll = rnd();
    const outcome: Decision['outcome'] = knockout && chance(rnd, 0.95) ? 'reject' : roll < pAccept ? 'accept' : roll < pAccept + 0.2 ? 'recycle' : 'reject';
    const reason = outcome === 'reject' ? reasonFor(camp, knockout) : undefined;

    const revisions: Revision[] = [];
    const addRevision = (decision: Decision, checklist: Checklist, when: number) => {
      const atIso = at(when);
      const q = qualify(lead, checklist, config, when, { decidedAt: atIso });
      revisions.push(
        createRevision(revisions.at(-1), {
          dispositionId: `${idPrefix}-${String(i).padStart(6, '0')}`,
          decision,
          snapshot: {
            lead: snapshotLead(lead),
            score: q.score,
            checklist,
            recommendation: q.recommendation,
            framework: { id: framework.id, version: framework.version, label: framework.label },
          },
          author: { id: rep.id, name: rep.name },
          at: atIso,
        }),
      );
    };
    const firstDecision = decisionFor(outcome, reason, config, day, rnd);
    const checklist = checklistFor(framework, firstDecision, rep, answerAt, rnd);
    addRevision(firstDecision, checklist, decided);

    // Some decisions change later: SQLs disqualified after the first call, recycled leads picked up again.
    // The later revision keeps the checklist and changes only what the new conversation changed.
    const later = decided + (1 + rnd() * 13) * DAY_MS;
    if (later < now - HOUR_MS) {
      const laterDay = iso(later).slice(0, 10);
      const laterAt = at(later);
      const mark = (c: Checklist, id: string, state: 'confirmed' | 'disconfirmed') =>
        setAnswer(c, id, { state, evidence: evidence(id, state, rnd), by: rep.name, at: laterAt });
      const ruledOut = framework.criteria.filter((c) => c.disconfirmedReason && reasonByCode.has(c.disconfirmedReason));
      if (outcome === 'accept' && ruledOut.length > 0 && chance(rnd, 0.09)) {
        const criterion = pick(rnd, ruledOut);
        const d = decisionFor('reject', reasonByCode.get(criterion.disconfirmedReason!), config, laterDay, rnd);
        addRevision({ ...d, note: `After the first call: ${d.note}` }, mark(checklist, criterion.id, 'disconfirmed'), later);
      } else if (outcome === 'reject' && chance(rnd, 0.03)) {
        addRevision(decisionFor('recycle', undefined, config, laterDay, rnd), checklist, later);
      } else if (outcome === 'recycle' && chance(rnd, 0.05)) {
        const confirmed = framework.criteria.reduce((c, criterion) => mark(c, criterion.id, 'confirmed'), checklist);
        addRevision(decisionFor('accept', undefined, config, laterDay, rnd), confirmed, later);
      }
    }

    const lastAt = Date.parse(revisions.at(-1)!.at);
    const sync: SyncState = now - lastAt < 2 * DAY_MS && chance(rnd, 0.5) ? 'saved_locally' : chance(rnd, 0.03) ? 'needs_attention' : 'synced';
    const row = dispositionRow(revisions, {
      leadKey: leadKey(ref),
      url: ref.url,
      config,
      origin: 'local',
      sync,
      syncMessage: sync === 'needs_attention' ? 'The CRM refused the status value (400).' : undefined,
    });
    return { row, revisions };
  }

  return { build, config, now };
}

/**
 * Seeds `n` dispositions with their revisions, in chunks (one transaction each, so a 100,000-row seed
 * neither holds one huge transaction nor pays for 100,000 small ones).
 */
export async function seedDispositions(db: Store, n: number, options: SeedOptions = {}): Promise<SeedResult> {
  const started = performance.now();
  const seeder = makeSeeder(options);
  const chunkSize = options.chunkSize ?? 2000;
  let revisions = 0;
  let revised = 0;
  for (let start = 0; start < n; start += chunkSize) {
    const rows: DispositionRecord[] = [];
    const revs: Revision[] = [];
    for (let i = start; i < Math.min(n, start + chunkSize); i++) {
      const built = seeder.build(i);
      rows.push(built.row);
      revs.push(...built.revisions);
      if (built.revisions.length > 1) revised++;
    }
    revisions += revs.length;
    await putHistories(db, rows, revs);
    options.onProgress?.(Math.min(n, start + chunkSize), n);
  }
  return { dispositions: n, revisions, revised, ms: performance.now() - started };
}
