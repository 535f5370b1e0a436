import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PANEL_COLLAPSED_KEY } from '../messaging/names';
import { togglePanelFold } from './panel-fold';

describe('the toggle-panel shortcut', () => {
  const leadTabs = new Set([7]);
  const deps = () => ({ local: fakeBrowser.storage.local, showsLead: async (tabId: number) => leadTabs.has(tabId) });
  const stored = async () => (await fakeBrowser.storage.local.get(PANEL_COLLAPSED_KEY))[PANEL_COLLAPSED_KEY];

  beforeEach(() => fakeBrowser.reset());

  it('flips the fold state every CRM tab follows: folds, then unfolds', async () => {
    await togglePanelFold(deps(), 7);
    expect(await stored()).toBe(true);
    await togglePanelFold(deps(), 7);
    expect(await stored()).toBe(false);
  });

  it('does nothing when pressed in a tab that shows no lead', async () => {
    await togglePanelFold(deps(), 8);
    expect(await stored()).toBeUndefined();
  });
});
