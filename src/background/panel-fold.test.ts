import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PANEL_COLLAPSED_KEY } from '../messaging/names';
import { createPanelFold } from './panel-fold';

describe('the toggle-panel shortcut', () => {
  const leadTabs = new Set([7]);
  const fold = () => createPanelFold({ local: fakeBrowser.storage.local, showsLead: async (tabId: number) => leadTabs.has(tabId) });
  const stored = async () => (await fakeBrowser.storage.local.get(PANEL_COLLAPSED_KEY))[PANEL_COLLAPSED_KEY];

  beforeEach(() => fakeBrowser.reset());

  it('flips the fold state every CRM tab follows: folds, then unfolds', async () => {
    const toggle = fold();
    await toggle(7);
    expect(await stored()).toBe(true);
    await toggle(7);
    expect(await stored()).toBe(false);
  });

  it('takes quick presses one after another: two presses fold and unfold, three leave it folded', async () => {
    const toggle = fold();
    await Promise.all([toggle(7), toggle(7)]);
    expect(await stored()).toBe(false);
    await Promise.all([toggle(7), toggle(7), toggle(7)]);
    expect(await stored()).toBe(true);
  });

  it('does nothing when pressed in a tab that shows no lead', async () => {
    await fold()(8);
    expect(await stored()).toBeUndefined();
  });
});
