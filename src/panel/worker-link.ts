/** The parts of `runtime.Port` the link uses. */
export interface PortLike {
  onDisconnect: { addListener(cb: () => void): void };
  disconnect(): void;
}

/** Holds a port to the background while the panel waits on it (see `PANEL_PORT`). */
export interface WorkerLink {
  /** Whether the panel shows something still waiting on the background. */
  setWaiting(waiting: boolean): void;
}

export interface WorkerLinkDeps {
  /** Opens the port (`runtime.connect({ name: PANEL_PORT })`); connecting starts a stopped worker. */
  connect: () => PortLike;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
}

/** A port that ends sooner than this after connecting was refused, not ended by an idle worker. */
const SHORT_LIVED_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * MV3 stops an idle service worker after about 30 s, and the sync loop only resumes when something starts
 * it again. While the panel waits on the background (a decision saved on this device, a profile not read
 * yet) it holds a port: the worker stopping ends the port, the panel connects again at once, and that
 * starts the worker, whose start-up resumes the outbox. Event-driven, no timer, nothing sent on the port.
 * Only a port that ends right after connecting (no background to accept it, e.g. while the extension
 * updates) is retried after a pause, doubling up to 30 s, so that case cannot spin.
 */
export function workerLink(deps: WorkerLinkDeps): WorkerLink {
  const now = deps.now ?? Date.now;
  const later = deps.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  const cancel = deps.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
  let waiting = false;
  let port: PortLike | undefined;
  let retry: unknown;
  let pause = 0;

  function open() {
    retry = undefined;
    if (!waiting || port) return;
    let opened: PortLike;
    try {
      opened = deps.connect();
    } catch {
      return; // the extension was reloaded or removed: this page is going away
    }
    const at = now();
    port = opened;
    opened.onDisconnect.addListener(() => {
      if (port !== opened) return; // released by the panel, or replaced
      port = undefined;
      if (now() - at >= SHORT_LIVED_MS) {
        pause = 0;
        open();
        return;
      }
      pause = Math.min(MAX_RETRY_MS, pause ? pause * 2 : SHORT_LIVED_MS);
      retry = later(open, pause);
    });
  }

  return {
    setWaiting(next) {
      waiting = next;
      if (waiting) {
        if (retry === undefined) open();
        return;
      }
      if (retry !== undefined) cancel(retry);
      retry = undefined;
      pause = 0;
      const held = port;
      port = undefined;
      held?.disconnect();
    },
  };
}
