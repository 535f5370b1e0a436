// Finds a Chromium (or Chrome) binary for the end-to-end tests, the demo and the bench, and installs
// Debian's `chromium` package when none is there. Order: $CHROME_PATH, /usr/bin/chromium, names on $PATH.
// The Firefox check (scripts/firefox-check/firefox.ts) finds and installs Firefox with the same helpers.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATE_PATHS = ['/usr/bin/chromium'];
const CANDIDATE_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function isExecutable(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function onPath(name, pathVar = process.env.PATH ?? '') {
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

/** What `ensureChromium` says when it can neither find nor install a browser. */
export const HOW_TO_INSTALL = [
  'No Chromium or Chrome found. Install one, then run the command again:',
  '  Debian/Ubuntu:  sudo apt-get install -y chromium   (or chromium-browser)',
  '  macOS:          install Google Chrome or Chromium',
  'Or point CHROME_PATH at a Chromium/Chrome executable, e.g. CHROME_PATH=/path/to/chrome npm test',
].join('\n');

/**
 * How apt-get can be run here: directly as root, through sudo when a person is at the terminal to answer
 * its password prompt (or it needs none), otherwise not at all.
 * @returns {string[] | undefined} the command prefix, or undefined
 */
function aptRunner() {
  if (!existsSync('/etc/debian_version') || !existsSync('/usr/bin/apt-get')) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() === 0) return ['apt-get'];
  const sudo = onPath('sudo');
  if (!sudo) return undefined;
  if (process.stdin.isTTY || spawnSync(sudo, ['-n', 'true']).status === 0) return [sudo, 'apt-get'];
  return undefined;
}

/**
 * Installs Debian's `pkg` with apt-get (its own progress shown) for a browser `find` did not find, then finds
 * it: the same way for Chromium (tests, demo, bench) and Firefox (the Firefox check).
 * @param {{ name: string, pkg: string, installArgs?: string[], howTo: string, find: () => string | undefined, log: (line: string) => void }} options
 * @returns {{ path: string } | { error: string }}
 */
export function installWithApt({ name, pkg, installArgs = [], howTo, find, log }) {
  const apt = aptRunner();
  if (!apt) return { error: howTo };
  log(`No ${name} found: installing Debian's "${pkg}" package (${apt.join(' ')} update, then install; a few minutes on a fresh machine)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...installArgs, pkg]]) {
    const [command, ...prefix] = apt;
    const run = spawnSync(command, [...prefix, ...args], { stdio: 'inherit', env });
    if (run.status !== 0) return { error: `${apt.join(' ')} ${args.join(' ')} failed (exit ${run.status ?? run.signal}).\n${howTo}` };
  }
  const installed = find();
  if (!installed) return { error: `apt-get installed "${pkg}" but no ${name} binary was found afterwards.` };
  return { path: installed };
}

/**
 * Finds a Chromium, or installs Debian's `chromium` package with apt-get (its own progress shown), the
 * same way for the tests, the demo and the bench.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {{ path: string, version: string } | { error: string }}
 */
export function ensureChromium({ log = (line) => console.log(line) } = {}) {
  const found = findChromium();
  if (found) return { path: found, version: versionOf(found) };
  if (process.env.CHROME_PATH) log(`CHROME_PATH is set to "${process.env.CHROME_PATH}" but that is not an executable file.`);
  const installed = installWithApt({ name: 'Chromium', pkg: 'chromium', installArgs: ['--no-install-recommends'], howTo: HOW_TO_INSTALL, find: findChromium, log });
  return 'error' in installed ? installed : { path: installed.path, version: versionOf(installed.path) };
}

function versionOf(path) {
  const run = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : 'version unknown';
}
