import { defineContentScript } from 'wxt/utils/define-content-script';
import { startWhenShown } from '../src/content';
import { activeCrmPages, contentScriptMatches } from '../src/crm';

// Demo builds (`--mode demo`) also serve the bundled demo CRM.
const includeDemo = import.meta.env.MODE === 'demo';

export default defineContentScript({
  matches: contentScriptMatches(includeDemo),
  runAt: 'document_idle',
  // WXT's "content script started" postMessage to the CRM page is taken out at build time (wxt.config.ts).
  main(ctx) {
    // A prerendered page starts once it is shown (its messages would be refused before, ADR 0015).
    startWhenShown(ctx, activeCrmPages(includeDemo));
  },
});
