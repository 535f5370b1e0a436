import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CHANNEL } from '../messaging/envelope';
import { identifySender, type Caller } from '../messaging/sender';
import { createFrameBinding, frameKey, memoryFrameStore, PENDING_TOKEN_TTL_MS, sessionFrameStore, type FrameStore } from './frame-binding';

const TAB = 4;
/** The content script of the tab's page (document D1), and frames in it. */
const content = (documentId?: string): Caller => ({ role: 'content', tabId: TAB, ...(documentId ? { documentId } : {}) });
const frame = (frameId: number, documentId?: string, tabId = TAB): Caller => ({ role: 'panel', tabId, frameId, ...(documentId ? { documentId } : {}) });
const message = (type: string) => ({ channel: CHANNEL, type, payload: {} });

function setup(store: FrameStore = memoryFrameStore()) {
  let now = 1_000;
  let n = 0;
  const forgotten: number[] = [];
  const binding = createFrameBinding({
    store,
    now: () => now,
    newToken: () => (++n).toString(16).padStart(32, '0'),
    onNewDocument: async (tabId) => void forgotten.push(tabId),
  });
  /** `page.panelFrame` as the background runs it: the step before routing, then the handler. */
  const issue = async (caller = content('D1')) => {
    await binding.admit(message('page.panelFrame'), caller);
    return (await binding.handlers['page.panelFrame']({}, caller)).token!;
  };
  const claim = async (caller: Caller, token: string) => (await binding.handlers['panel.claim']({ token }, caller)).bound;
  return { binding, issue, claim, forgotten, store, later: (ms: number) => void (now += ms) };
}

describe('the tab’s panel frame (ADR 0015)', () => {
  it('gives tokens in the order asked, however long each settings read takes (the content script uses the last)', async () => {
    const store = memoryFrameStore();
    let n = 0;
    const slow: (() => void)[] = [];
    let first = true;
    const binding = createFrameBinding({
      store,
      now: () => 1,
      newToken: () => (++n).toString(16).padStart(32, '0'),
      // The first read is slow (the worker just woke), the second answers at once.
      settings: () => (first ? ((first = false), new Promise((r) => slow.push(() => r({ placement: 'page', collapsed: false })))) : Promise.resolve({ placement: 'page', collapsed: false })),
    });
    const r1 = binding.handlers['page.panelFrame']({}, content('D1'));
    const r2 = binding.handlers['page.panelFrame']({}, content('D1'));
    await vi.waitFor(() => expect(slow).toHaveLength(1));
    slow[0]!();
    const [a, b] = await Promise.all([r1, r2]);
    expect([a.token, b.token]).toEqual(['1'.padStart(32, '0'), '2'.padStart(32, '0')]);
    // The last token given is the one the tab waits for.
    expect((await store.get(TAB))?.pending?.token).toBe(b.token);
  });

  it('answers with the rep’s choices (the page reads no storage), and gives a token only when the panel goes in the page', async () => {
    let settings = { placement: 'page' as 'page' | 'side_panel', collapsed: true };
    const binding = createFrameBinding({ store: memoryFrameStore(), now: () => 1, newToken: () => 'b'.repeat(32), settings: async () => settings });
    expect(await binding.handlers['page.panelFrame']({}, content('D1'))).toEqual({ token: 'b'.repeat(32), placement: 'page', collapsed: true });
    settings = { placement: 'side_panel', collapsed: false };
    expect(await binding.handlers['page.panelFrame']({}, content('D1'))).toEqual({ placement: 'side_panel', collapsed: false });
    // Unreadable settings: the default, not a failed request (the panel would not come back).
    const failing = createFrameBinding({ store: memoryFrameStore(), now: () => 1, newToken: () => 'd'.repeat(32), settings: () => Promise.reject(new Error('storage')) });
    expect(await failing.handlers['page.panelFrame']({}, content('D1'))).toEqual({ token: 'd'.repeat(32), placement: 'page', collapsed: false });
    // Without settings given: in the page, unfolded.
    const plain = createFrameBinding({ store: memoryFrameStore(), now: () => 1, newToken: () => 'c'.repeat(32) });
    expect(await plain.handlers['page.panelFrame']({}, content('D1'))).toEqual({ token: 'c'.repeat(32), placement: 'page', collapsed: false });
  });

  it('a prerendered page of the tab (not shown yet) neither speaks for it nor clears what it shows (finding 5)', async () => {
    const { binding, issue, claim, forgotten } = setup();
    const token = await issue(content('D1'));
    expect(await claim(frame(7, 'P1'), token)).toBe(true);
    const self = { id: 'ext-id', origin: 'chrome-extension://ext-id' };
    const url = 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view';
    for (const frameId of [0, 3]) {
      const caller = identifySender({ id: 'ext-id', url, frameId, documentId: 'PRERENDERED', documentLifecycle: 'prerender', tab: { id: TAB } }, self, () => true);
      expect(await binding.admit(message('page.leadShown'), caller)).toBeNull();
    }
    expect(forgotten).toEqual([]);
    expect(await binding.accepts(frame(7, 'P1'))).toBe(true);
    // Once shown (activated), the same document is the tab's new page: then it clears the old one.
    const shown = identifySender({ id: 'ext-id', url, frameId: 0, documentId: 'PRERENDERED', documentLifecycle: 'active', tab: { id: TAB } }, self, () => true);
    expect(await binding.admit(message('page.leadShown'), shown)).toEqual(shown);
    expect(forgotten).toEqual([TAB]);
    expect(await binding.accepts(frame(7, 'P1'))).toBe(false);
  });

  it('binds the frame that presents the token the content script was given, and only that frame and document', async () => {
    const { binding, issue, claim } = setup();
    const token = await issue();
    expect(await binding.accepts(frame(7, 'P1'))).toBe(false); // not before its claim
    expect(await claim(frame(7, 'P1'), token)).toBe(true);
    expect(await binding.accepts(frame(7, 'P1'))).toBe(true);
    expect(await binding.accepts(frame(8, 'P2'))).toBe(false); // a frame the page made
    expect(await binding.accepts(frame(7, 'P3'))).toBe(false); // another document in that frame
    expect(await binding.accepts(frame(7, 'P1', TAB + 1))).toBe(false); // another tab
    expect(await binding.accepts({ role: 'extension_page', tabId: TAB, frameId: 7, documentId: 'P1' })).toBe(false);
  });

  it('a token is used once: a second frame presenting it is refused, and the bound one stays bound', async () => {
    const { binding, issue, claim } = setup();
    const token = await issue();
    expect(await claim(frame(7, 'P1'), token)).toBe(true);
    expect(await claim(frame(8, 'P2'), token)).toBe(false);
    expect(await binding.accepts(frame(7, 'P1'))).toBe(true);
    expect(await binding.accepts(frame(8, 'P2'))).toBe(false);
    expect(await claim(frame(7, 'P1'), token)).toBe(true); // the bound document asking again
  });

  it('a made-up or missing token is refused and does not use up the real one', async () => {
    const { binding, issue, claim } = setup();
    const token = await issue();
    expect(await claim(frame(8, 'P2'), '')).toBe(false);
    expect(await claim(frame(8, 'P2'), 'f'.repeat(32))).toBe(false);
    expect(await claim(frame(7, 'P1'), token)).toBe(true);
    expect(await binding.accepts(frame(8, 'P2'))).toBe(false);
  });

  it('refuses a token older than the limit, and every token once the content script asked for a newer one', async () => {
    const { issue, claim, later } = setup();
    const old = await issue();
    later(PENDING_TOKEN_TTL_MS + 1);
    expect(await claim(frame(7, 'P1'), old)).toBe(false);
    const first = await issue();
    const second = await issue();
    expect(await claim(frame(7, 'P1'), first)).toBe(false);
    expect(await claim(frame(7, 'P1'), second)).toBe(true);
  });

  it('a new token (the content script loads its frame again) unbinds the panel the tab had', async () => {
    const { binding, issue, claim } = setup();
    expect(await claim(frame(7, 'P1'), await issue())).toBe(true);
    const next = await issue();
    expect(await binding.accepts(frame(7, 'P1'))).toBe(false);
    expect(await claim(frame(7, 'P4'), next)).toBe(true);
    expect(await binding.accepts(frame(7, 'P4'))).toBe(true);
  });

  it('without document ids (Firefox), a claim from the bound frame means a new document there: it starts unbound', async () => {
    const { binding, issue, claim } = setup();
    expect(await claim(frame(7), await issue())).toBe(true);
    expect(await binding.accepts(frame(7))).toBe(true);
    expect(await claim(frame(7), 'made-up')).toBe(false);
    expect(await binding.accepts(frame(7))).toBe(false);
  });

  it('a content script message from a new top-level document forgets the tab’s lead, token and bound frame first', async () => {
    const { binding, issue, claim, forgotten } = setup();
    const pending = await issue(content('D1'));
    expect(await binding.admit(message('page.leadShown'), content('D1'))).toEqual(content('D1'));
    expect(forgotten).toEqual([]); // the same document
    expect(await claim(frame(7, 'P1'), pending)).toBe(true);

    // A full page load in the tab: the new page's first report.
    expect(await binding.admit(message('page.leadLeft'), content('D2'))).toEqual(content('D2'));
    expect(forgotten).toEqual([TAB]);
    expect(await binding.accepts(frame(7, 'P1'))).toBe(false);

    // A token issued before the load is gone too.
    const { binding: b2, issue: issue2, claim: claim2, forgotten: f2 } = setup();
    const early = await issue2(content('D1'));
    await b2.admit(message('page.leadShown'), content('D2'));
    expect(f2).toEqual([TAB]);
    expect(await claim2(frame(7, 'P1'), early)).toBe(false);
  });

  it('without document ids, content script messages change nothing', async () => {
    const { binding, issue, claim, forgotten } = setup();
    expect(await claim(frame(7), await issue(content()))).toBe(true);
    await binding.admit(message('page.leadShown'), content());
    expect(forgotten).toEqual([]);
    expect(await binding.accepts(frame(7))).toBe(true);
  });

  it('a new page’s report and its token request, sent together, forget the old page once and keep the new token', async () => {
    const { binding, issue, claim, forgotten } = setup();
    await issue(content('D1'));
    const [, token] = await Promise.all([binding.admit(message('page.leadShown'), content('D2')), issue(content('D2'))]);
    expect(forgotten).toEqual([TAB]);
    expect(await claim(frame(9, 'P9'), token)).toBe(true);
  });

  it('before routing: an unbound panel frame may send only panel.claim; the bound one anything', async () => {
    const { binding, issue, claim } = setup();
    const token = await issue();
    const forged = frame(8, 'P2');
    expect(await binding.admit(message('panel.claim'), forged)).toEqual(forged);
    expect(await binding.admit(message('panel.getState'), forged)).toBeNull();
    expect(await binding.admit(message('panel.saveDisposition'), forged)).toBeNull();
    expect(await binding.admit({ not: 'a message' }, forged)).toBeNull();
    expect(await claim(frame(7, 'P1'), token)).toBe(true);
    expect(await binding.admit(message('panel.saveDisposition'), frame(7, 'P1'))).toEqual(frame(7, 'P1'));
    expect(await binding.admit(message('options.getOverview'), { role: 'extension_page' })).toEqual({ role: 'extension_page' });
    expect(await binding.admit(message('panel.getState'), null)).toBeNull();
  });

  it('keeps its state in session storage: a restarted worker still knows the bound frame; stored junk counts as nothing', async () => {
    fakeBrowser.reset();
    const store = sessionFrameStore(fakeBrowser.storage.session);
    const first = setup(store);
    expect(await first.claim(frame(7, 'P1'), await first.issue())).toBe(true);
    const restarted = setup(store);
    expect(await restarted.binding.accepts(frame(7, 'P1'))).toBe(true);
    expect(await restarted.binding.accepts(frame(8, 'P2'))).toBe(false);

    await fakeBrowser.storage.session.set({ [frameKey(TAB)]: { bound: { frameId: 'all' } } });
    expect(await restarted.binding.accepts(frame(7, 'P1'))).toBe(false);
    await restarted.binding.forget(TAB);
    expect(await fakeBrowser.storage.session.get(frameKey(TAB))).toEqual({});
  });

  it('a failing store refuses rather than lets through', async () => {
    const store = memoryFrameStore();
    vi.spyOn(store, 'get').mockRejectedValue(new Error('storage gone'));
    const { binding } = setup(store);
    await expect(binding.admit(message('panel.getState'), frame(7, 'P1'))).rejects.toThrow('storage gone');
  });
});
