/**
 * Reading a Salesforce lead into a lead profile: the Lead record's fields, its campaign responses
 * (CampaignMember) and the tasks logged on it.
 */
import { regionOfCountry } from '../../domain/regions';
import type { ReadLeadResult } from '../api';
import { clip, isRecord, text } from '../read';
import { messages as t } from './messages';
import { TASK_SUBJECT_PREFIX } from './task-text';
import { CALL_OUTCOME_TEXT } from '../../domain/calls';

/** A Salesforce date (`2026-11-20`) or datetime (`2026-11-20T12:00:00.000+0000`) as ISO, or undefined. */
export function isoOf(v: unknown): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  const normal = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normal);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Country names as reps type them in orgs without State and Country picklists. */
const COUNTRY_CODES: Record<string, string> = {
  'united states': 'us', 'united states of america': 'us', usa: 'us', 'u.s.': 'us', 'u.s.a.': 'us', canada: 'ca',
  'united kingdom': 'gb', uk: 'gb', 'great britain': 'gb', england: 'gb', scotland: 'gb', wales: 'gb', ireland: 'ie',
  germany: 'de', deutschland: 'de', france: 'fr', netherlands: 'nl', 'the netherlands': 'nl', belgium: 'be', switzerland: 'ch',
  austria: 'at', italy: 'it', spain: 'es', portugal: 'pt', denmark: 'dk', sweden: 'se', norway: 'no', finland: 'fi', poland: 'pl',
  mexico: 'mx', brazil: 'br', argentina: 'ar', chile: 'cl', colombia: 'co', australia: 'au', 'new zealand': 'nz', japan: 'jp',
  'south korea': 'kr', china: 'cn', singapore: 'sg', india: 'in', 'united arab emirates': 'ae', israel: 'il', 'south africa': 'za',
};

function regionOf(countryCode: unknown, country: unknown): string | undefined {
  const name = text(country);
  const code = text(countryCode)?.toLowerCase() ?? (name && name.length === 2 ? name.toLowerCase() : name ? COUNTRY_CODES[name.toLowerCase()] : undefined);
  return (code && regionOfCountry(code)) ?? name;
}

type Activity = { type: string; at: string; detail?: string };

/** Campaign names → the scorer's activity types, for campaign responses. */
const CAMPAIGN_TYPES: readonly [RegExp, string][] = [
  [/\bdemo\b/i, 'demo_request'],
  [/contact (us|sales)|talk to (sales|an expert)|get in touch|request a (call|quote)|book a (call|meeting)/i, 'contact_request'],
  [/pricing/i, 'pricing_page_visit'],
  [/case stud/i, 'case_study_download'],
  [/webinar/i, 'webinar_attended'],
  [/newsletter/i, 'newsletter_signup'],
  [/\bblog\b/i, 'blog_subscription'],
  [/\btrial\b|sign ?up|create (an )?account|free account/i, 'account_created'],
  [/e-?book|white ?paper|\bguide\b|\breport\b|download|checklist|template/i, 'document_download'],
];

/** Task kinds that are a rep reaching the lead (they stop the speed-to-lead clock). */
const CONTACT_SUBTYPES: Record<string, string> = { Call: 'call', Email: 'sales_email', LinkedIn: 'linkedin_message', Cadence: 'sales_touch' };
const CONTACT_TYPES: Record<string, string> = { Call: 'call', Email: 'sales_email', Meeting: 'meeting' };

const isOurTask = (t: Record<string, unknown>) => (text(t.Subject) ?? '').startsWith(TASK_SUBJECT_PREFIX);
/** A call the extension logged as a wrong number (ADR 19): it did not reach the lead, so it is no first contact. */
const isOurWrongNumber = (t: Record<string, unknown>) => (text(t.Subject) ?? '').startsWith(`Call: ${CALL_OUTCOME_TEXT.wrong_number} (lq`);
const isDone = (t: Record<string, unknown>) => t.Status === 'Completed' || t.IsClosed === true;

/**
 * Activities: marketing engagement is what Salesforce records natively as campaign responses, plus the
 * email bounce and opt-out flags; sales touches come from logged tasks (calls, emails). Our own
 * qualification tasks are left out.
 */
export function activitiesOf(lead: Record<string, unknown>, tasks: readonly Record<string, unknown>[], members: readonly Record<string, unknown>[]): Activity[] {
  const out: Activity[] = [];
  const add = (type: string, at: string | undefined, detail?: string) => {
    if (at) out.push({ type, at, ...(detail ? { detail: detail.slice(0, 500) } : {}) });
  };
  for (const m of members) {
    if (m.HasResponded !== true) continue;
    const campaign = isRecord(m.Campaign) ? m.Campaign : {};
    const name = text(campaign.Name) ?? t.activity.campaign;
    const type = text(campaign.Type) === 'Webinar' ? 'webinar_attended' : (CAMPAIGN_TYPES.find(([re]) => re.test(name))?.[1] ?? 'campaign_response');
    add(type, isoOf(m.FirstRespondedDate) ?? isoOf(m.CreatedDate), [name, text(m.Status)].filter(Boolean).join(': '));
  }
  for (const t of tasks) {
    // Open tasks are plans (a follow-up next week), not something that happened.
    if (isOurTask(t) || !isDone(t)) continue;
    const subtype = text(t.TaskSubtype) ?? '';
    const type = subtype === 'ListEmail' ? 'list_email' : (CONTACT_SUBTYPES[subtype] ?? CONTACT_TYPES[text(t.Type) ?? ''] ?? 'task');
    add(type, isoOf(t.CompletedDateTime) ?? isoOf(t.ActivityDate) ?? isoOf(t.CreatedDate), text(t.Subject));
  }
  const bouncedAt = isoOf(lead.EmailBouncedDate);
  if (bouncedAt) add('hard_bounce', bouncedAt, text(lead.EmailBouncedReason) ? t.activity.emailBouncedBecause(text(lead.EmailBouncedReason)!) : t.activity.emailBounced);
  // The opt-out flag has no date of its own: the record's last change is the closest Salesforce keeps.
  if (lead.HasOptedOutOfEmail === true) add('unsubscribe', isoOf(lead.LastModifiedDate), t.activity.optedOut);
  return out.slice(0, 5000);
}

/** The first time a rep reached the lead: the earliest completed call/email task, or Salesforce's own fields. */
function firstContactOf(lead: Record<string, unknown>, tasks: readonly Record<string, unknown>[]): string | undefined {
  const times = tasks
    .filter((t) => !isOurTask(t) && !isOurWrongNumber(t) && isDone(t) && (CONTACT_SUBTYPES[text(t.TaskSubtype) ?? ''] || CONTACT_TYPES[text(t.Type) ?? '']))
    .map((t) => isoOf(t.CompletedDateTime) ?? isoOf(t.ActivityDate) ?? isoOf(t.CreatedDate));
  // Present in orgs with Sales Engagement; absent fields are simply not in the record.
  times.push(isoOf(lead.FirstCallDateTime), isoOf(lead.FirstEmailDateTime));
  return times.filter((t): t is string => t !== undefined).sort()[0];
}

export function profileOf(lead: Record<string, unknown>, tasks: readonly Record<string, unknown>[] = [], members: readonly Record<string, unknown>[] = []): ReadLeadResult['profile'] {
  const name = text(lead.Name) ?? ([text(lead.FirstName), text(lead.LastName)].filter(Boolean).join(' ') || undefined);
  const size = lead.NumberOfEmployees;
  const responded = members.find((m) => m.HasResponded === true) ?? members[0];
  const campaign = responded && isRecord(responded.Campaign) ? text(responded.Campaign.Name) : undefined;
  return {
    name: clip(name, 300),
    email: clip(text(lead.Email), 320),
    company: clip(text(lead.Company), 300),
    title: clip(text(lead.Title), 300),
    companySize: typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined,
    industry: clip(text(lead.Industry), 200),
    // From the country only: a state or province alone would read as a region that matches no ICP.
    region: clip(regionOf(lead.CountryCode, lead.Country), 200),
    source: clip(text(lead.LeadSource), 200),
    campaign: clip(campaign, 200),
    crmStatus: clip(text(lead.Status), 100),
    // Salesforce has no standard MQL date. A lead record is created when marketing hands the person to
    // sales (form, import, or the marketing automation sync), which is when the speed-to-lead clock starts.
    mqlAt: isoOf(lead.CreatedDate),
    firstContactAt: firstContactOf(lead, tasks),
    activities: activitiesOf(lead, tasks, members),
  };
}
