/**
 * Firefox for the check: found (Debian's firefox-esr, or `firefox` on PATH) or installed with apt-get the
 * way scripts/lib/find-chromium.mjs installs Chromium, then launched on a fresh profile with its WebDriver
 * BiDi server on, its stdout and stderr kept line by line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { connectBidi, until, type Bidi } from './bidi';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findFirefox(): string | undefined {
  if (executable('/usr/bin/firefox-esr')) return '/usr/bin/firefox-esr';
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'firefox')).find(executable);
}

/** apt-get as root, or through sudo when someone can answer its prompt (or it asks none); else undefined. */
function aptRunner(): string[] | undefined {
  if (!existsSync('/etc/debian_version') || !existsSync('/usr/bin/apt-get')) return undefined;
  if (process.getuid?.() === 0) return ['apt-get'];
  if (process.stdin.isTTY || spawnSync('sudo', ['-n', 'true']).status === 0) return ['sudo', 'apt-get'];
  return undefined;
}

const HOW_TO_INSTALL = 'No Firefox found. Install it, then run the check again:\n  Debian/Ubuntu:  sudo apt-get install -y firefox-esr';

/** The Firefox to run, installing Debian's `firefox-esr` package (apt-get's own output shown) when there is none. */
export function ensureFirefox(log: (line: string) => void): string {
  const found = findFirefox();
  if (found) return found;
  const apt = aptRunner();
  if (!apt) throw new Error(HOW_TO_INSTALL);
  log(`No Firefox found: installing Debian's "firefox-esr" package (${apt.join(' ')} update, then install; a few minutes on a fresh machine)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', 'firefox-esr']]) {
    const [command = 'apt-get', ...prefix] = apt;
    const run = spawnSync(command, [...prefix, ...args], { stdio: 'inherit', env });
    if (run.status !== 0) throw new Error(`${apt.join(' ')} ${args.join(' ')} failed (exit ${run.status ?? run.signal}).\n${HOW_TO_INSTALL}`);
  }
  const installed = findFirefox();
  if (!installed) throw new Error('apt-get installed "firefox-esr" but no Firefox binary was found afterwards.');
  return installed;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

export interface RunningFirefox {
  bidi: Bidi;
  version: string;
  /** Every line Firefox printed so far, stdout and stderr. */
  output: string[];
  /** Closes the browser (BiDi `browser.close`), kills its process group if it lingers, removes the profile. */
  stop(): Promise<void>;
}

export async function launchFirefox(binary: string, opts: { headless: boolean; prefs: Record<string, string | number | boolean> }): Promise<RunningFirefox> {
  const profile = mkdtempSync(join(tmpdir(), 'lq-firefox-profile-'));
  writeFileSync(join(profile, 'user.js'), Object.entries(opts.prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const args = ['--profile', profile, '--no-remote', `--remote-debugging-port=${await freePort()}`, '--remote-allow-system-access'];
  // detached: a process group of its own, which stop() can kill whole.
  const child = spawn(binary, [...args, ...(opts.headless ? ['--headless'] : [])], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => output.push(line));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  let bidi: Bidi | undefined;
  const stop = async () => {
    await bidi?.send('browser.close', {}, 5000).catch(() => undefined);
    bidi?.close();
    await until(exited, (gone) => gone, 5000);
    try {
      if (!exited() && child.pid) process.kill(-child.pid, 'SIGKILL'); // the group: Firefox and its content processes
    } catch {
      // gone in the meantime
    }
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    // Firefox prints "WebDriver BiDi listening on ws://127.0.0.1:<port>" once its server is up.
    const listening = await until(() => output.map((l) => /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(l)?.[1]).find(Boolean), (url) => !!url || exited(), 30_000);
    if (!listening.ok || exited()) throw new Error(`Firefox did not start its BiDi server:\n${output.slice(-20).join('\n')}`);
    bidi = await connectBidi(`${String(listening.seen)}/session`);
    const session = await bidi.send<{ capabilities: { browserVersion: string } }>('session.new', { capabilities: {} });
    return { bidi, version: session.capabilities.browserVersion, output, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
