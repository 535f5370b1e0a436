import type { CrmPage } from './types';
import { servedIn } from './lead-key';

export type { CrmPage, LeadDomData } from './types';
export type { LeadRef } from '../domain/lead-ref';
export { detectLeadPageIn, leadKey, sameLead } from './lead-key';

/**
 * The CRM registry: every `src/crm/<name>/page.ts` whose default export is a `CrmPage`. Adding a CRM is
 * adding a folder; nothing here changes. Vite expands the glob at build time (content script, extension
 * pages, vitest, and WXT's build-time evaluation of `defineContentScript`), so the list is static code.
 */
const modules = import.meta.glob<{ default: CrmPage }>('./*/page.ts', { eager: true });

/** Every CRM page module, sorted by folder name so builds are reproducible. */
export const crmPages: readonly CrmPage[] = Object.keys(modules)
  .sort()
  .map((path) => modules[path]!.default);

/** The CRM pages a build serves: demo-only ones (the bundled demo CRM) only in demo builds. */
export function activeCrmPages(includeDemo: boolean): CrmPage[] {
  return crmPages.filter((page) => servedIn(page, includeDemo));
}

/** Manifest match patterns for the content script (and the panel's web-accessible resource). */
export function contentScriptMatches(includeDemo: boolean): string[] {
  return [...new Set(activeCrmPages(includeDemo).flatMap((page) => page.matches))];
}
