/**
 * Loads the built extension into real Chromium (playwright-core + a system Chromium) and serves recorded
 * CRM fixture pages at the CRMs' real URLs, so the content script injects as it would on the real site.
 * Nothing leaves the machine: every other http(s) request is aborted.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Route, type Worker } from 'playwright-core';
import { extensionLaunchArgs, findChromium } from '../../scripts/lib/find-chromium.mjs';
import { E2E_WAIT_TIMEOUT_MS } from '../support/timeouts';
import { CHANNEL } from '../../src/messaging/envelope';
import type { Revision } from '../../src/domain/dispositions';

// The panel's iframe is in a closed shadow root (ADR 0015): Playwright's selectors cannot find it; these can.
export { currentPanelFrame, noPanelIframe, PANEL_HOST, panelFrame, panelIframe, panelIframes, panelToggle } from './panel-frame';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const EXTENSION_DIR = resolve(ROOT, '.output', 'chrome-mv3');

const fixture = (path: string) => readFileSync(join(ROOT, 'src', 'crm', path), 'utf8');

/**
 * Fixture hosts and which recorded page each URL gets. The lead/record test is deliberately simpler than
 * the extension's detection, so a detection bug cannot also change what the page shows.
 */
export const CRM_HOSTS = {
  salesforce: {
    origin: 'https://acme.lightning.force.com',
    isRecordPage: (url: URL) => /^\/lightning\/r\/(Lead\/)?00Q/.test(url.pathname),
    recordPage: () => fixture('salesforce/fixtures/lead-view.html'),
  },
  hubspot: {
    origin: 'https://app-eu1.hubspot.com',
    isRecordPage: (url: URL) => /^\/contacts\/\d+\/(record\/0-1|contact)\//.test(url.pathname),
    recordPage: () => fixture('hubspot/fixtures/contact-record.html'),
  },
} as const;

function genericPage(url: URL): string {
  const title = url.pathname.replace(/[<>&"]/g, '');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1><p>Not a record page.</p></main></body></html>`;
}

export interface ExtensionHarness {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  /** A new tab at `url`, loaded. */
  open(url: string): Promise<Page>;
  close(): Promise<void>;
}

/** The demo flavour's build (`npm run build:demo`): the store build plus the bundled demo CRM. */
export const DEMO_EXTENSION_DIR = resolve(ROOT, '.output', 'chrome-mv3-demo');

/** One browser profile with the built extension: each call is another person's browser. */
export async function launchExtension(options: { extensionDir?: string; /** Origins reached for real (local stand-ins, e.g. the demo CRM on 127.0.0.1). */ allow?: string[] } = {}): Promise<ExtensionHarness> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run \`npm run build\` (npm run test:e2e does).`);
  }
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: run `node scripts/ensure-chromium.mjs` or set CHROME_PATH.');

  const profileDir = mkdtempSync(join(tmpdir(), 'lead-qualifier-e2e-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: extensionLaunchArgs(extensionDir, { headless: true, sandbox: false }),
    });
    // Every wait, click and navigation in this context (a hang guard: tests wait for conditions).
    context.setDefaultTimeout(E2E_WAIT_TIMEOUT_MS);

    // Routes registered later run first: the catch-all only sees what the fixture routes leave.
    await context.route(/^https?:\/\//, (route) => route.abort('blockedbyclient'));
    for (const origin of options.allow ?? []) await context.route(`${origin}/**`, (route) => route.continue());
    for (const host of Object.values(CRM_HOSTS)) {
      await context.route(`${host.origin}/**`, (route: Route) => {
        const url = new URL(route.request().url());
        if (route.request().resourceType() !== 'document') return route.fulfill({ status: 204 });
        const body = host.isRecordPage(url) ? host.recordPage() : genericPage(url);
        return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body });
      });
    }

    const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(serviceWorker.url()).host;
    // The persistent context opens with one blank tab; tests open their own.
    const ctx = context;

    return {
      context: ctx,
      serviceWorker,
      extensionId,
      async open(url) {
        const page = await ctx.newPage();
        await page.goto(url, { waitUntil: 'load' });
        return page;
      },
      async close() {
        await ctx.close().catch(() => {});
        rmSync(profileDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close().catch(() => {});
    rmSync(profileDir, { recursive: true, force: true });
    throw error;
  }
}

/** The parts of a built MV3 manifest the tests look at. */
export interface BuiltManifest {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches?: string[]; js?: string[]; run_at?: string }[];
  web_accessible_resources?: { resources: string[]; matches?: string[]; use_dynamic_url?: boolean }[];
}

/** The built manifest, as Chromium loads it from disk. */
export function builtManifestText(): string {
  return readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8');
}

/**
 * Host access for a CRM's API, as a rep gives it: the site is added in the extension's "Site access" on
 * chrome://extensions (what `developerPrivate.addHostPermission` does for that page), which Chrome keeps
 * as a grant by the user. The extension's own `permissions.request` for those origins (the options
 * page's Connect) is then answered yes without a prompt, the one step automation cannot click (ADR 11).
 * With `request`, that request is made here, from the options page, with Playwright's user gesture.
 * Without host access an extension fetch is a CORS request, and Chrome hides every response header
 * that is not CORS-safelisted (`Retry-After` among them) from the service worker.
 */
export async function grantHostAccess(context: BrowserContext, extensionId: string, origins: string[], options: { request?: boolean } = {}): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(`chrome://extensions/?id=${extensionId}`);
    const refused = await page.evaluate(
      ({ id, origins }) => {
        type DevPrivate = { addHostPermission(id: string, host: string, done: () => void): void };
        const c = (globalThis as unknown as { chrome: { developerPrivate: DevPrivate; runtime: { lastError?: { message: string } } } }).chrome;
        return Promise.all(origins.map((o) => new Promise<string | undefined>((resolve) => c.developerPrivate.addHostPermission(id, o, () => resolve(c.runtime.lastError?.message)))));
      },
      { id: extensionId, origins },
    );
    if (refused.some(Boolean)) throw new Error(`chrome://extensions did not add ${origins.join(', ')}: ${refused.join('; ')}`);
    if (!options.request) return;
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    const granted = await page.evaluate((origins) => (globalThis as unknown as { chrome: { permissions: { request(p: object): Promise<boolean> } } }).chrome.permissions.request({ origins }), origins);
    if (!granted) throw new Error(`The extension was not granted ${origins.join(', ')}.`);
  } finally {
    await page.close();
  }
}

/** What Chromium does to an idle extension worker, on purpose: CDP `ServiceWorker.stopAllWorkers` (`page` gives the session). */
export async function stopServiceWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Sends a routed request to `base` (a stand-in on 127.0.0.1) instead, and returns the answer, not yet given to the browser. */
export async function forwardRequest(route: Route, base: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const req = route.request();
  const url = new URL(req.url());
  const headers = { ...req.headers() };
  delete headers.host;
  const data = req.postDataBuffer();
  const res = await fetch(`${base}${url.pathname}${url.search}`, { method: req.method(), headers, body: data ? new Uint8Array(data) : undefined });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Stores a CRM connection the way a finished sign-in does (launchWebAuthFlow's window cannot be driven
 * by automation, ADR 11): straight into the extension's own IndexedDB, from one of its pages.
 */
export async function storeConnection(h: Pick<ExtensionHarness, 'context' | 'extensionId'>, crm: string, connection: unknown): Promise<void> {
  const page = await h.context.newPage();
  await page.goto(`chrome-extension://${h.extensionId}/options.html`);
  await page.evaluate(
    async ({ crm, connection }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('lead-qualifier');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const tx = db.transaction('settings', 'readwrite');
      const store = tx.objectStore('settings');
      const existing = await new Promise<{ value?: Record<string, unknown> } | undefined>((resolve) => {
        const g = store.get('connections');
        g.onsuccess = () => resolve(g.result as never);
      });
      store.put({ key: 'connections', value: { ...(existing?.value ?? {}), [crm]: connection } });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    },
    { crm, connection },
  );
  await page.close();
}

/** The connection a Salesforce sign-in to the org at `org` makes (stand-in credentials, login.salesforce.com). */
export function salesforceSignIn(org: string, credentials: object) {
  return {
    crm: 'salesforce',
    apiBase: org,
    label: 'Salesforce org (stand-in)',
    credentials: { ...credentials, tokenUrl: 'https://login.salesforce.com/services/oauth2/token' },
    mapping: { statusField: 'Status', status: { accept: 'Working - Contacted', reject: 'Closed - Not Converted', recycle: 'Open - Not Contacted' }, reasonField: '', reasons: {} },
    connectedAt: new Date().toISOString(),
    state: 'connected',
  };
}

/**
 * Gives the rep's name and email on the options page, as a rep does once when no connected CRM says who
 * they are (no connection yet, or a HubSpot private-app token): decisions are then signed with it.
 */
export async function giveRepName(h: Pick<ExtensionHarness, 'context' | 'extensionId'>, name = 'Sam Rep', email = 'sam.rep@ourco.example'): Promise<void> {
  const page = await h.context.newPage();
  await page.goto(`chrome-extension://${h.extensionId}/options.html`);
  const section = page.getByRole('region', { name: 'Who you are' });
  await section.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await section.getByRole('textbox', { name: 'Work email' }).fill(email);
  await section.getByRole('button', { name: 'Save name and email' }).click();
  await section.getByText('Saved. Decisions the CRM cannot sign are signed with this name.').waitFor();
  await page.close();
}

/** Sends a message as a top-level extension page (the options page) does, and returns the reply. */
export async function sendAsExtensionPage(h: Pick<ExtensionHarness, 'context' | 'extensionId'>, type: string, payload: unknown): Promise<{ ok: boolean; data?: unknown; error?: { message: string } }> {
  const page = await h.context.newPage();
  await page.goto(`chrome-extension://${h.extensionId}/options.html`);
  const reply = await page.evaluate(
    ({ channel, type, payload }) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ channel, type, payload }),
    { channel: CHANNEL, type, payload },
  );
  await page.close();
  return reply as never;
}

/** Every revision a profile's store holds (read from one of its extension pages). */
export async function revisionsIn(h: Pick<ExtensionHarness, 'context' | 'extensionId'>): Promise<Revision[]> {
  const page = await h.context.newPage();
  await page.goto(`chrome-extension://${h.extensionId}/options.html`);
  const all = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('lead-qualifier');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const rows = await new Promise<unknown[]>((resolve) => {
      const q = db.transaction('revisions').objectStore('revisions').getAll();
      q.onsuccess = () => resolve(q.result as unknown[]);
    });
    db.close();
    return rows;
  });
  await page.close();
  return all as Revision[];
}
