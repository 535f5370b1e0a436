/**
 * The content script's work: find out from the URL whether the tab shows a lead, and keep the panel
 * iframe docked on the right while it does. Follows the CRM's client-side navigation, and puts the panel
 * back when the CRM's own rendering removes it.
 *
 * Runs inside CRM pages: imports nothing heavy (no React, no zod), see ADR 0001.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';
import { detectLeadPage, sameLead, type CrmPage, type LeadRef } from '../crm';

/** The iframe's accessible name; the panel's landmark uses the same words. */
export const PANEL_TITLE = 'Lead qualification';
export const PANEL_WIDTH_PX = 380;
/** Marks our wrapper element in the CRM's DOM. */
export const PANEL_HOST_ATTRIBUTE = 'data-lead-qualifier-panel';
/** If the page removes the panel more often than this within REMOUNT_WINDOW_MS, stop putting it back. */
const MAX_REMOUNTS = 20;
const REMOUNT_WINDOW_MS = 10_000;

/** The panel page's address for a lead. The panel reads the record from the query string (for now). */
export function panelUrl(ref: LeadRef): string {
  const params = new URLSearchParams({ crm: ref.crm, recordId: ref.recordId, objectType: ref.objectType });
  if (ref.account) params.set('account', ref.account);
  return `${browser.runtime.getURL('/panel.html')}?${params.toString()}`;
}

export interface PanelHost {
  /** The lead the panel shows; null when the panel is not mounted. */
  readonly current: LeadRef | null;
  /** Show the panel for the lead at `url`, or remove it when `url` is not a lead page. */
  update(url: URL): void;
}

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

  const ui = createIframeUi(ctx, {
    page: '/panel.html',
    position: 'inline',
    anchor: 'body',
    onBeforeMount(wrapper, iframe) {
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
      // Only while detached: setting `src` on a connected iframe would add a history entry to the tab.
      if (current) iframe.src = panelUrl(current);
    },
  });

  function unmount() {
    stopWatching?.();
    stopWatching = undefined;
    ui.remove();
  }

  function mount() {
    ui.mount();
    stopWatching = keepAttached(ui.wrapper, () => ui.mount());
  }

  function update(url: URL) {
    const detected = detectLeadPage(url, pages);
    const next = detected?.ref ?? null;
    if (sameLead(next, current) && (next === null || ui.wrapper.isConnected)) return;
    const changed = !sameLead(next, current);
    if (current) unmount();
    current = next;
    if (current) mount();
    if (changed) options.onLeadChange?.(detected);
  }

  ctx.onInvalidated(() => {
    stopWatching?.();
    current = null;
  });
  // WXT fires this from the Navigation API, possibly before `location` shows the new URL: use `newUrl`.
  ctx.addEventListener(window, 'wxt:locationchange', (event) => update(event.newUrl));
  update(new URL(location.href));

  return {
    get current() {
      return current;
    },
    update,
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
