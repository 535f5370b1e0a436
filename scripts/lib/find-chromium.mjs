// Finds a Chromium (or Chrome) binary for the end-to-end tests and the demo.
// Order: $CHROME_PATH, Debian's /usr/bin/chromium, then common names on $PATH.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATE_PATHS = ['/usr/bin/chromium'];
const CANDIDATE_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name, pathVar = process.env.PATH ?? '') {
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

/**
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | undefined} an absolute path to an executable Chromium, or undefined
 */
export function findChromium(env = process.env) {
  const fromEnv = env.CHROME_PATH?.trim();
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    const resolved = onPath(fromEnv, env.PATH);
    if (resolved) return resolved;
  }
  for (const file of CANDIDATE_PATHS) if (isExecutable(file)) return file;
  for (const name of CANDIDATE_NAMES) {
    const file = onPath(name, env.PATH);
    if (file) return file;
  }
  return undefined;
}

/**
 * Chromium flags that load our unpacked extension, shared by the e2e tests and the demo.
 * The background-networking flags keep Chromium from calling out on a machine with no network.
 * @param {string} extensionDir absolute path to the built extension
 * @param {{ headless: boolean, sandbox?: boolean }} options sandbox defaults to on, except for root (where Chromium refuses it)
 * @returns {string[]}
 */
export function extensionLaunchArgs(extensionDir, { headless, sandbox }) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const useSandbox = sandbox ?? !isRoot;
  return [
    `--disable-extensions-except=${extensionDir}`,
    `--load-extension=${extensionDir}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(useSandbox ? [] : ['--no-sandbox']),
    ...(headless ? ['--disable-gpu'] : []),
  ];
}
