/**
 * Names every part of the extension shares, in a module with no dependencies, so the content script can
 * use them without bundling zod (ADR 0014).
 */

/** The protocol's channel: every message is `{ channel, type, payload }`. */
export const CHANNEL = 'lead-qualifier/1';

/**
 * Extension storage (`storage.local`, not the CRM site's): whether the rep folded the panel. The panel's
 * edge button and the keyboard shortcut (through the background) write it; every CRM tab follows it.
 */
export const PANEL_COLLAPSED_KEY = 'panel.collapsed';

/**
 * Extension storage (`storage.local`): where the panel shows (issue 19, ADR 0020): docked in the CRM page
 * (`page`, the default) or in the browser's own side panel (`side_panel`: Chrome's and Edge's `sidePanel`,
 * Firefox's sidebar). The options page sets it (through the background); the content script of every CRM
 * tab follows it, and inserts no panel into the page in side-panel mode.
 */
export const PANEL_PLACEMENT_KEY = 'panel.placement';
export const PANEL_PLACEMENTS = ['page', 'side_panel'] as const;
export type PanelPlacement = (typeof PANEL_PLACEMENTS)[number];
/** The placement a stored value means: anything but `side_panel` (nothing stored, say) is the default. */
export const placementOf = (value: unknown): PanelPlacement => (value === 'side_panel' ? 'side_panel' : 'page');

/** The side panel's page (entrypoints/sidepanel): not web-accessible, so no web page can load or frame it. */
export const SIDE_PANEL_PATH = '/sidepanel.html';
/**
 * The envelope field in which the side panel names the tab it shows (its window's active tab): it is in no
 * tab itself, so the browser's `sender.tab` cannot say. Read only from the side panel page (src/messaging/sender.ts).
 */
export const SIDE_PANEL_TAB_FIELD = 'sidePanelTab';
