/**
 * The HTTP exchange the CRM API modules share (`src/crm/<name>/http.ts`, the demo CRM's `api.ts`): one
 * request through the sync loop's fetch, and its failures as `CrmError`s the sync loop acts on. Each
 * CRM keeps its own dialect (the error body it reads, its words, what its statuses mean) and passes it in.
 */
import { messageOf } from '../domain/errors';
import { CrmError } from './api';

/** How a CRM says it could not be reached (no answer: a dropped connection, a timeout). */
export interface Unreachable {
  /** The sentence, given why. */
  sentence: (why: string) => string;
  /** Why, when the request timed out (or was aborted); without it the error's own message says why. */
  timedOut?: (seconds: number) => string;
}

export interface ExchangeOptions<T> extends Unreachable {
  /** The sync loop's fetch (never the global one). */
  fetch: typeof fetch;
  /** The request is aborted after this long. */
  timeoutMs: number;
  /** Whether the CRM may have applied a request that got no answer: true for writes. */
  mayHaveApplied: boolean;
  /** Reads the answer's body; a read that throws counts as no answer. */
  read: (res: Response) => Promise<T>;
}

export const readText = (res: Response) => res.text();

/** The method, headers and body of a JSON request with a bearer token (`headers` added last). */
export function jsonRequest(method: string, token: string, body?: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

/**
 * One request and its body. A fetch or body read that throws (network failure, timeout) becomes a
 * transient `CrmError` that says why, with `mayHaveApplied` as the caller says (a write may have landed).
 */
export async function exchange<T>(url: string, init: RequestInit, o: ExchangeOptions<T>): Promise<{ res: Response; body: T }> {
  try {
    const res = await o.fetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs) });
    return { res, body: await o.read(res) };
  } catch (e) {
    const why = o.timedOut && e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') ? o.timedOut(o.timeoutMs / 1000) : messageOf(e);
    throw new CrmError('transient', o.sentence(why), { mayHaveApplied: o.mayHaveApplied });
  }
}

/** A body as JSON, or undefined when it is empty or not JSON. */
export function parseJson(raw: string): unknown {
  try {
    return raw ? (JSON.parse(raw) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JSON answer: a failed status throws `failure(data)`; a success whose body is not JSON throws a
 * transient error (a write we cannot read may still have been applied).
 */
export function jsonAnswer(
  res: Response,
  raw: string,
  o: { write: boolean; failure: (data: unknown) => CrmError; notJson: (status: number) => string },
): { status: number; data: unknown } {
  const data = parseJson(raw);
  if (!res.ok) throw o.failure(data);
  if (raw && data === undefined) throw new CrmError('transient', o.notJson(res.status), { status: res.status, mayHaveApplied: o.write });
  return { status: res.status, data };
}

/** What a CRM says about a failed status, and the hooks for what its statuses add. */
export interface StatusRules {
  /** The CRM's words for the failure (from its error body, or a sentence naming the status). */
  message: string;
  /** On every error: the status, and the CRM's error code when it has one. */
  details: CrmError['details'];
  /** The message of a 401 (default: `message`). */
  authMessage?: string;
  /** Added to a 429's details: the wait. */
  rateLimited?: CrmError['details'];
  /** Added to a 5xx's details: whether a write may have landed, a wait. */
  serverError?: CrmError['details'];
}

/**
 * A failed status as a `CrmError`: 401 auth (the connection expires), 429 and 5xx transient (retried
 * later), any other status permanent. A CRM's own meanings (Salesforce's 403 REQUEST_LIMIT_EXCEEDED) are
 * checked by the module before it asks here.
 */
export function statusError(status: number, r: StatusRules): CrmError {
  if (status === 401) return new CrmError('auth', r.authMessage ?? r.message, r.details);
  if (status === 429) return new CrmError('transient', r.message, { ...r.details, ...r.rateLimited });
  if (status >= 500) return new CrmError('transient', r.message, { ...r.details, ...r.serverError });
  return new CrmError('permanent', r.message, r.details);
}
