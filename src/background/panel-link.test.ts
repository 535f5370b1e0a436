import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { leadKey } from '../crm';
import { panelPushSchema, PANEL_PORT } from '../messaging/panel-protocol';
import { identifySender, type Caller, type SenderInfo } from '../messaging/sender';
import { acceptPanelPorts, panelPushes, reportingRefreshes, type IncomingPort } from './panel-link';

const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };

describe('pushes to panels', () => {
  it('sends pushes of the panel protocol, ids only, and names at most MAX_PUSH_IDS dispositions in each', async () => {
    const sent: unknown[] = [];
    const push = panelPushes(async (m) => void sent.push(m));
    push.leadChanged(3);
    push.leadRefreshed(leadKey(ref));
    push.syncChanged([]); // nothing changed: nothing sent
    push.syncChanged(Array.from({ length: 501 }, (_, i) => `d${i}`));
    expect(sent.map((m) => panelPushSchema.parse(m).type)).toEqual(['panel.leadChanged', 'panel.leadRefreshed', 'panel.syncChanged', 'panel.syncChanged']);
    expect(sent.slice(2).map((m) => panelPushSchema.parse(m).payload)).toEqual([{ dispositionIds: Array.from({ length: 500 }, (_, i) => `d${i}`) }, { dispositionIds: ['d500'] }]);
  });

  it('does not fail when no panel is open to receive them', async () => {
    const push = panelPushes(() => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')));
    expect(() => push.syncChanged(['d1'])).not.toThrow();
    await new Promise((r) => setTimeout(r, 0)); // no unhandled rejection
  });

  it('reports each profile read once it has settled, done or failed, and once for calls that share it', async () => {
    const settled: string[] = [];
    let finish: () => void = () => undefined;
    const shared = new Promise<void>((r) => (finish = r));
    const refresh = vi.fn().mockReturnValueOnce(shared).mockReturnValueOnce(shared).mockReturnValueOnce(Promise.reject(new Error('CRM down')));
    const refresher = reportingRefreshes({ refresh }, (key) => settled.push(key));
    const a = refresher.refresh(ref);
    const b = refresher.refresh(ref, { force: true });
    expect(a).toBe(shared);
    expect(b).toBe(shared);
    expect(refresh).toHaveBeenLastCalledWith(ref, { force: true });
    await Promise.resolve();
    expect(settled).toEqual([]); // not before the read is done
    finish();
    await shared;
    await Promise.resolve();
    expect(settled).toEqual([leadKey(ref)]);
    await expect(refresher.refresh({ ...ref, account: 'org-2' })).rejects.toThrow('CRM down'); // callers still see the failure
    await Promise.resolve();
    expect(settled).toEqual([leadKey(ref), leadKey({ ...ref, account: 'org-2' })]);
  });
});

describe('panel ports', () => {
  const self = { id: fakeBrowser.runtime.id, origin: fakeBrowser.runtime.getURL('/').replace(/\/$/, '') };
  const isCrmPage = (u: URL) => u.host === 'acme.lightning.force.com';
  /** The tab's bound panel is frame 7 (src/background/frame-binding.ts decides that; here a stand-in). */
  const binding = { accepts: async (caller: Caller) => caller.frameId === 7 };
  function accept() {
    let onConnect: (port: IncomingPort) => void = () => undefined;
    // Not in WXT's fake browser (it throws "not implemented"): take the listener the background adds.
    vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation((cb) => void (onConnect = cb as never));
    acceptPanelPorts(fakeBrowser.runtime.onConnect, (sender) => identifySender(sender, self, isCrmPage), binding);
    return async (name: string, sender: SenderInfo | undefined) => {
      const port = { name, sender, disconnect: vi.fn() };
      onConnect(port);
      await new Promise((r) => setTimeout(r, 0)); // the binding answers asynchronously
      return port.disconnect.mock.calls.length > 0 ? 'closed' : 'kept';
    };
  }
  const panel = { id: self.id, url: fakeBrowser.runtime.getURL('/panel.html'), tab: { id: 4 }, frameId: 7 };

  it('keeps a port from the tab’s bound panel', async () => {
    expect(await accept()(PANEL_PORT, panel)).toBe('kept');
  });

  it('closes a port from a panel frame that is not the tab’s bound panel (a frame the page made)', async () => {
    expect(await accept()(PANEL_PORT, { ...panel, frameId: 9 })).toBe('closed');
  });

  it('closes ports from anything else, or under another name', async () => {
    const connect = accept();
    expect(await connect(PANEL_PORT, { id: self.id, url: ref.url, tab: { id: 4 }, frameId: 0 })).toBe('closed'); // the CRM page's content script
    expect(await connect(PANEL_PORT, { id: 'another-extension', url: panel.url, tab: { id: 4 }, frameId: 7 })).toBe('closed');
    expect(await connect(PANEL_PORT, { id: self.id, url: 'https://evil.example/panel.html', tab: { id: 4 }, frameId: 0 })).toBe('closed'); // a web page
    expect(await connect(PANEL_PORT, { ...panel, tab: undefined })).toBe('closed'); // our panel page outside any tab
    expect(await connect(PANEL_PORT, undefined)).toBe('closed');
    expect(await connect('something-else', panel)).toBe('closed');
  });
});
