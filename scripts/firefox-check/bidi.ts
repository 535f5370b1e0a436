/**
 * A tiny WebDriver BiDi client (https://w3c.github.io/webdriver-bidi/#protocol-definition) on one WebSocket
 * (the `ws` package, in node_modules through happy-dom): commands go out with ids and are matched to their
 * answers, error answers reject with a `BidiError`, events go to listeners. And `until`, the check's only wait.
 */
import WebSocket from 'ws';

export class BidiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Incoming =
  | { type: 'success'; id: number; result: unknown }
  | { type: 'error'; id: number | null; error: string; message: string }
  | { type: 'event'; method: string; params: unknown };

export interface Bidi {
  send<T = Record<string, unknown>>(method: string, params?: object, timeoutMs?: number): Promise<T>;
  on(event: string, listener: (params: unknown) => void): void;
  close(): void;
}

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export async function connectBidi(url: string): Promise<Bidi> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners: { event: string; listener: (params: unknown) => void }[] = [];
  const settle = (id: number, how: (p: Pending) => void) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    how(p);
  };
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as Incoming;
    if (m.type === 'event') for (const l of listeners) if (l.event === m.method) l.listener(m.params);
    if (m.type === 'success') settle(m.id, (p) => p.resolve(m.result));
    if (m.type === 'error' && m.id !== null) settle(m.id, (p) => p.reject(new BidiError(m.error, `${p.method}: ${m.error}: ${m.message}`)));
  });
  ws.on('error', () => undefined); // a 'close' follows, and rejects what is still pending
  ws.on('close', () => {
    for (const id of pending.keys()) settle(id, (p) => p.reject(new BidiError('closed', `${p.method}: the BiDi connection closed`)));
  });
  return {
    send: <T>(method: string, params: object = {}, timeoutMs = 30_000) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => settle(id, (p) => p.reject(new BidiError('timeout', `${method}: no answer in ${timeoutMs} ms`))), timeoutMs);
        pending.set(id, { method, resolve: (r) => resolve(r as T), reject, timer });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    on: (event, listener) => void listeners.push({ event, listener }),
    close: () => ws.close(),
  };
}

/** Polls `probe` until `ok` accepts what it saw or the deadline passes; gives the last thing seen either way. */
export async function until<T>(probe: () => Promise<T> | T, ok: (seen: T) => boolean, timeoutMs = 20_000): Promise<{ ok: boolean; seen: T | string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let seen: T | string;
    try {
      seen = await probe();
      if (ok(seen)) return { ok: true, seen };
    } catch (e) {
      seen = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) return { ok: false, seen };
    await new Promise((r) => setTimeout(r, 200));
  }
}
