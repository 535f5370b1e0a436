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
