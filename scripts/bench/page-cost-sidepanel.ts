/**
 * Page cost in side-panel mode (issue 19 part 3, ADR 0020): the heavy Salesforce-shaped lead page loaded
 * in three Chromiums side by side, with the same flags: the extension in its default mode (the panel
 * docked in the page), the extension in side-panel mode (the rep's choice: the content script reads and
 * reports the lead, nothing goes into the page; Chrome's side panel is open and shows the lead), and no
 * extension. Rounds alternate the three so drift hits each alike; every load is watched for the same
 * window (the docked panel's load → lead shown + QUIET_MS), and the page's ScriptDuration is read as in
 * page-cost-loads.ts (all script the CRM page's renderer ran: its own and our content script's).
 *
 * ScriptDuration is wall time of the page's script tasks: work in promise callbacks escapes it (the floor
 * rows of page-cost.ts found that). With `instrumentedDir` (an instrumented build of the same sources,
 * `node scripts/bench/instrumented-build.mjs <out>`), traced loads in both modes also give the content
 * script's CPU time with its callbacks (page-cost-steps.ts `stepsFromTrace`).
 *
 * Run alone after `npm run build`:
 *   npx vite-node scripts/bench/page-cost-sidepanel.run.ts [-- --runs 10] [--extension <built chrome-mv3 dir>]
 *     [--instrumented <out>/chrome-mv3] [--trace-runs 6]
 * To add its rows to `npm run bench`: call `benchSidePanelPageCost({ runs, extensionDir, log })` from
 * `benchPageCost` (page-cost.ts) and append the figures it returns (their own section).
 */
import { rmSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { launch, nodeNow, pollUntil, QUIET_MS, readTrace, requireChromium, sleep, snapshotExtension, startTrace, type Bench } from './page-cost-browser';
import { FIXTURE_NAME, heavyPageRenderer, LEAD_PATH, PROJECT_SCRIPT, SF_ORIGIN } from './page-cost-fixture';
import { clockOffset, panelShows, panelText, scoreMeter } from './page-cost-panel';
import { median, percentile } from './page-cost-stats';
import { stepsFromTrace, type TraceEvent } from './page-cost-steps';
import type { Figure } from './page-cost';

export const SIDE_PANEL_SECTION = 'Page cost in side-panel mode (Chromium, heavy Salesforce page; ADR 20)';
const RECORD_ID = LEAD_PATH.split('/')[4]!;

type Mode = 'page' | 'side_panel' | 'none';
interface Sample {
  scriptMs: number;
  longTasks: number[];
  loadMs: number;
  watchedMs: number;
  /** The page's load event → the panel shows the lead (the docked one, or the browser's side panel). */
  shownAfterLoadMs?: number;
  /** How many of our panel frames the page had at the end of the window. */
  frames: number;
}

const scriptDurationMs = async (cdp: CDPSession) => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000;

/** Evaluates in a target the browser lists but Playwright does not (the side panel): a session through the browser's. */
async function targetEvaluator(browser: CDPSession, targetId: string) {
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: false });
  let next = 0;
  const pending = new Map<number, (value: unknown) => void>();
  browser.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: { result?: { value?: unknown } } };
    if (m.id !== undefined) pending.get(m.id)?.(m.result?.result?.value);
    if (m.id !== undefined) pending.delete(m.id);
  });
  return (expression: string) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, resolve);
      browser.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }) }).catch(reject);
    });
}

/** Sets the mode as the options page does (extension storage), and in side-panel mode opens Chrome's side panel. */
async function prepare(bench: Bench, mode: 'page' | 'side_panel'): Promise<((expression: string) => Promise<unknown>) | undefined> {
  const worker = bench.context.serviceWorkers()[0]!;
  await worker.evaluate((placement) => (globalThis as unknown as { chrome: { storage: { local: { set(i: object): Promise<void> } } } }).chrome.storage.local.set({ 'panel.placement': placement }), mode);
  if (mode === 'page') return undefined;
  const id = new URL(worker.url()).host;
  const page = await bench.context.newPage();
  try {
    await page.goto(`chrome-extension://${id}/popup.html`);
    const cdp = await bench.context.newCDPSession(page);
    // The shortcut's call, with a user gesture (as a key press gives one).
    const { result } = await cdp.send('Runtime.evaluate', { expression: 'chrome.sidePanel.open({ windowId: chrome.windows.WINDOW_ID_CURRENT }).then(() => "opened", (e) => e.message)', userGesture: true, awaitPromise: true });
    if (result.value !== 'opened') throw new Error(`The side panel did not open: ${String(result.value)}`);
    await cdp.detach();
  } finally {
    await page.close();
  }
  const browserCdp = await bench.context.browser()!.newBrowserCDPSession();
  const url = `chrome-extension://${id}/sidepanel.html`;
  let targetId: string | undefined;
  await pollUntil(async () => Boolean((targetId = (await browserCdp.send('Target.getTargets')).targetInfos.find((t) => t.url === url)?.targetId)), 'the side panel page');
  return targetEvaluator(browserCdp, targetId!);
}

async function load(bench: Bench, mode: Mode, watchMs: number | undefined, sidePanel?: (expression: string) => Promise<unknown>, trace = false): Promise<Sample & { events?: TraceEvent[] }> {
  const page: Page = await bench.context.newPage();
  try {
    const cdp = await bench.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const baseline = await scriptDurationMs(cdp);
    if (trace) await startTrace(cdp);
    await page.goto(`${SF_ORIGIN}${LEAD_PATH}`, { waitUntil: 'load' });
    const loaded = nodeNow();
    let shownAt: number | undefined;
    if (mode === 'page') {
      shownAt = await pollUntil(panelShows(page, scoreMeter), 'the docked panel to show the lead', () => panelText(page));
    } else if (sidePanel) {
      // The side panel's document is in the extension's process: looking at it runs nothing in the page.
      const shows = `document.body.innerText.includes(${JSON.stringify(`Record ${RECORD_ID}`)}) && !!document.querySelector('[role="meter"]')`;
      shownAt = await pollUntil(async () => (await sidePanel(shows)) === true, 'the side panel to show the lead');
    }
    const rest = (watchMs ?? (shownAt ?? loaded) - loaded + QUIET_MS) - (nodeNow() - loaded);
    if (rest > 0) await sleep(rest);
    const watchedMs = nodeNow() - loaded;
    const scriptMs = Math.max(0, (await scriptDurationMs(cdp)) - baseline);
    const events = trace ? await readTrace(cdp) : undefined;
    // Read only after the metric: these evaluations are script in the page.
    const offset = await clockOffset(page);
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { origin: performance.timeOrigin, loadEventStart: nav.loadEventStart, longTasks: (window as unknown as { __benchLongTasks?: number[] }).__benchLongTasks ?? [] };
    });
    const frames = page.frames().filter((f) => f.url().startsWith('chrome-extension://')).length;
    await cdp.detach().catch(() => undefined);
    return {
      scriptMs,
      longTasks: timing.longTasks,
      loadMs: timing.loadEventStart,
      watchedMs,
      frames,
      ...(events ? { events } : {}),
      ...(shownAt !== undefined ? { shownAfterLoadMs: shownAt + offset - (timing.origin + timing.loadEventStart) } : {}),
    };
  } finally {
    await page.close().catch(() => undefined);
  }
}

export interface SidePanelBenchOptions {
  runs?: number;
  /** An instrumented build (scripts/bench/instrumented-build.mjs) for the traced CPU figures; none: skipped. */
  instrumentedDir?: string;
  /** Traced loads per mode (default 6). */
  traceRuns?: number;
  /** The built extension (default .output/chrome-mv3); a private copy is measured. */
  extensionDir?: string;
  log?: (s: string) => void;
}

export async function benchSidePanelPageCost(options: SidePanelBenchOptions = {}): Promise<Figure[]> {
  const runs = Math.max(1, options.runs ?? 10);
  const log = options.log ?? (() => undefined);
  const executablePath = requireChromium();
  const html = heavyPageRenderer()(FIXTURE_NAME);
  const extensionDir = snapshotExtension(options.extensionDir);
  const benches: Bench[] = [];
  try {
    const docked = await launch(executablePath, extensionDir, true, html);
    benches.push(docked);
    const side = await launch(executablePath, extensionDir, true, html);
    benches.push(side);
    const none = await launch(executablePath, extensionDir, false, html);
    benches.push(none);
    await prepare(docked, 'page');
    const sidePanel = await prepare(side, 'side_panel');
    const samples: Record<Mode, Sample[]> = { page: [], side_panel: [], none: [] };
    log(`side-panel mode: ${runs} rounds (docked panel, side panel, no extension; the order rotates)`);
    for (let i = 0; i < runs; i++) {
      // The docked panel's window first: the other two are watched as long.
      const d = await load(docked, 'page', undefined);
      const order: Mode[] = i % 2 === 0 ? ['side_panel', 'none'] : ['none', 'side_panel'];
      const round: Partial<Record<Mode, Sample>> = { page: d };
      for (const mode of order) round[mode] = await load(mode === 'none' ? none : side, mode, d.watchedMs, mode === 'side_panel' ? sidePanel : undefined);
      for (const mode of ['page', 'side_panel', 'none'] as const) samples[mode].push(round[mode]!);
      log(
        `  round ${i + 1}/${runs}: script docked ${d.scriptMs.toFixed(1)}, side panel ${round.side_panel!.scriptMs.toFixed(1)}, none ${round.none!.scriptMs.toFixed(1)} ms; ` +
          `shown after load: docked ${d.shownAfterLoadMs!.toFixed(0)}, side panel ${round.side_panel!.shownAfterLoadMs?.toFixed(0)} ms; panel frames in the page: ${round.side_panel!.frames}`,
      );
    }
    const traced = options.instrumentedDir ? await tracedCpu(executablePath, html, options.instrumentedDir, Math.max(1, options.traceRuns ?? 6), log) : undefined;
    const script = (m: Mode) => samples[m].map((s) => s.scriptMs);
    const long = (m: Mode) => samples[m].map((s) => s.longTasks.filter((d) => d >= 50).length);
    const paired = samples.side_panel.map((s, i) => s.scriptMs - samples.none[i]!.scriptMs);
    return [
      { section: SIDE_PANEL_SECTION, name: `page script time, no extension (watched as long as the docked panel's load → shown + ${QUIET_MS} ms), median of ${runs}`, value: median(script('none')), unit: 'ms' },
      { section: SIDE_PANEL_SECTION, name: 'page script time, panel docked in the page (the default), median', value: median(script('page')), unit: 'ms' },
      { section: SIDE_PANEL_SECTION, name: 'page script time, side-panel mode (content script reads and reports; nothing in the page), median', value: median(script('side_panel')), unit: 'ms' },
      { section: SIDE_PANEL_SECTION, name: 'script time the extension adds to the page in side-panel mode (median − median of no extension)', value: median(script('side_panel')) - median(script('none')), unit: 'ms', target: 10 },
      { section: SIDE_PANEL_SECTION, name: `… per round (side panel − no extension of the same round), median (p75 ${percentile(paired, 75).toFixed(1)})`, value: median(paired), unit: 'ms' },
      { section: SIDE_PANEL_SECTION, name: 'script time the docked panel adds (median − median of no extension), same rounds', value: median(script('page')) - median(script('none')), unit: 'ms' },
      { section: SIDE_PANEL_SECTION, name: 'long tasks ≥50 ms side-panel mode adds per load (median count, side panel − no extension)', value: Math.max(0, median(long('side_panel')) - median(long('none'))), unit: 'tasks', target: 0 },
      { section: SIDE_PANEL_SECTION, name: 'CRM page load event in side-panel mode, median (no extension: ' + median(samples.none.map((s) => s.loadMs)).toFixed(0) + ' ms)', value: median(samples.side_panel.map((s) => s.loadMs)), unit: 'ms' },
      { section: SIDE_PANEL_SECTION, name: 'cold: page load event → the side panel shows the lead, median', value: median(samples.side_panel.map((s) => s.shownAfterLoadMs ?? Number.NaN)), unit: 'ms', target: 300 },
      { section: SIDE_PANEL_SECTION, name: 'panel frames in the page in side-panel mode (max over loads)', value: Math.max(...samples.side_panel.map((s) => s.frames)), unit: 'frames', target: 0 },
      ...(traced
        ? [
            { section: SIDE_PANEL_SECTION, name: `content script CPU time, callbacks included (traced, instrumented build), panel docked, median of ${traced.page.length}`, value: median(traced.page), unit: 'ms' },
            { section: SIDE_PANEL_SECTION, name: `content script CPU time, callbacks included (traced), side-panel mode, median of ${traced.side_panel.length}`, value: median(traced.side_panel), unit: 'ms' },
          ]
        : []),
    ];
  } finally {
    for (const b of benches) await b.close();
    rmSync(extensionDir, { recursive: true, force: true });
  }
}

/** Traced loads of the instrumented build, docked and in side-panel mode alternating: CPU of our script, first run and later. */
async function tracedCpu(executablePath: string, html: string, instrumentedDir: string, runs: number, log: (s: string) => void): Promise<Record<'page' | 'side_panel', number[]>> {
  const copy = snapshotExtension(instrumentedDir);
  const benches: Bench[] = [];
  try {
    const docked = await launch(executablePath, copy, true, html);
    benches.push(docked);
    const side = await launch(executablePath, copy, true, html);
    benches.push(side);
    await prepare(docked, 'page');
    const sidePanel = await prepare(side, 'side_panel');
    const out = { page: [] as number[], side_panel: [] as number[] };
    log(`side-panel mode, traced: ${runs} loads per mode (instrumented build)`);
    for (let i = 0; i < runs; i++) {
      for (const mode of i % 2 === 0 ? (['page', 'side_panel'] as const) : (['side_panel', 'page'] as const)) {
        const { events = [] } = await load(mode === 'page' ? docked : side, mode, undefined, mode === 'side_panel' ? sidePanel : undefined, true);
        const steps = stepsFromTrace(events, PROJECT_SCRIPT);
        if (!steps) {
          log(`  traced ${mode} ${i + 1}: no run of ${PROJECT_SCRIPT} in the trace; skipped`);
          continue;
        }
        out[mode].push(steps.firstTotal.cpu + steps.laterTotal.cpu);
        log(`  traced ${mode} ${i + 1}: first run ${steps.firstTotal.cpu.toFixed(1)} ms CPU, later ${steps.laterTotal.cpu.toFixed(1)} ms CPU`);
      }
    }
    return out;
  } finally {
    for (const b of benches) await b.close();
    rmSync(copy, { recursive: true, force: true });
  }
}
