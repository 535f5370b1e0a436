import { CHANNEL } from './names';
import type { Protocol, RequestOf } from './envelope';

export type Transport = (message: unknown) => Promise<unknown>;

/**
 * The content script's sender (ADR 0014): fire-and-forget reports to the background. What it sends is
 * typed from the protocol's zod schemas at compile time and validated with zod by the background, which
 * receives it (sender check first). It reads nothing back, so the CRM page carries no validator: the
 * returned promise settles when the background has answered, and only says whether delivery failed.
 */
export function createNotifier<P extends Protocol>(transport: Transport) {
  return function notify<K extends keyof P & string>(type: K, payload: RequestOf<P, K>): Promise<void> {
    return transport({ channel: CHANNEL, type, payload }).then(() => undefined);
  };
}
