#!/usr/bin/env node
// Makes sure a Chromium is available for the end-to-end tests.
// Found: prints its path. Missing on Debian as root: installs the `chromium` package with apt.
// Otherwise: explains how to install one and exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './lib/find-chromium.mjs';

function report(path) {
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' });
  const label = version.status === 0 ? version.stdout.trim() : 'version unknown';
  console.log(`Chromium: ${path} (${label})`);
}

const found = findChromium();
if (found) {
  report(found);
  process.exit(0);
}

if (process.env.CHROME_PATH) {
  console.warn(`CHROME_PATH is set to "${process.env.CHROME_PATH}" but that is not an executable file.`);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const isDebian = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');

if (isRoot && isDebian) {
  console.log('No Chromium found: installing Debian\'s "chromium" package with apt-get…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const run = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (run.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${run.status ?? run.signal}).`);
      process.exit(1);
    }
  }
  const installed = findChromium();
  if (installed) {
    report(installed);
    process.exit(0);
  }
  console.error('apt-get installed "chromium" but no Chromium binary was found afterwards.');
  process.exit(1);
}

console.error(
  [
    'No Chromium or Chrome found for the end-to-end tests.',
    'Install one, then run the tests again:',
    '  Debian/Ubuntu:  sudo apt-get install -y chromium   (or chromium-browser)',
    '  macOS:          install Google Chrome or Chromium',
    'Or point CHROME_PATH at a Chromium/Chrome executable:',
    '  CHROME_PATH=/path/to/chrome npm run test:e2e',
  ].join('\n'),
);
process.exit(1);
