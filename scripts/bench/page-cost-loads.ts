/** Page cost and cold panel timing: paired loads of the heavy page, with and without the extension. */
import type { CDPSession } from 'playwright-core';
import { nodeNow, pollUntil, QUIET_MS, sleep, type Bench } from './page-cost-browser';
import { LEAD_PATH, SF_ORIGIN } from './page-cost-fixture';
import { clockOffset, panelShows, panelText, scoreMeter } from './page-cost-panel';
import { fmtMs } from './page-cost-stats';

export interface LoadSample {
  /** The CRM page's ScriptDuration over the watched window, ms. */
  scriptMs: number;
  longTasks: number[];
  /** Page load event → panel shows the lead (with the extension). */
  shownAfterLoadMs?: number;
  /** Navigation start → panel shows the lead (with the extension). */
  shownAfterStartMs?: number;
  /** How long after `goto` resolved the page was watched; the run without the extension watches as long. */
  watchedMs: number;
  /** Navigation start → the page's load event. */
  loadMs: number;
}

const scriptDurationMs = async (cdp: CDPSession) => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000;
};

/**
 * Loads the heavy lead page in a fresh tab and reads the page target's ScriptDuration (CDP
 * Performance.getMetrics): all script the CRM page's renderer ran for this page, its own and the content
 * script's (an isolated world in the same renderer). The panel iframe is a chrome-extension:// frame in
 * the extension's process, so its React rendering is NOT in this figure: the page pays for the content
 * script only, which is what a CRM page's own responsiveness feels.
 *
 * With the extension: watched until the panel shows the lead plus QUIET_MS. Without: watched for
 * `watchMs` (the paired run's window), so both windows hold the same stretch of the page's life.
 */
async function loadHeavyPage(bench: Bench, watchMs?: number): Promise<LoadSample> {
  const page = await bench.context.newPage();
  try {
    const cdp = await bench.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // The counter may carry the blank tab's script (none) or restart in a new renderer: subtract a baseline.
    const baseline = await scriptDurationMs(cdp);
    await page.goto(`${SF_ORIGIN}${LEAD_PATH}`, { waitUntil: 'load' });
    const loaded = nodeNow();
    let shownAt: number | undefined;
    if (bench.withExtension) {
      shownAt = await pollUntil(panelShows(page, scoreMeter), 'the panel to show the lead score', () => panelText(page));
      await sleep(QUIET_MS);
    } else {
      await sleep(watchMs ?? QUIET_MS);
    }
    const watchedMs = nodeNow() - loaded;
    const scriptMs = Math.max(0, (await scriptDurationMs(cdp)) - baseline);

    // Read only after the metric: these evaluations are script in the page, and would count in it.
    const offset = await clockOffset(page);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const w = window as unknown as { __benchLongTasks?: number[] };
      return { origin: performance.timeOrigin, loadEventStart: nav.loadEventStart, longTasks: w.__benchLongTasks ?? [] };
    });
    const sample: LoadSample = { scriptMs, longTasks: timing.longTasks, watchedMs, loadMs: timing.loadEventStart };
    if (shownAt !== undefined) {
      const shownBrowserEpoch = shownAt + offset;
      sample.shownAfterLoadMs = shownBrowserEpoch - (timing.origin + timing.loadEventStart);
      sample.shownAfterStartMs = shownBrowserEpoch - timing.origin;
    }
    await cdp.detach().catch(() => undefined);
    return sample;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * `runs` paired loads: with the extension, then without for the same window. Timing of "panel shown":
 * Playwright looks at the panel every POLL_MS and each look takes a round trip, so the moment seen is
 * late by up to POLL_MS + one round trip (≈ 5–10 ms) and never early. It is taken on Node's clock and
 * moved to the page's clock (clockOffset) to subtract the page's load event (timeOrigin + loadEventStart).
 * "Visible" is Playwright's check (laid out, non-empty box, not hidden), i.e. rendered, ~1 frame before paint.
 */
export async function measureLoads(withExt: Bench, without: Bench, runs: number, log: (s: string) => void) {
  const withSamples: LoadSample[] = [];
  const withoutSamples: LoadSample[] = [];
  for (let i = 0; i < runs; i++) {
    const w = await loadHeavyPage(withExt);
    const wo = await loadHeavyPage(without, w.watchedMs);
    withSamples.push(w);
    withoutSamples.push(wo);
    log(
      `  load ${i + 1}/${runs}: script ${w.scriptMs.toFixed(1)} vs ${wo.scriptMs.toFixed(1)} ms; load event ${w.loadMs.toFixed(0)} vs ${wo.loadMs.toFixed(0)} ms; ` +
        `panel ${w.shownAfterLoadMs!.toFixed(0)} ms after load; ` +
        `long tasks [${fmtMs(w.longTasks)}] vs [${fmtMs(wo.longTasks)}]`,
    );
  }
  return { withSamples, withoutSamples };
}
