/**
 * Runs the page-cost bench alone and prints its figures (after `npm run build`):
 * `npx vite-node scripts/bench/page-cost.run.ts [-- --runs 10] [--floor-runs 12] [--trace-runs 8]
 *   [--only loads,clicks,navigation,floor,steps] [--extension <built chrome-mv3 dir>] [--instrumented <dir>]`
 * `--extension` measures another build than .output/chrome-mv3 (a private copy of it, as always);
 * `--instrumented` takes the chrome-mv3 folder of `node scripts/bench/instrumented-build.mjs <out>` made
 * from the same sources, instead of building one.
 */
import { resolve } from 'node:path';
import { benchPageCost, PAGE_COST_PARTS, type Figure, type PageCostPart } from './page-cost';

function flag(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function countFlag(argv: readonly string[], name: string): number | undefined {
  const n = Number(flag(argv, name) ?? Number.NaN);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

function partsFromArgs(argv: readonly string[]): PageCostPart[] | undefined {
  const only = flag(argv, '--only');
  if (only === undefined) return undefined;
  const parts = only.split(',').map((p) => p.trim());
  const unknown = parts.filter((p) => !(PAGE_COST_PARTS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`--only: unknown part ${unknown.join(', ')} (parts: ${PAGE_COST_PARTS.join(', ')})`);
  return parts as PageCostPart[];
}

function format(f: Figure): string {
  const value = f.unit === 'B' ? `${(f.value / 1024).toFixed(1)} KB` : `${f.value.toFixed(2)} ${f.unit}`;
  if (f.target === undefined) return `  ${f.name}: ${value}`;
  const target = f.unit === 'B' ? `${(f.target / 1024).toFixed(0)} KB` : `${f.target} ${f.unit}`;
  const verdict = f.value <= f.target ? 'ok' : '⚠ over';
  return `  ${f.name}: ${value} (target ≤ ${target}, ${verdict})`;
}

async function main() {
  const started = Date.now();
  const argv = process.argv;
  const dir = (name: string) => (flag(argv, name) === undefined ? undefined : resolve(flag(argv, name)!));
  const figures = await benchPageCost({
    runs: countFlag(argv, '--runs'),
    floorRuns: countFlag(argv, '--floor-runs'),
    traceRuns: countFlag(argv, '--trace-runs'),
    parts: partsFromArgs(argv),
    extensionDir: dir('--extension'),
    instrumentedDir: dir('--instrumented'),
    log: (s) => console.log(s),
  });
  let section = '';
  for (const f of figures) {
    if (f.section !== section) console.log(`\n${(section = f.section)}`);
    console.log(format(f));
  }
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
