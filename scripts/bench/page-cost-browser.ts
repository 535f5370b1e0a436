/**
 * The page-cost bench's browsers: a private copy of the built extension, two Chromiums that differ only in
 * loading it, every request but the CRM page's aborted; and how Node waits for and times what they show.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { extensionLaunchArgs, findChromium } from '../lib/find-chromium.mjs';
import { SF_ORIGIN } from './page-cost-fixture';
import type { TraceEvent } from './page-cost-steps';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXTENSION_DIR = resolve(ROOT, '.output', 'chrome-mv3');

/** After the panel shows the lead, how long the page is still watched (the content script's follow-up work). */
export const QUIET_MS = 500;
/** How often Playwright looks at the panel. A look costs one round trip (~1–3 ms here). */
const POLL_MS = 5;
export const TIMEOUT_MS = 20_000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Node's epoch clock with sub-millisecond resolution (the global `performance`: an import would be renamed
 * by vite-node, also inside the functions evaluated in the browser). */
export const nodeNow = () => performance.timeOrigin + performance.now();

/**
 * Calls `check` every POLL_MS until it is true; returns Node's epoch time of the look that saw it. On a
 * timeout, the error says what `seen` reports (what was on screen instead).
 */
export async function pollUntil(check: () => Promise<boolean>, what: string, seen?: () => Promise<string>): Promise<number> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    // A frame that is navigating or detaching makes a look fail: that is "not yet", not an error.
    if (await check().catch(() => false)) return nodeNow();
    if (Date.now() > deadline) {
      const instead = seen ? ` (seen: ${await seen().catch((e: unknown) => String(e))})` : '';
      throw new Error(`Timed out after ${TIMEOUT_MS} ms waiting for ${what}${instead}`);
    }
    await sleep(POLL_MS);
  }
}

/**
 * Runs in every document before its own scripts: collects long-task durations. Installed in both browsers,
 * so its own (tiny) cost is the same with and without the extension.
 */
function collectLongTasks() {
  const w = window as unknown as { __benchLongTasks?: number[] };
  w.__benchLongTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__benchLongTasks!.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task support: the figures then show none.
  }
}

export interface Bench {
  context: BrowserContext;
  withExtension: boolean;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Wait for the extension's service worker before the first load (default true; the floor has none). */
  serviceWorker?: boolean;
}

/**
 * A Chromium with or without the extension in `extensionDir`. `page` is the CRM page's HTML, one for every
 * address, or per address (path and query).
 */
export async function launch(
  executablePath: string,
  extensionDir: string,
  withExtension: boolean,
  page: string | ((pathAndQuery: string) => string),
  options: LaunchOptions = {},
): Promise<Bench> {
  const all = extensionLaunchArgs(extensionDir, { headless: true, sandbox: false });
  // The same flags in both browsers; only the two that load the extension differ.
  const isExtensionFlag = (a: string) => a.startsWith('--load-extension=') || a.startsWith('--disable-extensions-except=');
  const args = withExtension ? all : all.filter((a) => !isExtensionFlag(a));
  const profileDir = mkdtempSync(join(tmpdir(), `lead-qualifier-bench-${withExtension ? 'ext' : 'plain'}-`));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profileDir, { executablePath, headless: true, args });
    await context.addInitScript(collectLongTasks);
    // Routes registered later run first: the catch-all only sees what the CRM route leaves.
    await context.route(/^https?:\/\//, (route) => route.abort('blockedbyclient'));
    await context.route(`${SF_ORIGIN}/**`, (route) =>
      route.request().resourceType() === 'document'
        ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: typeof page === 'string' ? page : page(new URL(route.request().url()).pathname + new URL(route.request().url()).search) })
        : route.fulfill({ status: 204 }),
    );
    if (withExtension && options.serviceWorker !== false && context.serviceWorkers().length === 0) await context.waitForEvent('serviceworker', { timeout: 30_000 });
    const ctx = context;
    return {
      context: ctx,
      withExtension,
      async close() {
        await ctx.close().catch(() => undefined);
        rmSync(profileDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => undefined);
    rmSync(profileDir, { recursive: true, force: true });
    throw error;
  }
}

export function requireChromium(): string {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs` or set CHROME_PATH.');
  return executablePath;
}

/**
 * A private copy of the built extension. Chromium reads an unpacked extension's files from disk as pages
 * ask for them, so a build running meanwhile (another terminal, the e2e tests) would pull panel.html or
 * its chunks from under the bench (the panel frame then shows a file-not-found error page).
 */
export function snapshotExtension(from: string = EXTENSION_DIR): string {
  const files = ['manifest.json', 'panel.html'];
  const missing = () => files.filter((f) => !existsSync(join(from, f)));
  if (missing().length > 0) {
    throw new Error(`No built extension in ${from} (missing ${missing().join(', ')}): run \`npm run build\` first (npm run bench does).`);
  }
  const copy = mkdtempSync(join(tmpdir(), 'lead-qualifier-bench-extension-'));
  cpSync(from, copy, { recursive: true });
  if (files.some((f) => !existsSync(join(copy, f)))) {
    rmSync(copy, { recursive: true, force: true });
    throw new Error(`${from} changed while it was copied (a build running?): run the bench again.`);
  }
  return copy;
}

/** Trace categories: script runs, markers, layout, GC, lazy compilation. No sampling profiler, no stacks: they cost the page. */
const TRACE_CATEGORIES = ['-*', 'devtools.timeline', 'v8', 'disabled-by-default-v8.gc', 'disabled-by-default-v8.compile'].join(',');

/** Starts a DevTools trace of the page `cdp` is attached to, read back with `readTrace`. */
export const startTrace = (cdp: CDPSession) => cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReturnAsStream' });

/** Ends the trace `startTrace` began and reads its events. */
export async function readTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e: { stream?: string }) => resolve(e.stream ?? '')));
  await cdp.send('Tracing.end');
  const stream = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}
