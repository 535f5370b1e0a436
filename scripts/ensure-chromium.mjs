#!/usr/bin/env node
// Makes sure a Chromium is available for the end-to-end tests: prints the one found, or installs Debian's
// `chromium` package (scripts/lib/find-chromium.mjs, shared with the demo and the bench), or explains.
import { ensureChromium } from './lib/find-chromium.mjs';

const chromium = ensureChromium();
if ('error' in chromium) {
  console.error(chromium.error);
  process.exit(1);
}
console.log(`Chromium: ${chromium.path} (${chromium.version})`);
