/**
 * Runs the side-panel page-cost bench alone and prints its figures (after `npm run build`):
 * `npx vite-node scripts/bench/page-cost-sidepanel.run.ts [-- --runs 10] [--extension <built chrome-mv3 dir>]
 *   [--instrumented <dir>/chrome-mv3] [--trace-runs 6]` (`--instrumented`: the output of
 * `node scripts/bench/instrumented-build.mjs <dir>`, for the traced CPU rows).
 */
import { resolve } from 'node:path';
import { benchSidePanelPageCost, SIDE_PANEL_SECTION } from './page-cost-sidepanel';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const started = Date.now();
  const runs = Number(flag('--runs') ?? 10);
  const traceRuns = Number(flag('--trace-runs') ?? 6);
  const dir = (name: string) => (flag(name) === undefined ? undefined : resolve(flag(name)!));
  const figures = await benchSidePanelPageCost({
    runs: Number.isInteger(runs) && runs > 0 ? runs : 10,
    traceRuns: Number.isInteger(traceRuns) && traceRuns > 0 ? traceRuns : 6,
    extensionDir: dir('--extension'),
    instrumentedDir: dir('--instrumented'),
    log: (s) => console.log(s),
  });
  console.log(`\n${SIDE_PANEL_SECTION}`);
  for (const f of figures) {
    const target = f.target === undefined ? '' : ` (target ≤ ${f.target} ${f.unit}, ${f.value <= f.target ? 'ok' : '⚠ over'})`;
    console.log(`  ${f.name}: ${f.value.toFixed(2)} ${f.unit}${target}`);
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
