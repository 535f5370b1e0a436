/** The panel, seen from Playwright: where it is, what it shows, and the page's clock against Node's. */
import type { Frame, Locator, Page } from 'playwright-core';
import { nodeNow } from './page-cost-browser';
import { shownName } from './page-cost-fixture';

/**
 * The panel's frames. The panel is a chrome-extension:// iframe in the extension's own process; Playwright
 * knows it from CDP frame events, so finding it here runs no script in the CRM page (a `page.frameLocator`
 * would, in the page's process, and count in the page's figures).
 */
export const panelFrames = (page: Page): Frame[] => page.frames().filter((f) => f.url().startsWith('chrome-extension://') && !f.isDetached());
export const landmark = (frame: Frame) => frame.getByRole('complementary', { name: 'Lead qualification' });

/** What the page's child frames show (for errors): each one's URL and the text of its body, cut short. */
export async function panelText(page: Page): Promise<string> {
  const children = page.frames().filter((f) => f !== page.mainFrame());
  if (children.length === 0) return 'no panel frame';
  const text = async (f: Frame) => (await f.locator('body').innerText({ timeout: 1_000 }).catch(() => '(no body)')).replace(/\s+/g, ' ').slice(0, 300);
  return (await Promise.all(children.map(async (f) => `${f.url()}: ${await text(f)}`))).join(' | ');
}

/** True when some panel frame shows `locate(frame)`; the look runs in the panel's process only. */
export function panelShows(page: Page, locate: (frame: Frame) => Locator) {
  return async () => {
    for (const frame of panelFrames(page)) if (await locate(frame).first().isVisible()) return true;
    return false;
  };
}
export const scoreMeter = (frame: Frame) => landmark(frame).getByRole('meter', { name: 'Lead score' });
export const leadHeading = (name: string) => (frame: Frame) => landmark(frame).getByRole('heading', { level: 2, name: shownName(name), exact: true });

/**
 * The browser's epoch clock minus Node's, from the look with the shortest round trip (error ≤ half of it,
 * well under a millisecond here). Both read the same system clock; this removes what small skew there is
 * between Chromium's timeOrigin-based clock and Node's.
 */
export async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const before = nodeNow();
    const browser = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = nodeNow();
    if (after - before < best.rtt) best = { rtt: after - before, offset: browser - (before + after) / 2 };
  }
  return best.offset;
}
