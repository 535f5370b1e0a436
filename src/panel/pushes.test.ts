import { describe, expect, it } from 'vitest';
import { CHANNEL } from '../messaging/envelope';
import { backgroundPushes } from './pushes';

function fakeRuntime() {
  const listeners = new Set<(m: unknown, s: { id?: string; tab?: unknown }) => void>();
  return {
    id: 'ext-id',
    onMessage: { addListener: (cb: never) => void listeners.add(cb), removeListener: (cb: never) => void listeners.delete(cb) },
    emit: (m: unknown, s: { id?: string; tab?: unknown }) => listeners.forEach((l) => l(m, s)),
    count: () => listeners.size,
  };
}
const push = (tabId: unknown) => ({ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId } });

describe('background pushes to the panel', () => {
  it('passes on only well-formed pushes from our own background', () => {
    const runtime = fakeRuntime();
    const seen: number[] = [];
    const stop = backgroundPushes(runtime)((tabId) => seen.push(tabId));
    runtime.emit(push(7), { id: 'ext-id' });
    runtime.emit(push(8), { id: 'other-extension' }); // another extension
    runtime.emit(push(9), { id: 'ext-id', tab: { id: 9 } }); // a content script or a tab's page
    runtime.emit(push('x'), { id: 'ext-id' }); // wrong shape
    runtime.emit({ channel: CHANNEL, type: 'page.leadShown', payload: {} }, { id: 'ext-id' });
    expect(seen).toEqual([7]);
    stop();
    expect(runtime.count()).toBe(0);
  });
});
