import * as z from 'zod/mini';
import { CHANNEL, ProtocolError, issuesOf, replySchema, type Protocol, type RequestOf, type ResponseOf } from './envelope';

export type Transport = (message: unknown) => Promise<unknown>;

/**
 * A typed sender for one side of the protocol. It validates what it sends and what comes back, so a
 * bug on either side shows up as a clear error at the boundary, not as a broken screen later.
 */
export function createClient<P extends Protocol>(protocol: P, transport: Transport) {
  return async function send<K extends keyof P & string>(type: K, payload: RequestOf<P, K>): Promise<ResponseOf<P, K>> {
    const def = protocol[type];
    if (!def) throw new ProtocolError('unknown_type', `No message "${type}" in this protocol.`);
    const request = z.safeParse(def.request, payload);
    if (!request.success) throw new ProtocolError('invalid', `Refused to send an invalid "${type}".`, issuesOf(request.error));
    const raw = await transport({ channel: CHANNEL, type, payload: request.data });
    const reply = z.safeParse(replySchema, raw);
    if (!reply.success) throw new ProtocolError('failed', `No valid reply to "${type}" (is the extension being updated?).`);
    if (!reply.data.ok) throw new ProtocolError(reply.data.error.code, reply.data.error.message, reply.data.error.issues);
    const data = z.safeParse(def.response, reply.data.data);
    if (!data.success) throw new ProtocolError('invalid', `The reply to "${type}" was not valid.`, issuesOf(data.error));
    return data.data as ResponseOf<P, K>;
  };
}
