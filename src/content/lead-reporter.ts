/**
 * Tells the background which lead this tab shows and what the page says about it.
 *
 * CRMs change the URL first and render the new record a moment later, so right after a client-side
 * navigation the old record is still on screen. The reporter reads only once the view has changed since
 * the navigation (title or record fields differ), or once the record's own view is recognisable, and
 * falls back to URL-only data after a timeout rather than pairing the new id with the old record's fields.
 */
import type { CrmPage, LeadDomData, LeadRef } from '../crm/types';

export interface LeadReporterOptions {
  /** How long to wait for the record to render before reporting it without page data. */
  timeoutMs?: number;
  /** Coalesces bursts of DOM mutations into one read. */
  settleMs?: number;
}

export type ReportLead = (event: { kind: 'shown'; ref: LeadRef; dom: LeadDomData } | { kind: 'left' }) => void;

const signature = (doc: Document, dom: LeadDomData | null) => `${doc.title}\u0000${JSON.stringify(dom ?? {})}`;

export function createLeadReporter(doc: Document, report: ReportLead, options: LeadReporterOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const settleMs = options.settleMs ?? 50;
  let cancel: (() => void) | undefined;

  function stop() {
    cancel?.();
    cancel = undefined;
  }

  /**
   * The tab now shows `ref`. `previous` is the lead shown before a client-side navigation (null on a full
   * page load): while the page still looks as it did for `previous`, we wait.
   */
  function shown(page: CrmPage, ref: LeadRef, previous: { page: CrmPage; ref: LeadRef } | null) {
    stop();
    const before = previous ? signature(doc, previous.page.readLead(doc, previous.ref)) : undefined;
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    let done = false;

    const finish = (dom: LeadDomData) => {
      if (done) return;
      done = true;
      stop();
      report({ kind: 'shown', ref, dom });
    };
    const tryRead = () => {
      const dom = page.readLead(doc, ref);
      if (dom && (before === undefined || signature(doc, dom) !== before)) finish(dom);
    };

    const observer = new MutationObserver(() => {
      clearTimeout(settleTimer);
      settleTimer = setTimeout(tryRead, settleMs);
    });
    observer.observe(doc, { childList: true, subtree: true, characterData: true });
    const timeout = setTimeout(() => finish({}), timeoutMs);
    cancel = () => {
      observer.disconnect();
      clearTimeout(settleTimer);
      clearTimeout(timeout);
    };
    tryRead();
  }

  function left() {
    stop();
    report({ kind: 'left' });
  }

  return { shown, left, stop };
}
