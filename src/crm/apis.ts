import type { CrmApiModule } from './api';

/**
 * The CRM API registry: every `src/crm/<name>/api.ts` whose default export is a `CrmApiModule`.
 * Background and options only (the content script never imports this). Adding a CRM adds a folder.
 */
const modules = import.meta.glob<{ default: CrmApiModule }>('./*/api.ts', { eager: true });

export const crmApiModules: readonly CrmApiModule[] = Object.keys(modules)
  .sort()
  .map((path) => modules[path]!.default);

export function crmApiModule(crm: string): CrmApiModule | undefined {
  return crmApiModules.find((m) => m.id === crm);
}
