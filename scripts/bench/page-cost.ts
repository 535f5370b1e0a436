/**
 * Page cost, panel timing and memory figures for `npm run bench`, measured in real Chromium (Debian's,
 * through playwright-core) with the built store extension, on a heavy Salesforce-shaped lead page served
 * at its real URL. Nothing leaves the machine: every other request is aborted.
 *
 * Two browsers run side by side with the same flags, one with the extension and one without, and page
 * loads alternate between them so that drift (CPU heat, other work on the machine) hits both alike.
 */
import { rmSync } from 'node:fs';
import { launch, QUIET_MS, requireChromium, snapshotExtension, type Bench } from './page-cost-browser';
import { measureClicks } from './page-cost-clicks';
import { FIXTURE_NAME, heavyPageRenderer } from './page-cost-fixture';
import { measureLoads, type LoadSample } from './page-cost-loads';
import { measureNavigations, NAVIGATIONS, type Heap, type MemoryRun } from './page-cost-navigation';
import { fmtMs, median, percentile } from './page-cost-stats';

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** Lower is better; the ratio is value / target (≤ 1 meets it). */
  target?: number;
}

export interface PageCostOptions {
  /** Page loads per browser (with and without the extension), and at least this many clicks. Default 10. */
  runs?: number;
  log?: (s: string) => void;
}

const SECTION_COST = 'Page cost in Chromium (heavy Salesforce page)';
const SECTION_TIMING = 'Panel timing (Chromium, heavy Salesforce page)';
const SECTION_MEMORY = 'Memory (Chromium, heavy Salesforce page)';

function loadFigures(withSamples: LoadSample[], withoutSamples: LoadSample[]): Figure[] {
  const runs = withSamples.length;
  const scriptWith = median(withSamples.map((s) => s.scriptMs));
  const scriptWithout = median(withoutSamples.map((s) => s.scriptMs));
  const longest = (s: LoadSample) => Math.max(0, ...s.longTasks);
  const count = (s: LoadSample) => s.longTasks.filter((d) => d >= 50).length;
  // Long tasks carry no name of the script behind them, so "added" is counted: per load, with minus without.
  const extraLongTasks = Math.max(0, median(withSamples.map(count)) - median(withoutSamples.map(count)));
  return [
    { section: SECTION_COST, name: `CRM page script time with the extension (load → panel shown + ${QUIET_MS} ms), median of ${runs}`, value: scriptWith, unit: 'ms' },
    { section: SECTION_COST, name: `CRM page script time without the extension (same window), median of ${runs}`, value: scriptWithout, unit: 'ms' },
    { section: SECTION_COST, name: 'script time the extension adds to the page (content script; the panel runs in its own process)', value: scriptWith - scriptWithout, unit: 'ms', target: 10 },
    { section: SECTION_COST, name: 'longest long task per load with the extension, median', value: median(withSamples.map(longest)), unit: 'ms' },
    { section: SECTION_COST, name: 'longest long task per load without the extension, median', value: median(withoutSamples.map(longest)), unit: 'ms' },
    { section: SECTION_COST, name: 'long tasks ≥50 ms the extension adds per load (median count with − without)', value: extraLongTasks, unit: 'tasks', target: 0 },
    // The content script runs at document_idle, often before the load event: the panel iframe's own load then
    // holds back the CRM page's load event (which the CRM's scripts and its page-load metrics wait for).
    { section: SECTION_COST, name: 'CRM page load event (navigation start → load) with the extension, median', value: median(withSamples.map((s) => s.loadMs)), unit: 'ms' },
    { section: SECTION_COST, name: 'CRM page load event without the extension, median', value: median(withoutSamples.map((s) => s.loadMs)), unit: 'ms' },
    { section: SECTION_TIMING, name: `cold: page load event → panel shows the lead (score meter visible), median of ${runs} fresh tabs`, value: median(withSamples.map((s) => s.shownAfterLoadMs!)), unit: 'ms', target: 300 },
    { section: SECTION_TIMING, name: 'cold: navigation start → panel shows the lead, median', value: median(withSamples.map((s) => s.shownAfterStartMs!)), unit: 'ms' },
  ];
}

function clickFigures(samples: number[]): Figure[] {
  return [
    { section: SECTION_TIMING, name: `click a criterion (Budget: Confirmed/Partly) → checked and progress updated, painted, p75 of ${samples.length}`, value: percentile(samples, 75), unit: 'ms', target: 100 },
  ];
}

function navigationFigures(withRun: MemoryRun, withoutRun: MemoryRun): Figure[] {
  const n = withRun.spa.length;
  const growth = (run: MemoryRun, heap: keyof Heap) => run.pageAfterN[heap] - run.pageAfter1[heap];
  const figures: Figure[] = [
    { section: SECTION_TIMING, name: `SPA navigation to the next lead: record rendered → panel shows its name, median of ${n}`, value: median(withRun.spa.map((s) => s.fromRenderMs)), unit: 'ms', target: 100 },
    { section: SECTION_TIMING, name: 'SPA navigation to the next lead: pushState → panel shows its name, median', value: median(withRun.spa.map((s) => s.fromPushMs)), unit: 'ms' },
    { section: SECTION_TIMING, name: 'SPA navigation to the next lead: record swapped into the DOM → panel shows its name, median', value: median(withRun.spa.map((s) => s.fromSwapMs)), unit: 'ms' },
    { section: SECTION_TIMING, name: 'SPA navigation: the page\'s own frame after the swap (DOM swapped → frame produced), median', value: median(withRun.spa.map((s) => s.pageFrameMs)), unit: 'ms' },
    { section: SECTION_MEMORY, name: 'CRM page JS heap after 1 SPA navigation, with the extension', value: withRun.pageAfter1.js, unit: 'B' },
    { section: SECTION_MEMORY, name: `CRM page JS heap after ${NAVIGATIONS} SPA navigations, with the extension`, value: withRun.pageAfterN.js, unit: 'B' },
    { section: SECTION_MEMORY, name: `CRM page JS heap growth, 1 → ${NAVIGATIONS} navigations, with the extension`, value: growth(withRun, 'js'), unit: 'B', target: 1024 * 1024 },
    { section: SECTION_MEMORY, name: `CRM page JS heap growth, 1 → ${NAVIGATIONS} navigations, without the extension (the page's own)`, value: growth(withoutRun, 'js'), unit: 'B' },
    { section: SECTION_MEMORY, name: `CRM page DOM heap growth, 1 → ${NAVIGATIONS} navigations, with the extension`, value: growth(withRun, 'dom'), unit: 'B' },
    { section: SECTION_MEMORY, name: `CRM page DOM heap growth, 1 → ${NAVIGATIONS} navigations, without the extension`, value: growth(withoutRun, 'dom'), unit: 'B' },
  ];
  if (withRun.panelAfter1 !== undefined && withRun.panelAfterN !== undefined) {
    figures.push(
      { section: SECTION_MEMORY, name: 'panel process JS heap after 1 SPA navigation (a new panel document per lead)', value: withRun.panelAfter1.js, unit: 'B' },
      { section: SECTION_MEMORY, name: `panel process JS heap after ${NAVIGATIONS} SPA navigations`, value: withRun.panelAfterN.js, unit: 'B' },
    );
  }
  return figures;
}

export async function benchPageCost(options: PageCostOptions = {}): Promise<Figure[]> {
  const runs = Math.max(1, options.runs ?? 10);
  const log = options.log ?? (() => undefined);
  const executablePath = requireChromium();
  const render = heavyPageRenderer();
  const extensionDir = snapshotExtension();
  const benches: Bench[] = [];
  try {
    const withExt = await launch(executablePath, extensionDir, true, render(FIXTURE_NAME));
    benches.push(withExt);
    const without = await launch(executablePath, extensionDir, false, render(FIXTURE_NAME));
    benches.push(without);

    log(`page cost: ${runs} loads each, with and without the extension`);
    const { withSamples, withoutSamples } = await measureLoads(withExt, without, runs, log);
    log('interaction: clicks on a criterion');
    const clicks = await measureClicks(withExt, Math.max(10, runs), log);
    log(`SPA navigation and memory: ${NAVIGATIONS} navigations, with and without the extension`);
    const withRun = await measureNavigations(withExt, render);
    log(`  SPA render → panel (ms): ${fmtMs(withRun.spa.map((s) => s.fromRenderMs))}`);
    log(`  SPA page frame after the swap (ms): ${fmtMs(withRun.spa.map((s) => s.pageFrameMs))}`);
    const withoutRun = await measureNavigations(without, render);

    return [...loadFigures(withSamples, withoutSamples), ...clickFigures(clicks), ...navigationFigures(withRun, withoutRun)];
  } finally {
    for (const b of benches) await b.close();
    rmSync(extensionDir, { recursive: true, force: true });
  }
}
