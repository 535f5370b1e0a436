import type { CrmPage } from './types';
import type { LeadRef } from '../domain/lead-ref';

/**
 * The registry-free part of `src/crm`: what the content script needs about leads and pages without
 * bundling every CRM's module. Each CRM's content script carries only its own page module (wxt.config.ts),
 * so it imports from here, never from `./index` (whose glob pulls in every `page.ts`).
 */

/** One key per record across CRMs and CRM accounts: `<crm>:<account or host>:<recordId>`. */
export function leadKey(ref: LeadRef): string {
  return `${ref.crm}:${ref.account ?? ref.host}:${ref.recordId}`;
}

/** Two refs name the same record. */
export function sameLead(a: LeadRef | null, b: LeadRef | null): boolean {
  return a === b || (a !== null && b !== null && leadKey(a) === leadKey(b));
}

/** The lead page this URL shows among `pages`, and which CRM recognised it; null for every other page. */
export function detectLeadPageIn(url: URL, pages: readonly CrmPage[]): { page: CrmPage; ref: LeadRef } | null {
  for (const page of pages) {
    const ref = page.detect(url);
    if (ref) return { page, ref };
  }
  return null;
}

/** Whether a build serves `page`: a demo-only CRM (the bundled demo) only in demo builds. */
export function servedIn(page: CrmPage, includeDemo: boolean): boolean {
  return includeDemo || !page.demoOnly;
}
