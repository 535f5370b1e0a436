/**
 * Firefox for the check: found (Debian's firefox-esr, or `firefox` on PATH) or installed with apt-get the
 * way scripts/lib/find-chromium.mjs installs Chromium, then launched on a fresh profile with its WebDriver
 * BiDi server on, its stdout and stderr kept line by line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { installWithApt, isExecutable, onPath } from '../lib/find-chromium.mjs';
import { connectBidi, until, type Bidi } from './bidi';

function findFirefox(): string | undefined {
  return isExecutable('/usr/bin/firefox-esr') ? '/usr/bin/firefox-esr' : onPath('firefox');
}

const HOW_TO_INSTALL = 'No Firefox found. Install it, then run the check again:\n  Debian/Ubuntu:  sudo apt-get install -y firefox-esr';

/** The Firefox to run, installing Debian's `firefox-esr` package (apt-get's own output shown) when there is none. */
export function ensureFirefox(log: (line: string) => void): string {
  const found = findFirefox();
  if (found) return found;
  const installed = installWithApt({ name: 'Firefox', pkg: 'firefox-esr', howTo: HOW_TO_INSTALL, find: findFirefox, log });
  if ('error' in installed) throw new Error(installed.error);
  return installed.path;
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
