/**
 * The page-cost bench's step breakdown (scripts/bench/page-cost-steps.ts) on hand-made traces, and its
 * step markers (scripts/bench/page-cost-instrument.mjs) on small sources run here.
 */
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { instrumentSource } from '../../scripts/bench/page-cost-instrument.mjs';
import { pageRenderAt, stepsFromTrace, type TraceEvent } from '../../scripts/bench/page-cost-steps';

const SCRIPT = 'chrome-extension://abc/content-scripts/salesforce.js';
const main = { pid: 1, tid: 7 };

/** A complete event; times in ms (the trace's µs are made here), CPU = wall unless given. */
const x = (name: string, at: number, dur: number, extra: Partial<TraceEvent> & { cpuDur?: number } = {}): TraceEvent => ({
  name,
  ph: 'X',
  ...main,
  ts: at * 1000,
  dur: dur * 1000,
  tts: at * 1000,
  tdur: (extra.cpuDur ?? dur) * 1000,
  ...extra,
});
/** A marker; `cpuAt` lets the thread clock run behind the wall clock (the OS took the CPU away). */
const mark = (message: string, at: number, cpuAt = at): TraceEvent => ({ name: 'TimeStamp', ph: 'I', ...main, ts: at * 1000, tts: cpuAt * 1000, args: { data: { message } } });

describe('stepsFromTrace', () => {
  it('gives each stretch of the first run to the innermost open step, carving out compile, GC and forced layout', () => {
    const events = [
      x('EvaluateScript', 0, 20, { args: { data: { url: SCRIPT } } }),
      x('v8.compile', 0, 1, { args: { data: { url: SCRIPT } } }),
      // 1–3: top-level module code; then glue 3–20 with read 5–15 inside, checkVisibility 8–12 inside that.
      mark('lq>glue', 3),
      mark('lq>read', 5),
      x('MajorGC', 6, 1),
      mark('lq>visible', 8),
      x('UpdateLayoutTree', 9, 2),
      mark('lq<visible', 12),
      mark('lq<read', 15),
      mark('lq<glue', 20),
      // Another thread's work at the same time is not ours.
      { ...x('Layout', 4, 10), tid: 99 },
    ];
    const steps = stepsFromTrace(events, '/content-scripts/salesforce.js')!;
    expect(steps.first.compile!.wall).toBeCloseTo(1);
    expect(steps.first.toplevel!.wall).toBeCloseTo(2);
    expect(steps.first.glue!.wall).toBeCloseTo(2 + 5);
    expect(steps.first.read!.wall).toBeCloseTo(1 + 1 + 3); // 5–6, 7–8, 12–15
    expect(steps.first.gc!.wall).toBeCloseTo(1);
    expect(steps.first.visible!.wall).toBeCloseTo(2);
    expect(steps.first.layout!.wall).toBeCloseTo(2);
    expect(steps.layoutIn.visible!.wall).toBeCloseTo(2);
    expect(steps.gcIn.read!.wall).toBeCloseTo(1);
    expect(steps.firstTotal.wall).toBeCloseTo(20);
    expect(steps.markers).toBe(6);
  });

  it('counts later work only inside steps, apart from the first run', () => {
    const events = [
      x('EvaluateScript', 0, 2, { args: { data: { url: SCRIPT } } }),
      // A callback 100 ms later, and the page's own script in between, which is not ours.
      x('FunctionCall', 50, 30, { args: { data: { url: 'https://acme.lightning.force.com/x' } } }),
      mark('lq>storage', 100),
      x('MinorGC', 100.5, 0.25),
      mark('lq<storage', 101),
    ];
    const steps = stepsFromTrace(events, '/content-scripts/salesforce.js')!;
    expect(steps.first).toEqual({ toplevel: { wall: 2, cpu: 2 } });
    expect(steps.later.storage!.wall).toBeCloseTo(0.75);
    expect(steps.later.gc!.wall).toBeCloseTo(0.25);
    expect(steps.laterTotal.wall).toBeCloseTo(1);
  });

  it('keeps wall and CPU time apart', () => {
    const events = [x('EvaluateScript', 0, 10, { args: { data: { url: SCRIPT } }, cpuDur: 4 }), mark('lq>insert', 2, 2), mark('lq<insert', 9, 3)];
    const steps = stepsFromTrace(events, '/content-scripts/salesforce.js')!;
    expect(steps.first.insert).toEqual({ wall: 7, cpu: 1 });
    expect(steps.firstTotal.cpu).toBeCloseTo(4);
  });

  it('takes the markers\' own cost out of the steps that wrote them, measured by the shortest calibration', () => {
    const events = [
      x('EvaluateScript', 0, 10, { args: { data: { url: SCRIPT } } }),
      mark('lq>calibrate', 1),
      mark('lq<calibrate', 1.1),
      mark('lq>calibrate', 1.2),
      mark('lq<calibrate', 1.25), // the shortest: 0.05 ms a marker
      mark('lq>detect', 2),
      mark('lq<detect', 3),
    ];
    const steps = stepsFromTrace(events, '/content-scripts/salesforce.js')!;
    expect(steps.markerCost.wall).toBeCloseTo(0.05);
    expect(steps.first.calibrate).toBeUndefined();
    expect(steps.first.detect!.wall).toBeCloseTo(1 - 2 * 0.05);
    expect(steps.markersRemoved.wall).toBeCloseTo(0.1);
    expect(steps.firstTotal.wall).toBeCloseTo(10 - 0.15 - 0.1);
  });

  it('finds nothing when the trace holds no run of the script, and the floor\'s run is all top level', () => {
    expect(stepsFromTrace([x('EvaluateScript', 0, 5, { args: { data: { url: 'https://acme.lightning.force.com/a.js' } } })], '/content.js')).toBeUndefined();
    const floor = stepsFromTrace([x('EvaluateScript', 0, 5, { args: { data: { url: 'chrome-extension://f/content.js' } } }), x('V8.CollectSourcePositions', 1, 1)], '/content.js')!;
    expect(floor.first).toEqual({ toplevel: { wall: 4, cpu: 4 }, devtools: { wall: 1, cpu: 1 } });
  });

  it('finds the page\'s own longest script task', () => {
    const run = x('EvaluateScript', 0, 5, { args: { data: { url: SCRIPT } } });
    const page = 'https://acme.lightning.force.com';
    const render = x('FunctionCall', 40, 150, { args: { data: { url: `${page}/lightning/r/Lead/x/view` } } });
    expect(pageRenderAt([run, x('FunctionCall', 10, 3, { args: { data: { url: `${page}/a` } } }), render, x('FunctionCall', 60, 200, { args: { data: { url: SCRIPT } } })], run, page)).toBe(render);
  });
});

/** Runs instrumented TypeScript in a fresh context whose console.timeStamp records; returns the stamps and exports. */
function runInstrumented(source: string, id: string): { stamps: string[]; exports: Record<string, unknown> } {
  const instrumented = instrumentSource(source, id);
  expect(instrumented).not.toBeNull();
  const js = ts.transpileModule(instrumented!, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
  const stamps: string[] = [];
  const exports: Record<string, unknown> = {};
  runInNewContext(js, { exports, Promise, console: { timeStamp: (label: string) => void stamps.push(label) } });
  return { stamps, exports };
}

describe('instrumentSource', () => {
  it('wraps the named functions of a step, their named helpers, and the callbacks they hand out', () => {
    const { stamps } = runInstrumented(
      `
      const later: (() => void)[] = [];
      function keepAttached(node: string) {
        const watch = () => node.length;
        later.push(() => void 0); // not a callback taker: no marker
        Promise.resolve().then(() => watch());
        return watch();
      }
      export function detectLeadPage(url: string) { return url.startsWith('https:'); }
      keepAttached('x');
      detectLeadPage('https://a');
      `,
      '/repo/src/content/panel-host.ts',
    );
    // detectLeadPage is not a panel-host function: only keepAttached and its helper `watch` are marked.
    expect(stamps).toEqual(['lq>watch', 'lq>watch', 'lq<watch', 'lq<watch']);
  });

  it('marks a statement region inside a function, and leaves files no spec names alone', () => {
    const { stamps } = runInstrumented(
      `
      const document = { createElement: (tag: string) => ({ tag, addEventListener() {} }) };
      function createPanelFrame() {
        const wrapper = document.createElement('div');
        const toggleButton = document.createElement('button');
        toggleButton.addEventListener('click', () => undefined);
        return { wrapper };
      }
      function load() {
        return createPanelFrame().wrapper;
      }
      load();
      `,
      '/repo/src/content/panel-host.ts',
    );
    expect(stamps).toEqual(['lq>insert', 'lq>frame', 'lq>button', 'lq<button', 'lq<frame', 'lq<insert']);
    expect(instrumentSource('function readLead() {}', '/repo/src/ui/panel/Panel.tsx')).toBeNull();
  });

  it('keeps expression bodies\' values and skips async functions', () => {
    const source = `
      export const out: unknown[] = [];
      const page = { readLead: (doc: string) => ({ name: doc }), async detect() { return 1; } };
      out.push(page.readLead('Jane'));
      void page.detect();
    `;
    const instrumented = instrumentSource(source, '/repo/src/crm/salesforce/page.ts')!;
    expect(instrumented).toContain('lq>read');
    expect(instrumented).not.toContain('lq>detect');
    const { exports, stamps } = runInstrumented(source, '/repo/src/crm/salesforce/page.ts');
    expect(stamps).toEqual(['lq>read', 'lq<read']);
    expect(exports.out).toEqual([{ name: 'Jane' }]);
  });
});
