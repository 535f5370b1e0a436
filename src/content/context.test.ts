// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentScriptContext } from './context';

/** A stand-in for the Navigation API's `navigation` object. */
function fakeNavigation() {
  const target = new EventTarget();
  return {
    addEventListener: (type: string, listener: (e: never) => void, options?: AddEventListenerOptions) => target.addEventListener(type, listener as EventListener, options),
    navigate: (url: string) => target.dispatchEvent(Object.assign(new Event('navigate'), { destination: { url } })),
  };
}

describe('the content script’s own context (in place of WXT’s runtime)', () => {
  beforeEach(() => fakeBrowser.reset());
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('is valid until aborted, and calls what waits for that once; a gone extension counts as invalidated', () => {
    const ctx = new ContentScriptContext('crm');
    const stopped = vi.fn();
    ctx.onInvalidated(stopped);
    const undo = ctx.onInvalidated(() => expect.unreachable());
    undo();
    expect(ctx.isValid).toBe(true);
    ctx.abort();
    expect(ctx.isValid).toBe(false);
    expect(stopped).toHaveBeenCalledTimes(1);

    const orphan = new ContentScriptContext('crm');
    vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
    expect(orphan.isValid).toBe(false);
    expect(orphan.signal.aborted).toBe(true);
  });

  it('stops when a newer copy of the same script starts once its extension is gone (an update); a page firing the event stops nothing', () => {
    const older = new ContentScriptContext('crm');
    const type = `${fakeBrowser.runtime.id}:crm:wxt:content-script-started`;
    // The page knows the extension's id and fires the event itself, with another id: nothing stops.
    document.dispatchEvent(new CustomEvent(type, { detail: { contentScriptName: 'crm', messageId: 'forged' } }));
    new ContentScriptContext('crm'); // a second copy while the extension is still there: the older stays too
    new ContentScriptContext('other');
    expect(older.isValid).toBe(true);
    // The extension was updated: this copy's runtime is gone when the new copy announces itself.
    const id = vi.spyOn(fakeBrowser.runtime, 'id', 'get').mockReturnValue(undefined as never);
    document.dispatchEvent(new CustomEvent(type, { detail: { contentScriptName: 'crm', messageId: 'newer' } }));
    expect(older.signal.aborted).toBe(true);
    id.mockRestore();
  });

  it('removes the listeners it added once invalidated', () => {
    const ctx = new ContentScriptContext('crm');
    const shown = vi.fn();
    ctx.addEventListener(window, 'pageshow', shown);
    window.dispatchEvent(new Event('pageshow'));
    ctx.abort();
    window.dispatchEvent(new Event('pageshow'));
    expect(shown).toHaveBeenCalledTimes(1);
  });

  it('follows the page’s own navigation with the Navigation API, dispatching nothing on the page’s window', () => {
    const navigation = fakeNavigation();
    vi.stubGlobal('navigation', navigation);
    const dispatched = vi.spyOn(window, 'dispatchEvent');
    const ctx = new ContentScriptContext('crm');
    const seen: string[] = [];
    ctx.addEventListener(window, 'wxt:locationchange', (e: { newUrl: URL; oldUrl: URL }) => seen.push(`${e.oldUrl.pathname} → ${e.newUrl.pathname}`));
    const start = new URL(location.href);
    navigation.navigate(new URL('/lightning/o/Lead/list', start).href);
    navigation.navigate(new URL('/lightning/o/Lead/list', start).href); // the same address again: nothing
    navigation.navigate(new URL('/lightning/r/Lead/00Q5e00000AbCdEEAV/view', start).href);
    expect(seen).toEqual([`${start.pathname} → /lightning/o/Lead/list`, '/lightning/o/Lead/list → /lightning/r/Lead/00Q5e00000AbCdEEAV/view']);
    expect(dispatched).not.toHaveBeenCalled();
    ctx.abort();
    navigation.navigate(new URL('/elsewhere', start).href);
    expect(seen).toHaveLength(2);
  });

  it('without the Navigation API, checks the address each second until invalidated', () => {
    vi.stubGlobal('navigation', undefined);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ctx = new ContentScriptContext('crm');
    const seen: string[] = [];
    ctx.addEventListener(window, 'wxt:locationchange', (e: { newUrl: URL }) => seen.push(e.newUrl.pathname));
    const start = location.href;
    try {
      history.pushState(null, '', '/lightning/o/Lead/list');
      vi.advanceTimersByTime(1000);
      expect(seen).toEqual(['/lightning/o/Lead/list']);
      vi.advanceTimersByTime(1000);
      expect(seen).toHaveLength(1);
      ctx.abort();
      history.pushState(null, '', '/elsewhere');
      vi.advanceTimersByTime(1000);
      expect(seen).toHaveLength(1);
    } finally {
      history.replaceState(null, '', start);
    }
  });
});
