/**
 * Checks the Firefox MV3 demo build in a real Firefox (Debian's firefox-esr), over WebDriver BiDi with no
 * Playwright: `npm run check:firefox [-- --headed] [-- --extension <built dir>]`, the last step of `npm test`.
 *
 * Builds the demo build into a temp folder (unless --extension is given), starts the demo CRM, launches
 * Firefox on a fresh profile, installs the extension as a temporary add-on, then checks that: the options
 * page renders; the docked panel shows the demo lead on /leads/L-1001; choosing the browser's side panel
 * under "Where the panel shows" takes the docked panel out of the page without a reload; the side panel
 * page (sidepanel.html as a tab in the lead's window: automation cannot open the sidebar) follows the lead
 * tab once that tab is active; choosing the page again brings the docked panel back; and no uncaught error
 * or content-script console.error came from the extension. Each check prints ✓ or ✗ (with what it saw);
 * screenshots go to .reports/firefox-check/; the exit code is 1 when a check failed.
 *
 * A script rather than a Vitest file: it needs a real Firefox from the system (apt-get installs it when
 * missing, as the suite does Chromium) and a build of its own; the e2e suite covers the panel in Chromium.
 *
 * WebDriver BiDi (https://w3c.github.io/webdriver-bidi/), connected as in
 * https://developer.mozilla.org/en-US/docs/Web/WebDriver/How_to/Create_BiDi_connection:
 *   session.new, session.subscribe   #command-session-new, #command-session-subscribe
 *   webExtension.install              #command-webExtension-install, and MDN:
 *     https://developer.mozilla.org/en-US/docs/Web/WebDriver/Reference/BiDi/Modules/webExtension/install
 *     (Firefox installs unsigned extensions as temporary add-ons:
 *     https://firefox-source-docs.mozilla.org/remote/webdriver-bidi/Extensions.html)
 *   browsingContext.getTree, create, navigate, activate, captureScreenshot
 *                                     #command-browsingContext-getTree (-create, -navigate, -activate, …)
 *   script.evaluate                   #command-script-evaluate
 *   input.performActions              #command-input-performActions
 *   log.entryAdded (event)            #event-log-entryAdded
 *   browser.close                     #command-browser-close
 * Firefox specifics: moz-extension:// URLs can be navigated to only with --remote-allow-system-access, and
 * report no load, so they are opened with wait "none" and polled. The docked panel's iframe is in a closed
 * shadow root: its document is found as a child browsing context in getTree. Extension pages' console
 * lines never reach log.entryAdded: the devtools.console.stdout.* prefs have Firefox print them and
 * uncaught errors ("JavaScript error: <url>") to its stdout/stderr, which the check scans.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { options as strings } from '../../src/i18n/en/options';
import { startDemoCrm } from '../demo-crm/server';
import { until, type Bidi } from './bidi';
import { ensureFirefox, launchFirefox, type RunningFirefox } from './firefox';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = join(ROOT, '.reports', 'firefox-check');
const LEAD = 'L-1001';
const LEAD_NAME = 'Dana Whitfield';

const started = Date.now();
const log = (line: string) => console.log(`▸ ${line}`);
const tally = { passed: 0, failed: 0 };
function report(ok: boolean, what: string, seen: unknown) {
  tally[ok ? 'passed' : 'failed']++;
  const shown = (typeof seen === 'string' ? seen : JSON.stringify(seen)).replace(/\s+/g, ' ').trim();
  console.log(ok ? `✓ ${what}` : `✗ ${what} (saw: ${shown.slice(0, 300) || 'nothing'})`);
}
async function expect(what: string, probe: () => Promise<string>, ok: (seen: string) => boolean) {
  const { ok: passed, seen } = await until(probe, ok);
  report(passed, what, seen);
}

/** The Firefox demo build, made by WXT in `outDir` under the shared build lock (WXT also refreshes .wxt/). */
function buildDemo(outDir: string): string {
  log('Building the Firefox MV3 demo build…');
  const code = `import { build } from 'wxt'; await build({ browser: 'firefox', manifestVersion: 3, mode: 'demo', outDir: ${JSON.stringify(outDir)} });`;
  const node = ['--input-type=module', '-e', code];
  let run = spawnSync('flock', ['/tmp/lq-e2e.lock', process.execPath, ...node], { cwd: ROOT, encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') run = spawnSync(process.execPath, node, { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`The build failed:\n${run.stdout}\n${run.stderr}`);
  return join(outDir, 'firefox-mv3-demo');
}

type TreeNode = { context: string; url: string; children: TreeNode[] | null };
type Evaluated = { type: 'success'; result: { value?: unknown; sharedId?: string } } | { type: 'exception'; exceptionDetails: { text: string } };

/** The page operations the check needs, each a BiDi command or two. */
function pages(bidi: Bidi) {
  const evaluate = async (context: string, expression: string) => {
    const r = await bidi.send<Evaluated>('script.evaluate', { expression, target: { context }, awaitPromise: true, resultOwnership: 'none' });
    if (r.type === 'exception') throw new Error(`the page threw: ${r.exceptionDetails.text}`);
    return r.result;
  };
  const navigate = (context: string, url: string, wait: 'none' | 'complete') => bidi.send('browsingContext.navigate', { context, url, wait });
  return {
    evaluate,
    navigate,
    text: async (context: string) => String((await evaluate(context, 'document.body?.innerText ?? ""')).value),
    /** Every browsing context (tabs, and the frames in them) with its parent's id. */
    async contexts() {
      const flat = (n: TreeNode, parent?: string): { context: string; url: string; parent?: string }[] => [{ context: n.context, url: n.url, parent }, ...(n.children ?? []).flatMap((c) => flat(c, n.context))];
      return (await bidi.send<{ contexts: TreeNode[] }>('browsingContext.getTree')).contexts.flatMap((n) => flat(n));
    },
    /** A new active tab at `url`, in the window of the tab `beside`. */
    async newTab(beside: string, url: string, wait: 'none' | 'complete') {
      const { context } = await bidi.send<{ context: string }>('browsingContext.create', { type: 'tab', referenceContext: beside });
      await navigate(context, url, wait);
      return context;
    },
    activate: (context: string) => bidi.send('browsingContext.activate', { context }),
    /** A real mouse click (input.performActions) in the middle of the element `selector` finds. */
    async click(context: string, selector: string) {
      const el = await evaluate(context, `(() => { const el = document.querySelector(${JSON.stringify(selector)}); el.scrollIntoView({ block: 'center' }); return el; })()`);
      const origin = { type: 'element', element: { sharedId: el.sharedId } };
      const actions = [{ type: 'pointerMove', x: 0, y: 0, origin }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }];
      await bidi.send('input.performActions', { context, actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
    },
    async screenshot(context: string, name: string) {
      const { data } = await bidi.send<{ data: string }>('browsingContext.captureScreenshot', { context });
      writeFileSync(join(SHOTS, name), Buffer.from(data, 'base64'));
    },
  };
}

async function checks(bidi: Bidi, extension: string, geckoId: string, base: string, leadUrl: string) {
  const page = pages(bidi);
  const { extension: installed } = await bidi.send<{ extension: string }>('webExtension.install', { extensionData: { type: 'path', path: extension } });
  report(installed === geckoId, `webExtension.install installed the extension (${geckoId})`, installed);

  const options = (await page.contexts())[0]!.context;
  await page.navigate(options, `${base}/options.html`, 'none');
  await expect(`the options page renders ("${strings.placementHeading}")`, () => page.text(options), (t) => t.includes(strings.placementHeading));
  await page.screenshot(options, '1-options.png');

  const lead = await page.newTab(options, leadUrl, 'complete');
  const panelText = async () => {
    const frame = (await page.contexts()).find((c) => c.parent === lead && c.url.startsWith(`${base}/panel.html`));
    return frame ? page.text(frame.context) : 'no panel frame in the lead tab';
  };
  // Whether the panel's host element is in the lead page, and whether the page reloaded (its marker gone).
  const docked = async () => String((await page.evaluate(lead, `(window.lqCheck ? '' : 'reloaded, ') + (document.querySelector('[data-lead-qualifier-panel]') ? 'docked' : 'not docked')`)).value);
  await expect(`the docked panel on ${LEAD} shows "${LEAD_NAME}"`, panelText, (t) => t.includes(LEAD_NAME));
  await page.screenshot(lead, '2-lead-docked.png');
  await page.evaluate(lead, 'window.lqCheck = true');

  await page.activate(options);
  await page.click(options, 'input[type=radio][value=side_panel]');
  await expect(`choosing "${strings.placementSidePanel}" saves it`, () => page.text(options), (t) => t.includes(strings.placementSaved(true)));
  await page.screenshot(options, '3-options-side-panel.png');
  await page.activate(lead);
  await expect('the docked panel leaves the lead page, without a reload', docked, (s) => s === 'not docked');
  await page.screenshot(lead, '4-lead-side-panel-mode.png');

  const side = await page.newTab(lead, `${base}/sidepanel.html`, 'none');
  await expect('the side panel page (a tab in the lead’s window) asks for a lead while it is the active tab', () => page.text(side), (t) => t.includes('Open a lead'));
  await page.activate(lead);
  await expect(`the side panel page follows the lead tab once it is active ("${LEAD_NAME}")`, () => page.text(side), (t) => t.includes(LEAD_NAME));
  await page.screenshot(side, '5-side-panel-following-lead.png');

  await page.activate(options);
  await page.click(options, 'input[type=radio][value=page]');
  await expect(`choosing "${strings.placementPage}" saves it`, () => page.text(options), (t) => t.includes(strings.placementSaved(false)));
  await page.activate(lead);
  const dockedAgain = async () => `${await docked()}: ${await panelText()}`;
  await expect(`the docked panel comes back, without a reload, showing "${LEAD_NAME}"`, dockedAgain, (s) => s.startsWith('docked:') && s.includes(LEAD_NAME));
  await page.screenshot(lead, '6-lead-docked-again.png');
}

type LogEntry = { type: string; level: string; text: string | null; stackTrace?: { callFrames: { url: string }[] } };

/** console.error calls of the content script in the CRM page, from BiDi's log module. */
async function watchContentScriptErrors(bidi: Bidi): Promise<string[]> {
  const errors: string[] = [];
  bidi.on('log.entryAdded', (params) => {
    const e = params as LogEntry;
    if (e.type === 'console' && e.level === 'error' && e.stackTrace?.callFrames.some((f) => f.url.startsWith('moz-extension://'))) errors.push(e.text ?? '');
  });
  await bidi.send('session.subscribe', { events: ['log.entryAdded'] });
  return errors;
}

function reportErrors(firefox: RunningFirefox, consoleErrors: string[]) {
  // Firefox's own line for an uncaught error in the extension's pages, background or content scripts.
  const uncaught = firefox.output.filter((l) => l.includes('JavaScript error: moz-extension://'));
  report(uncaught.length === 0, 'Firefox printed no "JavaScript error" from moz-extension://', uncaught.slice(0, 3).join(' | '));
  report(consoleErrors.length === 0, 'the content script logged no console.error in the CRM page', consoleErrors.slice(0, 3).join(' | '));
  for (const warning of firefox.output.filter((l) => l.includes('JavaScript warning: moz-extension://'))) log(`Firefox: ${warning}`);
}

async function main() {
  const { values: args } = parseArgs({ options: { headed: { type: 'boolean', default: false }, extension: { type: 'string' } } });
  const temp = mkdtempSync(join(tmpdir(), 'lq-firefox-check-'));
  let firefox: RunningFirefox | undefined;
  let server: Server | undefined;
  const cleanup = async () => {
    const [f, s] = [firefox, server];
    [firefox, server] = [undefined, undefined];
    await f?.stop();
    await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
    rmSync(temp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    const binary = ensureFirefox(log);
    const extension = args.extension ? resolve(args.extension) : buildDemo(temp);
    const manifest = JSON.parse(readFileSync(join(extension, 'manifest.json'), 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
    const geckoId = manifest.browser_specific_settings?.gecko?.id;
    if (!geckoId) throw new Error(`${extension}/manifest.json has no browser_specific_settings.gecko.id: is it a Firefox build?`);
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });

    const crm = await startDemoCrm(0, { dataFile: join(temp, 'crm.json'), reset: true });
    server = crm.server;
    const uuid = randomUUID();
    firefox = await launchFirefox(binary, {
      headless: !args.headed,
      prefs: {
        'xpinstall.signatures.required': false, // honoured by ESR (and Developer Edition, Nightly)
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }), // so its pages are at moz-extension://<uuid>/
        'devtools.console.stdout.content': true, // console lines and uncaught errors to stdout/stderr
        'devtools.console.stdout.chrome': true,
      },
    });
    log(`Firefox ${firefox.version} (${binary}), demo CRM at ${crm.url}`);
    const consoleErrors = await watchContentScriptErrors(firefox.bidi);
    try {
      await checks(firefox.bidi, extension, geckoId, `moz-extension://${uuid}`, `${crm.url}/leads/${LEAD}`);
    } finally {
      reportErrors(firefox, consoleErrors);
    }
  } catch (e) {
    report(false, 'the check ran to its end', e instanceof Error ? e.message : e);
  } finally {
    await cleanup();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${tally.failed ? '✗' : '✓'} ${tally.passed} passed, ${tally.failed} failed in ${seconds} s; screenshots in .reports/firefox-check/`);
  process.exit(tally.failed ? 1 : 0);
}

await main();
