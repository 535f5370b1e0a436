import { defineContentScript } from 'wxt/utils/define-content-script';
import { startContentScript } from '../src/content';
import { activeCrmPages, contentScriptMatches } from '../src/crm';

// Demo builds (`--mode demo`) also serve the bundled demo CRM.
const includeDemo = import.meta.env.MODE === 'demo';

export default defineContentScript({
  matches: contentScriptMatches(includeDemo),
  runAt: 'document_idle',
  // WXT's older "content script started" signal also goes to the CRM page itself via window.postMessage: a
  // structured clone and a message event for every listener of the page (Lightning has many), on every load.
  // Our own script's newer copies are told through WXT's custom event, which stays.
  noScriptStartedPostMessage: true,
  main(ctx) {
    startContentScript(ctx, activeCrmPages(includeDemo));
  },
});
