/**
 * The manager dashboard in real Chromium (demo build, the demo CRM running), with seeded decisions:
 * filters change the table, a decision's detail shows what the rep saw and a verified history, the CSV
 * download holds exactly the filtered rows, the team's decisions come in from the CRM, and axe is clean.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionIdOf, runDemo, type RunningDemo } from '../../scripts/demo/run';
import { axeScan, smallTargets } from './axe';
import { E2E_WAIT_TIMEOUT_MS } from '../support/timeouts';
import { ROOT } from './harness';

const SEEDED = 300;
let demo: RunningDemo;
let dataDir: string;
let page: Page;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lead-qualifier-dashboard-e2e-'));
  demo = await runDemo({ headless: true, reset: true, port: 0, skipBuild: true, dataDir, root: ROOT, log: () => undefined });
  demo.context.setDefaultTimeout(E2E_WAIT_TIMEOUT_MS); // a hang guard: tests wait for conditions
  const id = await extensionIdOf(demo.context);
  page = await demo.context.newPage();
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`chrome-extension://${id}/dashboard.html?seed=${SEEDED}`);
});
afterAll(async () => {
  await demo?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

const count = () => page.locator('p.lqd-count[role="status"]').textContent();

describe('team dashboard (real Chromium)', () => {
  it('lists the seeded decisions, and filters change the table', async () => {
    await page.getByRole('heading', { level: 1, name: 'Team dashboard' }).waitFor();
    await expect.poll(count).toBe(`${SEEDED} decisions`);
    const table = page.getByRole('table', { name: 'Decisions' });
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: 'Rejected' });
    await expect.poll(count).toMatch(new RegExp(`^\\d+ of ${SEEDED} decisions$`));
    const rejected = Number((await count())!.split(' ')[0]);
    expect(rejected).toBeGreaterThan(0);
    expect(rejected).toBeLessThan(SEEDED);
    // The count comes first; the rows are read block by block after it (until then they say "Loading").
    const rows = table.locator('tbody tr[data-index]');
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const outcomes = await rows.evaluateAll((trs) => trs.map((r) => r.textContent ?? ''));
    expect(outcomes.length).toBeGreaterThan(3);
    for (const text of outcomes) expect(text).toContain('Rejected');
    expect(await axeScan(page)).toEqual([]);
    expect(await smallTargets(page.mainFrame())).toEqual([]);
  });

  it('opens a decision: the lead, what the rep saw, and a verified history', async () => {
    await page.getByRole('table', { name: 'Decisions' }).getByRole('button', { name: /^Open / }).first().click();
    await page.getByRole('region', { name: 'What the rep saw when deciding' }).or(page.getByLabel('What the rep saw when deciding')).first().waitFor();
    await expect(page.getByText(/^History verified: \d+ revisions?/).first().textContent()).resolves.toMatch(/checks out/);
    expect(await axeScan(page)).toEqual([]);
    await page.getByRole('button', { name: 'Back to the decisions' }).click();
    await page.getByRole('table', { name: 'Decisions' }).waitFor();
  });

  it('downloads the filtered decisions as CSV, exactly those rows', async () => {
    const filtered = Number((await count())!.split(' ')[0]);
    await page.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name: 'Export' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Decisions matching the filters/ }).click()]);
    const file = join(dataDir, download.suggestedFilename());
    await download.saveAs(file);
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(filtered);
    expect(new Set(parsed.data.map((r) => r.Outcome))).toEqual(new Set(['Rejected']));
  });

  it('imports the team’s decisions from the connected CRM', async () => {
    // The demo CRM is connected once one of its lead pages was shown (runDemo opened one).
    await page.getByRole('navigation', { name: 'Dashboard sections' }).getByRole('button', { name: 'Decisions' }).click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('button', { name: 'Import from CRM' }).click();
    await expect.poll(() => page.getByText(/^\d+ new decisions?, .* refused, .*\.$/).count()).toBe(1);
    const imported = demo.crm.db.notes.length;
    await expect.poll(count).toMatch(/ decisions$/);
    // The count follows the import once its query has run again: wait for that, not for a moment.
    const totalShown = async () => Number((await count())!.replace(/^.* of /, '').split(' ')[0]);
    await expect.poll(totalShown).toBeGreaterThan(SEEDED);
    const total = await totalShown();
    expect(total).toBeLessThanOrEqual(SEEDED + imported);
    await page.screenshot({ path: join(demo.screenshotsDir, 'dashboard.png') });
  });
});
