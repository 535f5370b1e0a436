/**
 * The demo, as a function: build the demo flavour, start the seeded demo CRM, open Chromium with the
 * extension on a lead page. `scripts/demo.ts` is the command line around it; the end-to-end suite runs
 * the headless path through the same function.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureChromium, extensionLaunchArgs } from '../lib/find-chromium.mjs';
import { startDemoCrm, type DemoCrm } from '../demo-crm/server';
import { panelIframe } from '../../test/e2e/panel-frame';

export interface DemoOptions {
  headless: boolean;
  reset: boolean;
  port: number;
  skipBuild: boolean;
  /** Where the CRM's data and screenshots go (gitignored `.demo-data` by default). */
  dataDir?: string;
  root?: string;
  log?: (line: string) => void;
}

export interface RunningDemo {
  crm: DemoCrm;
  server: Server;
  crmUrl: string;
  leadUrl: string;
  context: BrowserContext;
  page: Page;
  panelShown: boolean;
  screenshotsDir: string;
  shutdown(): Promise<void>;
}

export class DemoError extends Error {}

export const DEMO_LEAD = 'L-1001';

export async function runDemo(opts: DemoOptions): Promise<RunningDemo> {
  const root = opts.root ?? process.cwd();
  const log = opts.log ?? ((line: string) => console.log(`▸ ${line}`));
  const dataDir = opts.dataDir ?? join(root, '.demo-data');
  const extension = resolve(root, '.output', 'chrome-mv3-demo');
  // The browser first: on a fresh machine installing it takes the longest, and a failure should come early.
  const browser = ensureChromium({ log });
  if ('error' in browser) throw new DemoError(browser.error);
  const executablePath = browser.path;
  log(`Chromium: ${browser.path} (${browser.version})`);
  if (!opts.skipBuild) {
    log('Building the demo extension (wxt build --mode demo)…');
    const build = spawnSync('npx', ['wxt', 'build', '--mode', 'demo'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (build.status !== 0) throw new DemoError(`The build failed:\n${build.stdout}\n${build.stderr}`);
  }
  if (!existsSync(join(extension, 'manifest.json'))) throw new DemoError(`No demo build in ${extension}. Run without --skip-build.`);
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new DemoError(`--port must be a number from 0 to 65535 (got "${opts.port}").`);

  log(`Starting the demo CRM${opts.reset ? ' from fresh seed data' : ''}…`);
  const { server, crm, url } = await startDemoCrm(opts.port, { dataFile: join(dataDir, 'crm.json'), reset: opts.reset }).catch((e: NodeJS.ErrnoException) => {
    throw new DemoError(e.code === 'EADDRINUSE' ? `Port ${opts.port} is taken. Stop what uses it, or run: npm run demo -- --port ${opts.port + 1}` : `The demo CRM did not start: ${e.message}`);
  });
  const leadUrl = `${url}/leads/${DEMO_LEAD}`;
  log(`Demo CRM: ${url}/leads`);

  log(`Opening ${opts.headless ? 'headless ' : ''}Chromium with the extension…`);
  const profile = mkdtempSync(join(tmpdir(), 'lead-qualifier-demo-'));
  let context: BrowserContext | undefined;
  const shutdown = async () => {
    await context?.close().catch(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: opts.headless,
      viewport: { width: 1400, height: 900 },
      args: extensionLaunchArgs(extension, { headless: opts.headless }),
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(leadUrl);
    // The panel's iframe is in a closed shadow root (ADR 0015): found through the frame tree.
    const panelShown = await panelIframe(page, 15_000)
      .then((iframe) => iframe.isVisible())
      .catch(() => false);
    const screenshotsDir = join(dataDir, 'screenshots');
    mkdirSync(screenshotsDir, { recursive: true });
    return { crm, server, crmUrl: url, leadUrl, context, page, panelShown, screenshotsDir, shutdown };
  } catch (e) {
    await shutdown();
    throw e;
  }
}

/** The extension's id in a running demo (for its dashboard and options pages). */
export async function extensionIdOf(context: BrowserContext): Promise<string> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
  return new URL(worker.url()).host;
}
