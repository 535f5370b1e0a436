import type { LeadProfile } from './lead';

/**
 * Whose word a lead's identity is (ADR 15, finding 3). The CRM page is hostile: a script there can rewrite
 * the record view. So once the CRM's API has answered for a lead, its name, company, title, email and
 * status are the lead's: in the stored profile, and so in scoring, the decision's snapshot and the CRM
 * note. The page's reading is kept beside it and compared, and a disagreement is shown to the rep. Before
 * the API answers (not connected, offline, or not yet), the page's reading is all there is: it is used,
 * and the panel says it is the page's.
 */

/** What the page shows of a lead (the content script's `LeadDomData`). */
export interface PageReading {
  name?: string;
  company?: string;
  title?: string;
  email?: string;
  status?: string;
}

/** The profile fields that say who the lead is; the page and the CRM's API both read them. */
export type IdentityFields = Pick<LeadProfile, 'name' | 'company' | 'title' | 'email' | 'crmStatus'>;

/**
 * The fields a disagreement is flagged on. Not the status: pages show its label ("New") where APIs give
 * the value ("NEW"); the CRM's still wins.
 */
export const comparedFields = ['name', 'company', 'title', 'email'] as const;
export type ComparedField = (typeof comparedFields)[number];

/** The page shows one thing, the CRM's API another (`crm` undefined: the CRM has nothing there). */
export interface Disagreement {
  field: ComparedField;
  page: string;
  crm?: string;
}

/** A salutation before a name ("Ms. Jane Doe"): Salesforce pages show it, its API's `Name` does not. */
const SALUTATION = /^(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+/;

/** A value as compared: trimmed, white space collapsed, lower case; a name without a leading salutation. */
export function normalised(field: ComparedField, value: string | undefined): string {
  const v = (value ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return field === 'name' ? v.replace(SALUTATION, '') : v;
}

/** The page shows nothing for the field (layouts leave fields out): no reading, so no disagreement. */
const shown = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** What the page shows, over what was known: the lead's identity until the CRM's API answers. */
export function pageIdentity(page: PageReading, previous?: IdentityFields): IdentityFields {
  return {
    name: page.name ?? previous?.name,
    company: page.company ?? previous?.company,
    title: page.title ?? previous?.title,
    email: page.email ?? previous?.email,
    crmStatus: page.status ?? previous?.crmStatus,
  };
}

/**
 * The CRM's reading, whatever the page shows; a field the CRM leaves empty stays empty (a page cannot
 * fill it in). Where the page shows the same value (normalised), the page's spelling is kept, so the
 * header does not change from "Ms. Jane Doe" to "Jane Doe" when the API answers: it is the same value.
 */
export function crmIdentity(crm: IdentityFields, page?: PageReading): IdentityFields {
  const pick = (field: ComparedField) => {
    const c = crm[field];
    const p = page?.[field];
    return c !== undefined && shown(p) && normalised(field, p) === normalised(field, c) ? p : c;
  };
  return { name: pick('name'), company: pick('company'), title: pick('title'), email: pick('email'), crmStatus: crm.crmStatus };
}

/** Where the page's reading differs from the CRM's (normalised), in `comparedFields` order. */
export function disagreements(crm: IdentityFields, page?: PageReading): Disagreement[] {
  const out: Disagreement[] = [];
  for (const field of comparedFields) {
    const p = page?.[field];
    if (!shown(p) || normalised(field, p) === normalised(field, crm[field])) continue;
    const c = crm[field];
    out.push(shown(c) ? { field, page: p, crm: c } : { field, page: p });
  }
  return out;
}
