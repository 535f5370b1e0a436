import { cleanText, compact, fieldValue, firstVisible, nameFromTitle } from '../dom';
import { matchesPattern } from '../match-pattern';
import type { CrmPage, LeadDomData } from '../types';
import type { LeadRef } from '../../domain/lead-ref';
import { hubspotProperties, hubspotSelectors as sel, hubspotTitleSuffix } from './selectors';

/** HubSpot object type ids in record URLs, and the object names we give them. */
const OBJECT_TYPES: Record<string, string> = { '0-1': 'contact', '0-136': 'lead' };

/**
 * Record pages, with an optional trailing slash:
 * - `/contacts/<portalId>/record/<objectTypeId>/<id>` (0-1 contact, 0-136 lead);
 * - `/contacts/<portalId>/contact/<id>` (the older contact URL).
 */
const RECORD_PATH = /^\/contacts\/(\d+)\/record\/(\d+-\d+)\/(\d+)\/?$/;
const LEGACY_CONTACT_PATH = /^\/contacts\/(\d+)\/contact\/(\d+)\/?$/;

/**
 * One host per HubSpot data centre ("hublet"): na1 is `app.hubspot.com`, the others `app-<hublet>`.
 * Chrome's match patterns allow `*` only as a whole leading label, so `app-*.hubspot.com` is not a valid
 * pattern and `*.hubspot.com` would inject into every HubSpot site (www, knowledge, blogs): the hublets
 * are listed instead. A new hublet is one line here.
 */
const HUBLET_HOSTS = ['app.hubspot.com', 'app-eu1.hubspot.com', 'app-na2.hubspot.com', 'app-na3.hubspot.com', 'app-ap1.hubspot.com'];
const matches = HUBLET_HOSTS.map((host) => `https://${host}/*`);

function parseRecordPath(pathname: string): { portalId: string; objectTypeId: string; recordId: string } | null {
  const record = RECORD_PATH.exec(pathname);
  if (record) return { portalId: record[1]!, objectTypeId: record[2]!, recordId: record[3]! };
  const legacy = LEGACY_CONTACT_PATH.exec(pathname);
  if (legacy) return { portalId: legacy[1]!, objectTypeId: '0-1', recordId: legacy[2]! };
  return null;
}

function readProperty(doc: Document, internalName: string): string | undefined {
  const field = firstVisible(doc, sel.property(internalName));
  return fieldValue(field?.querySelector(sel.propertyValue));
}

const hubspot: CrmPage = {
  id: 'hubspot',
  label: 'HubSpot',
  matches,

  /**
   * `recordId` is HubSpot's numeric object id, as its API wants it; ids are unique only within a portal,
   * so the portal id goes in `account` (see `leadKey` in `src/crm/index.ts`).
   */
  detect(url: URL): LeadRef | null {
    if (!matches.some((p) => matchesPattern(p, url))) return null;
    const path = parseRecordPath(url.pathname);
    const objectType = path && OBJECT_TYPES[path.objectTypeId];
    if (!path || !objectType) return null;
    const { portalId, objectTypeId, recordId } = path;
    return {
      crm: 'hubspot',
      recordId,
      objectType,
      url: `${url.origin}/contacts/${portalId}/record/${objectTypeId}/${recordId}`,
      host: url.host,
      account: portalId,
    };
  },

  readLead(doc: Document): LeadDomData | null {
    return compact<LeadDomData>({
      name: cleanText(firstVisible(doc, sel.name)?.textContent) ?? nameFromTitle(doc.title, hubspotTitleSuffix, 2),
      company: readProperty(doc, hubspotProperties.company),
      title: readProperty(doc, hubspotProperties.title),
      email: readProperty(doc, hubspotProperties.email) ?? cleanText(firstVisible(doc, sel.highlightEmail)?.textContent),
      status: readProperty(doc, hubspotProperties.status),
    });
  },
};

export default hubspot;
