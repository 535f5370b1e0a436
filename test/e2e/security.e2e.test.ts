/**
 * A hostile page at a CRM URL, in real Chromium with the built extension (issue 18): a script there
 * must not be able to make the panel act on a lead the rep is no longer on, frame the panel itself,
 * clickjack it, find it, or change who the lead is.
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/crm/hubspot/note-html';
import { parseTeamNote } from '../../src/domain/note-format';
import { CHANNEL } from '../../src/messaging/envelope';
import { startHubSpotStandIn, type HubSpotStandIn } from '../stand-ins/hubspot';
import { CRM_HOSTS, forwardRequest, giveRepName, launchExtension, PANEL_HOST, panelFrame, panelIframe, revisionsIn, type ExtensionHarness } from './harness';

declare const chrome: {
  runtime: { sendMessage(m: unknown): Promise<unknown>; getURL(path: string): string };
  tabs: { getCurrent(): Promise<{ id?: number } | undefined> };
  storage: { session: { get(keys: string[] | null): Promise<Record<string, unknown>> } };
};

const SF = CRM_HOSTS.salesforce.origin;
const LEAD = `${SF}/lightning/r/Lead/00Q5e00000AbCdEEAV/view`;
/** Any org's page on a Lightning host: not a lead page, but the panel is web-accessible there. */
const HOSTILE = `${SF}/lightning/page/home`;
const REFUSED = 'This panel was not opened by Lead Qualifier on this page, so it shows no lead and cannot act. If you expected the panel here, reload the page.';
const PAUSED = 'Saving is paused while this panel is covered or not fully in view. Bring it fully into view to save.';

let h: ExtensionHarness;
/**
 * The panel's address this browser session (`use_dynamic_url`): a page cannot learn it, so the tests
 * hand it to the hostile page, the worst case (a leak), to show that the frame binding holds even then.
 */
let panelAddress: string;
beforeAll(async () => {
  h = await launchExtension();
  panelAddress = await h.serviceWorker.evaluate(() => chrome.runtime.getURL('/panel.html'));
  // The page embeds the panel itself, the way a stored-XSS script or a widget on the CRM could.
  await h.context.route(`${HOSTILE}*`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title></head><body><h1>Home</h1>
<iframe id="forged" title="forged" style="width:400px;height:600px" src="${panelAddress}"></iframe></body></html>`,
    }),
  );
  // No CRM connected here: decisions are signed with the name the rep gave.
  await giveRepName(h);
});
afterAll(async () => {
  await h?.close();
});

/** The forged frame's document (a frame of panel.html the page made, outside our shadow root). */
async function forgedFrame(page: Page, id = 'forged'): Promise<Frame> {
  await expect.poll(async () => (await (await page.$(`#${id}`))?.contentFrame())?.url() ?? '').toMatch(/^chrome-extension:\/\/.+\/panel\.html/);
  return (await (await page.$(`#${id}`))!.contentFrame())!;
}

/** A message sent from inside a frame of panel.html: what our own code there could send, more than a page can. */
function sendFrom(frame: Frame, type: string, payload: unknown) {
  return frame.evaluate(({ channel, type, payload }) => chrome.runtime.sendMessage({ channel, type, payload }), { channel: CHANNEL, type, payload }) as Promise<{ ok: boolean; error?: { code: string } }>;
}

/** The panel of a lead page, once it shows the lead. */
async function openLead(url: string, name: string) {
  const page = await h.open(url);
  const panel = panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
  await panel.getByRole('heading', { level: 2, name }).waitFor();
  return { page, panel };
}

/** Revisions saved for a Salesforce record id. */
const revisionsOf = async (recordId: string) => (await revisionsIn(h)).filter((r) => r.snapshot.lead.recordId === recordId);

describe('a tab that leaves a lead for a page without one (finding 1)', () => {
  it('forgets the lead: a panel the new page embeds is refused, and nothing it sends acts on the old lead', async () => {
    const { page } = await openLead(LEAD, 'Ms. Jane Doe');

    // A full page load in the same tab, to a page that frames the panel on its own (at its address).
    await page.goto(HOSTILE, { waitUntil: 'load' });
    const forged = await forgedFrame(page);
    await forged.getByRole('status').filter({ hasText: REFUSED }).waitFor();
    expect(await forged.getByRole('button', { name: 'Recycle to nurture' }).count()).toBe(0);
    expect(await forged.getByRole('heading', { name: 'Ms. Jane Doe' }).count()).toBe(0);
    // Refused as a sender, whatever the tab was paired with when the frame spoke (before: "no lead" at best,
    // or the old lead's state when the frame was quicker than the new page's content script).
    expect(await sendFrom(forged, 'panel.getState', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await sendFrom(forged, 'panel.saveDisposition', { decision: { outcome: 'recycle', recheckOn: '2027-06-01' }, today: '2026-12-02' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The tab is paired with no lead any more, and has no bound panel frame.
    const tabId = await forged.evaluate(async () => (await chrome.tabs.getCurrent())?.id);
    expect(tabId).toEqual(expect.any(Number));
    const stored = await h.serviceWorker.evaluate((id) => chrome.storage.session.get([`tab:${id}`, `frame:${id}`]), tabId!);
    expect(stored[`tab:${tabId}`]).toBeUndefined();
    expect(stored[`frame:${tabId}`]).not.toHaveProperty('bound');
    expect(await revisionsOf('00Q5e00000AbCdEEAV')).toEqual([]);
    await page.close();
  });
});

describe('a page script that frames the panel itself or clickjacks it (finding 2)', () => {
  it('a frame of panel.html the page made on a lead page, with or without a made-up token, is refused and saves nothing', async () => {
    const { page, panel } = await openLead(`${SF}/lightning/r/Lead/00Q5e00000KkLlMEAV/view`, 'Ms. Jane Doe');
    // The page's script, over decoy buttons, nearly transparent: the attack of the issue.
    await page.evaluate(
      ({ address }) => {
        for (const [id, src] of [
          ['forged-plain', address],
          ['forged-token', `${address}?crm=salesforce&recordId=00Q5e00000KkLlMEAV#t=${'f'.repeat(32)}`],
        ]) {
          const decoy = document.createElement('button');
          decoy.textContent = 'Claim your prize';
          const frame = document.createElement('iframe');
          frame.id = id!;
          frame.src = src!;
          frame.style.cssText = 'position:absolute;left:0;top:0;width:380px;height:800px;opacity:0.0001;z-index:10';
          document.body.append(decoy, frame);
        }
      },
      { address: panelAddress },
    );
    for (const id of ['forged-plain', 'forged-token']) {
      const forged = await forgedFrame(page, id);
      await forged.getByRole('status').filter({ hasText: REFUSED }).waitFor();
      expect(await forged.getByRole('button').count()).toBe(0);
      expect(await sendFrom(forged, 'panel.saveDisposition', { decision: { outcome: 'recycle', recheckOn: '2027-06-01' }, today: '2026-12-02' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    // The real panel still works: the forged frames' claims used up nothing of it.
    await panel.getByRole('button', { name: 'Recycle to nurture' }).click();
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText(/^Saved on this device/).waitFor();
    expect((await revisionsOf('00Q5e00000KkLlMEAV')).map((r) => r.decision.outcome)).toEqual(['recycle']);

    // The extension's fixed address cannot be framed at all (only the per-session one `getURL` gives).
    await page.evaluate((id) => {
      const frame = document.createElement('iframe');
      frame.id = 'forged-fixed';
      frame.src = `chrome-extension://${id}/panel.html`;
      document.body.append(frame);
    }, h.extensionId);
    await expect.poll(async () => (await (await page.$('#forged-fixed'))?.contentFrame())?.url()).toBe('chrome-error://chromewebdata/');
    await page.close();
  });

  it('the page cannot find the panel’s iframe or read its address, nor restyle its host with a style sheet', async () => {
    const { page } = await openLead(`${SF}/lightning/r/Lead/00Q5e00000NnOoPEAV/view`, 'Ms. Jane Doe');
    const seen = await page.evaluate(() => {
      const host = document.querySelector('[data-lead-qualifier-panel]')!;
      const sheet = document.createElement('style');
      sheet.textContent = '[data-lead-qualifier-panel], [data-lead-qualifier-panel] * { display: none !important; opacity: 0 !important; width: 0 !important; }';
      document.head.append(sheet);
      const style = getComputedStyle(host);
      return {
        iframes: document.querySelectorAll('iframe').length,
        frames: window.frames.length,
        shadowRoot: host.shadowRoot === null ? 'none' : 'open',
        children: host.childNodes.length,
        html: document.documentElement.outerHTML,
        timings: performance.getEntries().map((e) => e.name),
        style: { display: style.display, opacity: style.opacity, width: style.width, position: style.position },
      };
    });
    expect(seen).toMatchObject({ iframes: 0, frames: 0, shadowRoot: 'none', children: 0, style: { display: 'block', opacity: '1', width: '380px', position: 'fixed' } });
    expect(seen.html).not.toContain('panel.html');
    expect(seen.html).not.toContain(h.extensionId);
    expect(seen.timings.filter((name) => name.startsWith('chrome-extension:'))).toEqual([]);
    await page.close();
  });

  it('restyled or covered by the page, the panel pauses saving and says so; in view again, it saves', async () => {
    const recordId = '00Q5e00000RrSsTEAV';
    const { page, panel } = await openLead(`${SF}/lightning/r/Lead/${recordId}/view`, 'Ms. Jane Doe');
    await panel.getByRole('button', { name: 'Recycle to nurture' }).click();
    const save = panel.getByRole('button', { name: 'Save disposition' });
    // Below the panel's fold, the button is not in view: saving waits until the rep scrolls to it.
    await save.scrollIntoViewIfNeeded();
    await expect.poll(() => save.getAttribute('aria-disabled')).toBeNull(); // in view: saving works

    // The page's script makes the real panel see-through (its host is in the page's DOM)…
    await page.evaluate((sel) => document.querySelector<HTMLElement>(sel)!.style.setProperty('opacity', '0.0001', 'important'), PANEL_HOST);
    await expect.poll(() => save.getAttribute('aria-disabled')).toBe('true');
    await panel.getByText(PAUSED).waitFor();
    await save.click({ force: true }); // a click that reaches it anyway does nothing
    await page.evaluate((sel) => document.querySelector<HTMLElement>(sel)!.style.setProperty('opacity', '1', 'important'), PANEL_HOST);
    await expect.poll(() => save.getAttribute('aria-disabled')).toBeNull();

    // …or lays a decoy over it that lets clicks through.
    await page.evaluate(() => {
      const decoy = document.createElement('div');
      decoy.id = 'decoy';
      decoy.textContent = 'Click twice to continue';
      decoy.style.cssText = 'position:fixed;inset:0;z-index:2147483647;pointer-events:none;background:rgba(255,255,255,0.01)';
      document.body.append(decoy);
    });
    await expect.poll(() => save.getAttribute('aria-disabled')).toBe('true');
    await save.click({ force: true });
    await page.evaluate(() => document.getElementById('decoy')!.remove());

    // In view again (for a moment): the rep's own click saves, once.
    await save.click();
    await panel.getByText(/^Saved on this device/).waitFor();
    expect((await revisionsOf(recordId)).map((r) => r.decision.outcome)).toEqual(['recycle']);
    expect(await (await panelIframe(page)).isVisible()).toBe(true);
    await page.close();
  });

  it('client-side navigation from lead to lead keeps the same panel frame bound: it acts on the new lead', async () => {
    const { page, panel } = await openLead(`${SF}/lightning/r/Lead/00Q5e00000UuVvWEAV/view`, 'Ms. Jane Doe');
    const before = await panelIframe(page);
    const frameBefore = await before.contentFrame();
    await page.evaluate(() => history.pushState({}, '', '/lightning/r/Lead/00Q5e00000XxYyZEAV/view'));
    // Then the CRM renders the new record around our panel (which it leaves where it is).
    await page.evaluate(
      ({ html, sel }) => {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        document.title = doc.title;
        for (const child of [...document.body.children]) if (!child.matches(sel)) child.remove();
        document.body.prepend(...doc.body.childNodes);
      },
      { html: CRM_HOSTS.salesforce.recordPage().replaceAll('Jane Doe', 'Bo Okafor'), sel: PANEL_HOST },
    );
    await panel.getByRole('heading', { level: 2, name: 'Ms. Bo Okafor' }).waitFor();
    expect(await (await panelIframe(page)).contentFrame()).toBe(frameBefore); // not reloaded
    await panel.getByRole('button', { name: 'Recycle to nurture' }).click();
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText(/^Saved on this device/).waitFor();
    expect((await revisionsOf('00Q5e00000XxYyZEAV')).map((r) => r.decision.outcome)).toEqual(['recycle']);
    await page.close();
  });
});

describe('the gate wants the whole frame on screen, not only the Save row (follow-up finding 3)', () => {
  it('the host moved up so that only the Save row shows: Save turns disabled and a forced click saves nothing', async () => {
    const recordId = '00Q5e00000GgHhIEAV';
    const { page, panel } = await openLead(`${SF}/lightning/r/Lead/${recordId}/view`, 'Ms. Jane Doe');
    await panel.getByRole('button', { name: 'Recycle to nurture' }).click();
    const save = panel.getByRole('button', { name: 'Save disposition' });
    await save.scrollIntoViewIfNeeded();
    await expect.poll(() => save.getAttribute('aria-disabled')).toBeNull();
    // Where Save is in the panel's viewport; the page then moves the host up by that much, keeping its height:
    // the Save row (and only a strip around it) stays on screen, fully visible and uncovered.
    const box = await save.evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
    await page.evaluate(
      ({ sel, top }) => {
        const host = document.querySelector<HTMLElement>(sel)!;
        const height = host.getBoundingClientRect().height;
        host.style.setProperty('top', `${top}px`, 'important');
        host.style.setProperty('bottom', 'auto', 'important');
        host.style.setProperty('height', `${height}px`, 'important');
      },
      { sel: PANEL_HOST, top: -(box.top - 4) },
    );
    await expect.poll(() => save.getAttribute('aria-disabled')).toBe('true');
    await panel.getByText(PAUSED).waitFor();
    await save.click({ force: true });
    // Back in place: it saves again (the rep's own click).
    await page.evaluate((sel) => {
      const host = document.querySelector<HTMLElement>(sel)!;
      for (const name of ['top', 'bottom', 'height']) host.style.removeProperty(name);
      host.style.setProperty('top', '0', 'important');
      host.style.setProperty('bottom', '0', 'important');
    }, PANEL_HOST);
    await expect.poll(() => save.getAttribute('aria-disabled')).toBeNull();
    expect(await revisionsOf(recordId)).toEqual([]);
    // (From the keyboard: a pointer's click right after the frame moved under it would wait for the pointer
    // to have been in the panel a moment, finding 2.)
    await save.press('Enter');
    await panel.getByText(/^Saved on this device/).waitFor();
    expect((await revisionsOf(recordId)).map((r) => r.decision.outcome)).toEqual(['recycle']);
    await page.close();
  });
});

describe('the page switches to another lead between the rep’s input and Save (follow-up finding 1)', () => {
  /** Keeps the background's "the tab's lead changed" pushes from the panels until `release` (the race, made certain). */
  const holdLeadPushes = () =>
    h.serviceWorker.evaluate(() => {
      const runtime = chrome.runtime as unknown as { sendMessage(m: unknown): Promise<unknown>; __send?: (m: unknown) => Promise<unknown> };
      runtime.__send ??= runtime.sendMessage.bind(runtime);
      runtime.sendMessage = (m: unknown) => ((m as { type?: string })?.type === 'panel.leadChanged' ? Promise.resolve() : runtime.__send!(m));
    });
  const releaseLeadPushes = () =>
    h.serviceWorker.evaluate(() => {
      const runtime = chrome.runtime as unknown as { sendMessage(m: unknown): Promise<unknown>; __send?: (m: unknown) => Promise<unknown> };
      if (runtime.__send) runtime.sendMessage = runtime.__send;
    });
  /** The CRM's client-side navigation: the URL, then the record's view, around our panel. */
  const showRecord = (page: Page, path: string, name: string) =>
    page.evaluate(
      ({ html, sel, path }) => {
        history.pushState({}, '', path);
        const doc = new DOMParser().parseFromString(html, 'text/html');
        document.title = doc.title;
        for (const child of [...document.body.children]) if (!child.matches(sel)) child.remove();
        document.body.prepend(...doc.body.childNodes);
      },
      { html: CRM_HOSTS.salesforce.recordPage().replaceAll('Jane Doe', name), sel: PANEL_HOST, path },
    );
  /** The lead the background pairs with a tab showing `recordId` (the tab the test drives). */
  const tabShows = (recordId: string) =>
    h.serviceWorker.evaluate(async (id) => {
      const all = await chrome.storage.session.get(null);
      return Object.entries(all).some(([k, v]) => k.startsWith('tab:') && (v as { recordId?: string }).recordId === id);
    }, recordId);

  afterAll(() => releaseLeadPushes());

  it('a Save that reaches the background after the page moved to lead B is refused: nothing saved on B, the rep is told, the draft is kept', async () => {
    const a = '00Q5e00000JjKkLEAV';
    const b = '00Q5e00000MmNnOEAV';
    const { page, panel } = await openLead(`${SF}/lightning/r/Lead/${a}/view`, 'Ms. Jane Doe');
    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('not_icp');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Typed while looking at Jane Doe.');

    // The hostile page navigates to B right before the rep's click; the panel has not heard of it yet.
    await holdLeadPushes();
    await showRecord(page, `/lightning/r/Lead/${b}/view`, 'Bo Okafor');
    await expect.poll(() => tabShows(b)).toBe(true);
    await panel.getByRole('heading', { level: 2, name: 'Ms. Jane Doe' }).waitFor(); // still A on screen
    await panel.getByRole('button', { name: 'Save disposition' }).click();

    // Said in the panel (above the lead, so it stays when the panel shows the other lead).
    await panelFrame(page).getByRole('alert').filter({ hasText: /^The page switched to another lead before this was saved: nothing was saved\. Check the lead and save again\./ }).waitFor();
    // The panel read its state again: it shows the lead the tab shows now, nothing decided on it.
    await panel.getByRole('heading', { level: 2, name: 'Ms. Bo Okafor' }).waitFor();
    await panel.getByRole('button', { name: 'Reject', exact: true }).waitFor();
    expect(await revisionsOf(b)).toEqual([]);
    expect(await revisionsOf(a)).toEqual([]);

    // Back on A (pushes flowing again): the form is as the rep left it.
    await releaseLeadPushes();
    await showRecord(page, `/lightning/r/Lead/${a}/view`, 'Jane Doe');
    await panel.getByRole('heading', { level: 2, name: 'Ms. Jane Doe' }).waitFor();
    await expect.poll(() => panel.getByRole('textbox', { name: 'Note' }).inputValue()).toBe('Typed while looking at Jane Doe.');
    expect(await panel.getByRole('combobox', { name: 'Reason code' }).inputValue()).toBe('not_icp');
    await page.close();
  });
});

describe('a page script that rewrites the record view of a connected CRM (finding 3)', () => {
  let hs: HubSpotStandIn;
  let contactId: string;

  beforeAll(async () => {
    hs = await startHubSpotStandIn();
    contactId = hs.addContact({ firstname: 'Maria', lastname: 'Garcia', email: 'maria.garcia@umbrella.example', jobtitle: 'Head of Revenue Operations', company: 'Umbrella Analytics', numemployees: '100-500', industry: 'COMPUTER_SOFTWARE', hs_lead_status: 'NEW' });
    await h.context.route('https://api.hubapi.com/**', async (route) => route.fulfill(await forwardRequest(route, hs.url)));
    // Connected with a private-app token (what the options page's Connect sends); it names no user, so the rep gives their name.
    const options = await h.context.newPage();
    await options.goto(`chrome-extension://${h.extensionId}/options.html`);
    const reply = await options.evaluate(({ channel, token }) => chrome.runtime.sendMessage({ channel, type: 'options.connect', payload: { auth: 'token', crm: 'hubspot', token } }), { channel: CHANNEL, token: hs.token });
    expect(reply).toMatchObject({ ok: true, data: { state: 'connected' } });
    await options.close();
    await giveRepName(h);
  });
  afterAll(() => hs?.close());

  it('shows and decides on the lead as HubSpot has it, with the record id, and flags what the page says otherwise', async () => {
    const url = `${CRM_HOSTS.hubspot.origin}/contacts/${hs.portalId}/record/0-1/${contactId}`;
    // The contact's own page, with a script (stored XSS, a widget) that renames the person before anyone reads it.
    const rewrite = `<script>
for (const el of document.querySelectorAll('[data-selenium-test="highlightTitle"]')) el.textContent = 'Eve Mallory';
document.title = 'Eve Mallory | HubSpot';
</script>`;
    await h.context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: CRM_HOSTS.hubspot.recordPage().replace('</body>', `${rewrite}</body>`) }));
    const page = await h.open(url);
    expect(await page.title()).toBe('Eve Mallory | HubSpot');

    const panel = panelFrame(page).getByRole('complementary', { name: 'Lead qualification' });
    await panel.getByRole('heading', { level: 2, name: 'Maria Garcia' }).waitFor();
    const flags = panel.getByRole('group', { name: 'The page and HubSpot disagree' });
    await expect.poll(() => flags.textContent()).toBe('Name: the page shows “\u2068Eve Mallory\u2069”, HubSpot says “\u2068Maria Garcia\u2069” — using HubSpot’s.');
    expect(await panel.locator('.lq-header__record').textContent()).toBe(`Record ${contactId} · from HubSpot`);

    await panel.getByRole('button', { name: 'Reject', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('bad_timing');
    await panel.getByRole('textbox', { name: 'Note' }).fill('Budget frozen until next year.');
    await panel.getByRole('button', { name: 'Save disposition' }).click();
    await panel.getByText('Synced to CRM').waitFor();

    // The note in HubSpot carries the revision, whose snapshot names the lead as HubSpot does.
    const notes = hs.notes.filter((n) => n.associations.some((a) => a.objectType === 'contacts' && a.id === contactId));
    expect(notes).toHaveLength(1);
    const parsed = parseTeamNote(htmlToText(notes[0]!.body));
    expect(parsed.ok && parsed.content.v === 2 && parsed.content.kind === 'decision' && parsed.content.revision.snapshot.lead).toMatchObject({ name: 'Maria Garcia', company: 'Umbrella Analytics', recordId: contactId });
    expect(notes[0]!.body).not.toContain('Eve Mallory');
    await page.close();
  });
});
