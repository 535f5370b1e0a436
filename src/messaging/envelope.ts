import * as z from 'zod/mini';
import { CHANNEL } from './names';

/**
 * The one message protocol between the content script, the panel, extension pages and the background.
 * Every message is an envelope `{ channel, type, payload }`; every reply is `{ ok, data }` or `{ ok: false, error }`.
 * Every side validates what it receives with zod (the content script receives nothing: ADR 0014). Built on
 * zod/mini, small enough for the panel; classic zod schemas (the domain's) nest inside freely.
 */
export { CHANNEL };
/** Larger messages are refused before parsing: a note is at most tens of KB. */
export const MAX_MESSAGE_BYTES = 512 * 1024;

export const envelopeSchema = z.object({
  channel: z.literal(CHANNEL),
  type: z.string().check(z.minLength(1), z.maxLength(60)),
  payload: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** Who may send a message: the content script in a CRM tab, the panel iframe, or a top-level extension page. */
export type SenderRole = 'content' | 'panel' | 'extension_page';

export interface MessageDef<Req extends z.core.$ZodType = z.core.$ZodType, Res extends z.core.$ZodType = z.core.$ZodType> {
  from: readonly SenderRole[];
  request: Req;
  response: Res;
}
export type Protocol = Record<string, MessageDef>;
export type RequestOf<P extends Protocol, K extends keyof P> = z.input<P[K]['request']>;
export type ParsedRequestOf<P extends Protocol, K extends keyof P> = z.output<P[K]['request']>;
export type ResponseOf<P extends Protocol, K extends keyof P> = z.output<P[K]['response']>;

export type ErrorCode = 'invalid' | 'forbidden' | 'unknown_type' | 'too_large' | 'failed';
export interface ProtocolIssue {
  path: string;
  message: string;
}
export type Reply<T = unknown> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; issues?: ProtocolIssue[] } };

export const replySchema = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.enum(['invalid', 'forbidden', 'unknown_type', 'too_large', 'failed']),
      message: z.string(),
      issues: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    }),
  }),
]);

/** A failed request, with the field issues when the other side said what was wrong. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: ProtocolIssue[] = [],
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function issuesOf(error: z.core.$ZodError): ProtocolIssue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '['),
    message: i.message,
  }));
}
