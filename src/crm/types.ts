/**
 * What every CRM integration provides. One folder per CRM under `src/crm/<name>/`, each with a `page.ts`
 * whose default export is a `CrmPage`. Everything here runs in the content script: keep it small and free
 * of React, zod and the extension APIs.
 */

/** A lead (or contact) record that the current page shows, worked out from the URL alone. */
export interface LeadRef {
  /** The `CrmPage.id` that recognised the page, e.g. `salesforce`. */
  crm: string;
  /**
   * The record's id as the CRM's API wants it. Salesforce: always the 18-character id. HubSpot: the
   * numeric object id (unique only within its portal, see `account`).
   */
  recordId: string;
  /** The CRM's name for the record's object: Salesforce `Lead`; HubSpot `contact` or `lead`. */
  objectType: string;
  /** A canonical link to the record (query string and hash dropped). */
  url: string;
  /** The page's host, e.g. `acme.lightning.force.com`. */
  host: string;
  /**
   * The CRM account (tenant) the record belongs to: HubSpot's portal id; Salesforce's org Lightning host
   * (sandboxes have their own). With `crm` and `recordId` it names one record (see `leadKey`).
   */
  account?: string;
}

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
