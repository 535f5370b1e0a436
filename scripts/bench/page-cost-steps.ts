/**
 * Where the content script's time on the CRM page goes (issue 19): a DevTools trace of one page load,
 * cut into steps. Pure functions over trace events, so they are unit-tested on hand-made traces
 * (test/bench/page-cost-steps.test.ts).
 *
 * The steps come from markers in an instrumented build (scripts/bench/page-cost-instrument.mjs): each
 * marked function writes `console.timeStamp("lq>step")` on entry and `"lq<step"` on exit, which the trace
 * records on the page's main thread with its wall clock (`ts`) and the thread's CPU clock (`tts`). The
 * main thread's timeline is swept once: every stretch while our script runs goes to the innermost open
 * step, except that V8/Blink garbage collection inside it goes to `gc`, and style recalculation or layout
 * inside it (forced: our script is on the stack, so it was forced by a read or a write of ours) to
 * `layout`, and compiling our script to `compile`. Stretches of the first run (the content script's
 * evaluation) inside no step are `toplevel`: the bundle's module code, ours and WXT's, before main.
 * Without markers (the floor's script) the first run is `toplevel`, plus compile, gc and layout.
 *
 * Wall time is what the page waits for (and what CDP's ScriptDuration adds up); CPU time is the part the
 * thread ran. On a shared 2-core machine they differ by the time the OS gave the CPU to someone else.
 */

export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  pid: number;
  tid: number;
  dur?: number;
  tts?: number;
  tdur?: number;
  cat?: string;
  args?: { data?: { url?: string; message?: string; [k: string]: unknown }; [k: string]: unknown };
}

/** Wall and CPU milliseconds. */
export interface Times {
  wall: number;
  cpu: number;
}

export interface LoadSteps {
  /** The content script's first run (its evaluation), per step. */
  first: Record<string, Times>;
  /** Everything after: its callbacks, timers, observers, per step. */
  later: Record<string, Times>;
  firstTotal: Times;
  laterTotal: Times;
  /** Forced style/layout and GC inside our script, by the step they landed in (carved out of it). */
  layoutIn: Record<string, Times>;
  gcIn: Record<string, Times>;
  devtoolsIn: Record<string, Times>;
  /** V8's lazy compilation of functions on their first call, by step (part of the step's time). */
  lazyCompileIn: Record<string, Times>;
  /** How many markers the trace holds. */
  markers: number;
  /** What one marker costs in this load (the `calibrate` step: nothing between two markers). */
  markerCost: Times;
  /** The markers' own cost, taken out of the steps that wrote them. */
  markersRemoved: Times;
  /** Start of the first run on the trace clock (µs), to order it against the page's own work. */
  firstRunAt: number;
}

/** Steps in report order, and what each one is. */
export const STEP_NAMES: Record<string, string> = {
  compile: 'compiling the content script',
  toplevel: 'module evaluation: the bundle\'s top-level code (ours and WXT\'s) and WXT\'s entry',
  api: 'extension API bindings: the first touch of chrome.runtime (WXT\'s browser shim)',
  wxt: 'content-script context (our own since issue 19 cut 2; WXT\'s runtime before): invalidation, location watcher',
  glue: 'our start-up glue (main, startContentScript, startPanelHost, update, mount)',
  detect: 'detectLeadPageIn: the URL',
  read: 'readLead: reading the page (querySelectorAll, text)',
  visible: 'readLead: checkVisibility()',
  report: 'lead reporter (signature, clip)',
  message: 'messaging: runtime.sendMessage (page.leadShown)',
  token: 'frame token: page.panelFrame request and its answer',
  storage: 'storage: the rep\'s panel settings (onChanged listener, local.get and its answer)',
  frame: 'panel wrapper and iframe elements (create, style)',
  button: 'fold button (create, style, listener; applyCollapsed)',
  insert: 'iframe insertion (src, append: the frame is created)',
  watch: 'keepAttached (MutationObserver)',
  layout: 'style/layout forced inside our script',
  gc: 'garbage collection inside our script',
  devtools: 'source positions for DevTools\' stack captures (only while DevTools is attached, as in this bench)',
};

const GC_EVENT = /^(?:MinorGC|MajorGC|V8\.GC|V8\.Scavenge|BlinkGC\.|CppGC\.|GCEvent)/;
/** V8's lazy compilation (category disabled-by-default-v8.compile); inside v8.compile it is the script's own. */
const LAZY_COMPILE_EVENT = /^V8\.(?:CompileCode|CompileLazy|ParseFunction|PreParse|CompileIgnition|CompileIgnitionFinalization|CompileFinalization)$/;
/** Source positions V8 collects when a JS stack is captured for DevTools (Page.frameAttached's stack). */
const DEVTOOLS_EVENT = 'V8.CollectSourcePositions';
const LAYOUT_EVENT = new Set(['Layout', 'UpdateLayoutTree']);
const MARKER = /^lq([<>])([a-z]+)$/;

const zero = (): Times => ({ wall: 0, cpu: 0 });
function add(to: Record<string, Times>, step: string, wall: number, cpu: number) {
  const t = (to[step] ??= zero());
  t.wall += wall;
  t.cpu += cpu;
}

/** The main thread that evaluated the script whose URL ends with `scriptPath`, and that evaluation. */
export function findScriptRun(events: readonly TraceEvent[], scriptPath: string): TraceEvent | undefined {
  return events.find((e) => e.name === 'EvaluateScript' && e.ph === 'X' && typeof e.args?.data?.url === 'string' && e.args.data.url.endsWith(scriptPath));
}

interface Point {
  ts: number;
  tts?: number;
  order: number;
  apply: () => void;
}

/**
 * Sweeps one page load's trace. `scriptPath` names our content script (`/content-scripts/salesforce.js`, or the
 * floor's `/content.js`). Returns undefined when the trace holds no run of it.
 */
export function stepsFromTrace(events: readonly TraceEvent[], scriptPath: string): LoadSteps | undefined {
  const run = findScriptRun(events, scriptPath);
  if (!run || run.dur === undefined) return undefined;
  const thread = events.filter((e) => e.pid === run.pid && e.tid === run.tid);
  const points: Point[] = [];
  const state = { inFirst: 0, compile: 0, gc: 0, layout: 0, lazy: 0, devtools: 0, stack: [] as string[] };
  let markers = 0;
  const stampsOf: Record<string, number> = {};
  const span = (e: TraceEvent, counter: 'inFirst' | 'compile' | 'gc' | 'layout' | 'lazy' | 'devtools', order: number) => {
    if (e.dur === undefined) return;
    const endTts = e.tts !== undefined && e.tdur !== undefined ? e.tts + e.tdur : undefined;
    points.push({ ts: e.ts, tts: e.tts, order, apply: () => void (state[counter] += 1) });
    points.push({ ts: e.ts + e.dur, tts: endTts, order: -order, apply: () => void (state[counter] -= 1) });
  };
  span(run, 'inFirst', 1);
  thread.forEach((e, i) => {
    if (e.ph !== 'X' && e.ph !== 'I' && e.ph !== 'i' && e.ph !== 'R' && e.ph !== 'n') return;
    if (e.ph === 'X' && e.name === 'v8.compile' && typeof e.args?.data?.url === 'string' && e.args.data.url.endsWith(scriptPath)) span(e, 'compile', 2);
    else if (e.ph === 'X' && GC_EVENT.test(e.name)) span(e, 'gc', 3);
    else if (e.ph === 'X' && LAYOUT_EVENT.has(e.name)) span(e, 'layout', 4);
    else if (e.ph === 'X' && e.name === DEVTOOLS_EVENT) span(e, 'devtools', 5);
    else if (e.ph === 'X' && LAZY_COMPILE_EVENT.test(e.name)) span(e, 'lazy', 6);
    else if (e.name === 'TimeStamp') {
      const m = MARKER.exec(String(e.args?.data?.message ?? ''));
      if (!m) return;
      markers += 1;
      const [, dir, step] = m as unknown as [string, '<' | '>', string];
      stampsOf[step] = (stampsOf[step] ?? 0) + 1;
      // Markers keep their trace order at one timestamp (an enter right after an exit).
      points.push({
        ts: e.ts,
        tts: e.tts,
        order: 10 + i / 1e6,
        apply: () => {
          if (dir === '>') state.stack.push(step);
          else {
            const at = state.stack.lastIndexOf(step);
            if (at >= 0) state.stack.length = at;
          }
        },
      });
    }
  });
  // Ends before starts at one time (order < 0 first), so touching spans do not overlap.
  points.sort((a, b) => a.ts - b.ts || a.order - b.order);

  const out: LoadSteps = {
    first: {},
    later: {},
    firstTotal: zero(),
    laterTotal: zero(),
    layoutIn: {},
    gcIn: {},
    devtoolsIn: {},
    lazyCompileIn: {},
    markers,
    markerCost: zero(),
    markersRemoved: zero(),
    firstRunAt: run.ts,
  };
  let prev: Point | undefined;
  for (const p of points) {
    if (prev && p.ts > prev.ts) {
      const ours = state.inFirst > 0 || state.stack.length > 0;
      if (ours) {
        const wall = (p.ts - prev.ts) / 1000;
        const cpu = p.tts !== undefined && prev.tts !== undefined ? Math.max(0, p.tts - prev.tts) / 1000 : 0;
        const where = state.stack[state.stack.length - 1] ?? 'toplevel';
        const step = state.compile > 0 ? 'compile' : state.gc > 0 ? 'gc' : state.devtools > 0 ? 'devtools' : state.layout > 0 ? 'layout' : where;
        const phase = state.inFirst > 0 ? out.first : out.later;
        add(phase, step, wall, cpu);
        const total = state.inFirst > 0 ? out.firstTotal : out.laterTotal;
        total.wall += wall;
        total.cpu += cpu;
        if (step === 'layout') add(out.layoutIn, where, wall, cpu);
        if (step === 'gc') add(out.gcIn, where, wall, cpu);
        if (step === 'devtools') add(out.devtoolsIn, where, wall, cpu);
        if (step === where && state.lazy > 0) add(out.lazyCompileIn, where, wall, cpu);
      }
    }
    p.apply();
    prev = p;
  }
  removeMarkerCost(out, stampsOf, calibration(thread));
  return out;
}

/** The shortest stretch between an `lq>calibrate` marker and the `lq<calibrate` right after it, per clock. */
function calibration(thread: readonly TraceEvent[]): Times | undefined {
  let best: Times | undefined;
  let open: TraceEvent | undefined;
  for (const e of thread) {
    if (e.name !== 'TimeStamp') continue;
    const message = e.args?.data?.message;
    if (message === 'lq>calibrate') open = e;
    else if (message === 'lq<calibrate' && open) {
      const wall = (e.ts - open.ts) / 1000;
      const cpu = e.tts !== undefined && open.tts !== undefined ? (e.tts - open.tts) / 1000 : 0;
      best = best ? { wall: Math.min(best.wall, wall), cpu: Math.min(best.cpu, cpu) } : { wall, cpu };
      open = undefined;
    } else open = undefined;
  }
  return best;
}

/**
 * Each marker costs about what `calibrate` measures (the stretch between two markers with nothing between
 * them); the steps that wrote them give that time back, and the totals with them. The calibration's own
 * time is taken out too.
 */
function removeMarkerCost(out: LoadSteps, stampsOf: Record<string, number>, calibrate: Times | undefined) {
  const calibrating = out.first.calibrate ?? out.later.calibrate;
  if (!calibrating || !calibrate) return;
  out.markerCost = { ...calibrate };
  for (const phase of ['first', 'later'] as const) delete out[phase].calibrate;
  out.firstTotal.wall -= calibrating.wall;
  out.firstTotal.cpu -= calibrating.cpu;
  for (const [step, stamps] of Object.entries(stampsOf)) {
    if (step === 'calibrate') continue;
    // Split between the phases in proportion to the step's time in each (markers come with the calls).
    const first = out.first[step];
    const later = out.later[step];
    const whole = (first?.wall ?? 0) + (later?.wall ?? 0);
    for (const [t, total] of [
      [first, out.firstTotal],
      [later, out.laterTotal],
    ] as const) {
      if (!t || whole <= 0) continue;
      const share = t.wall / whole;
      const wall = Math.min(t.wall, stamps * share * calibrate.wall);
      const cpu = Math.min(t.cpu, stamps * share * calibrate.cpu);
      t.wall -= wall;
      t.cpu -= cpu;
      total.wall -= wall;
      total.cpu -= cpu;
      out.markersRemoved.wall += wall;
      out.markersRemoved.cpu += cpu;
    }
  }
}

/** The page's own longest script task on the main thread (a FunctionCall or timer from the page's URL). */
export function pageRenderAt(events: readonly TraceEvent[], run: TraceEvent, pageOrigin: string): TraceEvent | undefined {
  let best: TraceEvent | undefined;
  for (const e of events) {
    if (e.pid !== run.pid || e.tid !== run.tid || e.ph !== 'X' || e.name !== 'FunctionCall' || e.dur === undefined) continue;
    const url = e.args?.data?.url;
    if (typeof url === 'string' && url.startsWith(pageOrigin) && (!best || e.dur > best.dur!)) best = e;
  }
  return best;
}
