/**
 * Runs the page-cost bench alone and prints its figures:
 * `npx vite-node scripts/bench/page-cost.run.ts [-- --runs 10]` (after `npm run build`).
 */
import { benchPageCost, type Figure } from './page-cost';

function runsFromArgs(argv: readonly string[]): number | undefined {
  const i = argv.indexOf('--runs');
  const n = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
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
  const figures = await benchPageCost({ runs: runsFromArgs(process.argv), log: (s) => console.log(s) });
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
