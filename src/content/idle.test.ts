// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAGE_IDLE_TIMEOUT_MS, whenPageIdle } from './idle';

describe('whenPageIdle', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("runs at the browser's idle callback, at most PAGE_IDLE_TIMEOUT_MS (or the given timeout) later", () => {
    const pending: (() => void)[] = [];
    const requestIdle = vi.fn((cb: () => void, _options?: { timeout?: number }) => void pending.push(cb));
    vi.stubGlobal('requestIdleCallback', requestIdle);
    const run = vi.fn();
    whenPageIdle(run);
    whenPageIdle(run, 200);
    expect(requestIdle.mock.calls.map((c) => c[1])).toEqual([{ timeout: PAGE_IDLE_TIMEOUT_MS }, { timeout: 200 }]);
    expect(run).not.toHaveBeenCalled();
    pending.forEach((cb) => cb());
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('waits one timer where the browser has no idle callbacks (happy-dom, as some browsers)', () => {
    expect(typeof (globalThis as { requestIdleCallback?: unknown }).requestIdleCallback).toBe('undefined');
    vi.useFakeTimers();
    const run = vi.fn();
    whenPageIdle(run);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
