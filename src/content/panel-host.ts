/**
 * The content script's work: find out from the URL whether the tab shows a lead, and keep the panel
 * iframe docked on the right while it does. Follows the CRM's client-side navigation, and puts the panel
 * back when the CRM's own rendering removes it.
 *
 * Runs inside CRM pages: imports nothing heavy (no React, no zod), see ADR 0001.
 */
import { pageStrings as t } from '../i18n/page';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { detectLeadPage, sameLead, type CrmPage } from '../crm';
import type { LeadRef } from '../domain/lead-ref';
import { PANEL_COLLAPSED_KEY } from '../messaging/names';

/** The iframe's accessible name; the panel's landmark uses the same words. */
export const PANEL_TITLE = t.panelTitle;
export const PANEL_WIDTH_PX = 380;
/** Marks our wrapper element in the CRM's DOM. */
export const PANEL_HOST_ATTRIBUTE = 'data-lead-qualifier-panel';
/** If the page removes the panel more often than this within REMOUNT_WINDOW_MS, stop putting it back. */
const MAX_REMOUNTS = 20;
const REMOUNT_WINDOW_MS = 10_000;

/**
 * The panel page's address for a lead. The query string only names the record for someone reading the
 * frame's address; the panel never reads it: it shows the lead the background paired with its tab.
 */
export function panelUrl(ref: LeadRef): string {
  const params = new URLSearchParams({ crm: ref.crm, recordId: ref.recordId, objectType: ref.objectType });
  if (ref.account) params.set('account', ref.account);
  return `${browser.runtime.getURL('/panel.html')}?${params.toString()}`;
}

export interface PanelHost {
  /** The lead the panel shows; null when the panel is not mounted. */
  readonly current: LeadRef | null;
  /** Whether the panel is folded to a narrow tab on the right edge. */
  readonly collapsed: boolean;
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
}

export function startPanelHost(ctx: ContentScriptContext, pages: readonly CrmPage[], options: PanelHostOptions = {}): PanelHost {
  let current: LeadRef | null = null;
  let stopWatching: (() => void) | undefined;
  let collapsed = false;
  let focusBefore: Element | null = null;
  let toggleButton: HTMLButtonElement | undefined;
  /** Values this tab wrote whose change events have not come back yet: its own writes echo to it. */
  const ownWrites: boolean[] = [];
  /** Set once a change was seen: the first read's answer may be older than it. */
  let followed = false;
  // The panel's wrapper and iframe, created at the first lead page and moved in and out of the page. (Our own
  // few lines rather than WXT's createIframeUi, whose auto-mount code and its dependency would be bundled and
  // evaluated on every CRM page load for nothing.)
  let ui: ReturnType<typeof createPanelFrame> | undefined;

  /** Applies the folded/unfolded look to the mounted panel. */
  function applyCollapsed() {
    if (!ui) return;
    ui.wrapper.style.width = collapsed ? `${COLLAPSED_WIDTH_PX}px` : `${PANEL_WIDTH_PX}px`;
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
      focusBefore = document.activeElement;
      ui?.iframe.focus();
    }
  }

  function toggle() {
    if (!current) return;
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
    if (area !== 'local' || !Object.hasOwn(changes, PANEL_COLLAPSED_KEY)) return;
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
    const wrapper = document.createElement('div');
    const iframe = document.createElement('iframe');
    wrapper.setAttribute(PANEL_HOST_ATTRIBUTE, '');
    Object.assign(wrapper.style, {
      position: 'fixed',
      top: '0',
      right: '0',
      bottom: '0',
      width: `${PANEL_WIDTH_PX}px`,
      maxWidth: '100vw',
      zIndex: '2147483646',
      display: 'block',
    });
    iframe.title = PANEL_TITLE;
    // A host-side button folds and unfolds the panel: the CRM page cannot script the iframe, nor it the page.
    toggleButton = document.createElement('button');
    toggleButton.type = 'button';
    Object.assign(toggleButton.style, {
      all: 'initial',
      position: 'absolute',
      boxSizing: 'border-box',
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
      cursor: 'pointer',
      background: '#1f5f8b',
      color: '#fff',
      font: '600 16px/1 system-ui, sans-serif',
      borderRadius: '4px 0 0 4px',
      outlineOffset: '2px',
    });
    toggleButton.addEventListener('click', toggle);
    Object.assign(iframe.style, {
      display: 'block',
      boxSizing: 'border-box',
      width: '100%',
      height: '100%',
      border: '0',
      borderLeft: '1px solid #c9c9c9',
      boxShadow: '-2px 0 8px rgba(0, 0, 0, 0.12)',
      background: '#fff',
      colorScheme: 'normal',
    });
    wrapper.append(iframe, toggleButton);
    return {
      wrapper,
      iframe,
      mount() {
        // Only while detached: setting `src` on a connected iframe would add a history entry to the tab.
        if (current && !wrapper.isConnected) iframe.src = panelUrl(current);
        (document.body ?? document.documentElement).append(wrapper);
      },
      remove() {
        wrapper.remove();
      },
    };
  }

  function unmount() {
    stopWatching?.();
    stopWatching = undefined;
    ui?.remove();
  }

  /**
   * Reads the rep's folded/unfolded choice, and follows its changes, from when the first lead page shows
   * (other pages pay nothing).
   */
  function readCollapsed() {
    browser.storage.onChanged.addListener(onStorageChanged);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(onStorageChanged));
    void browser.storage.local
      .get(PANEL_COLLAPSED_KEY)
      .then((stored) => {
        if (!followed && stored[PANEL_COLLAPSED_KEY] === true && !collapsed) {
          collapsed = true;
          if (current) applyCollapsed();
        }
      })
      .catch(() => undefined);
  }

  function mount() {
    if (!ui) readCollapsed();
    const frame = (ui ??= createPanelFrame());
    frame.mount();
    applyCollapsed();
    stopWatching = keepAttached(frame.wrapper, () => frame.mount());
  }

  let reportedOnce = false;
  function update(url: URL) {
    const detected = detectLeadPage(url, pages);
    const next = detected?.ref ?? null;
    // A page loaded without a lead says so once: the background forgets the lead this tab showed before a
    // full page load, so a page here cannot embed the panel and act on that lead (ADR 0015).
    if (!reportedOnce) {
      reportedOnce = true;
      if (next === null) options.onLeadChange?.(null);
    }
    const mounted = ui?.wrapper.isConnected ?? false;
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
    stopWatching?.();
    ui?.remove();
    current = null;
  });
  // WXT fires this from the Navigation API, possibly before `location` shows the new URL: use `newUrl`.
  ctx.addEventListener(window, 'wxt:locationchange', (event) => update(event.newUrl));
  update(new URL(location.href));

  return {
    get current() {
      return current;
    },
    get collapsed() {
      return collapsed;
    },
    update,
    toggle,
  };
}

/**
 * Calls `remount` when the page detaches `node`, by watching only its parent's and the root's children
 * (no subtree observation: CRM pages mutate constantly). Gives up if the page keeps removing it.
 */
function keepAttached(node: Element, remount: () => void): () => void {
  let observer: MutationObserver | undefined;
  let recent: number[] = [];

  const watch = () => {
    observer?.disconnect();
    const parent = node.parentNode;
    if (!parent) return;
    observer = new MutationObserver(() => {
      if (node.isConnected) return;
      const now = Date.now();
      recent = recent.filter((t) => now - t < REMOUNT_WINDOW_MS);
      if (recent.length >= MAX_REMOUNTS) {
        observer?.disconnect();
        return;
      }
      recent.push(now);
      remount();
      watch(); // the parent may be a new element (e.g. a replaced <body>)
    });
    observer.observe(parent, { childList: true });
    const root = node.ownerDocument.documentElement;
    if (parent !== root) observer.observe(root, { childList: true });
  };

  watch();
  return () => observer?.disconnect();
}
