import { PANEL_COLLAPSED_KEY } from '../messaging/names';

export interface PanelFoldDeps {
  /** Extension storage (`storage.local`). */
  local: { get(key: string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  /** Whether the tab shows a lead (its content script reported one). */
  showsLead(tabId: number): Promise<boolean>;
}

/**
 * The "toggle-panel" keyboard shortcut: flips the fold state in extension storage, which the content
 * script of every CRM tab follows; the tab the rep is in also moves focus into the panel or back (ADR 0014).
 * Pressed in a tab without a lead it does nothing, so it does not fold panels the rep cannot see.
 *
 * Presses run one after another: each reads what the one before wrote, so two quick presses fold and
 * unfold rather than both folding.
 */
export function createPanelFold(deps: PanelFoldDeps) {
  let last: Promise<void> = Promise.resolve();
  return function togglePanelFold(tabId: number): Promise<void> {
    const run = async () => {
      if (!(await deps.showsLead(tabId))) return;
      const stored = await deps.local.get(PANEL_COLLAPSED_KEY);
      await deps.local.set({ [PANEL_COLLAPSED_KEY]: stored[PANEL_COLLAPSED_KEY] !== true });
    };
    last = last.then(run, run);
    return last;
  };
}
