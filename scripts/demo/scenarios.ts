/**
 * Steps on a running demo (`runDemo`) that the end-to-end suite and the bench share: a decision made while
 * the demo CRM is down, and the browser stopping the extension's service worker while the CRM comes back.
 */
import { join } from 'node:path';
import { startDemoCrm } from '../demo-crm/server';
import { panelFrame } from '../../test/e2e/panel-frame';
import type { RunningDemo } from './run';

/** The panel on one demo lead, once it shows the lead's score. */
export async function openLeadPanel(demo: RunningDemo, leadId: string) {
  await demo.page.goto(`${demo.crmUrl}/leads/${leadId}`);
  const panel = panelFrame(demo.page).getByRole('complementary', { name: 'Lead qualification' });
  await panel.getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 });
  return panel;
}

/**
 * Stops the demo CRM, then recycles the lead to nurture in the panel: the decision is saved on the device
 * and waits to be sent. Returns the CRM's port (to start it again) and how many notes the lead had.
 */
export async function recycleWhileCrmIsDown(demo: RunningDemo, leadId: string): Promise<{ port: number; notesBefore: number }> {
  const panel = await openLeadPanel(demo, leadId);
  const notesBefore = demo.crm.db.notes.filter((n) => n.leadId === leadId).length;
  const port = Number(new URL(demo.crmUrl).port);
  demo.server.closeAllConnections();
  await new Promise<void>((r) => demo.server.close(() => r()));
  await panel.getByRole('button', { name: 'Recycle to nurture' }).click();
  await panel.getByLabel('Re-check on').fill('2027-03-01');
  await panel.getByRole('button', { name: 'Save disposition' }).click();
  await panel.getByText(/Saved on this device\. Will retry: The demo CRM could not be reached/).waitFor({ timeout: 15_000 });
  return { port, notesBefore };
}

/** Chromium stops the extension's service worker (CDP), and the demo CRM starts again on its port. */
export async function stopWorkerAndRestartCrm(demo: RunningDemo, dataDir: string, port: number): Promise<void> {
  const cdp = await demo.context.newCDPSession(demo.page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach().catch(() => undefined);
  const again = await startDemoCrm(port, { dataFile: join(dataDir, 'crm.json') });
  demo.server = again.server;
  demo.crm = again.crm;
}
