/**
 * Tells the background which lead this tab shows and what the page says about it.
 *
 * CRMs change the URL first and render the new record a moment later, so right after a client-side
 * navigation the old record is still on screen (also after a detour through a list view, which may leave
 * the old record's view in the DOM). For a lead other than the one last reported, the reporter waits until
 * the view differs from what it last reported (title or record fields), and falls back to URL-only data
 * after a timeout rather than pairing the new id with the old record's fields.
 *
 * Until the new lead is reported the background must pair the tab with none, so a lead that cannot be read
 * at once is preceded by `left`. One that can (a page load, where the record is usually rendered by the time
 * the content script runs) is reported alone: one message, not two, on every CRM page load.
 */
import { leadKey } from '../crm/lead-key';
import type { CrmPage, LeadDomData } from '../crm/types';
import type { LeadRef } from '../domain/lead-ref';

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
  // One frame: long enough to coalesce a render's burst of mutations, short enough not to be seen.
  const settleMs = options.settleMs ?? 16;
  let cancel: (() => void) | undefined;
  /** The lead last reported with page data, and how the page looked then. */
  let last: { key: string; view: string } | undefined;
  /** Whether the last report was `left` (a second one would tell the background nothing new). */
  let hasLeft = false;

  function reportLeft() {
    if (hasLeft) return;
    hasLeft = true;
    report({ kind: 'left' });
  }

  function stop() {
    cancel?.();
    cancel = undefined;
  }

  /** The tab now shows `ref`: report it once the page shows it. */
  function shown(page: CrmPage, ref: LeadRef) {
    stop();
    const key = leadKey(ref);
    const before = last && last.key !== key ? last.view : undefined;
    let settleTimer: ReturnType<typeof setTimeout> | undefined;
    let done = false;

    const finish = (dom: LeadDomData) => {
      if (done) return;
      done = true;
      stop();
      if (Object.keys(dom).length > 0) last = { key, view: signature(doc, dom) };
      hasLeft = false;
      report({ kind: 'shown', ref, dom });
    };
    const tryRead = () => {
      const dom = page.readLead(doc, ref);
      if (dom && (before === undefined || signature(doc, dom) !== before)) finish(dom);
    };

    // Usually on screen already (a page load): then no observer or timer is set up at all.
    tryRead();
    if (done) return;
    // Not on screen yet: forget the old lead at once, rather than when the new one is read.
    reportLeft();
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
  }

  function left() {
    stop();
    reportLeft();
  }

  /**
   * The background forgot what this page reported (it came back from the back/forward cache, ADR 0015): the
   * next report is sent whatever was reported before, a `left` too.
   */
  function forget() {
    stop();
    last = undefined;
    hasLeft = false;
  }

  return { shown, left, stop, forget };
}
