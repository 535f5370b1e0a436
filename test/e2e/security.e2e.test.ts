/**
 * A hostile page at a CRM URL, in real Chromium with the built extension (issue 18): a script there
 * must not be able to make the panel act on a lead the rep is no longer on.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_HOSTS, launchExtension, type ExtensionHarness } from './harness';

const SF = CRM_HOSTS.salesforce.origin;
const LEAD = `${SF}/lightning/r/Lead/00Q5e00000AbCdEEAV/view`;
/** Any org's page on a Lightning host: not a lead page, but the panel is web-accessible there. */
const HOSTILE = `${SF}/lightning/page/home`;

let h: ExtensionHarness;
beforeAll(async () => {
  h = await launchExtension();
  // The page embeds the panel itself, the way a stored-XSS script or a widget on the CRM could.
  await h.context.route(`${HOSTILE}*`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><h1>Home</h1>
<iframe id="forged" title="forged" style="width:400px;height:600px" src="chrome-extension://${h.extensionId}/panel.html"></iframe></body></html>`,
    }),
  );
});
afterAll(async () => {
  await h?.close();
});

/** The level-2 heading of the panel in the page's forged frame. */
async function forgedPanelHeading(page: Page) {
  const landmark = page.frameLocator('#forged').getByRole('complementary', { name: 'Lead qualification' });
  await landmark.waitFor({ state: 'visible' });
  return landmark.getByRole('heading', { level: 2 }).textContent();
}

describe('a tab that leaves a lead for a page without one (finding 1)', () => {
  it('forgets the lead: a panel the new page embeds shows no lead and offers no decision', async () => {
    const page = await h.open(LEAD);
    await page.frameLocator('iframe[title="Lead qualification"]').getByRole('heading', { level: 2, name: 'Jane Doe' }).waitFor();

    // A full page load in the same tab, to a page that frames the panel on its own.
    await page.goto(HOSTILE, { waitUntil: 'load' });
    await expect.poll(() => forgedPanelHeading(page)).toBe('Reading the lead…');
    const forged = page.frameLocator('#forged');
    expect(await forged.getByRole('button', { name: 'Recycle to nurture' }).count()).toBe(0);
    expect(await forged.getByRole('button', { name: 'Reject' }).count()).toBe(0);
    await page.close();
  });
});
