// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { crmPages } from '../crm';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { PanelFrame } from '../messaging/frame-token';
import { PANEL_COLLAPSED_KEY as COLLAPSED_KEY, PANEL_PLACEMENT_KEY as PLACEMENT_KEY, placementOf } from '../messaging/names';
import { WAIT } from '../../test/support/timeouts';
import { PAGE_IDLE_TIMEOUT_MS } from './idle';
import { PANEL_HOST_ATTRIBUTE, PANEL_TITLE, startPanelHost, TOGGLE_LABEL, type PanelHost } from './panel-host';

const LEAD_A = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view';
const LEAD_B = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000ZzYyXEAV/view';
const LIST = 'https://acme.lightning.force.com/lightning/o/Lead/list';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const TOKEN = /^[0-9a-f]{32}$/;
/** The page the content script is injected into (it reads `location` when it starts). */
const openAt = (url: string) => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
const START_URL = location.href;

/**
 * The shadow roots the host attaches, caught as they are made: they are closed, so the page (and a test
 * that looks as the page does) cannot reach them.
 */
let roots: ShadowRoot[] = [];
const iframes = () => roots.filter((r) => r.host.isConnected).flatMap((r) => [...r.querySelectorAll<HTMLIFrameElement>(`iframe[title="${PANEL_TITLE}"]`)]);
const tokenOf = (iframe: HTMLIFrameElement | undefined) => new URLSearchParams(new URL(iframe!.src).hash.slice(1)).get('t');
/** The background's answer with `token`, in the page and unfolded. */
const inPage = (token: string | null): PanelFrame => ({ token, placement: 'page', collapsed: false });

describe('panel host', () => {
  let ctx: ContentScriptContext;
  let host: PanelHost;
  /** The tokens the background gave, in order (each a fresh one). */
  let tokens: string[];
  /** The background's part: the rep's choices from extension storage, and a token when the panel goes in the page. */
  const requestFrame = vi.fn(async (): Promise<PanelFrame | null> => {
    const stored = await fakeBrowser.storage.local.get([COLLAPSED_KEY, PLACEMENT_KEY]);
    const placement = placementOf(stored[PLACEMENT_KEY]);
    const collapsed = stored[COLLAPSED_KEY] === true;
    if (placement !== 'page') return { token: null, placement, collapsed };
    const token = (tokens.length + 1).toString(16).padStart(32, 'a');
    tokens.push(token);
    return { token, placement, collapsed };
  });
  /**
   * The page is idle at once (the frame goes in as its token comes); the tests of the wait for an idle page
   * pass their own.
   */
  const start = (options: Parameters<typeof startPanelHost>[2] = {}) => startPanelHost(ctx, crmPages, { requestFrame, whenIdle: (run) => run(), ...options });
  /** The panel is in the page (it goes in once the background gave its token and the rep's choices). */
  const mounted = () => vi.waitFor(() => expect(iframes()).toHaveLength(1), WAIT);
  /** The host has read the settings (a lead was shown once), and is back on a page without a lead. */
  async function primed() {
    host.update(new URL(LEAD_A));
    await mounted();
    host.update(new URL(LIST));
    requestFrame.mockClear();
    tokens = [];
  }

  beforeEach(() => {
    fakeBrowser.reset();
    // happy-dom does not load iframes and reports each one on the console.
    vi.spyOn(console, 'error').mockImplementation(() => {});
    roots = [];
    tokens = [];
    requestFrame.mockClear();
    const attach = HTMLElement.prototype.attachShadow;
    vi.spyOn(HTMLElement.prototype, 'attachShadow').mockImplementation(function (this: HTMLElement, init: ShadowRootInit) {
      const root = attach.call(this, init);
      roots.push(root);
      return root;
    });
    document.body.replaceChildren();
    ctx = new ContentScriptContext('crm');
    host = start(); // about:blank-like test URL: not a lead page
  });
  afterEach(() => {
    ctx.abort();
    openAt(START_URL);
  });

  it('mounts nothing on a page that is not a lead page', () => {
    expect(host.current).toBeNull();
    expect(iframes()).toHaveLength(0);
  });

  it('docks one titled iframe on the right for a lead, pointing at the panel with the record and the frame’s token', async () => {
    let answer: (token: string) => void = () => undefined;
    requestFrame.mockImplementationOnce(() => new Promise((r) => (answer = (token) => r(inPage(tokens[tokens.push(token) - 1]!)))));
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(1), WAIT);
    await flush();
    // Nothing in the page until the background gave the frame its token: it goes in once, with its address
    // (a frame put in without one would make and show a blank document first, at the page's cost).
    expect(document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)).toBeNull();
    answer('a'.repeat(32));
    await mounted();
    const [iframe] = iframes();
    expect(iframe!.getAttribute('src')).not.toBeNull();
    const src = new URL(iframe!.src);
    expect(src.pathname).toBe('/panel.html');
    expect(Object.fromEntries(src.searchParams)).toMatchObject({ crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV' });
    expect(tokenOf(iframe)).toMatch(TOKEN);
    expect(tokenOf(iframe)).toBe(tokens[0]);
    const wrapper = document.querySelector<HTMLElement>(`[${PANEL_HOST_ATTRIBUTE}]`)!;
    expect(wrapper.style.position).toBe('fixed');
    expect(wrapper.style.right).toBe('0px');
    expect(wrapper.style.width).toBe('380px');
    expect(Number(wrapper.style.zIndex)).toBeGreaterThan(1_000_000);
  });

  it('hides the iframe from the page in a closed shadow root, and styles the host so the page’s style sheets cannot override it', async () => {
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(iframes()[0]!.getAttribute('src')).not.toBeNull(), WAIT);
    const wrapper = document.querySelector<HTMLElement>(`[${PANEL_HOST_ATTRIBUTE}]`)!;
    // What a page script can reach: the host, without its shadow root, children or the frame's address.
    expect(wrapper.shadowRoot).toBeNull();
    expect(wrapper.childNodes).toHaveLength(0);
    expect(document.querySelectorAll('iframe')).toHaveLength(0);
    expect(document.documentElement.outerHTML).not.toContain('panel.html');
    expect(roots.map((r) => r.mode)).toEqual(['closed']);
    for (const name of ['all', 'position', 'top', 'right', 'bottom', 'width', 'max-width', 'z-index', 'display']) {
      expect([name, wrapper.style.getPropertyPriority(name)]).toEqual([name, 'important']);
    }
    host.toggle(); // the fold keeps it important too
    expect(wrapper.style.width).toBe('32px');
    expect(wrapper.style.getPropertyPriority('width')).toBe('important');
  });

  it('asks for a new token each time it loads the panel page, and drops one that comes too late', async () => {
    await primed();
    let answer: (token: string) => void = () => undefined;
    requestFrame.mockImplementationOnce(() => new Promise((r) => (answer = (token) => r(inPage(token)))));
    host.update(new URL(LEAD_A));
    host.update(new URL(LIST)); // left before the background answered
    answer('f'.repeat(32));
    await flush();
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(iframes()[0]!.getAttribute('src')).not.toBeNull(), WAIT);
    expect(tokenOf(iframes()[0])).not.toBe('f'.repeat(32));
    expect(requestFrame).toHaveBeenCalledTimes(2);

    // The page takes the panel out: it goes back in with a new frame token (the old one is used up).
    const first = tokenOf(iframes()[0]);
    document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)!.remove();
    await vi.waitFor(() => expect(iframes()[0]?.getAttribute('src') ?? '').toContain('#t='), WAIT);
    expect(tokenOf(iframes()[0])).not.toBe(first);
    expect(requestFrame).toHaveBeenCalledTimes(3);
  });

  it('loads the panel afresh when the page moves its host (the frame reloaded with a used token)', async () => {
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(iframes()[0]!.getAttribute('src')).not.toBeNull(), WAIT);
    const wrapper = document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)!;
    const other = document.createElement('div');
    document.body.append(other);
    other.append(wrapper); // moved in one go: never seen detached
    await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(2), WAIT);
    await vi.waitFor(() => expect(tokenOf(iframes()[0])).toBe(tokens[1]), WAIT);
    expect(iframes()).toHaveLength(1);
  });

  it('puts nothing in the page when the background gives no token, or refuses', async () => {
    requestFrame.mockResolvedValueOnce(inPage(null));
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(1), WAIT);
    await flush();
    expect(document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)).toBeNull();
    host.update(new URL(LIST));
    requestFrame.mockResolvedValueOnce(null);
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(2), WAIT);
    await flush();
    expect(document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)).toBeNull();
    expect(host.current?.recordId).toBe('00Q5e00000AbCdEEAV'); // still the tab's lead, reported
  });

  describe('a token request with no answer', () => {
    const noAnswer = () => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.'));
    /** Lets every answer, retry and its own answer in turn run (the retry waits are 0 here). */
    const settle = async () => {
      for (let i = 0; i < 5; i++) await flush();
    };
    /** Shows lead A with the next request held open; gives what fails it. */
    async function leadWithRequestOnItsWay(calls: number) {
      let fail!: (e: Error) => void;
      requestFrame.mockImplementationOnce(() => new Promise((_, reject) => (fail = reject)));
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(calls), WAIT);
      return fail;
    }

    beforeEach(() => {
      ctx.abort();
      ctx = new ContentScriptContext('crm');
      host = start({ tokenRetryDelaysMs: [0, 0, 0] });
    });
    afterEach(() => requestFrame.mockReset());

    it('is asked again, a few times (the worker restarting), then left to the next navigation', async () => {
      requestFrame.mockImplementationOnce(noAnswer).mockImplementationOnce(noAnswer);
      host.update(new URL(LEAD_A));
      await mounted();
      expect(requestFrame).toHaveBeenCalledTimes(3);
      expect(tokenOf(iframes()[0])).toBe(tokens[0]);

      // Never an answer: the first ask and three more, then nothing until the next navigation.
      host.update(new URL(LIST));
      requestFrame.mockClear();
      requestFrame.mockImplementation(noAnswer);
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(4), WAIT);
      await settle();
      expect(requestFrame).toHaveBeenCalledTimes(4);
      expect(iframes()).toHaveLength(0);
      expect(host.current?.recordId).toBe('00Q5e00000AbCdEEAV'); // still the tab's lead, reported
    });

    it('is not asked again once the lead is gone or the content script is invalidated', async () => {
      let fail = await leadWithRequestOnItsWay(1);
      host.update(new URL(LIST)); // the rep left the lead while the request was on its way
      fail(new Error('Could not establish connection.'));
      await settle();
      expect(requestFrame).toHaveBeenCalledTimes(1);

      fail = await leadWithRequestOnItsWay(2);
      ctx.abort();
      fail(new Error('Extension context invalidated.'));
      await settle();
      expect(requestFrame).toHaveBeenCalledTimes(2);
    });

    it('is not asked again once the extension is gone (an update or reload: nothing announces it)', async () => {
      const fail = await leadWithRequestOnItsWay(1);
      const id = vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
      fail(new Error('Extension context invalidated.'));
      await settle();
      id.mockRestore();
      expect(requestFrame).toHaveBeenCalledTimes(1);
    });
  });

  describe('waiting for the page to be idle (its own rendering first, issue 19)', () => {
    /** The idle callbacks asked for and not run yet: the page is busy until a test runs them. */
    let idle: (() => void)[];
    const runIdle = () => idle.splice(0).forEach((run) => run());

    beforeEach(() => {
      idle = [];
      ctx.abort();
      ctx = new ContentScriptContext('crm');
      host = start({ whenIdle: (run) => void idle.push(run) });
    });

    it('puts the frame in only once the page is idle, with the token it was given', async () => {
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(idle).toHaveLength(1), WAIT);
      expect(iframes()).toHaveLength(0);
      expect(document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)).toBeNull();
      host.update(new URL(LEAD_A)); // the same lead seen again meanwhile (the address check): not a second token
      await flush();
      runIdle();
      expect(iframes()).toHaveLength(1);
      expect(tokenOf(iframes()[0])).toBe(tokens[0]);
      expect(requestFrame).toHaveBeenCalledTimes(1);
    });

    it("drops a frame whose lead went while it waited, and puts in the next lead's", async () => {
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(idle).toHaveLength(1), WAIT);
      host.update(new URL(LIST));
      runIdle();
      expect(iframes()).toHaveLength(0);
      host.update(new URL(LEAD_B));
      await vi.waitFor(() => expect(idle).toHaveLength(1), WAIT);
      runIdle();
      expect(iframes()).toHaveLength(1);
      expect(iframes()[0]!.src).toContain('00Q5e00000ZzYyXEAV');
      expect(tokenOf(iframes()[0])).toBe(tokens[1]);
    });

    it('loads one frame when the rep switches to the side panel and back while it waits', async () => {
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(idle).toHaveLength(1), WAIT);
      await fakeBrowser.storage.local.set({ [PLACEMENT_KEY]: 'side_panel' });
      await vi.waitFor(() => expect(host.placement).toBe('side_panel'), WAIT);
      await fakeBrowser.storage.local.set({ [PLACEMENT_KEY]: 'page' });
      await vi.waitFor(() => expect(idle).toHaveLength(2), WAIT);
      runIdle();
      expect(iframes()).toHaveLength(1);
      expect(tokenOf(iframes()[0])).toBe(tokens[1]);
      await flush();
      expect(requestFrame).toHaveBeenCalledTimes(2);
      expect(document.querySelectorAll(`[${PANEL_HOST_ATTRIBUTE}]`)).toHaveLength(1);
    });

    it("waits with the browser's idle callback, at most PAGE_IDLE_TIMEOUT_MS", async () => {
      // happy-dom has none (the host then waits one timer); the browser's is stood in for here.
      const requestIdle = vi.fn((run: () => void, _options?: { timeout?: number }) => void idle.push(run));
      vi.stubGlobal('requestIdleCallback', requestIdle);
      try {
        ctx.abort();
        ctx = new ContentScriptContext('crm');
        host = start({ whenIdle: undefined });
        host.update(new URL(LEAD_A));
        await vi.waitFor(() => expect(requestIdle).toHaveBeenCalledWith(expect.any(Function), { timeout: PAGE_IDLE_TIMEOUT_MS }), WAIT);
        expect(iframes()).toHaveLength(0);
        runIdle();
        expect(iframes()).toHaveLength(1);
      } finally {
        vi.unstubAllGlobals();
      }
    });
  });

  it('back from the back/forward cache: reports the lead again and loads the panel with a new token', async () => {
    ctx.abort();
    ctx = new ContentScriptContext('crm');
    const reports: (string | null)[] = [];
    host = start({ onLeadChange: (next) => reports.push(next?.ref.recordId ?? null) });
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(1), WAIT);
    openAt(LEAD_A);
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
    expect(requestFrame).toHaveBeenCalledTimes(1); // a first show is not a restore
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(2), WAIT);
    expect(reports).toEqual([null, '00Q5e00000AbCdEEAV', '00Q5e00000AbCdEEAV']);
    await mounted();
  });

  it('back from the back/forward cache on a page without a lead: says so again (the tab may still be paired with the page before)', async () => {
    ctx.abort();
    ctx = new ContentScriptContext('crm');
    const reports: (string | null)[] = [];
    const restored = vi.fn();
    host = start({ onLeadChange: (next) => reports.push(next?.ref.recordId ?? null), onRestored: restored });
    expect(reports).toEqual([null]);
    window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
    expect(reports).toEqual([null, null]);
    expect(restored).toHaveBeenCalledTimes(1);
    expect(iframes()).toHaveLength(0);
    expect(requestFrame).not.toHaveBeenCalled();
  });

  it('a load of the panel frame it did not start (the rep reloaded the frame) gets the panel a new token; its own loads do not', async () => {
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(iframes()[0]?.getAttribute('src')).toBeTruthy(), WAIT);
    const loaded = () => iframes()[0]!.dispatchEvent(new Event('load'));
    loaded(); // the panel page it pointed the frame at
    await flush();
    expect(requestFrame).toHaveBeenCalledTimes(1);
    loaded(); // the same frame loads again: a reload (its token is used up)
    await vi.waitFor(() => expect(tokenOf(iframes()[0])).toBe(tokens[1]), WAIT);
    expect(requestFrame).toHaveBeenCalledTimes(2);
    expect(iframes()).toHaveLength(1);
    loaded(); // the new address's own load
    await flush();
    expect(requestFrame).toHaveBeenCalledTimes(2);
  });

  it('gives up reloading a frame that keeps loading on its own (at most 3 times a minute)', async () => {
    host.update(new URL(LEAD_A));
    await vi.waitFor(() => expect(iframes()[0]?.getAttribute('src')).toBeTruthy(), WAIT);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (let i = 0; i < 6; i++) {
        const before = requestFrame.mock.calls.length;
        iframes()[0]!.dispatchEvent(new Event('load')); // its own load
        iframes()[0]!.dispatchEvent(new Event('load')); // another one
        if (i < 3) await vi.waitFor(() => expect(tokenOf(iframes()[0])).toBe(tokens[before]), WAIT);
        else await flush();
      }
      expect(requestFrame).toHaveBeenCalledTimes(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports the lead before the iframe goes in (the page is read while its style is clean)', async () => {
    ctx.abort();
    ctx = new ContentScriptContext('crm');
    const iframesAtReport: number[] = [];
    // The script starts on the page it was injected into (here a blank one: no lead, reported once).
    host = start({ onLeadChange: (next) => iframesAtReport.push(next ? iframes().length : -1) });
    host.update(new URL(LEAD_A));
    expect(iframesAtReport).toEqual([-1, 0]);
    await mounted();
  });

  it('keeps the same panel from lead to lead (no reload), removes it off lead pages, and shows it again', async () => {
    host.update(new URL(LEAD_A));
    await mounted();
    host.update(new URL(LEAD_A)); // same lead: nothing changes
    expect(iframes()).toHaveLength(1);
    const first = iframes()[0];
    host.update(new URL(LEAD_B));
    expect(iframes()).toHaveLength(1);
    // The panel learns the new lead from the background (a push), so its page is not reloaded.
    expect(iframes()[0]).toBe(first);
    expect(host.current?.recordId).toBe('00Q5e00000ZzYyXEAV');
    host.update(new URL(LIST));
    expect(iframes()).toHaveLength(0);
    expect(host.current).toBeNull();
    host.update(new URL(LEAD_A));
    await mounted();
    await vi.waitFor(() => expect(iframes()[0]!.getAttribute('src')).not.toBeNull(), WAIT);
    expect(new URL(iframes()[0]!.src).searchParams.get('recordId')).toBe('00Q5e00000AbCdEEAV');
    expect(requestFrame).toHaveBeenCalledTimes(2); // the lead-to-lead change asked for none
  });

  it('puts the panel back when the page removes it', async () => {
    host.update(new URL(LEAD_A));
    await mounted();
    document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)!.remove();
    await mounted();
    document.body.replaceChildren(); // e.g. the CRM re-renders the whole body
    await mounted();
    expect(tokens).toHaveLength(3); // each time with a new token
  });

  it('does not fight a page that keeps removing the panel', async () => {
    // The 30 removals count as "within the window" however slow the machine: the clock stands still.
    host.update(new URL(LEAD_A));
    await mounted();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (let i = 0; i < 30; i++) {
        document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)?.remove();
        await flush();
      }
      expect(iframes()).toHaveLength(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('removes the panel when the content script is invalidated', async () => {
    host.update(new URL(LEAD_A));
    await mounted();
    ctx.abort();
    expect(iframes()).toHaveLength(0);
  });

  describe('folding the panel', () => {
    const toggleButton = () => roots[0]!.querySelector<HTMLButtonElement>('button')!;
    /** The focused element inside the panel's shadow root (the page sees only the host focused). */
    const focusedInside = () => roots[0]!.activeElement;
    const wrapper = () => document.querySelector<HTMLElement>(`[${PANEL_HOST_ATTRIBUTE}]`)!;

    it('folds to a narrow tab with a labelled button, moving focus back to where it was, and unfolds into the panel', async () => {
      const before = document.createElement('button');
      document.body.append(before);
      before.focus();
      host.update(new URL(LEAD_A));
      await mounted();
      expect(toggleButton().getAttribute('aria-label')).toBe(TOGGLE_LABEL.hide);
      host.toggle(); // fold (nothing was unfolded by us yet: focus goes to the toggle)
      expect(host.collapsed).toBe(true);
      expect(wrapper().style.width).toBe('32px');
      expect(iframes()[0]!.style.visibility).toBe('hidden');
      expect(toggleButton().getAttribute('aria-label')).toBe(TOGGLE_LABEL.show);
      expect(toggleButton().getAttribute('aria-expanded')).toBe('false');
      before.focus();
      host.toggle(); // unfold: focus into the panel
      expect(host.collapsed).toBe(false);
      expect(focusedInside()).toBe(iframes()[0]);
      host.toggle(); // fold again: focus back to the page's element
      expect(document.activeElement).toBe(before);
    });

    it('remembers the choice in extension storage, for the next lead and the next page', async () => {
      host.update(new URL(LEAD_A));
      await mounted();
      toggleButton().click();
      await flush();
      expect(await fakeBrowser.storage.local.get(COLLAPSED_KEY)).toEqual({ [COLLAPSED_KEY]: true });
      host.update(new URL(LEAD_B));
      expect(wrapper().style.width).toBe('32px');

      ctx.abort();
      document.body.replaceChildren();
      ctx = new ContentScriptContext('crm');
      host = start();
      host.update(new URL(LEAD_A));
      await mounted();
      // Folded before it went in: the page never sees it open.
      expect(host.collapsed).toBe(true);
      expect(wrapper().style.width).toBe('32px');
    });

    it('follows the fold state in extension storage (the shortcut, or another tab): focus moves only in the tab in use', async () => {
      const before = document.createElement('button');
      document.body.append(before);
      before.focus();
      host.update(new URL(LEAD_A));
      await flush();
      const hasFocus = vi.spyOn(document, 'hasFocus').mockReturnValue(true);

      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: true }); // the shortcut, pressed in this tab
      await vi.waitFor(() => expect(host.collapsed).toBe(true), WAIT);
      expect(wrapper().style.width).toBe('32px');
      expect(toggleButton().getAttribute('aria-expanded')).toBe('false');
      expect(focusedInside()).toBe(toggleButton());

      before.focus();
      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: false }); // pressed again: unfold, focus inside
      await vi.waitFor(() => expect(host.collapsed).toBe(false), WAIT);
      expect(focusedInside()).toBe(iframes()[0]);

      hasFocus.mockReturnValue(false); // another tab is in use: fold here too, leave focus alone
      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: true });
      await vi.waitFor(() => expect(host.collapsed).toBe(true), WAIT);
      expect(focusedInside()).toBe(iframes()[0]);
    });

    it('does not act on its own clicks coming back: two quick clicks fold and unfold once', async () => {
      host.update(new URL(LEAD_A));
      await flush();
      vi.spyOn(document, 'hasFocus').mockReturnValue(true);
      const focus = vi.spyOn(iframes()[0]!, 'focus');
      toggleButton().click(); // fold
      toggleButton().click(); // unfold: focus into the panel, once
      await flush();
      await flush();
      expect(host.collapsed).toBe(false);
      expect(await fakeBrowser.storage.local.get(COLLAPSED_KEY)).toEqual({ [COLLAPSED_KEY]: false });
      expect(focus).toHaveBeenCalledTimes(1);
    });

    it('a change seen before the first read answers wins over that older answer', async () => {
      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: true });
      host.update(new URL(LEAD_A)); // starts reading: true
      await fakeBrowser.storage.onChanged.trigger({ [COLLAPSED_KEY]: { newValue: false, oldValue: true } }, 'local');
      await flush();
      await flush();
      expect(host.collapsed).toBe(false);
    });

    it('ignores other keys, other storage areas and non-boolean values, and stops following once invalidated', async () => {
      host.update(new URL(LEAD_A));
      await flush();
      await fakeBrowser.storage.onChanged.trigger({ [COLLAPSED_KEY]: { newValue: true } }, 'sync');
      await flush();
      expect(host.collapsed).toBe(false);
      await fakeBrowser.storage.local.set({ other: true, [`${COLLAPSED_KEY}.x`]: true });
      await flush();
      expect(host.collapsed).toBe(false);
      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: 'yes' });
      await flush();
      expect(host.collapsed).toBe(false);

      ctx.abort();
      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: true });
      await flush();
      expect(host.collapsed).toBe(false);
    });

    it('does nothing off lead pages', () => {
      host.toggle();
      expect(host.collapsed).toBe(false);
      expect(iframes()).toHaveLength(0);
    });
  });

  describe('where the panel shows (the page, or the browser’s side panel: ADR 0020)', () => {
    const reported: (string | null)[] = [];
    const restart = () => {
      ctx.abort();
      ctx = new ContentScriptContext('crm');
      reported.length = 0;
      host = start({ onLeadChange: (next) => reported.push(next?.ref.recordId ?? null) });
    };
    const setPlacement = (placement: unknown) => fakeBrowser.storage.local.set({ [PLACEMENT_KEY]: placement });

    it('in side-panel mode puts nothing into the page and gets no frame token, but still reports the lead', async () => {
      await setPlacement('side_panel');
      restart();
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(host.placement).toBe('side_panel'), WAIT);
      host.update(new URL(LEAD_B));
      await flush();
      expect(document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)).toBeNull();
      expect(roots).toHaveLength(0); // not even made
      expect(tokens).toEqual([]);
      expect(requestFrame).toHaveBeenCalledTimes(1); // once, at the first lead page: the answer said where
      expect(reported).toEqual([null, '00Q5e00000AbCdEEAV', '00Q5e00000ZzYyXEAV']);
      host.toggle(); // the shortcut's fold has no panel here to fold
      expect(host.collapsed).toBe(false);
      expect(await fakeBrowser.storage.local.get(COLLAPSED_KEY)).toEqual({});
    });

    it('reads no storage in the page: both choices come with the frame’s token, asked for only once a lead page shows', async () => {
      await fakeBrowser.storage.local.set({ [COLLAPSED_KEY]: true });
      const get = vi.spyOn(fakeBrowser.storage.local, 'get');
      const listen = vi.spyOn(fakeBrowser.storage.onChanged, 'addListener');
      requestFrame.mockResolvedValueOnce({ token: 'c'.repeat(32), placement: 'page', collapsed: true });
      restart();
      host.update(new URL(LIST));
      await flush();
      expect(requestFrame).not.toHaveBeenCalled();
      expect(listen).not.toHaveBeenCalled();
      host.update(new URL(LEAD_A));
      await mounted();
      host.update(new URL(LEAD_B));
      expect(get).not.toHaveBeenCalled();
      expect(listen).toHaveBeenCalledTimes(1);
      expect(requestFrame).toHaveBeenCalledTimes(1);
      // Folded before it went in: the page never sees it open.
      expect(host.collapsed).toBe(true);
      expect(document.querySelector<HTMLElement>(`[${PANEL_HOST_ATTRIBUTE}]`)!.style.width).toBe('32px');
    });

    it('follows a switch in storage at once, without a reload: out of the page, and back in with a new token', async () => {
      host.update(new URL(LEAD_A));
      await mounted();
      expect(host.placement).toBe('page');
      await setPlacement('side_panel');
      await vi.waitFor(() => expect(iframes()).toHaveLength(0), WAIT);
      expect(document.querySelector(`[${PANEL_HOST_ATTRIBUTE}]`)).toBeNull();
      expect(host.current?.recordId).toBe('00Q5e00000AbCdEEAV'); // still the tab's lead
      // Lead to lead while in the side panel: reported, still nothing in the page.
      host.update(new URL(LEAD_B));
      await flush();
      expect(iframes()).toHaveLength(0);

      await setPlacement('page');
      await mounted();
      await vi.waitFor(() => expect(tokenOf(iframes()[0])).toBe(tokens.at(-1)), WAIT);
      expect(new URL(iframes()[0]!.src).searchParams.get('recordId')).toBe('00Q5e00000ZzYyXEAV');
      expect(requestFrame).toHaveBeenCalledTimes(2);
    });

    it('a switch to the page seen while the first answer (side panel) was on its way wins: it asks again and goes in', async () => {
      await setPlacement('side_panel');
      let answer: () => void = () => undefined;
      requestFrame.mockImplementationOnce(() => new Promise((r) => (answer = () => r({ token: null, placement: 'side_panel', collapsed: false }))));
      restart();
      host.update(new URL(LEAD_A));
      await vi.waitFor(() => expect(requestFrame).toHaveBeenCalledTimes(1), WAIT);
      await setPlacement('page'); // the rep switched back before the background's older answer came
      answer();
      await mounted();
      expect(host.placement).toBe('page');
      expect(requestFrame).toHaveBeenCalledTimes(2);
    });

    it('a switch off a lead page puts nothing in; an unknown stored value is the page', async () => {
      await primed();
      await setPlacement('side_panel');
      await flush();
      await setPlacement('page');
      await flush();
      expect(iframes()).toHaveLength(0);
      expect(requestFrame).not.toHaveBeenCalled();
      expect(roots).toHaveLength(1); // the one frame, made at the first lead

      await setPlacement('sidebar, please');
      restart();
      host.update(new URL(LEAD_A));
      await mounted();
      expect(host.placement).toBe('page');
    });
  });
});
