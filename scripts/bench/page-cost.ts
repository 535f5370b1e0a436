/**
 * Page cost, panel timing and memory figures for `npm run bench`, measured in real Chromium (Debian's,
 * through playwright-core) with the built store extension, on a heavy Salesforce-shaped lead page served
 * at its real URL. Nothing leaves the machine: every other request is aborted.
 *
 * Two browsers run side by side with the same flags, one with the extension and one without, and page
 * loads alternate between them so that drift (CPU heat, other work on the machine) hits both alike.
 *
 * Against the floor (issue 19, page-cost-floor.ts): a third browser with the floor extension
 * (scripts/bench/floor-extension: one empty extension iframe, docked right), on two ~25,000-cell pages, and
 * the project's excess over it; then traced loads of an instrumented build cut the project's time on the
 * page's thread into steps (page-cost-steps.ts). ADR 14 has what the figures showed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, QUIET_MS, requireChromium, snapshotExtension, type Bench } from './page-cost-browser';
import { callKeyFigures, measureCallKeys, measureClicks } from './page-cost-clicks';
import { FIXTURE_NAME, FLOOR_CELLS, FLOOR_PAGE_KINDS, floorPagePath, floorPages, heavyPageRenderer, type FloorPageKind } from './page-cost-fixture';
import { FLOOR_EXTENSION_DIR, FLOOR_WATCH_MS, measureFloor, traceSteps, VARIANTS, type FloorRuns, type TracedLoad, type TracedRuns, type Variant } from './page-cost-floor';
import { measureLoads, type LoadSample } from './page-cost-loads';
import { measureNavigations, NAVIGATIONS, type Heap, type MemoryRun } from './page-cost-navigation';
import { fmtMs, median, percentile } from './page-cost-stats';
import { benchSidePanelPageCost } from './page-cost-sidepanel';
import { STEP_NAMES } from './page-cost-steps';
import { PAGE_COST_FLOOR_TARGETS } from './targets';

export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** Lower is better; the ratio is value / target (≤ 1 meets it). */
  target?: number;
}

/** The bench's parts: paired loads, clicks, SPA navigations and memory, the floor comparison, the steps, the side panel mode. */
export type PageCostPart = 'loads' | 'clicks' | 'navigation' | 'floor' | 'steps' | 'sidepanel';
export const PAGE_COST_PARTS: readonly PageCostPart[] = ['loads', 'clicks', 'navigation', 'floor', 'steps', 'sidepanel'];

export interface PageCostOptions {
  /** Page loads per browser (with and without the extension), and at least this many clicks. Default 10. */
  runs?: number;
  /** Rounds of the floor comparison per page (one load in each of the three browsers). Default 12. */
  floorRuns?: number;
  /** Traced loads per page for the step breakdown, of the project and of the floor each. Default 8. */
  traceRuns?: number;
  /** Which parts to run (default all). */
  parts?: readonly PageCostPart[];
  /** The built extension to measure (default .output/chrome-mv3); a private copy is measured. */
  extensionDir?: string;
  /** An instrumented build of the same sources (scripts/bench/instrumented-build.mjs); built when absent. */
  instrumentedDir?: string;
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

const SECTION_FLOOR = `Page cost against the floor (Chromium, Salesforce lead page with ${FLOOR_CELLS.toLocaleString('en-US')} table cells)`;
const SECTION_STEPS = 'Where the content script\'s time goes (traced loads of an instrumented build, median per step)';
const KIND_LABEL: Record<FloorPageKind, string> = { static: 'list in the HTML', 'after-load': 'list rendered by the page after load' };
const p75 = (xs: readonly number[]) => percentile(xs, 75);
const ms = (x: number) => x.toFixed(1);

function floorFigures(runs: FloorRuns): Figure[] {
  const out: Figure[] = [];
  for (const kind of Object.keys(runs) as FloorPageKind[]) {
    const loads = runs[kind];
    const label = KIND_LABEL[kind];
    const script = (v: Variant) => loads[v].map((l) => l.scriptMs);
    const long = (v: Variant) => loads[v].map((l) => l.longTasks.filter((d) => d >= 50).length);
    // Per round: the project's load against the floor's of the same round.
    const excess = loads.project.map((l, i) => l.scriptMs - loads.floor[i]!.scriptMs);
    const n = loads.project.length;
    out.push(
      ...VARIANTS.map((v) => ({
        section: SECTION_FLOOR,
        name: `${label}: page script time, ${v === 'none' ? 'no extension' : v === 'floor' ? 'the floor (one empty extension iframe)' : 'this project'} (load → frame attached + ${FLOOR_WATCH_MS / 1000} s), median of ${n} (p75 ${ms(p75(script(v)))})`,
        value: median(script(v)),
        unit: 'ms',
      })),
      { section: SECTION_FLOOR, name: `${label}: the floor adds (median − median of no extension)`, value: median(script('floor')) - median(script('none')), unit: 'ms' },
      { section: SECTION_FLOOR, name: `${label}: this project adds (median − median of no extension)`, value: median(script('project')) - median(script('none')), unit: 'ms' },
      { section: SECTION_FLOOR, name: `${label}: the project's excess over the floor, median of ${n} per-round differences`, value: median(excess), unit: 'ms', target: PAGE_COST_FLOOR_TARGETS.excessOverFloorMs },
      { section: SECTION_FLOOR, name: `${label}: the project's excess over the floor, p75 of the per-round differences`, value: p75(excess), unit: 'ms' },
      {
        section: SECTION_FLOOR,
        name: `${label}: long tasks ≥50 ms the project adds per load (median count, project − no extension; the floor: ${Math.max(0, median(long('floor')) - median(long('none')))})`,
        value: Math.max(0, median(long('project')) - median(long('none'))),
        unit: 'tasks',
        target: PAGE_COST_FLOOR_TARGETS.addedLongTasks,
      },
    );
  }
  return out;
}

/** Median of a step over loads; a load without the step counts 0. */
function stepMedian(loads: readonly TracedLoad[], phase: 'first' | 'later', step: string, clock: 'wall' | 'cpu') {
  return median(loads.map((l) => l.steps[phase][step]?.[clock] ?? 0));
}

function stepOrder(loads: readonly TracedLoad[], phase: 'first' | 'later'): string[] {
  const seen = new Set(loads.flatMap((l) => Object.keys(l.steps[phase])));
  return [...Object.keys(STEP_NAMES).filter((k) => seen.has(k)), ...[...seen].filter((k) => !(k in STEP_NAMES))];
}

function stepFigures(traced: TracedRuns): Figure[] {
  const out: Figure[] = [];
  for (const kind of Object.keys(traced) as FloorPageKind[]) {
    const { project, floor } = traced[kind];
    if (project.length === 0) continue;
    const label = KIND_LABEL[kind];
    const total = (loads: readonly TracedLoad[], phase: 'firstTotal' | 'laterTotal', clock: 'wall' | 'cpu') => median(loads.map((l) => l.steps[phase][clock]));
    const cpuOf = (l: TracedLoad, withoutDevtools: boolean) =>
      l.steps.firstTotal.cpu + l.steps.laterTotal.cpu - (withoutDevtools ? (l.steps.first.devtools?.cpu ?? 0) + (l.steps.later.devtools?.cpu ?? 0) : 0);
    const cpuExcess = (withoutDevtools: boolean) =>
      project.flatMap((l, i) => (floor[i] ? [cpuOf(l, withoutDevtools) - cpuOf(floor[i]!, withoutDevtools)] : []));
    out.push(
      {
        section: SECTION_STEPS,
        name: `${label}: our first run (the content script's evaluation), wall, median of ${project.length} traced loads (CPU ${ms(total(project, 'firstTotal', 'cpu'))} ms; the floor's: wall ${ms(total(floor, 'firstTotal', 'wall'))}, CPU ${ms(total(floor, 'firstTotal', 'cpu'))} ms)`,
        value: total(project, 'firstTotal', 'wall'),
        unit: 'ms',
      },
      {
        section: SECTION_STEPS,
        name: `${label}: our later work (callbacks, answers, observers), wall (CPU ${ms(total(project, 'laterTotal', 'cpu'))} ms)`,
        value: total(project, 'laterTotal', 'wall'),
        unit: 'ms',
      },
      {
        // CPU time of our own script, paired by round: what a busy machine's preemption adds is not in it.
        section: SECTION_STEPS,
        // The same target as the untraced excess: that one is wall time of script tasks only, so work moved
        // into promise callbacks (microtasks) escapes it; this one counts every stretch of our script.
        name: `${label}: CPU time of the content script (first run and later, callbacks included), project − floor, median of per-round differences (p75 ${ms(p75(cpuExcess(false)))}); without the DevTools-only source positions: ${ms(median(cpuExcess(true)))} ms`,
        value: median(cpuExcess(false)),
        unit: 'ms',
        target: PAGE_COST_FLOOR_TARGETS.excessOverFloorMs,
      },
      {
        section: SECTION_STEPS,
        name: `${label}: traced page script time, project − floor, median of per-round differences (tracing inflates it)`,
        value: median(project.map((l, i) => l.scriptMs - (floor[i]?.scriptMs ?? Number.NaN)).filter((x) => Number.isFinite(x))),
        unit: 'ms',
      },
    );
    const lazy = (step: string) => median(project.map((l) => l.steps.lazyCompileIn[step]?.cpu ?? 0));
    for (const step of stepOrder(project, 'first')) {
      const inFloor = floor.some((l) => l.steps.first[step] !== undefined);
      const floorNote = inFloor ? `; the floor: ${ms(stepMedian(floor, 'first', step, 'wall'))} wall, ${ms(stepMedian(floor, 'first', step, 'cpu'))} CPU` : '';
      const lazyNote = lazy(step) >= 0.05 ? `, of it lazy compile ${lazy(step).toFixed(2)}` : '';
      out.push({
        section: SECTION_STEPS,
        name: `${label}, first run: ${STEP_NAMES[step] ?? step}, wall (CPU ${stepMedian(project, 'first', step, 'cpu').toFixed(2)} ms${lazyNote}${floorNote})`,
        value: stepMedian(project, 'first', step, 'wall'),
        unit: 'ms',
      });
    }
    out.push({
      section: SECTION_STEPS,
      name: `${label}: the step markers' own cost, taken out of the steps above (${median(project.map((l) => l.steps.markers))} markers of ≈${(median(project.map((l) => l.steps.markerCost.wall)) * 1000).toFixed(0)} µs), wall`,
      value: median(project.map((l) => l.steps.markersRemoved.wall)),
      unit: 'ms',
    });
    for (const step of stepOrder(project, 'later')) {
      out.push({
        section: SECTION_STEPS,
        name: `${label}, later: ${STEP_NAMES[step] ?? step}, wall (CPU ${stepMedian(project, 'later', step, 'cpu').toFixed(2)} ms)`,
        value: stepMedian(project, 'later', step, 'wall'),
        unit: 'ms',
      });
    }
    const before = project.filter((l) => l.beforeRender !== undefined);
    if (before.length > 0) {
      out.push({ section: SECTION_STEPS, name: `${label}: loads where our first run came before the page's render`, value: before.filter((l) => l.beforeRender).length, unit: `of ${before.length}` });
    }
    // Whether the page's own work gets slower beside us (not only our script): its render task, ours vs the floor's loads.
    const renders = (loads: readonly TracedLoad[]) => loads.flatMap((l) => (l.render ? [l.render] : []));
    const [withUs, withFloor] = [renders(project), renders(floor)];
    if (withUs.length > 0 && withFloor.length > 0) {
      const of = (list: readonly { wall: number; cpu: number }[], clock: 'wall' | 'cpu') => median(list.map((r) => r[clock]));
      out.push({
        section: SECTION_STEPS,
        name: `${label}: the page's own render task, wall, median with this project − with the floor (${ms(of(withUs, 'wall'))} vs ${ms(of(withFloor, 'wall'))} ms; CPU ${ms(of(withUs, 'cpu'))} vs ${ms(of(withFloor, 'cpu'))})`,
        value: of(withUs, 'wall') - of(withFloor, 'wall'),
        unit: 'ms',
      });
    }
  }
  return out;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the instrumented extension into a temporary folder (≈20 s); returns its chrome-mv3 folder. */
function buildInstrumented(log: (s: string) => void): { dir: string; cleanup: () => void } {
  const outDir = mkdtempSync(join(tmpdir(), 'lead-qualifier-bench-instrumented-'));
  log('building the instrumented content script (scripts/bench/instrumented-build.mjs)');
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'instrumented-build.mjs'), outDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = join(outDir, 'chrome-mv3');
  if (result.status !== 0 || !existsSync(dir)) {
    rmSync(outDir, { recursive: true, force: true });
    throw new Error(`The instrumented build failed (exit ${result.status}).`);
  }
  return { dir, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}

export async function benchPageCost(options: PageCostOptions = {}): Promise<Figure[]> {
  const runs = Math.max(1, options.runs ?? 10);
  const floorRuns = Math.max(1, options.floorRuns ?? 12);
  const traceRuns = Math.max(1, options.traceRuns ?? 8);
  const parts = new Set(options.parts ?? PAGE_COST_PARTS);
  const log = options.log ?? (() => undefined);
  const executablePath = requireChromium();
  const render = heavyPageRenderer();
  const extensionDir = snapshotExtension(options.extensionDir);
  const benches: Bench[] = [];
  const cleanups: (() => void)[] = [() => rmSync(extensionDir, { recursive: true, force: true })];
  const figures: Figure[] = [];
  try {
    if (parts.has('loads') || parts.has('clicks') || parts.has('navigation')) {
      const withExt = await launch(executablePath, extensionDir, true, render(FIXTURE_NAME));
      benches.push(withExt);
      const without = await launch(executablePath, extensionDir, false, render(FIXTURE_NAME));
      benches.push(without);

      if (parts.has('loads')) {
        log(`page cost: ${runs} loads each, with and without the extension`);
        const { withSamples, withoutSamples } = await measureLoads(withExt, without, runs, log);
        figures.push(...loadFigures(withSamples, withoutSamples));
      }
      if (parts.has('clicks')) {
        log('interaction: clicks on a criterion');
        figures.push(...clickFigures(await measureClicks(withExt, Math.max(10, runs), log)));
        log('interaction: call mode keys (a #tagged note line, a criterion state key)');
        figures.push(...callKeyFigures(await measureCallKeys(withExt, Math.max(10, runs), log), SECTION_TIMING));
      }
      if (parts.has('navigation')) {
        log(`SPA navigation and memory: ${NAVIGATIONS} navigations, with and without the extension`);
        const withRun = await measureNavigations(withExt, render);
        log(`  SPA render → panel (ms): ${fmtMs(withRun.spa.map((s) => s.fromRenderMs))}`);
        log(`  SPA page frame after the swap (ms): ${fmtMs(withRun.spa.map((s) => s.pageFrameMs))}`);
        const withoutRun = await measureNavigations(without, render);
        figures.push(...navigationFigures(withRun, withoutRun));
      }
      for (const b of benches.splice(0)) await b.close();
    }

    if (parts.has('floor') || parts.has('steps')) {
      const pages = floorPages();
      const serve = (pathAndQuery: string) => (pathAndQuery.startsWith(floorPagePath('after-load')) ? pages['after-load'] : pages.static);
      const floor = await launch(executablePath, FLOOR_EXTENSION_DIR, true, serve, { serviceWorker: false });
      benches.push(floor);
      if (parts.has('floor')) {
        const none = await launch(executablePath, extensionDir, false, serve);
        benches.push(none);
        const project = await launch(executablePath, extensionDir, true, serve);
        benches.push(project);
        log(`against the floor: ${floorRuns} rounds per page (no extension, the floor, the project; the order rotates)`);
        figures.push(...floorFigures(await measureFloor({ none, floor, project }, FLOOR_PAGE_KINDS, floorRuns, log)));
        await none.close();
        await project.close();
      }
      if (parts.has('steps')) {
        let instrumented = options.instrumentedDir;
        if (!instrumented) {
          const built = buildInstrumented(log);
          cleanups.push(built.cleanup);
          instrumented = built.dir;
        }
        const copy = snapshotExtension(instrumented);
        cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
        const traced = await launch(executablePath, copy, true, serve);
        benches.push(traced);
        log(`steps: ${traceRuns} traced loads per page, the instrumented project and the floor alternating`);
        figures.push(...stepFigures(await traceSteps(traced, floor, FLOOR_PAGE_KINDS, traceRuns, log)));
      }
    }

    if (parts.has('sidepanel')) {
      log(`the browser's side panel mode: ${runs} rounds (no extension, docked, side panel)`);
      figures.push(...(await benchSidePanelPageCost({ runs, extensionDir, log })));
    }
    return figures;
  } finally {
    for (const b of benches) await b.close();
    for (const c of cleanups) c();
  }
}
