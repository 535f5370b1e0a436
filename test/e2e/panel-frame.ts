/**
 * Finding our panel in a page, for tests and scripts. Its iframe sits in a closed shadow root (ADR 0015),
 * which page scripts cannot enter, and neither can Playwright's selectors (`page.frameLocator(...)`,
 * `page.locator('iframe')` find nothing). The browser's frame tree still lists it: these helpers find the
 * panel there, and tell it from a frame of `panel.html` a page made itself by where its element is (ours
 * is inside the host element's shadow root).
 */
import type { ElementHandle, Frame, FrameLocator, Page } from 'playwright-core';

/** The attribute of the panel's host element (src/content/panel-host.ts `PANEL_HOST_ATTRIBUTE`). */
export const PANEL_HOST = '[data-lead-qualifier-panel]';
const DEFAULT_TIMEOUT_MS = 30_000;

/** The element of `frame` when it is one of our panel's iframes (a child of the top frame, in our host's shadow root). */
async function ourIframe(page: Page, frame: Frame): Promise<ElementHandle<HTMLIFrameElement> | null> {
  if (frame.isDetached() || frame.parentFrame() !== page.mainFrame()) return null;
  const element = await frame.frameElement().catch(() => null);
  if (!element) return null;
  const ours = await element
    .evaluate((el) => {
      const root = el.getRootNode();
      return root instanceof ShadowRoot && root.host.hasAttribute('data-lead-qualifier-panel');
    })
    .catch(() => false);
  return ours ? (element as ElementHandle<HTMLIFrameElement>) : null;
}

/** Our panel's iframes in the page now (one while the panel is mounted, none otherwise). */
export async function panelIframes(page: Page): Promise<ElementHandle<HTMLIFrameElement>[]> {
  const found = await Promise.all(page.frames().map((f) => ourIframe(page, f)));
  return found.filter((e) => e !== null);
}

/**
 * Waits until `check` gives a value: checks again on every frame event of the page (a frame attached,
 * navigated or detached), never on a timer. `timeout` is a hang guard.
 */
export async function untilFrames<T>(page: Page, check: () => Promise<T | null | undefined | false>, what: string, timeout = DEFAULT_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    let settle: (changed: boolean) => void = () => undefined;
    const changed = new Promise<boolean>((resolve) => (settle = resolve));
    const onEvent = () => settle(true);
    const off = () => {
      page.off('frameattached', onEvent);
      page.off('framenavigated', onEvent);
      page.off('framedetached', onEvent);
    };
    page.on('frameattached', onEvent);
    page.on('framenavigated', onEvent);
    page.on('framedetached', onEvent);
    const timer = setTimeout(() => settle(false), Math.max(0, deadline - Date.now()));
    try {
      const result = await check();
      if (result) return result;
      if (!(await changed)) throw new Error(`Waited ${timeout} ms for ${what}.`);
    } finally {
      clearTimeout(timer);
      off();
    }
  }
}

/** Our panel's iframe, once it is in the page with its address set (the token comes a moment after it goes in). */
export function panelIframe(page: Page, timeout?: number): Promise<ElementHandle<HTMLIFrameElement>> {
  return untilFrames(
    page,
    async () => {
      for (const el of await panelIframes(page)) if (await el.getAttribute('src').catch(() => null)) return el;
      return null;
    },
    'the panel iframe',
    timeout,
  );
}

/** Waits until the page has none of our panel's iframes. */
export async function noPanelIframe(page: Page, timeout?: number): Promise<void> {
  await untilFrames(page, async () => (await panelIframes(page)).length === 0, 'the panel iframe to go', timeout);
}

/** The frame our panel's page runs in, once it has loaded the panel page. */
export function currentPanelFrame(page: Page, timeout?: number): Promise<Frame> {
  return untilFrames(
    page,
    async () => {
      for (const frame of page.frames()) {
        if (!/^chrome-extension:\/\/[^/]+\/panel\.html/.test(frame.url())) continue;
        if (await ourIframe(page, frame)) return frame;
      }
      return null;
    },
    'the panel page',
    timeout,
  );
}

/** Methods of a FrameLocator or Locator that give another locator (everything else acts or reads). */
const CHAINED = new Set(['getByRole', 'getByText', 'getByLabel', 'getByPlaceholder', 'getByAltText', 'getByTitle', 'getByTestId', 'locator', 'filter', 'first', 'last', 'nth', 'frameLocator']);
/** What a frame that went away mid-call says: look the panel up again and repeat the call there. */
const GONE = /detached|Target (page, context or browser )?(has been )?closed|Execution context was destroyed/i;

/**
 * Our panel's document as a `FrameLocator` would give it: `panelFrame(page).getByRole(...).click()` looks
 * the panel up when it acts, as `page.frameLocator(...)` does, so it follows the panel when the content
 * script loads it again. For the calls tests make (locators, then an action or read); passing one of these
 * to another locator's `has`/`and` is not supported.
 */
export function panelFrame(page: Page): FrameLocator {
  const lazy = (chain: readonly [string, unknown[]][]): unknown =>
    new Proxy(
      {},
      {
        get(_target, prop) {
          if (typeof prop !== 'string' || prop === 'then') return undefined;
          if (CHAINED.has(prop)) return (...args: unknown[]) => lazy([...chain, [prop, args]]);
          return async (...args: unknown[]) => {
            for (let attempt = 0; ; attempt++) {
              let target: unknown = await currentPanelFrame(page);
              for (const [method, a] of chain) target = (target as Record<string, (...x: unknown[]) => unknown>)[method]!(...a);
              try {
                return await (target as Record<string, (...x: unknown[]) => unknown>)[prop]!(...args);
              } catch (e) {
                if (attempt < 3 && GONE.test(String(e))) continue;
                throw e;
              }
            }
          };
        },
      },
    );
  return lazy([]) as FrameLocator;
}

interface DomNode {
  nodeName: string;
  backendNodeId: number;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

/**
 * The panel's fold button, in the host's closed shadow root, as DevTools sees it (CDP pierces closed
 * roots; page scripts and Playwright's selectors do not): its accessible label, and a click where it is
 * on screen, as a person clicks it. Null while no panel is mounted.
 */
export async function panelToggle(page: Page): Promise<{ label: string | null; expanded: string | null; click(): Promise<void> } | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const attr = (n: DomNode, name: string) => {
      const a = n.attributes ?? [];
      for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1]!;
      return null;
    };
    const find = (n: DomNode, test: (n: DomNode) => boolean): DomNode | undefined => {
      if (test(n)) return n;
      for (const c of n.children ?? []) {
        const hit = find(c, test);
        if (hit) return hit;
      }
      return undefined;
    };
    const host = find(root, (n) => attr(n, 'data-lead-qualifier-panel') !== null);
    const button = host?.shadowRoots?.map((r) => find(r, (n) => n.nodeName === 'BUTTON')).find(Boolean);
    if (!button) return null;
    const { quads } = (await cdp.send('DOM.getContentQuads', { backendNodeId: button.backendNodeId })) as { quads: number[][] };
    const q = quads[0]!;
    const x = (q[0]! + q[2]! + q[4]! + q[6]!) / 4;
    const y = (q[1]! + q[3]! + q[5]! + q[7]!) / 4;
    return { label: attr(button, 'aria-label'), expanded: attr(button, 'aria-expanded'), click: () => page.mouse.click(x, y) };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
