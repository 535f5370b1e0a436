/** Interaction: clicks on a criterion in the panel, each timed inside the panel frame. */
import type { Frame } from 'playwright-core';
import { pollUntil, sleep, TIMEOUT_MS, type Bench } from './page-cost-browser';
import { LEAD_PATH, SF_ORIGIN } from './page-cost-fixture';
import { landmark, panelFrames, panelShows, panelText, scoreMeter } from './page-cost-panel';
import { fmtMs } from './page-cost-stats';

/**
 * One click on a criterion's radio, timed inside the panel frame: from the click event's timestamp (when
 * the browser received the input) until the radio is checked and the checklist's progress text changed,
 * then until after the next frame (a task queued from requestAnimationFrame runs once the frame is
 * produced: "painted", to one frame's resolution, ~16 ms at 60 Hz). Playwright's own actionability checks
 * before the click are not in the figure.
 */
async function timeClick(frame: Frame, state: 'Confirmed' | 'Partly'): Promise<number> {
  const radio = landmark(frame).getByRole('radiogroup', { name: 'Budget' }).getByRole('radio', { name: state, exact: true });
  await radio.evaluate(
    (input, timeoutMs) => {
      // The checklist's progress line ("1 of 4 BANT confirmed"), looked up each time: React may replace it.
      const progress = () => document.querySelector('.lq-progress')?.textContent ?? '';
      const before = progress();
      const w = window as unknown as { __benchClick?: Promise<number> };
      w.__benchClick = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no checked radio and new progress text within ${timeoutMs} ms`)), timeoutMs);
        addEventListener(
          'click',
          (event) => {
            const t0 = event.timeStamp;
            const done = () => (input as HTMLInputElement).checked && progress() !== before;
            const painted = () =>
              requestAnimationFrame(() =>
                setTimeout(() => {
                  clearTimeout(timer);
                  resolve(performance.now() - t0);
                }),
              );
            if (done()) return painted();
            const observer = new MutationObserver(() => {
              if (!done()) return;
              observer.disconnect();
              painted();
            });
            observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
          },
          { capture: true, once: true },
        );
      });
    },
    TIMEOUT_MS,
  );
  // click, not check: the radio is controlled, so it may read unchecked until the answer is saved, which
  // Playwright's check() takes for a failed click. The promise above waits for the checked state.
  await radio.click({ timeout: TIMEOUT_MS });
  return frame.evaluate(() => (window as unknown as { __benchClick: Promise<number> }).__benchClick);
}

/** `clicks` timed clicks in one tab, alternating between two answers; their times in ms. */
export async function measureClicks(bench: Bench, clicks: number, log: (s: string) => void): Promise<number[]> {
  const page = await bench.context.newPage();
  try {
    await page.goto(`${SF_ORIGIN}${LEAD_PATH}`, { waitUntil: 'load' });
    await pollUntil(panelShows(page, scoreMeter), 'the panel to show the lead score', () => panelText(page));
    const frame = panelFrames(page)[0]!;
    const samples: number[] = [];
    for (let i = 0; i < clicks; i++) {
      samples.push(await timeClick(frame, i % 2 === 0 ? 'Confirmed' : 'Partly'));
      await sleep(100); // let the answer's save settle, as between a rep's clicks
    }
    log(`  clicks (ms): ${fmtMs(samples)}`);
    return samples;
  } finally {
    await page.close().catch(() => undefined);
  }
}
