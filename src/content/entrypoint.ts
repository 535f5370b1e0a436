import { defineContentScript } from 'wxt/utils/define-content-script';
import { servedIn } from '../crm/lead-key';
import type { CrmPage } from '../crm/types';
import { startWhenShown } from './index';

/**
 * One CRM's content script (issue 19, ADR 0014): the build writes one entry per `src/crm/<name>/page.ts`
 * (wxt.config.ts, `crmContentScripts`), each calling this with its own page module, so a HubSpot page
 * compiles HubSpot's reader and not Salesforce's. A demo-only CRM (the bundled demo) gets no matches, and
 * so no script, outside demo builds.
 */
export function defineCrmContentScript(page: CrmPage, mode: string = import.meta.env.MODE) {
  return defineContentScript({
    matches: servedIn(page, mode === 'demo') ? page.matches : [],
    runAt: 'document_idle',
    main(ctx) {
      // A prerendered page starts once it is shown (its messages would be refused before, ADR 0015).
      startWhenShown(ctx, [page]);
    },
  });
}
