import { join } from 'node:path';
import { panelFrame } from '../../test/e2e/panel-frame';
import { extensionIdOf, type RunningDemo } from './run';

/**
 * Screenshots for headless runs: the lead page with the panel, and the manager dashboard after importing
 * the team's decisions from the demo CRM (its seed holds earlier decisions, some breaching the SLA).
 */
export async function saveScreenshots(demo: RunningDemo, options: { dashboardSeed?: number } = {}): Promise<string[]> {
  const shots: string[] = [];
  const lead = join(demo.screenshotsDir, 'lead-with-panel.png');
  await panelFrame(demo.page).getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 }).catch(() => undefined);
  await demo.page.screenshot({ path: lead });
  shots.push(lead);

  const id = await extensionIdOf(demo.context);
  const page = await demo.context.newPage();
  try {
    await page.setViewportSize({ width: 1400, height: 1000 });
    const seed = options.dashboardSeed ? `?seed=${options.dashboardSeed}` : '';
    await page.goto(`chrome-extension://${id}/dashboard.html${seed}`);
    await page.getByRole('button', { name: 'Import from CRM' }).click({ timeout: 20_000 });
    await page.getByText(/^\d+ new decisions?, .*\.$|^Import finished\.$/).waitFor({ timeout: 30_000 });
    await page.getByRole('table', { name: 'Decisions' }).locator('tbody tr[data-index]').first().waitFor({ timeout: 10_000 });
    const dashboard = join(demo.screenshotsDir, 'dashboard.png');
    await page.screenshot({ path: dashboard });
    shots.push(dashboard);
  } finally {
    await page.close();
  }
  return shots;
}
