/**
 * The content script's work: find out from the URL whether the tab shows a lead, and keep the panel
 * iframe docked on the right while it does. Follows the CRM's client-side navigation, and puts the panel
 * back when the CRM's own rendering removes it. In side-panel mode (the rep's choice, ADR 0020) the panel is
 * the browser's and nothing goes into the page: the lead is still detected and reported.
 *
 * Runs inside CRM pages: imports nothing heavy (no React, no zod), see ADR 0001.
 */
import { pageStrings as t } from '../i18n/page';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { detectLeadPageIn, sameLead } from '../crm/lead-key';
import type { CrmPage } from '../crm/types';
import type { LeadRef } from '../domain/lead-ref';
import { frameTokenHash, requestPanelFrame, type PanelFrame } from '../messaging/frame-token';
import { whenPageIdle } from './idle';
import { PANEL_COLLAPSED_KEY, PANEL_PLACEMENT_KEY, placementOf, type PanelPlacement } from '../messaging/names';

/** The iframe's accessible name; the panel's landmark uses the same words. */
export const PANEL_TITLE = t.panelTitle;
export const PANEL_WIDTH_PX = 380;
/** Marks our wrapper element in the CRM's DOM. */
export const PANEL_HOST_ATTRIBUTE = 'data-lead-qualifier-panel';
/** If the page removes the panel more often than this within REMOUNT_WINDOW_MS, stop putting it back. */
const MAX_REMOUNTS = 20;
const REMOUNT_WINDOW_MS = 10_000;
/**
 * The panel's frame loading a document we did not point it at (the rep reloaded the frame, so it presents its
 * used token and is refused) loads it afresh with a new token, at most this often per minute.
 */
const MAX_RELOAD_REMOUNTS = 3;
const RELOAD_WINDOW_MS = 60_000;
/**
 * A token request that got no answer (the background's worker restarting, an update under way) is asked
 * again after each of these waits, then left to the next navigation: a few seconds, not forever.
 */
export const TOKEN_RETRY_DELAYS_MS: readonly number[] = [250, 1_000, 4_000];

/**
 * The panel page's address for a lead, with the frame's one-time token in the fragment (ADR 0015). The
 * query string only names the record for someone debugging the frame; the panel never reads it: it shows
 * the lead the background paired with its tab. `getURL` gives Chrome's per-session dynamic address
 * (`use_dynamic_url`), the only one a page may frame.
 */
export function panelUrl(ref: LeadRef, token: string): string {
  const params = new URLSearchParams({ crm: ref.crm, recordId: ref.recordId, objectType: ref.objectType });
  if (ref.account) params.set('account', ref.account);
  return `${browser.runtime.getURL('/panel.html')}?${params.toString()}${frameTokenHash(token)}`;
}

/**
 * Sets inline declarations with `!important`: the page's style sheets cannot override them (an inline
 * important declaration wins over any rule of theirs). Its scripts still can: the panel itself acts only
 * while the browser says it is visible (src/ui/panel/use-frame-visible.ts).
 */
function important(el: HTMLElement, declarations: Record<string, string>) {
  for (const [name, value] of Object.entries(declarations)) el.style.setProperty(name, value, 'important');
}

/** The same as one `cssText` write (one CSS parse, not one per property): for elements being made. */
const importantCss = (declarations: Record<string, string>) =>
  Object.entries(declarations)
    .map(([name, value]) => `${name}:${value} !important`)
    .join(';');

export interface PanelHost {
  /** The lead the panel shows; null when the panel is not mounted. */
  readonly current: LeadRef | null;
  /** Whether the panel is folded to a narrow tab on the right edge. */
  readonly collapsed: boolean;
  /** Where the panel shows (undefined until the background said, at the first lead page): `side_panel` puts nothing in the page. */
  readonly placement: PanelPlacement | undefined;
  /** Show the panel for the lead at `url`, or remove it when `url` is not a lead page. */
  update(url: URL): void;
  /**
   * Folds or unfolds the panel (its edge button). Unfolding moves focus into the panel; folding gives focus
   * back to where it was before. The choice is remembered across pages and followed by every CRM tab.
   */
  toggle(): void;
}

export const COLLAPSED_WIDTH_PX = 32;
export const TOGGLE_LABEL = { hide: t.hidePanel, show: t.showPanel };

export interface DetectedLead {
  page: CrmPage;
  ref: LeadRef;
}

export interface PanelHostOptions {
  /** Called when the tab's lead changes (null: no lead). */
  onLeadChange?: (next: DetectedLead | null) => void;
  /**
   * Asks the background for the one-time token of the frame about to go in, with the rep's choices (where
   * the panel shows, folded or not). Null, or no token: nothing goes in; a rejection (no answer) is asked
   * again a few times. Default: `page.panelFrame` over runtime messaging.
   */
  requestFrame?: () => Promise<PanelFrame | null>;
  /** The page came back from the back/forward cache: the background forgot what was reported from it. */
  onRestored?: () => void;
  /** Waits before asking again for a token that got no answer (default TOKEN_RETRY_DELAYS_MS). */
  tokenRetryDelaysMs?: readonly number[];
  /** Runs the frame's insertion when the page is idle (default: `requestIdleCallback`, PAGE_IDLE_TIMEOUT_MS at the latest). */
  whenIdle?: (run: () => void) => void;
}

export function startPanelHost(ctx: ContentScriptContext, pages: readonly CrmPage[], options: PanelHostOptions = {}): PanelHost {
  let current: LeadRef | null = null;
  let collapsed = false;
  let focusBefore: Element | null = null;
  let toggleButton: HTMLButtonElement | undefined;
  /** Values this tab wrote whose change events have not come back yet: its own writes echo to it. */
  const ownWrites: boolean[] = [];
  /** Set once a change was seen (or made here): an answer of the background's may be older than it. */
  let followed = false;
  /** In the page, or the browser's side panel; the background says with the first frame token. */
  let placement: PanelPlacement | undefined;
  let placementFollowed = false;
  let listening = false;
  // The panel's wrapper and iframe, created when the panel first goes in and moved in and out of the page. (Our own
  // few lines rather than WXT's createIframeUi, whose auto-mount code and its dependency would be bundled and
  // evaluated on every CRM page load for nothing.)
  let ui: ReturnType<typeof createPanelFrame> | undefined;
  const requestFrame = options.requestFrame ?? (() => requestPanelFrame((message) => browser.runtime.sendMessage(message)));
  const retryDelays = options.tokenRetryDelaysMs ?? TOKEN_RETRY_DELAYS_MS;
  const whenIdle = options.whenIdle ?? whenPageIdle;
  /** Counts the panel's loads: a token that arrives after the frame was taken out or loaded again is dropped. */
  let loads = 0;
  /** A token has been asked for and the frame goes in when it comes. */
  let pending = false;
  /** This load already asked again (an answer older than a switch seen since): one more answer is final. */
  let reasked = false;
  /** Puts the panel back when the page takes it out; one per mount, so its count of removals carries over. */
  let watcher: ReturnType<typeof keepAttached> | undefined;
  /** Loads of the panel page we started (an address set) whose `load` event has not come yet. */
  let expectedLoads = 0;
  /** When the frame last loaded a document we did not start, and was loaded afresh for it. */
  let reloadRemounts: number[] = [];

  /** Applies the folded/unfolded look to the mounted panel. */
  function applyCollapsed() {
    if (!ui) return;
    important(ui.wrapper, { width: collapsed ? `${COLLAPSED_WIDTH_PX}px` : `${PANEL_WIDTH_PX}px` });
    ui.iframe.style.visibility = collapsed ? 'hidden' : 'visible';
    if (toggleButton) {
      toggleButton.setAttribute('aria-label', collapsed ? TOGGLE_LABEL.show : TOGGLE_LABEL.hide);
      toggleButton.setAttribute('aria-expanded', String(!collapsed));
      toggleButton.textContent = collapsed ? '‹' : '›';
      Object.assign(toggleButton.style, collapsed ? { left: '0', width: `${COLLAPSED_WIDTH_PX}px`, height: '100%', top: '0' } : { left: '-28px', width: '28px', height: '28px', top: '8px' });
    }
  }

  /** Folds or unfolds; with `moveFocus`, focus follows (into the panel, or back to where it was). */
  function setCollapsed(next: boolean, moveFocus: boolean) {
    collapsed = next;
    applyCollapsed();
    if (!moveFocus || !current) return;
    if (collapsed) {
      const back = focusBefore instanceof HTMLElement && focusBefore.isConnected ? focusBefore : toggleButton;
      back?.focus();
    } else {
      // Focus inside our closed shadow root shows as the host element: that is the fold button.
      focusBefore = document.activeElement === ui?.wrapper ? (toggleButton ?? null) : document.activeElement;
      ui?.iframe.focus();
    }
  }

  function toggle() {
    if (!current || placement !== 'page') return;
    followed = true; // newer than any answer still on its way
    setCollapsed(!collapsed, true);
    const value = collapsed;
    ownWrites.push(value);
    void browser.storage.local.set({ [PANEL_COLLAPSED_KEY]: value }).catch(() => {
      const i = ownWrites.indexOf(value);
      if (i >= 0) ownWrites.splice(i, 1);
    });
  }

  /**
   * The fold state changed in extension storage: the shortcut (flipped by the background), this tab's own
   * button, or another tab. Only extension pages and our content scripts can write it; it is a boolean.
   * Focus moves only in the tab the rep is using.
   */
  function onStorageChanged(changes: Record<string, { newValue?: unknown }>, area: string) {
    if (area !== 'local') return;
    if (Object.hasOwn(changes, PANEL_PLACEMENT_KEY)) {
      placementFollowed = true;
      setPlacement(placementOf(changes[PANEL_PLACEMENT_KEY]?.newValue));
    }
    if (!Object.hasOwn(changes, PANEL_COLLAPSED_KEY)) return;
    followed = true;
    const next = changes[PANEL_COLLAPSED_KEY]?.newValue === true;
    // This tab's own click coming back (two quick clicks must not fold and unfold it a second time).
    if (ownWrites[0] === next) {
      ownWrites.shift();
      return;
    }
    ownWrites.length = 0;
    if (next !== collapsed) setCollapsed(next, document.hasFocus());
  }

  function createPanelFrame() {
    // The host of a closed shadow root: the page finds the host, never the iframe inside (nor its address),
    // and its style sheets cannot restyle the host (every declaration important, the rest reset by `all`).
    const wrapper = document.createElement('div');
    const shadow = wrapper.attachShadow({ mode: 'closed' });
    const iframe = document.createElement('iframe');
    wrapper.setAttribute(PANEL_HOST_ATTRIBUTE, '');
    // One style write per element: each property set alone is a CSS parse of its own, on the page's thread.
    wrapper.style.cssText = importantCss({
      all: 'initial',
      position: 'fixed',
      top: '0',
      right: '0',
      bottom: '0',
      width: `${PANEL_WIDTH_PX}px`,
      'max-width': '100vw',
      'z-index': '2147483646',
      display: 'block',
    });
    iframe.title = PANEL_TITLE;
    // A host-side button folds and unfolds the panel: the CRM page cannot script the iframe, nor it the page.
    toggleButton = document.createElement('button');
    toggleButton.type = 'button';
    toggleButton.style.cssText =
      'all:initial;position:absolute;box-sizing:border-box;display:flex;align-items:center;justify-content:center;cursor:pointer;background:#1f5f8b;color:#fff;font:600 16px/1 system-ui, sans-serif;border-radius:4px 0 0 4px;outline-offset:2px';
    toggleButton.addEventListener('click', toggle);
    iframe.style.cssText =
      'display:block;box-sizing:border-box;width:100%;height:100%;border:0;border-left:1px solid #c9c9c9;box-shadow:-2px 0 8px rgba(0, 0, 0, 0.12);background:#fff;color-scheme:normal';
    shadow.append(iframe, toggleButton);
    // A load we did not start (a reload of the frame by the rep): its used token is refused, so give it a new one.
    iframe.addEventListener('load', () => {
      if (!iframe.getAttribute('src')) return; // the blank document it starts with
      if (expectedLoads > 0) {
        expectedLoads--;
        return;
      }
      const now = Date.now();
      reloadRemounts = reloadRemounts.filter((t) => now - t < RELOAD_WINDOW_MS);
      if (reloadRemounts.length >= MAX_RELOAD_REMOUNTS || !current || placement !== 'page') return;
      reloadRemounts.push(now);
      unmount();
      mount();
    });
    return { wrapper, iframe };
  }

  /**
   * Loads the panel page for the current lead: asks for the frame's token, then, at the page's next idle
   * moment, puts the frame in once, with its address (a frame put in without one would make and show a
   * blank document first, and a panel page loading while the CRM renders takes a core from it: issue 19).
   * The answer also says where the panel shows: in side-panel mode nothing is made.
   */
  function load(attempt = 0) {
    if (!current) return;
    const n = ++loads;
    expectedLoads = 0;
    ui?.wrapper.remove(); // the page moved it (the frame reloaded with a used token): load it afresh
    pending = true;
    void requestFrame().then(
      (frame) => {
        if (n !== loads) return;
        pending = false;
        if (frame) takeChoices(frame);
        // The answer said the side panel, but a switch to the page seen since is newer: ask again (once per load).
        if (frame && !frame.token && frame.placement !== 'page' && current && placement === 'page' && !reasked) {
          reasked = true;
          load();
          return;
        }
        reasked = false;
        if (!frame?.token || !current || placement !== 'page') return;
        const token = frame.token;
        // Still pending until it goes in: the same lead seen again meanwhile (`update`) must not ask for a second token.
        pending = true;
        whenIdle(() => {
          // Taken out (another lead, the side panel, the extension gone) while it waited: its token is dropped.
          if (n !== loads) return;
          pending = false;
          if (!current || placement !== 'page' || !ctx.isValid) return;
          const { wrapper, iframe } = (ui ??= createPanelFrame());
          expectedLoads++;
          iframe.src = panelUrl(current, token);
          applyCollapsed();
          (document.body ?? document.documentElement).append(wrapper);
          (watcher ??= keepAttached(wrapper, load)).watch();
        });
      },
      () => {
        if (n !== loads) return;
        pending = false;
        // No answer: ask again after a wait, a few times (still pending meanwhile, so nothing else loads it).
        const delay = retryDelays[attempt];
        if (delay === undefined) return;
        pending = true;
        setTimeout(() => {
          // Nothing since (not unmounted), and the extension is still there (an update leaves it gone, unannounced).
          if (n === loads && ctx.isValid) load(attempt + 1);
        }, delay);
      },
    );
  }

  function unmount() {
    watcher?.stop();
    watcher = undefined;
    loads++; // a token on its way is dropped
    pending = false;
    ui?.wrapper.remove();
  }

  /**
   * Where the panel shows now: into the page (mounted, if the tab shows a lead) or out of it (the lead stays
   * reported: the side panel shows it). A change in storage takes effect at once, without a reload.
   */
  function setPlacement(next: PanelPlacement) {
    if (next === placement) return;
    placement = next;
    if (next === 'side_panel') unmount();
    else if (current && !ui?.wrapper.isConnected && !pending) mount();
  }

  /**
   * Follows changes of the rep's choices in extension storage, from when the first lead page shows (other
   * pages pay nothing). Their values come with the frame's token (`takeChoices`): the page reads no storage.
   */
  function listen() {
    listening = true;
    browser.storage.onChanged.addListener(onStorageChanged);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorageChanged));
  }

  /** The rep's choices as the background read them, unless a change seen since is newer. */
  function takeChoices(frame: PanelFrame) {
    if (!followed && frame.collapsed !== collapsed) collapsed = frame.collapsed;
    if (!placementFollowed) placement = frame.placement;
    if (placement === 'side_panel') unmount();
  }

  function mount() {
    if (!listening) listen();
    if (placement === 'side_panel') return; // in the browser's side panel: nothing goes into the page
    load();
  }

  let reportedOnce = false;
  function update(url: URL) {
    const detected = detectLeadPageIn(url, pages);
    const next = detected?.ref ?? null;
    // A page loaded without a lead says so once: the background forgets the lead this tab showed before a
    // full page load, so a page here cannot embed the panel and act on that lead (ADR 0015).
    if (!reportedOnce) {
      reportedOnce = true;
      if (next === null) options.onLeadChange?.(null);
    }
    const mounted = pending || (ui?.wrapper.isConnected ?? false);
    if (sameLead(next, current) && (next === null || mounted)) return;
    const changed = !sameLead(next, current);
    if (changed && current && next && mounted) {
      // Lead to lead: the panel stays (no reload); the background tells it which lead the tab shows now.
      current = next;
      options.onLeadChange?.(detected);
      return;
    }
    if (current) unmount();
    current = next;
    // Report the lead before the iframe goes in: the page's style is still clean, so reading it forces no
    // style recalculation inside our script, and the background knows the lead before the panel asks.
    if (changed) options.onLeadChange?.(detected);
    if (current) mount();
  }

  ctx.onInvalidated(() => {
    watcher?.stop();
    ui?.wrapper.remove();
    current = null;
  });
  // WXT fires this from the Navigation API, possibly before `location` shows the new URL: use `newUrl`.
  ctx.addEventListener(window, 'wxt:locationchange', (event) => update(event.newUrl));
  // Back to this page from the back/forward cache: another page has been shown in the tab since, so the
  // background forgot this page's lead and its panel frame (ADR 0015). Report the lead (or that there is none:
  // the tab may still be paired with the page shown before) and load the panel again.
  ctx.addEventListener(window, 'pageshow', (event) => {
    if (!event.persisted) return;
    options.onRestored?.();
    if (current) unmount();
    current = null;
    reportedOnce = false;
    update(new URL(location.href));
  });
  update(new URL(location.href));

  return {
    get current() {
      return current;
    },
    get collapsed() {
      return collapsed;
    },
    get placement() {
      return placement;
    },
    update,
    toggle,
  };
}

/**
 * Calls `remount` when the page detaches (or moves) `node`, by watching only its parent's and the root's children
 * (no subtree observation: CRM pages mutate constantly). `watch` (again) once `node` is in the page: the
 * remount puts it back later (once its token is here). Gives up if the page keeps removing it.
 */
function keepAttached(node: Element, remount: () => void): { watch(): void; stop(): void } {
  let observer: MutationObserver | undefined;
  let recent: number[] = [];
  let stopped = false;

  const watch = () => {
    observer?.disconnect();
    const parent = node.parentNode;
    if (stopped || !parent) return;
    observer = new MutationObserver((records) => {
      // Put back by the page itself in the same task (moved): its iframe reloaded all the same.
      const moved = records.some((r) => Array.prototype.includes.call(r.removedNodes, node));
      if (node.isConnected && !moved) return;
      observer?.disconnect();
      const now = Date.now();
      recent = recent.filter((t) => now - t < REMOUNT_WINDOW_MS);
      if (recent.length >= MAX_REMOUNTS) {
        stopped = true;
        return;
      }
      recent.push(now);
      remount();
    });
    observer.observe(parent, { childList: true });
    const root = node.ownerDocument.documentElement;
    if (parent !== root) observer.observe(root, { childList: true });
  };

  return {
    watch,
    stop() {
      stopped = true;
      observer?.disconnect();
    },
  };
}
