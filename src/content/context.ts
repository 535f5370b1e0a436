/**
 * The content script's context: what WXT's `ContentScriptContext` gives the content script, in the few
 * lines it uses. The content script's build takes this module for `wxt/utils/content-script-context`
 * (an alias in wxt.config.ts), so a CRM page does not compile and run WXT's runtime on every load (issue
 * 19, ADR 0014): no logger, no timers API, no location-change event dispatched on the page's window (its
 * name carries the extension's id), no `postMessage` to the page.
 *
 * Kept from WXT: a newer copy of this script (the extension updated or reloaded while the page stayed open)
 * announces itself with a DOM event of WXT's name, and the older copy stops, if its extension is gone
 * (`runtime.id` unset, as it is for the old copy then): unlike WXT's, a page firing that event stops nothing.
 * A copy whose extension is gone counts as invalidated. Unit tests keep using WXT's class:
 * src/content/context.test.ts holds this one to the same behaviour.
 */
import { browser } from 'wxt/browser';

/** A listener of `wxt:locationchange`: the page's address changed from `oldUrl` to `newUrl`. */
type LocationHandler = (event: { newUrl: URL; oldUrl: URL }) => void;

const LOCATION_CHANGE = 'wxt:locationchange';

/** WXT's event name for "a content script started", unique to the extension and the script. */
const startedEvent = (name: string) => `${browser.runtime?.id}:${name}:wxt:content-script-started`;

/** The Navigation API's `navigate` event, where the browser has it (Chromium; Firefox from 147). */
interface NavigationLike {
  addEventListener(type: 'navigate', listener: (event: { destination: { url: string } }) => void, options?: AddEventListenerOptions): void;
}

export class ContentScriptContext {
  readonly #controller = new AbortController();
  readonly #id = Math.random().toString(36).slice(2);
  #locationHandlers: LocationHandler[] | undefined;

  constructor(readonly contentScriptName: string) {
    const type = startedEvent(contentScriptName);
    document.dispatchEvent(new CustomEvent(type, { detail: { contentScriptName, messageId: this.#id } }));
    document.addEventListener(
      type,
      (event) => {
        const detail = (event as CustomEvent<{ contentScriptName?: string; messageId?: string } | undefined>).detail;
        if (detail?.contentScriptName !== contentScriptName || detail.messageId === this.#id) return;
        // Only a copy whose extension is gone stops: the page can fire this event too (the extension id is no
        // secret), and must not be able to silence the script that reports which lead the tab shows.
        if (browser.runtime?.id == null) this.abort('A newer copy of the content script started');
      },
      { signal: this.signal },
    );
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(reason?: unknown): void {
    this.#controller.abort(reason);
  }

  get isInvalid(): boolean {
    if (browser.runtime?.id == null) this.abort('Content script context invalidated');
    return this.signal.aborted;
  }

  get isValid(): boolean {
    return !this.isInvalid;
  }

  /** Calls `cb` once the context is invalidated; returns what stops that. */
  onInvalidated(cb: () => void): () => void {
    this.signal.addEventListener('abort', cb);
    return () => this.signal.removeEventListener('abort', cb);
  }

  /**
   * A listener removed when the context is invalidated. `wxt:locationchange` is the page's own
   * navigation (pushState, the back button): from the Navigation API where there is one, else a check
   * of the address each second, as WXT does; handed to `handler` directly, with nothing dispatched.
   */
  addEventListener(target: EventTarget, type: string, handler: (event: never) => void, options?: AddEventListenerOptions): void {
    if (type !== LOCATION_CHANGE) {
      target.addEventListener(type, handler as EventListener, { ...options, signal: this.signal });
      return;
    }
    if (this.#locationHandlers) {
      this.#locationHandlers.push(handler as LocationHandler);
      return;
    }
    const handlers = (this.#locationHandlers = [handler as LocationHandler]);
    let last = new URL(location.href);
    const changed = (next: URL) => {
      if (next.href === last.href || !this.isValid) return;
      const oldUrl = last;
      last = next;
      for (const h of handlers) h({ newUrl: next, oldUrl });
    };
    const navigation = (globalThis as { navigation?: NavigationLike }).navigation;
    if (typeof navigation?.addEventListener === 'function') {
      navigation.addEventListener('navigate', (event) => changed(new URL(event.destination.url)), { signal: this.signal });
      return;
    }
    const timer = setInterval(() => changed(new URL(location.href)), 1000);
    this.onInvalidated(() => clearInterval(timer));
  }
}
