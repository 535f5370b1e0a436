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
