/**
 * Call mode end to end (issue 17 parts 5 and 6), the demo build in real Chromium on the demo CRM, in a
 * 1280×720 window: a rep starts a call on Priya (a demo request an hour ago, ICP firm: SQL-ready), notes
 * three lines tied to three criteria (a `#tag`, a prefix tag, Alt+Shift+3), reloads the page (the call, its
 * lines and the text typed but not entered are still there), marks two criteria confirmed
 * with the state keys (the recommendation never ranks worse after any step), logs the call as connected,
 * and the demo CRM receives exactly one call activity. A second call logged as "no answer" makes two
 * attempts, and the rejection form's "Contact attempts" for "unresponsive" starts at 2. While on the call,
 * the notes, the questions' answer boxes and the checklist are inside the window, and axe finds nothing.
 */
import type { Server } from 'node:http';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_TOKEN, startDemoCrm, type DemoCrm } from '../../scripts/demo-crm/server';
import { axeScan } from './axe';
import { DEMO_EXTENSION_DIR, launchExtension, panelFrame, panelIframe, type ExtensionHarness } from './harness';

const RANK = { disqualify: 0, nurture: 1, sql: 2 } as const;

let server: Server;
let crm: DemoCrm;
let url: string;
let leadId: string;
let h: ExtensionHarness;
let page: Page;

beforeAll(async () => {
  ({ server, crm, url } = await startDemoCrm(0, {}));
  leadId = crm.db.leads.find((l) => l.lastName === 'Raman')!.id;
  h = await launchExtension({ extensionDir: DEMO_EXTENSION_DIR, allow: [url] });
  page = await h.context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`${url}/leads/${leadId}`, { waitUntil: 'load' });
});
afterAll(async () => {
  await h?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

const panel = () => panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
const outcome = async () => (await panel().getByRole('region', { name: 'Recommendation' }).getAttribute('data-outcome')) as keyof typeof RANK;
/** The call activities the demo CRM holds for the lead, as its API answers. */
async function callsInCrm(): Promise<{ outcome: string; body: string; subject: string }[]> {
  const res = await fetch(`${url}/api/v1/leads/${leadId}/activities`, { headers: { authorization: `Bearer ${DEMO_API_TOKEN}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { type: string; outcome: string; body: string; subject: string }[] }).results.filter((a) => a.type === 'call');
}
/** The typed-not-entered text of each call in progress, as the background stored it (its IndexedDB). */
function pendingInStore(): Promise<string[]> {
  return h.serviceWorker.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('lead-qualifier');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction('callDrafts').objectStore('callDrafts').getAll();
          all.onsuccess = () => {
            db.close();
            resolve((all.result as { pending: string }[]).map((d) => d.pending));
          };
        };
      }),
  );
}
/** Whether the element is inside the panel frame's box (seen without scrolling). */
async function onScreen(locator: Locator): Promise<boolean> {
  const [box, frameBox] = await Promise.all([locator.boundingBox(), panelIframe(page).then((f) => f.boundingBox())]);
  return !!box && !!frameBox && box.y >= frameBox.y && box.y + box.height <= frameBox.y + frameBox.height && box.height > 0;
}

describe('call mode on the demo CRM', () => {
  it('a call with tagged lines and confirmed criteria: the recommendation never drops, the CRM gets one call', async () => {
    const notes = () => panel().getByRole('combobox', { name: 'Call notes' });
    await panel().getByRole('meter', { name: 'Lead score' }).waitFor();
    const seen: (keyof typeof RANK)[] = [await outcome()];
    expect(seen[0]).toBe('sql'); // a live demo request at an ICP firm
    /** After each step: the recommendation ranks no worse than before (ADR 18's invariant, as the rep sees it). */
    const step = async () => {
      const now = await outcome();
      expect(RANK[now], `after step ${seen.length}: ${seen.join(' → ')} → ${now}`).toBeGreaterThanOrEqual(RANK[seen.at(-1)!]);
      seen.push(now);
    };

    await panel().getByRole('button', { name: 'Start call' }).click();
    await expect.poll(() => notes().evaluate((el) => el === document.activeElement)).toBe(true);
    await panel().getByRole('timer', { name: 'Call time' }).waitFor();
    await step();

    // Three lines, tied three ways: a #tag, a prefix of a label, and Alt+Shift+3 (the third criterion, Need).
    const lines = panel().getByRole('list', { name: 'Notes of this call' }).getByRole('listitem');
    await notes().pressSequentially('#budget 40k set aside for Q2');
    await panel().getByRole('button', { name: 'Untie from Budget' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => lines.allTextContents()).toEqual([expect.stringMatching(/Budget40k set aside for Q2×$/)]);
    await step();
    await notes().pressSequentially('#auth The COO signs anything above 20k');
    await page.keyboard.press('Enter');
    await expect.poll(() => lines.count()).toBe(2);
    await step();
    await notes().pressSequentially('Month-end close takes nine days');
    await page.keyboard.press('Alt+Shift+Digit3');
    await panel().getByRole('button', { name: 'Untie from Need' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => lines.allTextContents()).toEqual([
      expect.stringMatching(/Budget40k set aside for Q2×$/),
      expect.stringMatching(/AuthorityThe COO signs anything above 20k×$/),
      expect.stringMatching(/NeedMonth-end close takes nine days×$/),
    ]);
    await step();

    // A reload keeps the call: its lines, its time, and what was typed and not entered yet.
    await notes().pressSequentially('They also use spread');
    await notes().blur();
    await expect.poll(() => pendingInStore()).toEqual(['They also use spread']);
    await page.reload({ waitUntil: 'load' });
    await panel().getByRole('timer', { name: 'Call time' }).waitFor();
    expect(await lines.count()).toBe(3);
    expect(await notes().inputValue()).toBe('They also use spread');
    await notes().fill('');
    await notes().blur();
    await expect.poll(() => pendingInStore()).toEqual(['']);

    // On a call at 1280×720: the notes, every question's answer box and the whole checklist, unscrolled.
    await expect.poll(() => panel().evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
    expect(await onScreen(notes())).toBe(true);
    const boxes = panel().getByRole('textbox', { name: /^Answer to: / });
    expect(await boxes.count()).toBe(3);
    for (const box of await boxes.all()) expect(await onScreen(box)).toBe(true);
    for (const c of ['Budget', 'Authority', 'Need', 'Timeline']) {
      for (const state of ['Unknown', 'Disconfirmed']) expect(await onScreen(panel().getByRole('radiogroup', { name: c }).getByRole('radio', { name: state })), `${c}: ${state}`).toBe(true);
    }
    expect(await axeScan(page, (u) => u.includes('panel.html'))).toEqual([]);

    // Two criteria confirmed with the state keys (3 = Confirmed), focus on their states.
    for (const criterion of ['Budget', 'Authority']) {
      const group = panel().getByRole('radiogroup', { name: criterion });
      await group.getByRole('radio', { name: 'Unknown' }).focus();
      await page.keyboard.press('3');
      await expect.poll(() => group.getByRole('radio', { name: 'Confirmed', exact: true }).isChecked()).toBe(true);
      await expect.poll(() => panel().locator('.lq-progress').textContent()).toMatch(criterion === 'Budget' ? /^1 of 4/ : /^2 of 4/);
      await step();
    }

    // Alt+Shift+C ends the call: the outcome choice, focus on its first option (Connected).
    await notes().focus();
    await page.keyboard.press('Alt+Shift+KeyC');
    const form = panel().getByRole('form', { name: 'How did the call end?' });
    await expect.poll(() => form.getByRole('radio', { name: 'Connected' }).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    // Logging writes to the CRM, so it waits until the panel has been fully in view a moment (ADR 15). By
    // keyboard, as this rep works: a mouse click would also want the pointer in the panel a moment first.
    await form.getByRole('button', { name: 'Log call', disabled: false }).press('Enter');
    await panel().getByRole('button', { name: 'Start call' }).waitFor();
    await step();
    await panel().getByText('1 attempt logged', { exact: true }).waitFor();
    await panel().getByRole('list', { name: 'Logged calls' }).getByText(/^Logged · synced to /).waitFor();

    // The CRM has the call once, with the three lines under their criteria.
    await expect.poll(async () => (await callsInCrm()).length).toBe(1);
    const [call] = await callsInCrm();
    expect(call!.outcome).toBe('connected');
    expect(call!.body).toContain('[Budget] 40k set aside for Q2');
    expect(call!.body).toContain('[Authority] The COO signs anything above 20k');
    expect(call!.body).toContain('[Need] Month-end close takes nine days');
    // The tagged lines are the criteria's evidence now.
    expect(await panel().getByRole('textbox', { name: 'Budget evidence' }).inputValue()).toContain('40k set aside for Q2');
    expect(await panel().getByRole('textbox', { name: 'Need evidence' }).inputValue()).toContain('Month-end close takes nine days');
    expect(seen.every((o) => o === 'sql')).toBe(true);
  });

  it('a second attempt, no answer: two attempts, counted for "unresponsive", and still one call per attempt in the CRM', async () => {
    await panel().getByRole('button', { name: 'Start call' }).focus();
    await page.keyboard.press('Alt+Shift+KeyC');
    await panel().getByRole('timer', { name: 'Call time' }).waitFor();
    await panel().getByRole('button', { name: 'End call' }).click();
    const form = panel().getByRole('form', { name: 'How did the call end?' });
    await form.getByRole('radio', { name: 'No answer' }).check();
    await form.getByRole('button', { name: 'Log call', disabled: false }).click();
    await panel().getByText('2 attempts logged', { exact: true }).waitFor();
    await expect.poll(async () => (await callsInCrm()).map((c) => c.outcome)).toEqual(['connected', 'no_answer']);
    await expect.poll(() => panel().getByRole('list', { name: 'Logged calls' }).getByText(/^Logged · synced to /).count()).toBe(2);
    expect((await callsInCrm()).length).toBe(2);

    await panel().getByRole('button', { name: 'Reject', exact: true }).click();
    await panel().getByRole('combobox', { name: 'Reason code' }).selectOption('unresponsive');
    expect(await panel().getByRole('spinbutton', { name: 'Contact attempts' }).inputValue()).toBe('2');
    expect(await axeScan(page, (u) => u.includes('panel.html'))).toEqual([]);
  });
});
