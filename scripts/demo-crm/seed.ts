/**
 * Seeded demo data: the same seed always gives the same leads, activities, reps and past decisions.
 * The leads cover what the product must show: titles from intern to C-level, industries in and out of the
 * ICP, companies of 5 to 5,000 people, engagement spread over 90 days (so decay shows), knock-outs, the
 * brief's worked examples, and decisions already made (some breaching the SLA) for the dashboard.
 */

import { defaultConfig } from '../../src/domain/defaults';
import { createRevision, snapshotLead, type Decision, type Revision } from '../../src/domain/dispositions';
import { emptyChecklist, setAnswer, type Checklist } from '../../src/domain/frameworks';
import { leadProfileSchema, type LeadProfile } from '../../src/domain/lead';
import { formatDispositionNote, idempotencyKey } from '../../src/domain/note-format';
import { qualify } from '../../src/domain/qualify';

export interface DemoActivity {
  type: string;
  at: string;
  detail?: string;
}

export interface DemoLead {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  company: string;
  title: string;
  companySize: number;
  industry: string;
  region: string;
  techStack: string[];
  source: string;
  campaign: string;
  status: string;
  reason?: string;
  owner: string;
  existingCustomer: boolean;
  mqlAt: string;
  firstContactAt?: string;
  activities: DemoActivity[];
}

export interface DemoNote {
  id: string;
  leadId: string;
  body: string;
  createdAt: string;
  /** The author's name, and their user id: set by the CRM from the API token that created the note. */
  author: string;
  authorId?: string;
  idempotencyKey?: string;
}

/**
 * A call logged through the API (`POST /api/v1/leads/:id/activities`, type `call`): the extension's call
 * mode writes one per logged call. Unique per `idempotencyKey` across the CRM, like notes.
 */
export interface DemoCallActivity {
  id: string;
  leadId: string;
  type: 'call';
  subject: string;
  body: string;
  outcome: string;
  startedAt: string;
  durationSeconds: number;
  createdAt: string;
  author: string;
  authorId: string;
  idempotencyKey?: string;
}

export interface DemoRep {
  id: string;
  name: string;
  email: string;
}

/** Someone who signs in to the demo CRM: the reps, and a sales manager who reviews their decisions. */
export interface DemoUser extends DemoRep {
  role: 'rep' | 'manager';
}

/** Bumped when the seed's shape changes: older data files are regenerated rather than misread. */
export const DEMO_DATA_VERSION = 4;

export interface DemoDb {
  version?: number;
  seed: number;
  generatedAt: string;
  /** Lead owners. */
  reps: DemoRep[];
  /** Everyone with an API token (`src/crm/demo/api.ts`, `demoTokenFor`): the reps and a manager. */
  users: DemoUser[];
  leads: DemoLead[];
  notes: DemoNote[];
  /** Logged calls (absent in data files written before calls existed: read as none). */
  activities?: DemoCallActivity[];
}

/** The demo CRM's sales manager (not a lead owner). */
export const DEMO_MANAGER: DemoUser = { id: 'mgr-maya', name: 'Maya Brandt', email: 'maya.brandt@ourco.example', role: 'manager' };

/** A demo lead as the extension's profile (what the demo CRM's API module reads). */
export function demoLeadProfile(l: DemoLead): LeadProfile {
  return leadProfileSchema.parse({
    crm: 'demo',
    recordId: l.id,
    name: `${l.firstName} ${l.lastName}`,
    email: l.email,
    company: l.company,
    title: l.title,
    companySize: l.companySize,
    industry: l.industry,
    region: l.region,
    techStack: l.techStack,
    source: l.source,
    campaign: l.campaign,
    crmStatus: l.status,
    existingCustomer: l.existingCustomer,
    mqlAt: l.mqlAt,
    firstContactAt: l.firstContactAt,
    activities: l.activities,
  });
}

/** The CRM's own lead statuses (what a plain CRM offers). */
export const demoStatuses = ['New', 'Working', 'Nurture', 'Qualified', 'Unqualified'] as const;

const DAY = 86_400_000;

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence. Also used by the bench. */
export function mulberry32(seed: number) {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const firstNames = ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Farah', 'Gus', 'Hana', 'Ivan', 'Jo', 'Kemal', 'Lena', 'Mo', 'Nia', 'Omar', 'Pia', 'Quinn', 'Rosa', 'Sven', 'Tara', 'Uma', 'Vik', 'Wen', 'Yara', 'Zane'];
const lastNames = ['Park', 'Okafor', 'Lindqvist', 'Moreau', 'Tanaka', 'Silva', 'Novak', 'Haddad', 'Kowalski', 'Reyes', 'Schmidt', 'Byrne', 'Ivanova', 'Costa', 'Nakamura'];
const companies = ['Northwind Analytics', 'Bluefin Health', 'Cobalt Manufacturing', 'Delta Ledger', 'Evergreen Retail', 'Foxglove Software', 'Granite Insurance', 'Harbor Logistics', 'Ironbark Labs', 'Juniper Clinics', 'Kestrel Finance', 'Lumen Education', 'Maple Robotics', 'Nimbus Media', 'Orchid Biotech'];
const titles = ['Chief Executive Officer', 'VP of Sales', 'VP Operations', 'Director of IT', 'Head of Revenue Operations', 'Sales Manager', 'Marketing Manager', 'Operations Lead', 'Software Engineer', 'Analyst', 'Marketing Intern', 'Office Administrator'];
const industries = ['Software', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail', 'Education', 'Media', 'Government'];
const regions = ['North America', 'Europe', 'Asia Pacific', 'Latin America'];
const sources = ['Webinar', 'Paid search', 'Organic search', 'Content syndication', 'Trade show', 'Referral'];
const campaigns = ['Q4 Pipeline Webinar', 'Pricing Page Retargeting', 'State of RevOps Report', 'Partner Referral Program', 'SaaStr Booth'];
const sizes = [5, 8, 12, 25, 60, 120, 200, 450, 900, 1800, 3200, 5000];
const activityMix = ['pricing_page_visit', 'case_study_download', 'webinar_attended', 'newsletter_signup', 'blog_subscription', 'document_download', 'email_reply', 'account_created'];

/** Leads that reproduce the domain brief's examples, by design rather than by chance. */
function showcase(now: number): Omit<DemoLead, 'id' | 'owner' | 'status'>[] {
  const ago = (d: number, h = 0) => new Date(now - d * DAY - h * 3_600_000).toISOString();
  return [
    {
      // The brief's worked example: pricing (+15) + director (+15) + ideal industry (+10) = 40, no sales request.
      firstName: 'Dana', lastName: 'Whitfield', email: 'dana.whitfield@foxglove.example', company: 'Foxglove Software', title: 'Director of Operations',
      companySize: 30, industry: 'Software', region: 'Asia Pacific', techStack: [], source: 'Organic search', campaign: 'Pricing Page Retargeting',
      existingCustomer: false, mqlAt: ago(0, 3), activities: [{ type: 'pricing_page_visit', at: ago(1), detail: '/pricing' }],
    },
    {
      // 55 points at a 200-person firm in the ICP, with a demo request: should outrank the next one.
      firstName: 'Priya', lastName: 'Raman', email: 'priya.raman@kestrel.example', company: 'Kestrel Finance', title: 'Analyst',
      companySize: 200, industry: 'Financial Services', region: 'Europe', techStack: [], source: 'Paid search', campaign: 'Pricing Page Retargeting',
      existingCustomer: false, mqlAt: ago(0, 1), activities: [{ type: 'demo_request', at: ago(0, 1), detail: 'Demo form' }],
    },
    {
      // 75 points at a 10-person startup: high score, poor ICP fit.
      firstName: 'Max', lastName: 'Ferreira', email: 'max@tinyloop.example', company: 'Tinyloop', title: 'VP Growth',
      companySize: 10, industry: 'Software', region: 'Europe', techStack: ['HubSpot'], source: 'Paid search', campaign: 'Pricing Page Retargeting',
      existingCustomer: false, mqlAt: ago(0, 2), activities: [{ type: 'demo_request', at: ago(0, 2) }, { type: 'blog_subscription', at: ago(3) }],
    },
    {
      firstName: 'Ravi', lastName: 'Mehta', email: 'ravi.mehta@rivalcrm.example', company: 'RivalCRM', title: 'Product Manager',
      companySize: 400, industry: 'Software', region: 'North America', techStack: ['Salesforce'], source: 'Webinar', campaign: 'Q4 Pipeline Webinar',
      existingCustomer: false, mqlAt: ago(2), activities: [{ type: 'webinar_attended', at: ago(2) }, { type: 'pricing_page_visit', at: ago(2) }],
    },
    {
      firstName: 'Lucy', lastName: 'Chen', email: 'lucy.chen@university.example', company: 'State University', title: 'Student',
      companySize: 20000, industry: 'Education', region: 'North America', techStack: [], source: 'Content syndication', campaign: 'State of RevOps Report',
      existingCustomer: false, mqlAt: ago(5), activities: [{ type: 'document_download', at: ago(5) }],
    },
    {
      firstName: 'Tom', lastName: 'Becker', email: 'tom.becker@granite.example', company: 'Granite Insurance', title: 'Head of Sales Operations',
      companySize: 1800, industry: 'Financial Services', region: 'Europe', techStack: ['Salesforce'], source: 'Referral', campaign: 'Partner Referral Program',
      existingCustomer: true, mqlAt: ago(1), activities: [{ type: 'contact_request', at: ago(1) }],
    },
  ];
}

export function generateDemoDb(seed = 20261123, now = Date.now()): DemoDb {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const iso = (t: number) => new Date(Math.round(t / 1000) * 1000).toISOString();
  const reps: DemoRep[] = [
    { id: 'rep-ana', name: 'Ana Souza', email: 'ana.souza@ourco.example' },
    { id: 'rep-ben', name: 'Ben Okoro', email: 'ben.okoro@ourco.example' },
    { id: 'rep-cleo', name: 'Cleo Varga', email: 'cleo.varga@ourco.example' },
  ];
  const leads: DemoLead[] = [];
  const notes: DemoNote[] = [];
  let n = 0;
  const nextId = () => `L-${String(1001 + n++)}`;

  for (const s of showcase(now)) leads.push({ ...s, id: nextId(), owner: reps[leads.length % reps.length]!.id, status: 'New' });

  for (let i = 0; i < 60; i++) {
    const firstName = pick(firstNames);
    const lastName = pick(lastNames);
    const company = pick(companies);
    const domain = `${company.split(' ')[0]!.toLowerCase()}.example`;
    const mqlAt = now - rnd() * 90 * DAY;
    const activities: DemoActivity[] = [];
    const count = Math.floor(rnd() * 6);
    for (let a = 0; a < count; a++) activities.push({ type: pick(activityMix), at: iso(mqlAt - rnd() * 20 * DAY) });
    if (rnd() < 0.25) activities.push({ type: 'demo_request', at: iso(mqlAt) });
    if (rnd() < 0.08) activities.push({ type: 'unsubscribe', at: iso(mqlAt + rnd() * 5 * DAY) });
    if (rnd() < 0.04) activities.push({ type: 'hard_bounce', at: iso(mqlAt + rnd() * 2 * DAY) });
    activities.sort((x, y) => x.at.localeCompare(y.at));
    const owner = pick(reps).id;
    // Older leads were worked: a first contact after a spread of delays (some breach the 4-hour SLA).
    const worked = mqlAt < now - 2 * DAY && rnd() < 0.85;
    const firstContactAt = worked ? mqlAt + rnd() * 10 * 3_600_000 : undefined;
    leads.push({
      id: nextId(),
      firstName,
      lastName,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@${domain}`,
      company,
      title: pick(titles),
      companySize: pick(sizes),
      industry: pick(industries),
      region: pick(regions),
      techStack: rnd() < 0.5 ? [pick(['Salesforce', 'HubSpot', 'Excel', 'Pipedrive'])] : [],
      source: pick(sources),
      campaign: pick(campaigns),
      status: worked ? 'Working' : 'New',
      owner,
      existingCustomer: false,
      mqlAt: iso(mqlAt),
      firstContactAt: firstContactAt === undefined ? undefined : iso(firstContactAt),
      activities,
    });
  }

  // Past decisions, written as the extension writes them: a status, a reason, and a note whose structured
  // block the dashboard imports. Real revisions (scored, hash-chained), by the owning rep; some breach the
  // 24-hour disposition SLA, some were changed after the first call.
  const config = defaultConfig();
  const decided = leads.filter((l) => l.firstContactAt).slice(0, 30);
  const rejects: { code: string; note: string; attempts?: number }[] = [
    { code: 'not_decision_maker', note: 'Works in ops; the budget owner is the CFO, who was not on the call.' },
    { code: 'bad_timing', note: 'Locked into their current tool until the renewal next autumn.' },
    { code: 'unresponsive', note: 'Three calls and two emails over ten days, no answer.', attempts: 3 },
    { code: 'no_budget', note: 'No budget this year; they asked us to check back in Q3.' },
    { code: 'not_icp', note: 'Twelve people and no IT team: outside our ICP.' },
    { code: 'duplicate', note: 'Same person as an open opportunity owned by the account team.' },
  ];
  const answer = (state: 'confirmed' | 'partly' | 'disconfirmed', evidence: string, by: string, at: string) => ({ state, evidence, by, at });
  decided.forEach((lead, i) => {
    const roll = i % 5;
    const contact = Date.parse(lead.firstContactAt!);
    const decidedAt = iso(contact + (i % 4 === 3 ? 40 : 6) * 3_600_000); // every 4th one misses the 24 h deadline
    const rep = reps.find((r) => r.id === lead.owner)!;
    const profile = demoLeadProfile(lead);
    const by = rep.name;
    const base = emptyChecklist('bant');
    const revisions: Revision[] = [];
    const decide = (decision: Decision, checklist: Checklist, at: string) => {
      const q = qualify(profile, checklist, config, Date.parse(at), { decidedAt: at });
      revisions.push(
        createRevision(revisions.at(-1), {
          dispositionId: `seed-${lead.id}`,
          decision,
          snapshot: { lead: snapshotLead(profile), score: q.score, checklist, recommendation: q.recommendation, framework: { id: q.framework.id, version: q.framework.version, label: q.framework.label } },
          author: { id: rep.id, name: rep.name, email: rep.email, crm: 'demo' },
          at,
        }),
      );
    };
    if (roll <= 1) {
      const checklist = setAnswer(setAnswer(base, 'budget', answer('confirmed', 'We have budget approved for next quarter.', by, decidedAt)), 'need', answer('confirmed', 'Our reps lose a day a week to manual lead routing.', by, decidedAt));
      decide({ outcome: 'accept', stage: 'sql', nextStepId: 'demo', nextStepOn: decidedAt.slice(0, 10), note: 'Budget confirmed for next quarter; demo booked with the team lead.' }, checklist, decidedAt);
      lead.status = 'Qualified';
      // One in four accepted SQLs is disqualified after the first sales call.
      if (i % 4 === 0) {
        const later = iso(Date.parse(decidedAt) + 3 * DAY);
        decide({ outcome: 'reject', reasonCode: 'no_budget', note: 'On the demo call the budget turned out to be for another project.' }, setAnswer(checklist, 'budget', answer('disconfirmed', 'That money is for the data warehouse, not for this.', by, later)), later);
        lead.status = 'Unqualified';
        lead.reason = 'No budget';
      }
    } else if (roll <= 3) {
      const r = rejects[i % rejects.length]!;
      decide({ outcome: 'reject', reasonCode: r.code, note: r.note, attempts: r.attempts }, setAnswer(base, 'need', answer('partly', 'Interested, but no pressing problem.', by, decidedAt)), decidedAt);
      lead.status = 'Unqualified';
      lead.reason = config.reasonCodes.find((c) => c.code === r.code)!.label;
    } else {
      decide({ outcome: 'recycle', recheckOn: iso(Date.parse(decidedAt) + 90 * DAY).slice(0, 10), trigger: 'Renewal of their current contract', note: 'Good fit, wrong quarter: re-check before their renewal.' }, setAnswer(base, 'timeline', answer('disconfirmed', 'Nothing changes before the renewal next year.', by, decidedAt)), decidedAt);
      lead.status = 'Nurture';
    }
    for (const r of revisions) {
      const { body } = formatDispositionNote(r, config, 65_536);
      notes.push({ id: `N-${notes.length + 1}`, leadId: lead.id, createdAt: r.at, author: rep.name, authorId: rep.id, body, idempotencyKey: idempotencyKey(r) });
    }
  });

  const users: DemoUser[] = [...reps.map((r) => ({ ...r, role: 'rep' as const })), DEMO_MANAGER];
  return { version: DEMO_DATA_VERSION, seed, generatedAt: new Date(now).toISOString(), reps, users, leads, notes };
}
