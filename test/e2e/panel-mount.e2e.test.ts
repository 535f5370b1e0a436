/**
 * The content script mounts the lead panel on CRM lead pages, and only there, in real Chromium with the
 * built extension; it follows the CRMs' client-side navigation. Also guards the manifest's permissions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtManifestText, CRM_HOSTS, EXTENSION_DIR, launchExtension, noPanelIframe, PANEL_HOST, panelFrame, panelIframe, panelIframes, ROOT, type BuiltManifest, type ExtensionHarness } from './harness';

/** What the test evaluates inside the extension's service worker. */
declare const chrome: { runtime: { getManifest(): { permissions?: string[] } } };

const SF = CRM_HOSTS.salesforce.origin;
const HS = CRM_HOSTS.hubspot.origin;
const LEAD_A = '00Q5e00000AbCdEEAV';
const LEAD_B = '00Q5e00000ZzYyXEAV';

let h: ExtensionHarness;
const pages: Page[] = [];

beforeAll(async () => {
  h = await launchExtension();
});
afterAll(async () => {
  await h?.close();
});

async function open(url: string) {
  const page = await h.open(url);
  pages.push(page);
  return page;
}

/** The panel's landmark inside the extension iframe; resolves once it is visible. */
async function panelLandmark(page: Page) {
  const landmark = panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
  await landmark.waitFor({ state: 'visible' });
  return landmark;
}

async function panelHeading(page: Page) {
  const landmark = await panelLandmark(page);
  return landmark.getByRole('heading', { level: 2 }).textContent();
}

/** The panel stays absent for a while (the content script has had time to run and decide). */
async function expectNoPanelFor(page: Page, ms = 1_500) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    expect(await panelIframes(page)).toHaveLength(0);
    await page.waitForTimeout(100);
  }
}

/** The panel shows this lead (its name is the landmark's level-2 heading). */
async function expectPanelShows(page: Page, name: string) {
  try {
    await panelFrame(page).getByRole('heading', { level: 2, name }).waitFor();
  } catch (e) {
    const shown = await panelFrame(page).getByRole('heading', { level: 2 }).allTextContents().catch(() => ['(no panel)']);
    throw new Error(`The panel should show "${name}" but shows ${JSON.stringify(shown)}`, { cause: e });
  }
}

const SF_LEAD_VIEW = readFileSync(join(ROOT, 'src', 'crm', 'salesforce', 'fixtures', 'lead-view.html'), 'utf8');

/** What Lightning does a moment after a client-side navigation: render the new record's view. */
async function crmRendersLead(page: Page, name: string) {
  await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    document.head.replaceChildren(...doc.head.childNodes); // title, and the styles that hide older views
    const panel = document.querySelector('[data-lead-qualifier-panel]');
    document.body.replaceChildren(...doc.body.childNodes);
    if (panel) document.body.append(panel);
  }, SF_LEAD_VIEW.replaceAll('Jane Doe', name));
}

/** Client-side navigation as the CRM's router does it. */
async function pushState(page: Page, path: string) {
  await page.evaluate((p) => history.pushState({}, '', p), path);
}

describe('lead panel in real Chromium', () => {
  it('Salesforce lead page: the panel appears with its landmark and the lead read from the page', async () => {
    const page = await open(`${SF}/lightning/r/Lead/${LEAD_A}/view`);
    const iframe = await panelIframe(page);
    expect(await panelIframes(page)).toHaveLength(1);
    expect(await iframe.getAttribute('src')).toContain(LEAD_A);
    // The visible record's name, not the hidden older view's: read by the content script, served by the background.
    await expect.poll(() => panelHeading(page)).toBe('Ms. Jane Doe');
    // Docked on the right, full height, not covering the whole page.
    const box = (await iframe.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(Math.round(box.x + box.width)).toBe(viewport.width);
    expect(box.width).toBeGreaterThanOrEqual(300);
    expect(box.width).toBeLessThanOrEqual(400);
    expect(Math.round(box.height)).toBe(viewport.height);
    await page.close();
  });

  it('Salesforce Contact page: no panel (and the content script is there: a lead shows it)', async () => {
    const page = await open(`${SF}/lightning/r/Contact/0035e00000XyZaBQAZ/view`);
    await expectNoPanelFor(page);
    await pushState(page, `/lightning/r/Lead/${LEAD_A}/view`);
    await panelLandmark(page);
    await crmRendersLead(page, 'Ada Park');
    await expectPanelShows(page, 'Ms. Ada Park');
    await page.close();
  });

  it('follows client-side navigation: list view removes the panel, another lead shows it again', async () => {
    const page = await open(`${SF}/lightning/r/Lead/${LEAD_A}/view`);
    await expectPanelShows(page, 'Ms. Jane Doe');

    await pushState(page, '/lightning/o/Lead/list?filterName=Recent');
    await noPanelIframe(page);
    await expectNoPanelFor(page, 500);

    await pushState(page, `/lightning/r/Lead/${LEAD_B}/view`);
    await crmRendersLead(page, 'Bo Okafor');
    await expectPanelShows(page, 'Ms. Bo Okafor');
    expect(await (await panelIframe(page)).getAttribute('src')).toContain(LEAD_B);

    // Straight from one lead to another: one panel; the old record's name is never shown for the new id.
    await pushState(page, `/lightning/r/${LEAD_A}/view`);
    // The content script tells the background it left Bo (the page still shows him) instead of pairing the
    // new id with his fields: the panel says so, rather than showing Bo under Jane's id.
    await expectPanelShows(page, 'Reading the lead…');
    expect(await panelHeading(page)).not.toBe('Ms. Bo Okafor');
    await crmRendersLead(page, 'Jane Doe');
    await expectPanelShows(page, 'Ms. Jane Doe');
    expect(await panelIframes(page)).toHaveLength(1);

    // Back button (a traversal, not a push) returns to lead B, and the CRM renders him again. (A same-document
    // traversal fires no load event: `commit`, not goBack's default wait for one. A page that did not render
    // him would show "Reading the lead…" until the reporter's 10 s timeout: it never pairs his id with Jane's fields.)
    await page.goBack({ waitUntil: 'commit' });
    await crmRendersLead(page, 'Bo Okafor');
    await expectPanelShows(page, 'Ms. Bo Okafor');
    await page.close();
  });

  it('puts the panel back when the CRM removes it', async () => {
    const page = await open(`${SF}/lightning/r/Lead/${LEAD_A}/view`);
    await panelLandmark(page);
    await page.evaluate((sel) => document.querySelector(sel)?.remove(), PANEL_HOST);
    await expectPanelShows(page, 'Ms. Jane Doe');
    expect(await panelIframes(page)).toHaveLength(1);
    await page.close();
  });

  it('HubSpot contact record (EU data centre): the panel appears', async () => {
    const page = await open(`${HS}/contacts/1234567/record/0-1/987654`);
    expect(await (await panelIframe(page)).getAttribute('src')).toContain('987654');
    await expect.poll(() => panelHeading(page)).toBe('Maria Garcia');
    await page.close();
  });

  it('HubSpot contact list: no panel', async () => {
    const page = await open(`${HS}/contacts/1234567/objects/0-1/views/all/list`);
    await expectNoPanelFor(page);
    await page.close();
  });
});

describe('manifest guard', () => {
  const text = builtManifestText();
  const manifest = JSON.parse(text) as BuiltManifest;

  // sidePanel: the browser's side panel as the panel's place (ADR 20); it shows no install warning.
  it('asks for exactly storage, alarms, identity and sidePanel, and no host permission at install', () => {
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'identity', 'sidePanel']);
    expect(manifest.optional_permissions ?? []).toEqual([]);
    expect(manifest.host_permissions ?? []).toEqual([]);
  });

  it('asks for the CRMs’ API hosts only as optional permissions, requested on connect', () => {
    expect(manifest.optional_host_permissions).toEqual([
      'https://*.my.salesforce.com/*',
      'https://api.hubapi.com/*',
      'https://api.hubspot.com/*',
      'https://login.salesforce.com/*',
      'https://test.salesforce.com/*',
    ]);
  });

  it('has no <all_urls> or catch-all pattern anywhere', () => {
    expect(text).not.toContain('<all_urls>');
    expect(text).not.toMatch(/"\*:\/\/\*\/\*"|"https?:\/\/\*\/\*"/);
  });

  it('panel.html is web-accessible only on the CRM pages the content script runs on, and only at its dynamic address', () => {
    const scriptMatches = (manifest.content_scripts ?? []).flatMap((s) => s.matches ?? []);
    expect(scriptMatches.length).toBeGreaterThan(0);
    const panelEntries = (manifest.web_accessible_resources ?? []).filter((w) => w.resources.includes('panel.html'));
    expect(panelEntries).toHaveLength(1);
    expect([...(panelEntries[0]!.matches ?? [])].sort()).toEqual([...scriptMatches].sort());
    // The per-session id `runtime.getURL` gives, not the extension's fixed id (ADR 0015).
    expect(panelEntries[0]!.use_dynamic_url).toBe(true);
  });

  it('Chromium loaded the same permissions', async () => {
    const loaded = await h.serviceWorker.evaluate(() => chrome.runtime.getManifest().permissions);
    expect(loaded).toEqual(['storage', 'alarms', 'identity', 'sidePanel']);
  });
});

describe('content script budget (ADR 0001)', () => {
  const manifest = JSON.parse(builtManifestText()) as BuiltManifest;
  const files = (manifest.content_scripts ?? []).flatMap((s) => s.js ?? []);
  const code = files.map((f) => readFileSync(join(EXTENSION_DIR, f))).reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));

  it('is one script per CRM, each within 25 KB gzip, and each carries its own CRM\'s reader only', () => {
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(gzipSync(readFileSync(join(EXTENSION_DIR, f))).length).toBeLessThanOrEqual(25 * 1024);
    const text = (name: string) => readFileSync(join(EXTENSION_DIR, files.find((f) => f.endsWith(`/${name}.js`))!), 'utf8');
    // Selectors only one CRM's reader uses (src/crm/<name>/selectors.ts).
    expect(text('hubspot')).toContain('data-selenium-test');
    expect(text('hubspot')).not.toContain('records-highlights2');
    expect(text('salesforce')).toContain('records-highlights2');
    expect(text('salesforce')).not.toContain('data-selenium-test');
  });

  it('bundles no React, no zod and no Dexie (it sends typed reports and receives nothing, ADR 14)', () => {
    const text = code.toString('utf8');
    expect(text).toContain('page.leadShown');
    expect(text).not.toMatch(/react\.(transitional\.)?element|__REACT_DEVTOOLS|react\.dev\/errors/);
    expect(text).not.toMatch(/\$?Zod[A-Z]\w*/);
    expect(text).not.toMatch(/\bDexie/);
  });

  it('posts nothing to the CRM page: the content script runs our own context, not WXT\'s runtime (wxt.config.ts)', () => {
    const text = code.toString('utf8');
    // The DOM event with which a newer copy of the script stops an older one (WXT's name) is there …
    expect(text).toContain('wxt:content-script-started');
    // … but not WXT's runtime (its logger, its location-change event on the page's window), and nothing posts.
    expect(text).not.toMatch(/cancelIdleCallback|locationWatcher/);
    expect(text).not.toMatch(/postMessage/);
  });

  it('asks Chrome to compile it eagerly: each file starts with the explicit compile hint (wxt.config.ts, ADR 14)', () => {
    for (const f of files) expect(readFileSync(join(EXTENSION_DIR, f), 'utf8').startsWith('//# allFunctionsCalledOnLoad\n')).toBe(true);
  });
});
