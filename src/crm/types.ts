/**
 * What every CRM integration provides. One folder per CRM under `src/crm/<name>/`, each with a `page.ts`
 * whose default export is a `CrmPage`. Everything here runs in the content script: keep it small and free
 * of React, zod and the extension APIs.
 */
import type { LeadRef } from '../domain/lead-ref';

/** Lead fields read from the visible record on the page. All optional: CRMs lay pages out differently. */
export interface LeadDomData {
  name?: string;
  company?: string;
  title?: string;
  email?: string;
  status?: string;
}

export interface CrmPage {
  /** Stable id, used in messages and storage keys: `salesforce`, `hubspot`, `demo`. */
  id: string;
  /** A name for people: "Salesforce". */
  label: string;
  /** Manifest match patterns for the pages this CRM serves (content script and panel access). */
  matches: string[];
  /** Only part of demo builds (the bundled demo CRM). */
  demoOnly?: boolean;
  /** The lead this URL shows, or null when it is not a lead page of this CRM. Pure: no DOM. */
  detect(url: URL): LeadRef | null;
  /** Lead fields from the visible record view; null when the page does not show `ref` (yet). */
  readLead(doc: Document, ref: LeadRef): LeadDomData | null;
}
