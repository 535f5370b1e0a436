/**
 * The headless demo path, as `npm run demo -- --headless` runs it: the demo build in real Chromium on the
 * seeded demo CRM. A rejection made in the panel is saved, synced by the background to the demo CRM's
 * API (status, reason and a note with the structured block), and the screenshots are written.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, DEMO_LEAD, type RunningDemo } from '../../scripts/demo/run';
import { recycleWhileCrmIsDown, stopWorkerAndRestartCrm } from '../../scripts/demo/scenarios';
import { saveScreenshots } from '../../scripts/demo/screenshots';
import { parseTeamNote } from '../../src/domain/note-format';
import { E2E_WAIT_TIMEOUT_MS } from '../support/timeouts';
import { panelFrame, ROOT } from './harness';

let demo: RunningDemo;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lead-qualifier-demo-e2e-'));
  // npm run test:e2e builds the demo flavour first.
  demo = await runDemo({ headless: true, reset: true, port: 0, skipBuild: true, dataDir, root: ROOT, log: () => undefined });
  demo.context.setDefaultTimeout(E2E_WAIT_TIMEOUT_MS); // a hang guard: tests wait for conditions
});
afterAll(async () => {
  await demo?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo -- --headless', () => {
  it('shows the panel on a demo lead page, pre-connected, and syncs a rejection to the demo CRM', async () => {
    expect(demo.panelShown).toBe(true);
    const panel = panelFrame(demo.page).getByRole('complementary', { name: 'Lead qualification' });
    await panel.getByRole('meter', { name: 'Lead score' }).waitFor();
    const notesBefore = demo.crm.db.notes.filter((n) => n.leadId === DEMO_LEAD).length;

    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('no_budget');
    await panel.getByRole('textbox', { name: 'Note' }).fill('No budget this year; the CFO froze all new tools.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Rejected — No budget').waitFor();
    await panel.getByText('Synced to CRM').waitFor();

    const lead = demo.crm.db.leads.find((l) => l.id === DEMO_LEAD)!;
    expect(lead.status).toBe('Unqualified');
    expect(lead.reason).toBe('No budget');
    const notes = demo.crm.db.notes.filter((n) => n.leadId === DEMO_LEAD).slice(notesBefore);
    expect(notes).toHaveLength(1);
    expect(parseTeamNote(notes[0]!.body)).toMatchObject({ ok: true, content: { kind: 'decision', revision: { author: { name: 'Ana Souza', crm: 'demo' }, decision: { outcome: 'reject', reasonCode: 'no_budget', note: 'No budget this year; the CFO froze all new tools.' } } } });
    expect(notes[0]!.body).not.toMatch(/\bYou\b/);

    // The demo CRM's own lead page shows the change after a reload.
    await demo.page.reload();
    await expect(demo.page.locator('[data-field="status"]').textContent()).resolves.toBe('Unqualified');
    await expect(demo.page.locator('[data-notes]').textContent()).resolves.toContain('Lead qualification: Rejected: No budget');
  });

  it('keeps a decision made while the CRM is down, and sends it once after the service worker was killed', async () => {
    const leadId = 'L-1002';
    // The CRM goes away; the rep recycles the lead meanwhile.
    const { port, notesBefore } = await recycleWhileCrmIsDown(demo, leadId);
    const panel = panelFrame(demo.page).getByRole('complementary', { name: 'Lead qualification' });

    // The browser stops the service worker; the CRM comes back.
    // A mark in this worker's memory: a restarted worker does not have it.
    const worker = demo.context.serviceWorkers()[0]!;
    await worker.evaluate(() => void ((globalThis as { lifetimeMark?: number }).lifetimeMark = 1));
    await stopWorkerAndRestartCrm(demo, dataDir, port);

    // The panel's next question wakes a new worker, which resumes from the outbox.
    await panel.getByText('Synced to CRM').waitFor();
    // Chrome reuses the worker's target when it restarts; Playwright keeps the same handle for it.
    await expect(worker.evaluate(() => (globalThis as { lifetimeMark?: number }).lifetimeMark)).resolves.toBeUndefined();
    const lead = demo.crm.db.leads.find((l) => l.id === leadId)!;
    expect(lead.status).toBe('Nurture');
    expect(demo.crm.db.notes.filter((n) => n.leadId === leadId).length - notesBefore).toBe(1);
  });

  it('writes the screenshots: the lead page with the panel, and the dashboard with the imported decisions', async () => {
    const shots = await saveScreenshots(demo);
    expect(shots.map((s) => s.split('/').at(-1))).toEqual(['lead-with-panel.png', 'dashboard.png']);
    for (const shot of shots) {
      expect(existsSync(shot)).toBe(true);
      expect(statSync(shot).size).toBeGreaterThan(10_000);
    }
  });
});
