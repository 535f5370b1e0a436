// The page-cost bench's instrumented build (issue 19): the store build of the extension with step markers
// in the content script (scripts/bench/page-cost-instrument.mjs), for the per-step breakdown only. The
// figures the bench reports as the project's cost are measured on the real build; this one is traced.
// Built into its own folder, never .output/:
//   node scripts/bench/instrumented-build.mjs <outDir>     → <outDir>/chrome-mv3
// Hold the build lock (flock /tmp/lq-e2e.lock …) where others build too: WXT also refreshes .wxt/.
import { resolve } from 'node:path';
import { build } from 'wxt';
import { stepMarkers } from './page-cost-instrument.mjs';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node scripts/bench/instrumented-build.mjs <outDir>');
  process.exit(2);
}
await build({ outDir: resolve(outDir), vite: () => ({ plugins: [stepMarkers()] }) });
