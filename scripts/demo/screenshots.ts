import { join } from 'node:path';
import type { RunningDemo } from './run';

/** Screenshots of the lead page with the panel (and the dashboard, once it exists), for headless runs. */
export async function saveScreenshots(demo: RunningDemo): Promise<string[]> {
  const shots: string[] = [];
  const lead = join(demo.screenshotsDir, 'lead-with-panel.png');
  await demo.page.frameLocator('iframe[title="Lead qualification"]').getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 }).catch(() => undefined);
  await demo.page.screenshot({ path: lead });
  shots.push(lead);
  return shots;
}
