/**
 * Waiting for the CRM page's main thread to be idle (issue 19, ADR 0014). What the content script starts
 * on a page (reading the lead, the messages the background answers, the panel page loading in its own
 * process) runs on other threads too, and on a machine with few cores it takes one from the CRM's own
 * rendering: so it starts when the page first has nothing to do, at the latest after PAGE_IDLE_TIMEOUT_MS.
 */

/** The longest the content script waits for the page to be idle before it goes on anyway. */
export const PAGE_IDLE_TIMEOUT_MS = 1_500;

/** Runs `run` once the page's main thread is idle (or after `timeoutMs`); one timer where the browser has no idle callbacks. */
export function whenPageIdle(run: () => void, timeoutMs = PAGE_IDLE_TIMEOUT_MS): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => run(), { timeout: timeoutMs });
  else setTimeout(run, 0);
}
