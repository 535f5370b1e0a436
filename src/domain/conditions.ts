import { z } from 'zod';
import { configStrings as t } from '../i18n/config';
import { qualifyStrings } from '../i18n/qualify';
import { emailDomain, numberFields, textFields, type LeadProfile } from './lead';

/** What a condition matched, in words (the rep reads them after the source). */
const matched = qualifyStrings.match;

/** The ideal customer profile: what a good-fit company looks like. */
export const icpSchema = z.object({
  industries: z.array(z.string().min(1)).default([]),
  regions: z.array(z.string().min(1)).default([]),
  companySize: z
    .object({ min: z.number().int().nonnegative(), max: z.number().int().positive() })
    .refine((r) => r.min <= r.max, { message: t.sizeMinAboveMax }),
  techStack: z.array(z.string().min(1)).default([]),
});
export type Icp = z.infer<typeof icpSchema>;

export const icpDimensions = ['industry', 'region', 'companySize', 'techStack'] as const;
export type IcpDimension = (typeof icpDimensions)[number];

/**
 * A test on a lead, shared by fit rules and knock-outs. Written as data so a manager can edit it;
 * keyword lists rather than regular expressions, so editing can't break matching or hang it.
 */
export const conditionSchema = z.discriminatedUnion('kind', [
  /** Any of the words or phrases appears in the field as whole words (case-insensitive). */
  z.object({ kind: z.literal('keywords'), field: z.enum(textFields), words: z.array(z.string().min(1)).min(1) }),
  /** The field equals one of the values (case-insensitive, trimmed). */
  z.object({ kind: z.literal('oneOf'), field: z.enum(textFields), values: z.array(z.string().min(1)).min(1) }),
  /** A number field lies in [min, max]; either bound may be left out. */
  z
    .object({ kind: z.literal('range'), field: z.enum(numberFields), min: z.number().optional(), max: z.number().optional() })
    .refine((c) => c.min !== undefined || c.max !== undefined, { message: t.rangeNeedsBound }),
  /** The lead matches the ICP on one dimension. */
  z.object({ kind: z.literal('icp'), dimension: z.enum(icpDimensions) }),
  /** The email's domain is one of these (or a subdomain of one). */
  z.object({ kind: z.literal('emailDomain'), domains: z.array(z.string().min(1)).min(1) }),
  /** The CRM marks the lead as an existing customer. */
  z.object({ kind: z.literal('existingCustomer') }),
  /** The lead has at least one activity of this type. */
  z.object({ kind: z.literal('activity'), type: z.string().min(1) }),
]);
export type Condition = z.infer<typeof conditionSchema>;

/** What made a condition true, in words a rep can read, plus the field it came from. */
export interface Match {
  source: string;
  detail: string;
  at?: string;
}

const norm = (s: string) => s.trim().toLowerCase();
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word, case-insensitive phrase search. "VP" matches "VP Sales" but not "MVP". */
export function findKeyword(text: string | undefined, words: readonly string[]): string | undefined {
  if (!text) return undefined;
  for (const w of words) {
    const re = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRe(norm(w))}($|[^\\p{L}\\p{N}])`, 'iu');
    if (re.test(text)) return w;
  }
  return undefined;
}

export function matchesIcp(lead: LeadProfile, icp: Icp, dimension: IcpDimension): Match | undefined {
  switch (dimension) {
    case 'industry': {
      const hit = lead.industry && icp.industries.find((i) => norm(i) === norm(lead.industry!));
      return hit ? { source: 'industry', detail: lead.industry! } : undefined;
    }
    case 'region': {
      const hit = lead.region && icp.regions.find((r) => norm(r) === norm(lead.region!));
      return hit ? { source: 'region', detail: lead.region! } : undefined;
    }
    case 'companySize': {
      const n = lead.companySize;
      return n !== undefined && n >= icp.companySize.min && n <= icp.companySize.max
        ? { source: 'companySize', detail: matched.employees(n) }
        : undefined;
    }
    case 'techStack': {
      const wanted = new Set(icp.techStack.map(norm));
      const hit = (lead.techStack ?? []).find((t) => wanted.has(norm(t)));
      return hit ? { source: 'techStack', detail: hit } : undefined;
    }
  }
}

/** Evaluates a condition; returns what matched, or undefined. A missing field never matches. */
export function evaluate(condition: Condition, lead: LeadProfile, icp: Icp): Match | undefined {
  switch (condition.kind) {
    case 'keywords': {
      const value = lead[condition.field];
      const hit = findKeyword(value, condition.words);
      return hit ? { source: condition.field, detail: value! } : undefined;
    }
    case 'oneOf': {
      const value = lead[condition.field];
      if (!value) return undefined;
      return condition.values.some((v) => norm(v) === norm(value)) ? { source: condition.field, detail: value } : undefined;
    }
    case 'range': {
      const value = lead[condition.field];
      if (value === undefined) return undefined;
      if (condition.min !== undefined && value < condition.min) return undefined;
      if (condition.max !== undefined && value > condition.max) return undefined;
      return { source: condition.field, detail: String(value) };
    }
    case 'icp':
      return matchesIcp(lead, icp, condition.dimension);
    case 'emailDomain': {
      const domain = emailDomain(lead.email);
      if (!domain) return undefined;
      const hit = condition.domains.map(norm).find((d) => domain === d || domain.endsWith(`.${d}`));
      return hit ? { source: 'email', detail: domain } : undefined;
    }
    case 'existingCustomer':
      return lead.existingCustomer ? { source: 'existingCustomer', detail: matched.existingCustomer } : undefined;
    case 'activity': {
      const hit = lead.activities.find((a) => a.type === condition.type);
      return hit ? { source: `activity:${hit.type}`, detail: hit.detail ?? hit.type, at: hit.at } : undefined;
    }
  }
}
