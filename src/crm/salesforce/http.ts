/**
 * Salesforce's HTTP dialect: REST requests with OAuth 2.0 tokens from `./oauth.ts` (`Authorization:
 * Bearer …`; a 401 is answered by one refresh-token grant and one retry) through the shared exchange
 * (`../http.ts`), its error bodies, its usage header, and query paging.
 *
 * - Status codes and error bodies (`[{message, errorCode}]`; 401 = session expired or invalid; 403 with
 *   `REQUEST_LIMIT_EXCEEDED` = the org's API allocation is used up):
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm
 * - `Sforce-Limit-Info: api-usage=used/max` on every response (the org's 24-hour allocation):
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm
 * - Query and query-more (`totalSize`, `done`, `nextRecordsUrl`; up to 2,000 records a page, fewer for
 *   wide rows): https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.md
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_query_more_results.htm
 * - Refresh token flow (`grant_type=refresh_token`, form-encoded; `invalid_grant` when expired or revoked):
 *   https://help.salesforce.com/apex/HTViewHelpDoc?id=remoteaccess_oauth_refresh_token_flow.htm&language=en_US
 *   https://developer.salesforce.com/docs/atlas.en-us.222.0.api_rest.meta/api/intro_understanding_refresh_token_oauth.htm
 */
import { crmStrings as shared } from '../../i18n/crm';
import { CrmError, retryAfterMs, type Connection, type Credentials, type CrmApiDeps } from '../api';
import { exchange, jsonAnswer, jsonRequest, parseJson, readText, statusError, type Unreachable } from '../http';
import { isRecord, list, text } from '../read';
import { messages as t } from './messages';

/** The product's name in the shared CRM sentences (`src/i18n/en/crm.ts`). */
export const NAME = 'Salesforce';

export const API_VERSION = 'v66.0';
export const DATA_PATH = `/services/data/${API_VERSION}`;
const REQUEST_TIMEOUT_MS = 30_000;
/** The allocation is a rolling 24 hours and Salesforce sends no Retry-After: an hour is a sane pause. */
const LIMIT_EXCEEDED_WAIT_MS = 60 * 60_000;

export interface SalesforceError {
  message?: string;
  code?: string;
}

/** REST errors are `[{message, errorCode}]`; OAuth endpoints answer `{error, error_description}`. */
export function errorOf(body: unknown): SalesforceError {
  const first = Array.isArray(body) ? body[0] : body;
  if (!isRecord(first)) return {};
  return { message: text(first.message) ?? text(first.error_description), code: text(first.errorCode) ?? text(first.error) };
}

export interface LimitInfo {
  /** API requests the org used in the last 24 hours, and its allocation. */
  used: number;
  max: number;
  /** When we saw it (ISO). */
  at: string;
}

/** `api-usage=18/5000; per-app-api-usage=17/250(appName=…)` → the org-wide usage. */
export function parseLimitInfo(header: string | null, now: number): LimitInfo | undefined {
  const m = /(?:^|[;\s])api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  return m ? { used: Number(m[1]), max: Number(m[2]), at: new Date(now).toISOString() } : undefined;
}

/** `nextRecordsUrl` is a path on the instance; anything else is refused so the token never goes elsewhere. */
export const isQueryPath = (p: string) => /^\/services\/data\/v\d+\.\d+\/query\/[A-Za-z0-9-]+$/.test(p);

export function nextPath(data: unknown): string | undefined {
  if (!isRecord(data) || data.done !== false) return undefined;
  const next = text(data.nextRecordsUrl);
  return next && isQueryPath(next) ? next : undefined;
}

export type SalesforceHttp = ReturnType<typeof createSalesforceHttp>;

/**
 * Requests to one org's instance with the connection's tokens, renewed on a 401 (and handed to
 * `deps.onCredentials`); `timeoutMs` defaults to 30 s.
 */
export function createSalesforceHttp(connection: Connection, deps: CrmApiDeps, timeoutMs = REQUEST_TIMEOUT_MS) {
  const base = connection.apiBase.replace(/\/+$/, '');
  let credentials: Credentials = connection.credentials;
  let refreshing: Promise<void> | undefined;
  let lastLimitInfo: LimitInfo | undefined;

  const accessToken = () => (credentials.kind === 'oauth' ? credentials.accessToken : credentials.token);
  const unreachable: Unreachable = { sentence: (why) => shared.unreachable(NAME, why), timedOut: shared.noAnswerWithin };

  /** One HTTP exchange through the sync loop's fetch. Cookies are never sent or read: only the token. */
  async function send(method: string, path: string, token: string, body: unknown, headers: Record<string, string>, write: boolean) {
    const init: RequestInit = { ...jsonRequest(method, token, body, headers), credentials: 'omit' };
    const { res, body: raw } = await exchange(`${base}${path}`, init, { fetch: deps.fetch, timeoutMs, ...unreachable, mayHaveApplied: write, read: readText });
    return { res, raw };
  }

  /**
   * One request. A 401 gets one token refresh and one retry; other failures become `CrmError`s: 403
   * REQUEST_LIMIT_EXCEEDED and 5xx transient (a write may have landed on a 5xx), other 4xx permanent,
   * network errors and timeouts transient with `mayHaveApplied` for writes.
   */
  async function call(method: 'GET' | 'POST' | 'PATCH', path: string, opts: { body?: unknown; write?: boolean; headers?: Record<string, string> } = {}) {
    const write = opts.write ?? method !== 'GET';
    let token = accessToken();
    let { res, raw } = await send(method, path, token, opts.body, opts.headers ?? {}, write);
    if (res.status === 401) {
      await refreshAfter(token);
      token = accessToken();
      ({ res, raw } = await send(method, path, token, opts.body, opts.headers ?? {}, write));
    }
    lastLimitInfo = parseLimitInfo(res.headers.get('sforce-limit-info'), deps.now()) ?? lastLimitInfo;
    return jsonAnswer(res, raw, { write, failure: (data) => failureOf(res, data, write), notJson: (status) => shared.notJson(NAME, status) });
  }

  function failureOf(res: Response, data: unknown, write: boolean): CrmError {
    const e = errorOf(data);
    const message = `${e.message ?? shared.answered(NAME, res.status)}${e.code ? ` (${e.code})` : ''}`;
    const details = { status: res.status, code: e.code };
    const wait = retryAfterMs(res.headers.get('retry-after'), deps.now());
    if (res.status === 403 && e.code === 'REQUEST_LIMIT_EXCEEDED') {
      return new CrmError('transient', t.limitExceeded(message), { ...details, retryAfterMs: wait ?? LIMIT_EXCEEDED_WAIT_MS });
    }
    return statusError(res.status, { message, details, authMessage: t.sessionRejected(message), rateLimited: { retryAfterMs: wait }, serverError: { retryAfterMs: wait, mayHaveApplied: write } });
  }

  /** Renews the access token once for everyone who saw it fail; a concurrent caller waits for the same refresh. */
  async function refreshAfter(failedToken: string): Promise<void> {
    if (accessToken() !== failedToken) return; // someone else renewed it meanwhile
    refreshing ??= refresh().finally(() => (refreshing = undefined));
    await refreshing;
  }

  async function refresh(): Promise<void> {
    if (credentials.kind !== 'oauth' || !credentials.refreshToken) {
      throw new CrmError('auth', t.noRefreshToken, { status: 401, code: 'INVALID_SESSION_ID' });
    }
    const current = credentials;
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: current.clientId, refresh_token: current.refreshToken! }).toString(),
      credentials: 'omit',
    };
    // No answer: the session is not known to be dead, so the connection stays and the call is retried later.
    const { res, body: raw } = await exchange(current.tokenUrl, init, { fetch: deps.fetch, timeoutMs, ...unreachable, sentence: t.tokenEndpointUnreachable, mayHaveApplied: false, read: readText });
    const data = parseJson(raw);
    if (!res.ok) {
      const e = errorOf(data);
      const why = `${e.message ?? t.renewAnswered(res.status)}${e.code ? ` (${e.code})` : ''}`;
      if (res.status === 429 || res.status >= 500) throw new CrmError('transient', t.cannotRenewNow(why), { status: res.status, code: e.code });
      throw new CrmError('auth', t.renewRefused(why), { status: res.status, code: e.code });
    }
    const next = isRecord(data) ? text(data.access_token) : undefined;
    if (!next) throw new CrmError('transient', t.noAccessToken, { status: res.status });
    // With refresh token rotation Salesforce sends a new refresh token and retires the old one.
    credentials = { ...current, accessToken: next, refreshToken: (isRecord(data) ? text(data.refresh_token) : undefined) ?? current.refreshToken };
    try {
      await deps.onCredentials?.(credentials);
    } catch {
      // Storing failed: this call still works with the token in memory; the next start refreshes again.
    }
  }

  /** Every page of a query, following `nextRecordsUrl` (only ever a query path on this instance). */
  async function queryAll(soql: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>[]> {
    const records: Record<string, unknown>[] = [];
    let path: string | undefined = `${DATA_PATH}/query?q=${encodeURIComponent(soql)}`;
    while (path) {
      const { data } = await call('GET', path, { headers });
      records.push(...list(isRecord(data) ? data.records : undefined).filter(isRecord));
      path = nextPath(data);
    }
    return records;
  }

  return {
    /** The instance's origin, without a trailing slash. */
    base,
    call,
    queryAll,
    /** The org's API usage from the last `Sforce-Limit-Info` header seen. */
    get lastLimitInfo() {
      return lastLimitInfo;
    },
  };
}
