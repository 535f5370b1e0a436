import * as z from 'zod/mini';
import { newFrameToken } from '../messaging/frame-token';
import type { pageProtocol } from '../messaging/page-protocol';
import type { panelProtocol } from '../messaging/panel-protocol';
import type { Handlers } from '../messaging/router';
import type { PanelPlacement } from '../messaging/names';
import type { Caller } from '../messaging/sender';

/**
 * Which frame is a tab's panel (issue 18 finding 2, ADR 0015). `panel.html` is web-accessible on CRM pages,
 * so a script there can frame it too; only the frame our content script made may act for the tab.
 *
 * - The content script asks for a token (`page.panelFrame`) each time it puts its iframe in the page, and
 *   puts it in the iframe's address first. A new token replaces the tab's older one and unbinds the panel it had.
 * - The panel presents it first (`panel.claim`): a pending token, unexpired, binds the tab to the claiming
 *   frame (its `frameId`, and `documentId` where the browser gives one: Chrome does) and is used up.
 * - Every other panel message, and the panel's port, is accepted only from that frame (`accepts`).
 * - A content script message from another top-level document than the last one (a full page load in the
 *   tab) forgets the tab's token, its bound frame and, through `onNewDocument`, the lead it showed, before
 *   the new page's first report is handled.
 * Kept in `storage.session` (the worker may stop between the claim and the next message).
 */

/** A token not claimed within this long is refused (the panel claims as soon as its page runs). */
export const PENDING_TOKEN_TTL_MS = 60_000;

const tabFramesSchema = z.object({
  /** The top-level document the tab's content script last wrote from. */
  top: z.optional(z.string().check(z.maxLength(200))),
  pending: z.optional(z.object({ token: z.string().check(z.maxLength(100)), issuedAt: z.number() })),
  bound: z.optional(z.object({ frameId: z.number(), documentId: z.optional(z.string().check(z.maxLength(200))) })),
});
export type TabFrames = z.infer<typeof tabFramesSchema>;

/** Each tab's frame state; must survive the service worker being stopped (storage.session). */
export interface FrameStore {
  get(tabId: number): Promise<TabFrames | undefined>;
  set(tabId: number, frames: TabFrames): Promise<void>;
  delete(tabId: number): Promise<void>;
}

export function memoryFrameStore(): FrameStore {
  const tabs = new Map<number, TabFrames>();
  return {
    get: async (id) => tabs.get(id),
    set: async (id, frames) => void tabs.set(id, frames),
    delete: async (id) => void tabs.delete(id),
  };
}

/** The parts of `storage.session` the store uses. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

export const frameKey = (tabId: number) => `frame:${tabId}`;

export function sessionFrameStore(area: SessionArea): FrameStore {
  return {
    async get(tabId) {
      const parsed = z.safeParse(tabFramesSchema, (await area.get(frameKey(tabId)))[frameKey(tabId)]);
      return parsed.success ? parsed.data : undefined;
    },
    set: (tabId, frames) => area.set({ [frameKey(tabId)]: frames }),
    delete: (tabId) => area.remove(frameKey(tabId)),
  };
}

/**
 * Whether a panel may act for its tab. A panel page in a tab's frame is bound by the token its content
 * script put in its address (`createFrameBinding`); the panel page outside any tab, the browser's side
 * panel, by its own rule behind the same interface (`sidePanelBinding`, src/background/side-panel.ts, ADR 0020).
 */
export interface PanelBinding {
  accepts(caller: Caller): Promise<boolean>;
}

export interface FrameBindingDeps {
  store: FrameStore;
  now: () => number;
  newToken?: () => string;
  /** The tab's content script wrote from a new top-level document: forget the lead the tab showed. */
  onNewDocument?: (tabId: number) => Promise<void>;
  /**
   * The rep's choices the content script needs before the panel goes in (where it shows, folded or not),
   * sent with the token so the CRM page reads no storage. Default: in the page, unfolded.
   */
  settings?: () => Promise<{ placement: PanelPlacement; collapsed: boolean }>;
}

const sameFrame = (bound: NonNullable<TabFrames['bound']>, caller: Caller) =>
  bound.frameId === caller.frameId && bound.documentId === caller.documentId;

export function createFrameBinding(deps: FrameBindingDeps) {
  const newToken = deps.newToken ?? (() => newFrameToken());
  /** One step at a time per tab: a claim, a check and a new document must not interleave. */
  const queues = new Map<number, Promise<unknown>>();
  function serial<T>(tabId: number, step: () => Promise<T>): Promise<T> {
    const run = (queues.get(tabId) ?? Promise.resolve()).then(step);
    const tail = run.catch(() => undefined);
    queues.set(tabId, tail);
    void tail.then(() => {
      if (queues.get(tabId) === tail) queues.delete(tabId);
    });
    return run;
  }
  const read = async (tabId: number): Promise<TabFrames> => (await deps.store.get(tabId)) ?? {};

  /** A new token for the tab, inside its serial step: tokens are kept in the order they are given. */
  async function issueNow(tabId: number): Promise<string> {
    const token = newToken();
    const { top } = await read(tabId);
    // The content script points its one iframe at the panel page again: the frame it had is going.
    await deps.store.set(tabId, { top, pending: { token, issuedAt: deps.now() } });
    return token;
  }

  function claim(caller: Caller, token: string): Promise<boolean> {
    const tabId = caller.tabId;
    if (caller.role !== 'panel' || tabId === undefined || caller.frameId === undefined) return Promise.resolve(false);
    return serial(tabId, async () => {
      const state = await read(tabId);
      // The bound document asking again (it is bound already).
      if (state.bound && caller.documentId !== undefined && sameFrame(state.bound, caller)) return true;
      const next: TabFrames = { ...state };
      // The bound frame claiming again has loaded a new document (without documentId it cannot be told
      // apart): that document starts unbound.
      if (state.bound?.frameId === caller.frameId) delete next.bound;
      const { pending } = state;
      const valid = pending !== undefined && pending.token === token && deps.now() - pending.issuedAt <= PENDING_TOKEN_TTL_MS;
      if (valid) {
        delete next.pending;
        next.bound = { frameId: caller.frameId!, ...(caller.documentId !== undefined ? { documentId: caller.documentId } : {}) };
      }
      // A wrong token leaves the pending one: a frame the page made cannot use up the real panel's.
      if (valid || next.bound !== state.bound) await deps.store.set(tabId, next);
      return valid;
    });
  }

  function accepts(caller: Caller): Promise<boolean> {
    const tabId = caller.tabId;
    if (caller.role !== 'panel' || tabId === undefined) return Promise.resolve(false);
    return serial(tabId, async () => {
      const { bound } = await read(tabId);
      return bound !== undefined && sameFrame(bound, caller);
    });
  }

  /** A content script message: a document other than the tab's last one is a new page in the tab. */
  function noteDocument(caller: Caller): Promise<void> {
    const { tabId, documentId } = caller;
    if (tabId === undefined || documentId === undefined) return Promise.resolve();
    return serial(tabId, async () => {
      const state = await read(tabId);
      if (state.top === documentId) return;
      if (state.top === undefined) {
        await deps.store.set(tabId, { ...state, top: documentId });
        return;
      }
      await deps.store.set(tabId, { top: documentId });
      await deps.onNewDocument?.(tabId);
    });
  }

  /**
   * The step before the router: a panel message other than `panel.claim` from a frame that is not its
   * tab's bound panel is refused (null: "Sender not allowed"); a content script's message notes its document.
   */
  async function admit(raw: unknown, caller: Caller | null): Promise<Caller | null> {
    if (!caller) return null;
    if (caller.role === 'content') {
      await noteDocument(caller);
      return caller;
    }
    if (caller.role !== 'panel') return caller;
    const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
    if (type === 'panel.claim') return caller;
    return (await accepts(caller)) ? caller : null;
  }

  const handlers: Pick<Handlers<typeof pageProtocol & typeof panelProtocol>, 'page.panelFrame' | 'panel.claim'> = {
    // The settings read is inside the tab's serial step with the token: two requests whose reads take different
    // times must not give their tokens out of order (the content script uses the last answer's).
    'page.panelFrame': (_p, caller) =>
      serial(caller.tabId!, async () => {
        const read = deps.settings ? await deps.settings().catch(() => undefined) : undefined;
        // Unreadable: the default, in the page and unfolded (as an unset choice).
        const { placement, collapsed } = read ?? { placement: 'page' as const, collapsed: false };
        // In the browser's side panel nothing goes into the page: no frame, no token.
        return placement === 'page' ? { token: await issueNow(caller.tabId!), placement, collapsed } : { placement, collapsed };
      }),
    'panel.claim': async ({ token }, caller) => ({ bound: await claim(caller, token) }),
  };

  return {
    handlers,
    admit,
    accepts,
    /** The tab closed. */
    forget: (tabId: number) => serial(tabId, () => deps.store.delete(tabId)),
  } satisfies PanelBinding & Record<string, unknown>;
}
