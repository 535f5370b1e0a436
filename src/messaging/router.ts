import * as z from 'zod/mini';
import { MAX_MESSAGE_BYTES, envelopeSchema, issuesOf, ProtocolError, type ParsedRequestOf, type Protocol, type Reply, type ResponseOf } from './envelope';
import type { Caller } from './sender';

export type Handlers<P extends Protocol> = {
  [K in keyof P]: (payload: ParsedRequestOf<P, K>, caller: Caller) => Promise<ResponseOf<P, K>> | ResponseOf<P, K>;
};

/**
 * The background's single entry for messages: checks the envelope, its size, the sender's role for that
 * message, and the payload, before any handler runs; then checks the handler's reply. A handler that
 * throws a ProtocolError passes its code and field issues on; anything else becomes a generic failure.
 */
export function createRouter<P extends Protocol>(protocol: P, handlers: Handlers<P>) {
  return async function route(raw: unknown, caller: Caller | null): Promise<Reply> {
    if (!caller) return { ok: false, error: { code: 'forbidden', message: 'Sender not allowed.' } };
    let size: number;
    try {
      size = JSON.stringify(raw)?.length ?? 0;
    } catch {
      return { ok: false, error: { code: 'invalid', message: 'Message is not plain data.' } };
    }
    if (size > MAX_MESSAGE_BYTES) return { ok: false, error: { code: 'too_large', message: `Message over ${MAX_MESSAGE_BYTES} bytes.` } };
    const envelope = z.safeParse(envelopeSchema, raw);
    if (!envelope.success) return { ok: false, error: { code: 'invalid', message: 'Not a message of this protocol.' } };
    const { type, payload } = envelope.data;
    const def = Object.hasOwn(protocol, type) ? protocol[type] : undefined;
    if (!def) return { ok: false, error: { code: 'unknown_type', message: `No message "${type}".` } };
    if (!def.from.includes(caller.role)) return { ok: false, error: { code: 'forbidden', message: `"${type}" may not come from ${caller.role}.` } };
    const request = z.safeParse(def.request, payload);
    if (!request.success) return { ok: false, error: { code: 'invalid', message: `Invalid "${type}".`, issues: issuesOf(request.error) } };
    try {
      const data = await handlers[type as keyof P]!(request.data as never, caller);
      const response = z.safeParse(def.response, data);
      if (!response.success) {
        console.error(`Reply to "${type}" does not match the protocol`, response.error);
        return { ok: false, error: { code: 'failed', message: `Could not answer "${type}".` } };
      }
      return { ok: true, data: response.data };
    } catch (e) {
      if (e instanceof ProtocolError) return { ok: false, error: { code: e.code, message: e.message, issues: e.issues } };
      console.error(`Handler for "${type}" failed`, e);
      return { ok: false, error: { code: 'failed', message: `Could not handle "${type}".` } };
    }
  };
}

