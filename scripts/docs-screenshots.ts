/**
 * `npx vite-node scripts/docs-screenshots.ts`: the README's screenshots of the panel on Salesforce- and
 * HubSpot-shaped pages (recorded fixtures at the CRMs' real URLs), from the built extension
 * (`npm run build` first). Written to docs/screenshots/.
 */
import { join } from 'node:path';
import { CRM_HOSTS, launchExtension, ROOT } from '../test/e2e/harness';

const shots = [
  { file: 'salesforce-lead-panel.png', url: `${CRM_HOSTS.salesforce.origin}/lightning/r/Lead/00Q5e00000AbCdEEAV/view` },
  { file: 'hubspot-contact-panel.png', url: `${CRM_HOSTS.hubspot.origin}/contacts/4412345/record/0-1/5120001` },
];

const h = await launchExtension();
try {
  for (const shot of shots) {
    const page = await h.context.newPage();
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(shot.url);
    await page.frameLocator('iframe[title="Lead qualification"]').getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(300);
    const path = join(ROOT, 'docs', 'screenshots', shot.file);
    await page.screenshot({ path });
    console.log(`▸ ${path}`);
    await page.close();
  }
} finally {
  await h.close();
}
