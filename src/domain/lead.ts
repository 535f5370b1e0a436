import { z } from 'zod';

/** An ISO-8601 timestamp with offset, e.g. `2026-11-20T09:30:00Z`. Data crosses messages and IndexedDB as text. */
export const isoDateTime = z.iso.datetime({ offset: true });
/** A calendar day, `YYYY-MM-DD`. */
export const isoDate = z.iso.date();

/** Something the lead did, as recorded by marketing automation or the CRM. */
export const activitySchema = z.object({
  /** Free text on purpose: a type no rule knows is kept and shown as "not scored", never an error. */
  type: z.string().min(1).max(100),
  at: isoDateTime,
  /** What the CRM says about it, e.g. the page URL or the webinar's name. */
  detail: z.string().max(500).optional(),
});
export type Activity = z.infer<typeof activitySchema>;

/**
 * What we know about a lead: read from the CRM page and API. Every field but the key is optional,
 * because CRMs leave fields blank; the engine treats a missing field as "unknown", never as a match.
 */
export const leadProfileSchema = z.object({
  crm: z.string().min(1).max(40),
  recordId: z.string().min(1).max(100),
  name: z.string().max(300).optional(),
  email: z.string().max(320).optional(),
  company: z.string().max(300).optional(),
  title: z.string().max(300).optional(),
  companySize: z.number().int().nonnegative().optional(),
  industry: z.string().max(200).optional(),
  region: z.string().max(200).optional(),
  techStack: z.array(z.string().max(100)).max(200).optional(),
  source: z.string().max(200).optional(),
  campaign: z.string().max(200).optional(),
  crmStatus: z.string().max(100).optional(),
  existingCustomer: z.boolean().optional(),
  /** When the lead became an MQL: starts the speed-to-lead clock. */
  mqlAt: isoDateTime.optional(),
  /** First contact attempt by a rep: stops speed-to-lead, starts the disposition deadline. */
  firstContactAt: isoDateTime.optional(),
  activities: z.array(activitySchema).max(5000).default([]),
});
export type LeadProfile = z.infer<typeof leadProfileSchema>;
export type LeadProfileInput = z.input<typeof leadProfileSchema>;

/** The lead fields rules may test. Kept as a closed list so a typo in config is caught at validation. */
export const textFields = ['title', 'industry', 'region', 'company', 'email', 'source', 'campaign', 'crmStatus'] as const;
export type TextField = (typeof textFields)[number];
export const numberFields = ['companySize'] as const;
export type NumberField = (typeof numberFields)[number];

export function emailDomain(email: string | undefined): string | undefined {
  if (!email) return undefined;
  const at = email.lastIndexOf('@');
  if (at < 0 || at === email.length - 1) return undefined;
  return email.slice(at + 1).trim().toLowerCase();
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` plus whole days, on the calendar (no time zone involved); '' for an invalid day. */
export function addDays(isoDay: string, days: number): string {
  const ms = Date.parse(`${isoDay}T00:00:00Z`);
  if (Number.isNaN(ms)) return '';
  return new Date(ms + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days between two instants, rounded down (an activity 29.9 days old is 29 days old). */
export function ageInDays(at: string, now: number): number {
  return Math.floor((now - Date.parse(at)) / DAY_MS);
}
