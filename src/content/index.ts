import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { CrmPage, LeadDomData } from '../crm/types';
import { createNotifier } from '../messaging/notifier';
import type { PageProtocol } from '../messaging/page-protocol';
import { createLeadReporter } from './lead-reporter';
import { whenPageIdle } from './idle';
import { startPanelHost } from './panel-host';

/** Field limits of `page.leadShown`: page text longer than this is cut, not refused. */
const limits: Record<keyof LeadDomData, number> = { name: 300, company: 300, title: 300, email: 320, status: 100 };

export function clipLeadDom(dom: LeadDomData): LeadDomData {
  const out: LeadDomData = {};
  for (const key of Object.keys(limits) as (keyof LeadDomData)[]) {
    const value = dom[key];
    if (value !== undefined) out[key] = value.slice(0, limits[key]);
  }
  return out;
}

/**
 * The content script: mount the panel on lead pages and tell the background which lead the tab shows.
 * It sends typed reports the background validates with zod, and reads one reply: the panel frame's token
 * (`page.panelFrame`, checked without zod in src/messaging/frame-token.ts, ADR 0015). It receives no
 * messages: the keyboard shortcut reaches it as a change of the fold state in extension storage (ADR 0014).
 * In side-panel mode (ADR 0020) it mounts nothing and only reports: the browser's side panel shows the lead.
 */
export function startContentScript(ctx: ContentScriptContext, pages: readonly CrmPage[]) {
  const send = createNotifier<PageProtocol>((message) => browser.runtime.sendMessage(message));
  // A failed report (extension reloading, background restarting) must never break the CRM page.
  const quietly = (p: Promise<unknown>) => void p.catch(() => undefined);
  const reporter = createLeadReporter(document, (event) =>
    quietly(event.kind === 'shown' ? send('page.leadShown', { ref: event.ref, dom: clipLeadDom(event.dom) }) : send('page.leadLeft', {})),
  );
  ctx.onInvalidated(reporter.stop);
  const host = startPanelHost(ctx, pages, {
    // The reporter forgets the old lead at once (reports `left`) unless it can report the new one at once.
    onLeadChange: (next) => (next ? reporter.shown(next.page, next.ref) : reporter.left()),
    onRestored: reporter.forget,
  });
  return host;
}

/**
 * Starts the content script once the page is shown and its main thread first idle.
 * - A prerendered page (speculation rules, the address bar's guess) is not the tab's page yet, and Chrome
 *   gives its messages a frame id other than 0 (w3c/webextensions#396): the background would refuse its lead
 *   report and the panel frame's token, and nothing would ask again after activation (ADR 0015). So such a
 *   page waits for `prerenderingchange`.
 * - Reading the lead, the background's answers and the panel page loading take a core from the CRM's own
 *   rendering on a small machine (issue 19, ADR 0014): they wait for the page's first idle moment
 *   (`whenPageIdle`, at most PAGE_IDLE_TIMEOUT_MS), when the record is also more likely to be on screen.
 */
export function startWhenShown(ctx: ContentScriptContext, pages: readonly CrmPage[], doc: Document = document, whenIdle: (run: () => void) => void = whenPageIdle): void {
  const start = () => whenIdle(() => void (ctx.isValid && startContentScript(ctx, pages)));
  if (!(doc as Document & { prerendering?: boolean }).prerendering) {
    start();
    return;
  }
  ctx.addEventListener(doc, 'prerenderingchange', start, { once: true });
}
