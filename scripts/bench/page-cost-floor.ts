/**
 * The project against the floor of its own design (issue 19). Three Chromiums with the same flags: no
 * extension, the floor (scripts/bench/floor-extension: a content script that only adds one empty
 * extension iframe, docked right), and the project. Loads rotate between them, on two ~25,000-cell
 * Salesforce pages (the list in the HTML; the list rendered by the page's script after its load event),
 * so drift on a shared machine hits all three alike. The project's excess is its script time minus the
 * floor's, per round (the two loads of a round are seconds apart), so the figure holds on a busy machine.
 *
 * Then the breakdown: traced loads of an instrumented build of the project (step markers,
 * scripts/bench/page-cost-instrument.mjs) and of the floor, cut into steps by page-cost-steps.ts.
 */
import { fileURLToPath } from 'node:url';
import type { CDPSession } from 'playwright-core';
import { nodeNow, pollUntil, readTrace, sleep, startTrace, type Bench } from './page-cost-browser';
import { floorPagePath, PROJECT_SCRIPT, SF_ORIGIN, type FloorPageKind } from './page-cost-fixture';
import { median } from './page-cost-stats';
import { findScriptRun, pageRenderAt, stepsFromTrace, type LoadSteps, type TraceEvent } from './page-cost-steps';

export const FLOOR_EXTENSION_DIR = fileURLToPath(new URL('./floor-extension', import.meta.url));
/** After the extension's frame is attached (and the page has loaded), how long the page is still watched. */
export const FLOOR_WATCH_MS = 1_500;
export const FLOOR_SCRIPT = '/content.js';

export type Variant = 'none' | 'floor' | 'project';
export const VARIANTS: readonly Variant[] = ['none', 'floor', 'project'];

export interface FloorLoad {
  /** The page's ScriptDuration over the window, ms (wall time of its script tasks, ours included). */
  scriptMs: number;
  longTasks: number[];
  /** Navigation start → load event. */
  loadMs: number;
  /** Load event (as Node saw `goto` resolve) → the extension's frame attached; negative: before load. */
  attachedAfterLoadMs?: number;
  /** How long after `goto` resolved the page was watched. */
  watchedMs: number;
}

/**
 * The page renderer's ScriptDuration so far, ms. (Its ThreadTime, the main thread's CPU time, would not mind
 * a busy machine, but it holds the parsing of the 1.9 MB page too: it swung by hundreds of ms between loads.)
 */
const scriptDurationMs = async (cdp: CDPSession) => {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0) * 1000;
};

/**
 * One load of `kind` in a fresh tab. With an extension: watched until its frame is attached and the page
 * has loaded, plus FLOOR_WATCH_MS. Without: for `watchMs` after load. Seeing the frame attach costs the
 * page nothing (Playwright learns it from CDP frame events, which every browser here has on).
 */
export async function loadFloorPage(bench: Bench, kind: FloorPageKind, watchMs: number, trace = false): Promise<FloorLoad & { events?: TraceEvent[] }> {
  const page = await bench.context.newPage();
  try {
    const cdp = await bench.context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const baseline = await scriptDurationMs(cdp);
    let attachedAt: number | undefined;
    page.on('frameattached', () => void (attachedAt ??= nodeNow()));
    if (trace) await startTrace(cdp);
    await page.goto(`${SF_ORIGIN}${floorPagePath(kind)}`, { waitUntil: 'load' });
    const loaded = nodeNow();
    if (bench.withExtension) {
      await pollUntil(async () => attachedAt !== undefined, 'the extension frame to attach');
      await sleep(Math.max(loaded, attachedAt!) + FLOOR_WATCH_MS - nodeNow());
    } else {
      await sleep(watchMs);
    }
    const watchedMs = nodeNow() - loaded;
    const scriptMs = Math.max(0, (await scriptDurationMs(cdp)) - baseline);
    const events = trace ? await readTrace(cdp) : undefined;
    // Read only after the metric: this evaluation is script in the page.
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { loadEventStart: nav.loadEventStart, longTasks: (window as unknown as { __benchLongTasks?: number[] }).__benchLongTasks ?? [] };
    });
    await cdp.detach().catch(() => undefined);
    return {
      scriptMs,
      longTasks: timing.longTasks,
      loadMs: timing.loadEventStart,
      attachedAfterLoadMs: attachedAt === undefined ? undefined : attachedAt - loaded,
      watchedMs,
      events,
    };
  } finally {
    await page.close().catch(() => undefined);
  }
}

export type FloorRuns = Record<FloorPageKind, Record<Variant, FloorLoad[]>>;

/**
 * `runs` rounds per page: each round loads the page once in each browser, in an order that rotates
 * from round to round. The browser without an extension watches as long as the extensions' loads did
 * (their median so far).
 */
export async function measureFloor(benches: Record<Variant, Bench>, kinds: readonly FloorPageKind[], runs: number, log: (s: string) => void): Promise<FloorRuns> {
  const out = {} as FloorRuns;
  for (const kind of kinds) {
    const loads: Record<Variant, FloorLoad[]> = { none: [], floor: [], project: [] };
    out[kind] = loads;
    const windows: number[] = [];
    for (let i = 0; i < runs; i++) {
      const order = VARIANTS.map((_, k) => VARIANTS[(i + k) % VARIANTS.length]!);
      const round: Partial<Record<Variant, FloorLoad>> = {};
      for (const v of order) {
        const watchMs = windows.length > 0 ? median(windows) : FLOOR_WATCH_MS + 100;
        const { events: _events, ...load } = await loadFloorPage(benches[v], kind, watchMs);
        if (v !== 'none') windows.push(load.watchedMs);
        round[v] = load;
        loads[v].push(load);
      }
      const r = round as Record<Variant, FloorLoad>;
      log(
        `  ${kind} ${i + 1}/${runs}: script none ${r.none.scriptMs.toFixed(1)}, floor ${r.floor.scriptMs.toFixed(1)}, project ${r.project.scriptMs.toFixed(1)} ms` +
          ` (excess ${(r.project.scriptMs - r.floor.scriptMs).toFixed(1)}); long tasks ≥50: ${VARIANTS.map((v) => r[v].longTasks.filter((d) => d >= 50).length).join('/')}`,
      );
    }
  }
  return out;
}

export interface TracedLoad {
  steps: LoadSteps;
  /** ScriptDuration of the traced load (tracing makes it larger than an untraced load's). */
  scriptMs: number;
  /** For the page that renders after load: did our first run come before the page's render? */
  beforeRender?: boolean;
  /** For that page: its render task (its longest script task), wall and CPU ms. */
  render?: { wall: number; cpu: number };
}

export type TracedRuns = Record<FloorPageKind, { floor: TracedLoad[]; project: TracedLoad[] }>;

/** `runs` traced loads of each page, alternating between the instrumented project and the floor. */
export async function traceSteps(project: Bench, floor: Bench, kinds: readonly FloorPageKind[], runs: number, log: (s: string) => void): Promise<TracedRuns> {
  const out = {} as TracedRuns;
  for (const kind of kinds) {
    const runsOf = { floor: [] as TracedLoad[], project: [] as TracedLoad[] };
    out[kind] = runsOf;
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (['project', 'floor'] as const) : (['floor', 'project'] as const);
      for (const v of order) {
        const load = await loadFloorPage(v === 'project' ? project : floor, kind, 0, true);
        const path = v === 'project' ? PROJECT_SCRIPT : FLOOR_SCRIPT;
        const steps = stepsFromTrace(load.events ?? [], path);
        if (!steps) {
          log(`  ${kind} traced ${v} ${i + 1}: no run of ${path} in the trace; skipped`);
          continue;
        }
        const run = findScriptRun(load.events ?? [], path)!;
        const render = kind === 'after-load' ? pageRenderAt(load.events ?? [], run, SF_ORIGIN) : undefined;
        runsOf[v].push({
          steps,
          scriptMs: load.scriptMs,
          beforeRender: render ? run.ts < render.ts : undefined,
          render: render ? { wall: render.dur! / 1000, cpu: (render.tdur ?? render.dur!) / 1000 } : undefined,
        });
        const top = Object.entries(steps.first)
          .sort((a, b) => b[1].cpu - a[1].cpu)
          .slice(0, 5)
          .map(([k, t]) => `${k} ${t.cpu.toFixed(2)}`)
          .join(', ');
        log(`  ${kind} traced ${v} ${i + 1}: first run ${steps.firstTotal.wall.toFixed(1)} ms wall, ${steps.firstTotal.cpu.toFixed(1)} ms CPU; later ${steps.laterTotal.wall.toFixed(1)} ms; CPU top: ${top}`);
      }
    }
  }
  return out;
}
