/**
 * How long sync takes to resume after Chromium stops the extension's service worker, for `npm run bench`.
 * The demo build in real Chromium on the demo CRM (as `npm run demo -- --headless` runs it): a decision is
 * saved while the CRM is down, the worker is stopped (CDP `ServiceWorker.stopAllWorkers`), the CRM comes
 * back, and the clock runs until the CRM has the decision's note. Two ways a stopped worker wakes:
 * - the rep's panel is still open: the port it holds while a decision waits ends with the worker, and its
 *   reconnect at once starts a new worker, which drains the outbox on start-up;
 * - nothing of the extension is open: only the `sync` alarm wakes it (Chrome's shortest period is 30 s).
 * Needs the demo build (`npm run build:demo`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runDemo, type RunningDemo } from '../demo/run';
import { recycleWhileCrmIsDown, stopWorkerAndRestartCrm } from '../demo/scenarios';
import type { Figure } from './sync';

const LEADS = ['L-1002', 'L-1003', 'L-1004', 'L-1005', 'L-1006', 'L-1007'];

/** Stops the worker, brings the CRM back, and times until the CRM has the note (or `limitMs` passes). */
async function timeResume(demo: RunningDemo, dataDir: string, leadId: string, port: number, notesBefore: number, limitMs: number): Promise<number> {
  const t0 = performance.now();
  await stopWorkerAndRestartCrm(demo, dataDir, port);
  while (performance.now() - t0 < limitMs) {
    if (demo.crm.db.notes.filter((n) => n.leadId === leadId).length > notesBefore) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Number.POSITIVE_INFINITY;
}

export async function benchResume(options: { root?: string; runs?: number; log?: (line: string) => void } = {}): Promise<Figure[]> {
  const log = options.log ?? (() => undefined);
  const runs = Math.min(options.runs ?? 5, LEADS.length - 1);
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-qualifier-bench-resume-'));
  const demo = await runDemo({ headless: true, reset: true, port: 0, skipBuild: true, dataDir, root: options.root, log: () => undefined });
  try {
    const withPanel: number[] = [];
    for (let i = 0; i < runs; i++) {
      const leadId = LEADS[i]!;
      const { port, notesBefore } = await recycleWhileCrmIsDown(demo, leadId);
      const ms = await timeResume(demo, dataDir, leadId, port, notesBefore, 30_000);
      withPanel.push(ms);
      log(`resume with the panel open: ${ms.toFixed(0)} ms`);
    }
    // Nothing of the extension open: the page leaves the CRM, so only the alarm can wake the worker.
    const leadId = LEADS.at(-1)!;
    const { port, notesBefore } = await recycleWhileCrmIsDown(demo, leadId);
    await demo.page.goto('about:blank');
    const alarmOnly = await timeResume(demo, dataDir, leadId, port, notesBefore, 120_000);
    log(`resume with nothing open (the alarm): ${alarmOnly.toFixed(0)} ms`);
    const sorted = [...withPanel].sort((a, b) => a - b);
    const section = 'Sync after Chromium stops the service worker (demo build, real Chromium)';
    return [
      { section, name: `worker stopped → decision in the CRM, the rep's panel open (it wakes the worker), median of ${runs}`, value: sorted[Math.floor((sorted.length - 1) / 2)]!, unit: 'ms' },
      { section, name: `worker stopped → decision in the CRM, the rep's panel open, worst of ${runs}`, value: sorted.at(-1)!, unit: 'ms' },
      { section, name: 'worker stopped → decision in the CRM, nothing of the extension open (the 30 s sync alarm wakes it)', value: alarmOnly, unit: 'ms' },
    ];
  } finally {
    await demo.shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// `npx vite-node scripts/bench/resume.ts -- --run` (after `npm run build:demo`)
if (process.argv.includes('--run')) {
  benchResume({ log: (line) => console.log(line) }).then(
    (figures) => console.log(figures),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
