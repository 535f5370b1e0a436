// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { crmPages } from '../crm';
import hubspotFixture from '../crm/hubspot/fixtures/contact-record.html?raw';
import salesforceFixture from '../crm/salesforce/fixtures/lead-view.html?raw';
import { loadFixture } from '../crm/testing';
import { pageProtocol } from '../messaging/page-protocol';
import { createRouter } from '../messaging/router';
import { WAIT } from '../../test/support/timeouts';
import { startContentScript, startWhenShown } from '.';

/**
 * The content script sends without zod and reads no reply (ADR 0014): what it sends must pass the
 * background's zod schemas as they are, for every CRM, also when the page shows far too much text.
 */
const SF_LEAD = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view';
const HS_CONTACT = 'https://app.hubspot.com/contacts/1234567/record/0-1/987654';
const LIST = 'https://acme.lightning.force.com/lightning/o/Lead/list';

/** The page the content script is injected into (it reads `location` when it starts). */
const openAt = (url: string) => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);

describe('the content script’s messages', () => {
  let ctx: ContentScriptContext;
  let sent: unknown[];
  const route = createRouter(pageProtocol, { 'page.leadShown': () => null, 'page.leadLeft': () => null, 'page.panelFrame': () => ({ token: 'a'.repeat(32), placement: 'page' as const, collapsed: false }) });

  beforeEach(() => {
    fakeBrowser.reset();
    vi.spyOn(console, 'error').mockImplementation(() => {}); // happy-dom does not load iframes
    sent = [];
    fakeBrowser.runtime.onMessage.addListener((message: unknown) => {
      sent.push(message);
      return Promise.resolve({ ok: true, data: null });
    });
    ctx = new ContentScriptContext('crm');
  });
  afterEach(() => ctx.abort());

  async function acceptedByBackground() {
    await vi.waitFor(() => expect(sent.length).toBeGreaterThan(0), WAIT);
    for (const message of sent) expect(await route(message, { role: 'content', tabId: 1 })).toMatchObject({ ok: true });
    return sent as { type: string; payload: { dom?: Record<string, string> } }[];
  }

  it.each([
    ['Salesforce', salesforceFixture, SF_LEAD, 'Jane Doe'],
    ['HubSpot', hubspotFixture, HS_CONTACT, undefined],
  ])('%s: the lead a recorded page shows passes the background’s schemas', async (_crm, fixture, url, name) => {
    loadFixture(fixture);
    openAt(url);
    startContentScript(ctx, crmPages);
    const [shown] = await acceptedByBackground();
    expect(shown!.type).toBe('page.leadShown');
    if (name) expect(shown!.payload.dom!.name).toContain(name);
  });

  it('cuts page text to the schema’s limits instead of having the report refused', async () => {
    loadFixture(salesforceFixture.replaceAll('Jane Doe', `Jane ${'Doe'.repeat(5_000)}`));
    openAt(SF_LEAD);
    startContentScript(ctx, crmPages);
    const [shown] = await acceptedByBackground();
    expect(shown!.payload.dom!.name!.length).toBe(300);
  });

  it('tells the background when the tab leaves the lead', async () => {
    loadFixture(salesforceFixture);
    openAt(SF_LEAD);
    const host = startContentScript(ctx, crmPages);
    // The frame goes in once the rep's settings are read (where the panel shows, ADR 0020).
    await vi.waitFor(() => expect(sent).toHaveLength(2), WAIT);
    host.update(new URL(LIST));
    await vi.waitFor(() => expect(sent).toHaveLength(3), WAIT);
    const messages = await acceptedByBackground();
    // The lead, then the panel frame's token (the frame goes in after the report), then the leaving.
    expect(messages.map((m) => m.type)).toEqual(['page.leadShown', 'page.panelFrame', 'page.leadLeft']);
  });

  it('a page loaded without a lead tells the background at once, so the lead this tab showed before is forgotten', async () => {
    loadFixture(salesforceFixture);
    openAt(LIST);
    const host = startContentScript(ctx, crmPages);
    const messages = await acceptedByBackground();
    expect(messages.map((m) => m.type)).toEqual(['page.leadLeft']);
    // Moving on within the page reports only what changed: no second "left".
    host.update(new URL(`${LIST}?filterName=Recent`));
    host.update(new URL(SF_LEAD));
    await vi.waitFor(() => expect(sent.map((m) => (m as { type: string }).type)).toEqual(['page.leadLeft', 'page.leadShown', 'page.panelFrame']), WAIT);
  });

  it('a prerendered page waits until it is shown before it reports anything (its messages would be refused before)', async () => {
    loadFixture(salesforceFixture);
    openAt(SF_LEAD);
    Object.defineProperty(document, 'prerendering', { configurable: true, value: true });
    try {
      startWhenShown(ctx, crmPages);
      await new Promise((r) => setTimeout(r, 0));
      expect(sent).toEqual([]);
      Object.defineProperty(document, 'prerendering', { configurable: true, value: false });
      document.dispatchEvent(new Event('prerenderingchange'));
      const [shown] = await acceptedByBackground();
      expect(shown!.type).toBe('page.leadShown');
    } finally {
      delete (document as { prerendering?: boolean }).prerendering;
    }
  });

  it("a page that is not prerendered starts at its first idle moment (the CRM's own rendering first)", async () => {
    loadFixture(salesforceFixture);
    openAt(SF_LEAD);
    const idle: (() => void)[] = [];
    startWhenShown(ctx, crmPages, document, (run) => void idle.push(run));
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([]);
    expect(idle).toHaveLength(1);
    idle.shift()!();
    expect((await acceptedByBackground())[0]!.type).toBe('page.leadShown');
  });

  it('does not start when the extension went away while the page was busy', async () => {
    loadFixture(salesforceFixture);
    openAt(SF_LEAD);
    const idle: (() => void)[] = [];
    startWhenShown(ctx, crmPages, document, (run) => void idle.push(run));
    ctx.abort();
    idle.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([]);
  });

  it('with no idle callbacks in the browser, starts after one timer', async () => {
    loadFixture(salesforceFixture);
    openAt(SF_LEAD);
    expect(typeof (globalThis as { requestIdleCallback?: unknown }).requestIdleCallback).toBe('undefined'); // happy-dom
    startWhenShown(ctx, crmPages);
    expect(sent).toEqual([]);
    expect((await acceptedByBackground())[0]!.type).toBe('page.leadShown');
  });

  it('listens to no runtime messages: nothing can reach it that way, so it validates nothing', () => {
    const listen = vi.spyOn(fakeBrowser.runtime.onMessage, 'addListener');
    loadFixture(salesforceFixture);
    startContentScript(ctx, crmPages).update(new URL(SF_LEAD));
    expect(listen).not.toHaveBeenCalled();
  });
});
