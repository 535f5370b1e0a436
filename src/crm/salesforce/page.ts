import { cleanText, compact, firstVisible, isVisible, nameFromTitle } from '../dom';
import { matchesPattern } from '../match-pattern';
import type { CrmPage, LeadDomData } from '../types';
import type { LeadRef } from '../../domain/lead-ref';
import { salesforceLabels, salesforceSelectors as sel, salesforceTitleSuffix } from './selectors';

/** Lead ids start with the Lead key prefix `00Q`; 15 characters (case-sensitive) or 18 (with a checksum). */
const LEAD_ID = /^00Q[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;
/** `/lightning/r/Lead/<id>/view` and `/lightning/r/<id>/view`, with or without a trailing slash. */
const RECORD_VIEW_PATH = /^\/lightning\/r\/(?:([A-Za-z][A-Za-z0-9_]*)\/)?([A-Za-z0-9]+)\/view\/?$/;
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character suffix that turns a 15-character Salesforce id into its 18-character form. */
export function salesforceIdChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i; // an upper-case letter sets its bit
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

/**
 * The 18-character form of a Lead id, or null when `raw` is not a Lead id (wrong prefix, length,
 * characters, or an 18-character id whose checksum does not match). One form per record, so a lead opened
 * through a 15-character link is the same lead.
 */
export function toLeadId18(raw: string): string | null {
  if (!LEAD_ID.test(raw)) return null;
  const id15 = raw.slice(0, 15);
  const checksum = salesforceIdChecksum(id15);
  if (raw.length === 18 && raw.slice(15).toUpperCase() !== checksum) return null;
  return id15 + checksum;
}

function labelOf(item: Element): string | undefined {
  const label = item.querySelector(sel.detailsLabel);
  return cleanText(label?.getAttribute('title') ?? label?.textContent);
}

function readDetails(highlights: Element): LeadDomData {
  const out: LeadDomData = {};
  const wanted = Object.entries(salesforceLabels) as [keyof typeof salesforceLabels, readonly string[]][];
  for (const item of highlights.querySelectorAll(sel.detailsItem)) {
    const email = item.querySelector(sel.emailLink);
    if (email && !out.email) out.email = cleanText(email.textContent);
    const label = labelOf(item)?.toLowerCase();
    if (!label) continue;
    for (const [field, labels] of wanted) {
      if (out[field] === undefined && labels.some((l) => l.toLowerCase() === label)) {
        out[field] = cleanText(item.querySelector(sel.detailsValue)?.textContent);
      }
    }
  }
  return out;
}

/**
 * The shown record's highlights panel: the active view's, when it is visible; otherwise the first visible
 * one anywhere (a layout without the `active` mark, or the mark on a hidden view). On a heavy page the
 * first lookup costs microseconds, the fallback a walk of the whole document.
 */
function visibleHighlights(doc: Document): Element | null {
  const active = doc.querySelector(sel.activeHighlights);
  return active && isVisible(active) ? active : firstVisible(doc, sel.highlights);
}

const matches = [
  'https://*.lightning.force.com/*',
  'https://*.lightning.force.mil/*',
  // Microsoft Defender for Cloud Apps session proxy in front of Salesforce.
  'https://*.lightning.force.com.mcas.ms/*',
];

const salesforce: CrmPage = {
  id: 'salesforce',
  label: 'Salesforce',
  matches,

  detect(url: URL): LeadRef | null {
    if (!matches.some((p) => matchesPattern(p, url))) return null;
    const m = RECORD_VIEW_PATH.exec(url.pathname);
    if (!m) return null;
    const [, objectName, rawId] = m;
    if (objectName !== undefined && objectName.toLowerCase() !== 'lead') return null;
    const recordId = toLeadId18(rawId ?? '');
    if (!recordId) return null;
    return {
      crm: 'salesforce',
      recordId,
      objectType: 'Lead',
      url: `${url.origin}/lightning/r/Lead/${recordId}/view`,
      host: url.host,
      // The org, by its Lightning host; the same org behind the Defender for Cloud Apps proxy is one org.
      account: url.hostname.replace(/\.mcas\.ms$/, ''),
    };
  },

  readLead(doc: Document): LeadDomData | null {
    const highlights = visibleHighlights(doc);
    const data: LeadDomData = highlights ? readDetails(highlights) : {};
    const name = highlights ? firstVisible(highlights, sel.name) : null;
    data.name = cleanText(name?.textContent) ?? nameFromTitle(doc.title, salesforceTitleSuffix, 3);
    data.status ??= cleanText(firstVisible(doc, sel.currentPathStep)?.textContent);
    return compact(data);
  },
};

export default salesforce;
