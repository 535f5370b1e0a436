/** Interaction: clicks on a criterion in the panel, and call mode's keys, each timed inside the panel frame. */
import type { Frame } from 'playwright-core';
import { pollUntil, sleep, TIMEOUT_MS, type Bench } from './page-cost-browser';
import { LEAD_PATH, SF_ORIGIN } from './page-cost-fixture';
import { landmark, panelFrames, panelShows, panelText, scoreMeter } from './page-cost-panel';
import type { Figure } from './page-cost';
import { fmtMs, percentile } from './page-cost-stats';

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

/** What a key press must have shown: a call line with this text and a criterion chip, or Budget in this state. */
type KeyDone = { line: string } | { budget: string };

/**
 * One key press in the panel, timed inside the panel frame as a click is above: from the keydown event's
 * timestamp until `until` shows in the panel's DOM, then until after the next frame ("painted").
 */
async function timeKey(frame: Frame, key: string, until: KeyDone, press: () => Promise<void>): Promise<number> {
  await frame.evaluate(
    ({ key, until, timeoutMs }) => {
      const done = () =>
        'line' in until
          ? [...document.querySelectorAll('.lq-call__line')].some((li) => li.textContent?.includes(until.line) && li.querySelector('.lq-chip'))
          : !!document.querySelector(`[data-criterion="budget"] input[value="${until.budget}"]:checked`);
      const w = window as unknown as { __benchKey?: Promise<number> };
      w.__benchKey = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${key}: not done within ${timeoutMs} ms`)), timeoutMs);
        addEventListener(
          'keydown',
          (event) => {
            const t0 = event.timeStamp;
            const painted = () =>
              requestAnimationFrame(() =>
                setTimeout(() => {
                  clearTimeout(timer);
                  resolve(performance.now() - t0);
                }),
              );
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
    { key, until, timeoutMs: TIMEOUT_MS },
  );
  await press();
  return frame.evaluate(() => (window as unknown as { __benchKey: Promise<number> }).__benchKey);
}

export interface CallKeySamples {
  /** Enter on `#budget …` in the call notes → the line listed with its criterion's chip. */
  taggedLine: number[];
  /** A state key (3 / 2) on Budget's states → that radio checked. */
  stateKey: number[];
}

/**
 * Call mode's keys (issue 17 part 5), `n` of each in one tab: a call is started, then `n` tagged note lines
 * (Enter in the notes box; what the rep sees first is the line with its chip, drawn before the background
 * has stored it) and `n` state keys on a criterion (alternating Confirmed and Partly, as a rep correcting
 * themselves), each timed from the key's event to the frame after the change.
 */
export async function measureCallKeys(bench: Bench, n: number, log: (s: string) => void): Promise<CallKeySamples> {
  const page = await bench.context.newPage();
  try {
    await page.goto(`${SF_ORIGIN}${LEAD_PATH}`, { waitUntil: 'load' });
    await pollUntil(panelShows(page, scoreMeter), 'the panel to show the lead score', () => panelText(page));
    const frame = panelFrames(page)[0]!;
    const panel = landmark(frame);
    await panel.getByRole('button', { name: 'Start call' }).click({ timeout: TIMEOUT_MS });
    const notes = panel.getByRole('combobox', { name: 'Call notes' });
    await notes.waitFor({ timeout: TIMEOUT_MS });
    const taggedLine: number[] = [];
    for (let i = 0; i < n; i++) {
      const text = `bench line ${i}`;
      await notes.fill(`#budget ${text}`, { timeout: TIMEOUT_MS });
      taggedLine.push(await timeKey(frame, 'Enter', { line: text }, () => notes.press('Enter', { timeout: TIMEOUT_MS })));
      await sleep(100); // the line's round trip to the background settles, as between a rep's lines
    }
    log(`  tagged note line (ms): ${fmtMs(taggedLine)}`);
    const budget = panel.getByRole('radiogroup', { name: 'Budget' });
    const stateKey: number[] = [];
    for (let i = 0; i < n; i++) {
      const [key, state] = i % 2 === 0 ? ['3', 'confirmed'] : ['2', 'partly'];
      await budget.locator('input:checked').focus({ timeout: TIMEOUT_MS });
      stateKey.push(await timeKey(frame, key, { budget: state }, () => page.keyboard.press(key)));
      await sleep(100);
    }
    log(`  criterion state key (ms): ${fmtMs(stateKey)}`);
    return { taggedLine, stateKey };
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** The report's lines for call mode's keys (target: p75 ≤ 50 ms, issue 17). */
export function callKeyFigures(samples: CallKeySamples, section: string): Figure[] {
  return [
    { section, name: `call mode: Enter on a #tagged note line → listed with its criterion, painted, p75 of ${samples.taggedLine.length}`, value: percentile(samples.taggedLine, 75), unit: 'ms', target: 50 },
    { section, name: `call mode: a criterion's state key (3/2 on Budget) → checked, painted, p75 of ${samples.stateKey.length}`, value: percentile(samples.stateKey, 75), unit: 'ms', target: 50 },
  ];
}
