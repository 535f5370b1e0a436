/**
 * `npx vite-node scripts/docs-screenshots.ts [-- crm|call]`: the README's screenshots, written to
 * docs/screenshots/. `crm`: the panel on Salesforce- and HubSpot-shaped pages (recorded fixtures at the
 * CRMs' real URLs), from the store build (`npm run build` first). `call`: the panel beside the demo CRM's
 * first lead, and in call mode in a 1280×720 window, from the demo build (`npm run build:demo` first).
 * Default: both.
 */
import { join } from 'node:path';
import { DEMO_LEAD } from './demo/run';
import { startDemoCrm } from './demo-crm/server';
import { CRM_HOSTS, DEMO_EXTENSION_DIR, launchExtension, panelFrame, ROOT } from '../test/e2e/harness';

const only = process.argv.slice(2).find((a) => a === 'crm' || a === 'call');
const out = (file: string) => join(ROOT, 'docs', 'screenshots', file);

const shots = [
  { file: 'salesforce-lead-panel.png', url: `${CRM_HOSTS.salesforce.origin}/lightning/r/Lead/00Q5e00000AbCdEEAV/view` },
  { file: 'hubspot-contact-panel.png', url: `${CRM_HOSTS.hubspot.origin}/contacts/4412345/record/0-1/5120001` },
];

async function crmShots() {
  const h = await launchExtension();
  try {
    for (const shot of shots) {
      const page = await h.context.newPage();
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(shot.url);
      await panelFrame(page).getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: out(shot.file) });
      console.log(`▸ ${out(shot.file)}`);
      await page.close();
    }
  } finally {
    await h.close();
  }
}

/**
 * Call mode at 1280×720 on the demo CRM's Priya Raman (a demo request an hour ago): three lines tied to
 * criteria, Budget confirmed, a line being tagged with the criteria list open; then the outcome choice.
 */
async function callShots() {
  const { server, crm, url } = await startDemoCrm(0, {});
  const h = await launchExtension({ extensionDir: DEMO_EXTENSION_DIR, allow: [url] });
  try {
    const first = await h.context.newPage();
    await first.setViewportSize({ width: 1400, height: 900 });
    await first.goto(`${url}/leads/${DEMO_LEAD}`);
    await panelFrame(first).getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 });
    await first.waitForTimeout(300);
    await first.screenshot({ path: out('demo-lead-panel.png') });
    console.log(`▸ ${out('demo-lead-panel.png')}`);
    await first.close();

    const page = await h.context.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    const lead = crm.db.leads.find((l) => l.lastName === 'Raman')!;
    await page.goto(`${url}/leads/${lead.id}`);
    const panel = panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
    await panel.getByRole('meter', { name: 'Lead score' }).waitFor({ timeout: 15_000 });
    await panel.getByRole('button', { name: 'Start call' }).click();
    const notes = panel.getByRole('combobox', { name: 'Call notes' });
    const lines = panel.getByRole('list', { name: 'Notes of this call' }).getByRole('listitem');
    for (const [i, line] of ['#budget 40k set aside for Q2, signed off in October', '#auth The COO signs anything above 20k', '#need Month-end close takes nine days'].entries()) {
      await notes.pressSequentially(line);
      await page.keyboard.press('Enter');
      await lines.nth(i).waitFor();
    }
    const budget = panel.getByRole('radiogroup', { name: 'Budget' });
    await budget.getByRole('radio', { name: 'Unknown' }).focus();
    await page.keyboard.press('3');
    await budget.getByRole('radio', { name: 'Confirmed', exact: true, checked: true }).waitFor();
    await notes.focus();
    await notes.pressSequentially('#ti');
    await panel.getByRole('listbox', { name: 'Criteria to tie the line to' }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: out('demo-call-mode.png') });
    console.log(`▸ ${out('demo-call-mode.png')}`);

    await page.keyboard.press('Escape');
    await notes.fill('');
    await page.keyboard.press('Alt+Shift+KeyC');
    const form = panel.getByRole('form', { name: 'How did the call end?' });
    await form.getByRole('radio', { name: 'Meeting booked' }).check();
    await form.getByRole('button', { name: 'Log call', disabled: false }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: out('demo-call-end.png') });
    console.log(`▸ ${out('demo-call-end.png')}`);
  } finally {
    await h.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

if (only !== 'call') await crmShots();
if (only !== 'crm') await callShots();
