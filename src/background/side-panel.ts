import { PANEL_PLACEMENT_KEY, placementOf, type PanelPlacement } from '../messaging/names';
import type { Caller } from '../messaging/sender';
import type { PanelBinding } from './frame-binding';

/**
 * The browser's native side panel as the panel's place (issue 19 part 3, ADR 0020): Chrome's and Edge's
 * `sidePanel`, Firefox's `sidebar_action`, showing `sidepanel.html` (entrypoints/sidepanel) beside the CRM
 * tab. The same panel code and messages as the panel in the page; what differs is decided here:
 *
 * - **Binding.** The side panel page is in no tab and is not web-accessible: no web page can load, frame or
 *   cover it, so there is no frame to bind and no token. It names the tab it shows (its window's active
 *   tab) in each message (`SIDE_PANEL_TAB_FIELD`, src/messaging/sender.ts) and acts for that tab's lead.
 * - **Placement.** `storage.local` holds where the panel shows (`PANEL_PLACEMENT_KEY`); content scripts
 *   follow it. In Chrome the side panel is enabled only in side-panel mode (`sidePanel.setOptions`), so the
 *   browser itself knows the mode when the shortcut is pressed.
 * - **Shortcut.** `toggle-panel` opens the side panel in side-panel mode, within the key press's user
 *   gesture (nothing awaited before the call); in the page mode it folds the docked panel as before.
 */

/** The parts of Chrome's `sidePanel` used here (Chrome 116+, Edge). */
export interface ChromeSidePanel {
  open(options: { windowId: number }): Promise<void>;
  setOptions(options: { enabled: boolean }): Promise<void>;
}

/** The parts of Firefox's `sidebarAction` used here (`toggle`: Firefox 73+). */
export interface FirefoxSidebar {
  open(): Promise<void>;
  toggle?(): Promise<void>;
}

export interface SidePanelApis {
  sidePanel?: ChromeSidePanel;
  sidebarAction?: FirefoxSidebar;
}

/** The browser's side panel APIs, where it has them (the rest of `browser` is typed for Chrome). */
export function sidePanelApis(browserLike: unknown): SidePanelApis {
  const b = browserLike as { sidePanel?: Partial<ChromeSidePanel>; sidebarAction?: Partial<FirefoxSidebar> };
  const sidePanel = typeof b.sidePanel?.open === 'function' && typeof b.sidePanel.setOptions === 'function' ? (b.sidePanel as ChromeSidePanel) : undefined;
  const sidebarAction = typeof b.sidebarAction?.open === 'function' ? (b.sidebarAction as FirefoxSidebar) : undefined;
  return { ...(sidePanel ? { sidePanel } : {}), ...(sidebarAction ? { sidebarAction } : {}) };
}

/** Whether this browser can show the panel in its side panel (the options page offers the choice only then). */
export const hasSidePanel = (apis: SidePanelApis) => apis.sidePanel !== undefined || apis.sidebarAction !== undefined;

/**
 * A side panel caller is accepted as it is: its page is ours and no web page can reach it (not
 * web-accessible), so nothing can pose as it. A panel in a tab's frame goes to the frame binding.
 */
export function sidePanelBinding(frames: PanelBinding & { admit(raw: unknown, caller: Caller | null): Promise<Caller | null> }) {
  return {
    accepts: (caller: Caller): Promise<boolean> => (caller.sidePanel ? Promise.resolve(caller.role === 'panel') : frames.accepts(caller)),
    /** The step before the router (see the frame binding's `admit`). */
    admit: (raw: unknown, caller: Caller | null): Promise<Caller | null> => (caller?.sidePanel ? Promise.resolve(caller) : frames.admit(raw, caller)),
  } satisfies PanelBinding & Record<string, unknown>;
}

/** The parts of `storage.local` and `storage.onChanged` used here. */
export interface LocalArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}
export interface StorageChanges {
  addListener(callback: (changes: Record<string, { newValue?: unknown }>, areaName: string) => void): void;
}

/** A synchronous copy of the placement that outlives the worker (Firefox's event page has `localStorage`). */
export interface SyncMirror {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface PlacementDeps {
  local: LocalArea;
  apis: SidePanelApis;
  mirror?: SyncMirror;
  onError?: (error: unknown) => void;
}

/**
 * Where the panel shows, as the background keeps it: read at start-up, followed in storage, known
 * synchronously once read (the shortcut cannot wait), and passed on to Chrome's side panel state.
 */
export function createPlacement(deps: PlacementDeps) {
  const available = hasSidePanel(deps.apis);
  let known: PanelPlacement | undefined;
  const mirrored = deps.mirror?.getItem(PANEL_PLACEMENT_KEY);
  if (mirrored === 'page' || mirrored === 'side_panel') known = mirrored;

  /** Takes a placement read or changed: remembered, mirrored, and Chrome's side panel enabled only for it. */
  function note(placement: PanelPlacement): Promise<void> {
    known = placement;
    try {
      deps.mirror?.setItem(PANEL_PLACEMENT_KEY, placement);
    } catch (e) {
      deps.onError?.(e);
    }
    return (deps.apis.sidePanel?.setOptions({ enabled: placement === 'side_panel' }) ?? Promise.resolve()).catch((e: unknown) => deps.onError?.(e));
  }

  async function read(): Promise<PanelPlacement> {
    const placement = placementOf((await deps.local.get(PANEL_PLACEMENT_KEY))[PANEL_PLACEMENT_KEY]);
    // Stored side-panel mode on a browser without one (a profile copied over, say): the page it is.
    return available ? placement : 'page';
  }

  return {
    /** Whether the browser has a side panel for extensions. */
    available,
    /** The placement if known without waiting (undefined right after the worker started, before the read). */
    current: (): PanelPlacement | undefined => known,
    read,
    /** Reads it and applies it (worker start-up). */
    start: (): Promise<void> => read().then(note, (e: unknown) => deps.onError?.(e)),
    /** The options page's choice. Side-panel mode where the browser has none is refused (false). */
    async set(placement: PanelPlacement): Promise<boolean> {
      if (placement === 'side_panel' && !available) return false;
      await deps.local.set({ [PANEL_PLACEMENT_KEY]: placement });
      await note(placement);
      return true;
    },
    /** Follows the stored value (another of the extension's pages may write it). */
    follow(events: StorageChanges) {
      events.addListener((changes, area) => {
        if (area === 'local' && Object.hasOwn(changes, PANEL_PLACEMENT_KEY)) void note(available ? placementOf(changes[PANEL_PLACEMENT_KEY]?.newValue) : 'page');
      });
    },
  };
}
export type Placement = ReturnType<typeof createPlacement>;

export interface PanelCommandDeps {
  placement: Pick<Placement, 'current' | 'read'>;
  apis: SidePanelApis;
  /** The page mode's fold (src/background/panel-fold.ts). */
  fold: (tabId: number) => Promise<void>;
  /** The side panel could not be opened: tell the rep, in this tab (the toolbar button's title). */
  onOpenFailed?: (tabId: number | undefined, error: unknown) => void;
}

/**
 * The `toggle-panel` shortcut. Opening a side panel needs the key press's user gesture, which ends at the
 * first `await`: so the call is made first, from what is known synchronously. In Chrome the side panel is
 * enabled only in side-panel mode, so asking it to open is right unless the mode is known to be the page's
 * (in that mode it is disabled and refuses). In Firefox the sidebar opens for anyone, so only a mode known
 * to be side-panel opens it; a worker that has just started and has no copy of it cannot, and says so.
 */
export function createPanelCommand(deps: PanelCommandDeps) {
  return function onPanelCommand(tab: { id?: number; windowId?: number }): Promise<void> {
    const known = deps.placement.current();
    let opening: Promise<void> | undefined;
    try {
      if (deps.apis.sidePanel && known !== 'page' && tab.windowId !== undefined) opening = deps.apis.sidePanel.open({ windowId: tab.windowId });
      else if (deps.apis.sidebarAction && known === 'side_panel') opening = (deps.apis.sidebarAction.toggle ?? deps.apis.sidebarAction.open).call(deps.apis.sidebarAction);
    } catch (e) {
      opening = Promise.reject(e);
    }
    // A refusal is read below (in the page mode Chrome refuses, as it should); never left unhandled.
    const opened = opening?.then(
      () => undefined,
      (e: unknown) => e ?? new Error('The side panel did not open.'),
    );
    return (async () => {
      const placement = known ?? (await deps.placement.read().catch((): PanelPlacement => 'page'));
      if (placement === 'page') {
        if (tab.id !== undefined) await deps.fold(tab.id);
        return;
      }
      const failure = opened ? await opened : new Error('The side panel could not be opened from this key press.');
      if (failure) deps.onOpenFailed?.(tab.id, failure);
    })();
  };
}
