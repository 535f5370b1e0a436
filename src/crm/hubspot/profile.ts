/**
 * Reading a HubSpot contact into a lead profile: the contact properties the scorer uses, and the
 * activities HubSpot keeps on the contact as "latest" properties.
 */
import { regionOfCountry } from '../../domain/regions';
import type { ReadLeadResult } from '../api';
import { clip, text } from '../read';
import { messages as t } from './messages';

export type Props = Record<string, string | null | undefined>;

/** Contact properties the profile is made of (requested by name: HubSpot returns few by default). */
export const CONTACT_PROPERTIES = [
  'firstname', 'lastname', 'email', 'company', 'jobtitle', 'numemployees', 'company_size', 'industry',
  'country', 'state', 'hs_country_region_code', 'hs_analytics_source', 'hs_latest_source',
  'hs_analytics_first_touch_converting_campaign', 'hs_analytics_last_touch_converting_campaign',
  'hs_lead_status', 'lifecyclestage', 'hs_lifecyclestage_marketingqualifiedlead_date',
  'hs_first_outreach_date', 'hs_sa_first_engagement_date',
  'recent_conversion_event_name', 'recent_conversion_date', 'first_conversion_event_name', 'first_conversion_date',
  'hs_analytics_last_visit_timestamp', 'hs_analytics_last_url',
  'hs_email_last_reply_date', 'hs_sales_email_last_replied',
  'hs_email_optout', 'hs_email_hard_bounce_reason_enum', 'hs_email_bad_address', 'hs_email_last_send_date',
  'lastmodifieddate',
] as const;

/** `hs_analytics_source` values as HubSpot's UI labels them. */
const SOURCES: Record<string, string> = {
  ORGANIC_SEARCH: 'Organic search',
  PAID_SEARCH: 'Paid search',
  EMAIL_MARKETING: 'Email marketing',
  SOCIAL_MEDIA: 'Organic social',
  PAID_SOCIAL: 'Paid social',
  REFERRALS: 'Referrals',
  OTHER_CAMPAIGNS: 'Other campaigns',
  DIRECT_TRAFFIC: 'Direct traffic',
  OFFLINE: 'Offline sources',
  AI_REFERRALS: 'AI referrals',
};

/** A HubSpot date or datetime value (ISO text, or epoch milliseconds in older properties) as ISO. */
export function isoOf(v: unknown): string | undefined {
  const s = text(v);
  if (!s) return undefined;
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** `numemployees` is a range option ("25-50", "1000+"): the lower bound, so a size is never overstated. */
function companySizeOf(...values: unknown[]): number | undefined {
  for (const v of values) {
    const m = text(v)?.replace(/,/g, '').match(/^(\d+)/);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** What a form (conversion event) name says the person asked for, in the scorer's activity types. */
const CONVERSION_TYPES: readonly [RegExp, string][] = [
  [/\bdemo\b/i, 'demo_request'],
  [/contact (us|sales)|talk to (sales|an expert)|get in touch|request a (call|quote)|book a (call|meeting)/i, 'contact_request'],
  [/case stud/i, 'case_study_download'],
  [/webinar/i, 'webinar_registration'],
  [/newsletter/i, 'newsletter_signup'],
  [/\bblog\b/i, 'blog_subscription'],
  [/\btrial\b|sign ?up|create (an )?account|free account/i, 'account_created'],
  [/e-?book|white ?paper|\bguide\b|\breport\b|download|checklist|template/i, 'document_download'],
];

const conversionType = (name: string) => CONVERSION_TYPES.find(([re]) => re.test(name))?.[1] ?? 'form_submission';

type Activity = { type: string; at: string; detail?: string };

/** Activities HubSpot keeps on the contact as "latest" properties: one of each kind at most. */
export function activitiesOf(p: Props): Activity[] {
  const out: Activity[] = [];
  const add = (type: string, at: string | undefined, detail?: string) => {
    if (at) out.push({ type, at, ...(detail ? { detail: detail.slice(0, 500) } : {}) });
  };
  const recent = text(p.recent_conversion_event_name);
  const recentAt = isoOf(p.recent_conversion_date);
  if (recent) add(conversionType(recent), recentAt, recent);
  const first = text(p.first_conversion_event_name);
  const firstAt = isoOf(p.first_conversion_date);
  if (first && (first !== recent || firstAt !== recentAt)) add(conversionType(first), firstAt, first);

  const url = text(p.hs_analytics_last_url);
  add(url && /pricing/i.test(url) ? 'pricing_page_visit' : 'website_visit', isoOf(p.hs_analytics_last_visit_timestamp), url);

  add('email_reply', isoOf(p.hs_email_last_reply_date), t.activity.marketingEmailReply);
  const salesReply = isoOf(p.hs_sales_email_last_replied);
  if (salesReply !== isoOf(p.hs_email_last_reply_date)) add('email_reply', salesReply, t.activity.salesEmailReply);

  // Neither flag has a date of its own: the last send is the closest HubSpot records.
  const lastTouch = isoOf(p.hs_email_last_send_date) ?? isoOf(p.lastmodifieddate);
  const bounce = text(p.hs_email_hard_bounce_reason_enum);
  if (bounce || text(p.hs_email_bad_address) === 'true') add('hard_bounce', lastTouch, bounce ? t.activity.hardBounce(bounce) : t.activity.invalidEmail);
  if (text(p.hs_email_optout) === 'true') add('unsubscribe', lastTouch, t.activity.unsubscribed);
  return out;
}

export function profileOf(p: Props): ReadLeadResult['profile'] {
  const name = [text(p.firstname), text(p.lastname)].filter(Boolean).join(' ') || undefined;
  const code = text(p.hs_country_region_code);
  const region = (code && regionOfCountry(code)) ?? text(p.country);
  const sourceCode = text(p.hs_analytics_source);
  const stage = text(p.lifecyclestage);
  return {
    name: clip(name, 300),
    email: clip(text(p.email), 320),
    company: clip(text(p.company), 300),
    title: clip(text(p.jobtitle), 300),
    companySize: companySizeOf(p.numemployees, p.company_size),
    industry: clip(text(p.industry), 200),
    region: clip(region, 200),
    source: clip(sourceCode ? (SOURCES[sourceCode] ?? sourceCode) : undefined, 200),
    campaign: clip(text(p.hs_analytics_last_touch_converting_campaign) ?? text(p.hs_analytics_first_touch_converting_campaign), 200),
    crmStatus: clip(text(p.hs_lead_status), 100),
    existingCustomer: stage ? stage === 'customer' : undefined,
    mqlAt: isoOf(p.hs_lifecyclestage_marketingqualifiedlead_date),
    firstContactAt: isoOf(p.hs_first_outreach_date) ?? isoOf(p.hs_sa_first_engagement_date),
    activities: activitiesOf(p),
  };
}
