import { describe, expect, it } from 'vitest';
import { workerLink } from './worker-link';

/** Ports whose end the test decides (as Chromium ends them when it stops the worker), and a manual clock. */
function fakePorts() {
  let now = 0;
  const ports: { ended: () => void; disconnects: number }[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const link = workerLink({
    connect: () => {
      const listeners: (() => void)[] = [];
      const port = { ended: () => listeners.forEach((l) => l()), disconnects: 0 };
      ports.push(port);
      return { onDisconnect: { addListener: (cb: () => void) => void listeners.push(cb) }, disconnect: () => void (port.disconnects += 1) };
    },
    now: () => now,
    setTimeout: (fn, ms) => timers.push({ fn, ms }),
    clearTimeout: () => void timers.splice(0),
  });
  return { link, ports, timers, advance: (ms: number) => void (now += ms) };
}

describe('the panel’s port to the worker', () => {
  it('holds a port while something waits, and connects again at once when the worker stops', () => {
    const { link, ports, timers, advance } = fakePorts();
    link.setWaiting(true);
    link.setWaiting(true); // still the one port
    expect(ports).toHaveLength(1);
    advance(30_000);
    ports[0]!.ended(); // Chromium stopped the idle worker
    expect(ports).toHaveLength(2); // reconnected synchronously: this start-up is what resumes the outbox
    expect(timers).toEqual([]);
  });

  it('lets go when nothing waits, and does not reconnect then', () => {
    const { link, ports, timers, advance } = fakePorts();
    link.setWaiting(false);
    expect(ports).toHaveLength(0);
    link.setWaiting(true);
    link.setWaiting(false);
    expect(ports[0]!.disconnects).toBe(1);
    advance(30_000);
    ports[0]!.ended();
    expect(ports).toHaveLength(1);
    expect(timers).toEqual([]);
  });

  it('does not spin when ports end right after connecting (no background to accept them)', () => {
    const { link, ports, timers, advance } = fakePorts();
    link.setWaiting(true);
    ports[0]!.ended();
    expect(ports).toHaveLength(1);
    expect(timers.map((t) => t.ms)).toEqual([1_000]);
    advance(1_000);
    timers.shift()!.fn();
    expect(ports).toHaveLength(2);
    ports[1]!.ended();
    expect(timers.map((t) => t.ms)).toEqual([2_000]);
    link.setWaiting(false); // nothing waits any more: the retry is dropped
    expect(timers).toEqual([]);
  });

  it('gives up quietly when the extension is gone', () => {
    const link = workerLink({
      connect: () => {
        throw new Error('Extension context invalidated.');
      },
    });
    expect(() => link.setWaiting(true)).not.toThrow();
  });
});
