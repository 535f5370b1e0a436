/**
 * HubSpot's HTTP dialect: bearer-token JSON requests through the shared exchange (`../http.ts`), its
 * error bodies (`{message, category, errorType, context}`), and what its statuses mean.
 *
 * - Rate limits, 429 body (`errorType: RATE_LIMIT`, `policyName`) and `X-HubSpot-RateLimit-*` headers:
 *   https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines
 *   https://developers.hubspot.com/changelog/rate-limit-headers-will-now-appear-for-oauth-authenticated-calls
 * - Search has its own limit, four requests per second per token:
 *   https://developers.hubspot.com/changelog/crm-search-api-rate-limit-increase
 */
import { crmStrings as shared } from '../../i18n/crm';
import { retryAfterMs, type Connection, type CrmApiDeps, type CrmError } from '../api';
import { exchange, jsonAnswer, jsonRequest, readText, statusError } from '../http';
import { isRecord, text } from '../read';

/** The product's name in the shared CRM sentences (`src/i18n/en/crm.ts`). */
export const NAME = 'HubSpot';

export const HUBSPOT_API_BASE = 'https://api.hubapi.com';
const REQUEST_TIMEOUT_MS = 30_000;

export interface HubSpotErrorBody {
  message?: string;
  category?: string;
  /** e.g. `crm.associations.NO_ASSOCIATIONS_FOUND`. */
  subCategory?: string;
  errorType?: string;
  context?: Record<string, unknown>;
}

export function errorBody(v: unknown): HubSpotErrorBody {
  if (!isRecord(v)) return {};
  return { message: text(v.message), category: text(v.category), subCategory: text(v.subCategory), errorType: text(v.errorType), context: isRecord(v.context) ? v.context : undefined };
}

/** Search requests (`POST /crm/v3/objects/{type}/search`), which HubSpot limits on their own. */
export function isSearch(url: URL, method: string): boolean {
  return method.toUpperCase() === 'POST' && /\/crm\/v3\/objects\/[^/]+\/search\/?$/.test(url.pathname);
}

/**
 * How long HubSpot asks us to wait after this answer beyond a usable `Retry-After`: on a 429 without
 * one, its rolling window (`X-HubSpot-RateLimit-Interval-Milliseconds`; HubSpot rarely sends Retry-After).
 */
export function rateLimitWait(res: Response, now: number): number | undefined {
  if (res.status !== 429 || retryAfterMs(res.headers.get('retry-after'), now) !== undefined) return undefined;
  const interval = Number(res.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
  return interval > 0 ? interval : undefined;
}

/** Requests to one portal with the connection's token; `timeoutMs` defaults to 30 s. */
export function createHubSpotHttp(connection: Connection, deps: CrmApiDeps, timeoutMs = REQUEST_TIMEOUT_MS) {
  const base = (connection.apiBase || HUBSPOT_API_BASE).replace(/\/+$/, '');
  const token = connection.credentials.kind === 'token' ? connection.credentials.token : connection.credentials.accessToken;

  /**
   * One request. Whole-call failures become `CrmError`s: 401 auth; 429 and 5xx transient (a write may
   * have landed on a 5xx); network errors and timeouts transient with `mayHaveApplied` for writes.
   */
  async function call(method: 'GET' | 'POST', path: string, body: unknown, write: boolean): Promise<{ status: number; data: unknown }> {
    const { res, body: raw } = await exchange(`${base}${path}`, jsonRequest(method, token, body), {
      fetch: deps.fetch,
      timeoutMs,
      sentence: (why) => shared.unreachable(NAME, why),
      timedOut: shared.noAnswerWithin,
      mayHaveApplied: write,
      read: readText,
    });
    return jsonAnswer(res, raw, { write, failure: (data) => errorOf(res, data, write), notJson: (status) => shared.notJson(NAME, status) });
  }

  function errorOf(res: Response, data: unknown, write: boolean): CrmError {
    const e = errorBody(data);
    const now = deps.now();
    return statusError(res.status, {
      message: e.message ?? shared.answered(NAME, res.status),
      details: { status: res.status, code: e.category ?? e.errorType },
      rateLimited: { retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now) ?? rateLimitWait(res, now) },
      serverError: { mayHaveApplied: write },
    });
  }

  return { call, token };
}

/** One request to the connection's portal (see `createHubSpotHttp`). */
export type HubSpotCall = ReturnType<typeof createHubSpotHttp>['call'];
