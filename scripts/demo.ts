/**
 * `npm run demo [-- --headless] [-- --reset] [-- --port N]`
 * Builds the demo flavour of the extension, starts the seeded demo CRM on 127.0.0.1, and opens Chromium
 * with the extension loaded on a lead page. Headless: saves screenshots, prints their paths, exits 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import { extensionLaunchArgs, findChromium } from './lib/find-chromium.mjs';
import { startDemoCrm } from './demo-crm/server';

const { values: args } = parseArgs({
  options: {
    headless: { type: 'boolean', default: false },
    reset: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.DEMO_PORT ?? '5180' },
    'skip-build': { type: 'boolean', default: false },
  },
});

const root = process.cwd();
const step = (text: string) => console.log(`▸ ${text}`);
const die = (text: string): never => {
  console.error(`✖ ${text}`);
  process.exit(1);
};

async function main() {
  const extension = resolve(root, '.output', 'chrome-mv3-demo');
  if (!args['skip-build']) {
    step('Building the demo extension (wxt build --mode demo)…');
    const build = spawnSync('npx', ['wxt', 'build', '--mode', 'demo'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (build.status !== 0) die(`The build failed:\n${build.stdout}\n${build.stderr}`);
  }
  if (!existsSync(join(extension, 'manifest.json'))) die(`No demo build in ${extension}. Run without --skip-build.`);

  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) die(`--port must be a number from 0 to 65535 (got "${args.port}").`);
  step(`Starting the demo CRM${args.reset ? ' from fresh seed data' : ''}…`);
  const dataFile = join(root, '.demo-data', 'crm.json');
  const crm = await startDemoCrm(port, { dataFile, reset: args.reset }).catch((e: NodeJS.ErrnoException) =>
    die(e.code === 'EADDRINUSE' ? `Port ${port} is taken. Stop what uses it, or run: npm run demo -- --port 5181` : `The demo CRM did not start: ${e.message}`),
  );
  const leadUrl = `${crm.url}/leads/L-1001`;
  step(`Demo CRM: ${crm.url}/leads`);

  const executablePath = findChromium() ?? die('No Chromium or Chrome found. Install one (Debian: apt-get install chromium) or set CHROME_PATH.');
  step(`Opening ${args.headless ? 'headless ' : ''}Chromium with the extension…`);
  const profile = mkdtempSync(join(tmpdir(), 'lead-qualifier-demo-'));
  const browser: { context?: BrowserContext } = {};
  const shutdown = async () => {
    await browser.context?.close().catch(() => undefined);
    crm.server.close();
    rmSync(profile, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void shutdown().then(() => process.exit(0)));
  process.once('SIGTERM', () => void shutdown().then(() => process.exit(0)));

  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: args.headless,
    viewport: { width: 1400, height: 900 },
    args: extensionLaunchArgs(extension, { headless: args.headless }),
  });
  browser.context = context;
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(leadUrl);
  const panel = page.locator('iframe[title="Lead qualification"]');
  const shown = await panel.waitFor({ state: 'visible', timeout: 15_000 }).then(
    () => true,
    () => false,
  );
  if (!shown) console.warn('⚠ The panel did not appear on the lead page within 15 s.');

  if (args.headless) {
    const dir = join(root, '.demo-data', 'screenshots');
    mkdirSync(dir, { recursive: true });
    const shot = join(dir, 'lead-with-panel.png');
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot });
    step(`Screenshot: ${shot}`);
    console.log(`Demo lead page: ${leadUrl}`);
    await shutdown();
    if (!shown) process.exit(1);
    return;
  }
  console.log(`\nThe demo is running: ${leadUrl}\nPress Ctrl-C to stop.`);
  context.on('close', () => void shutdown().then(() => process.exit(0)));
}

void main().catch((e: unknown) => die(e instanceof Error ? e.message : String(e)));
