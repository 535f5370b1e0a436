/**
 * Salesforce's HTTP dialect: REST requests with OAuth 2.0 tokens from `./oauth.ts` (`Authorization:
 * Bearer …`; a 401 is answered by a renewed token and a retry) through the shared exchange
 * (`../http.ts`), its error bodies, its usage header, and query paging.
 *
 * Many module instances share one connection in the background (a sync run, each lead read, an import
 * step, a connection check), and Salesforce may rotate refresh tokens (each refresh retires the one it
 * used). So a renewal (ADR 0015, finding 7): re-reads the stored credentials first and uses them when
 * another instance already renewed the failed token; runs as the connection's one refresh in flight
 * (`deps.renewOnce`), concurrent callers waiting for it; and when refused (`invalid_grant`) while newer
 * credentials were stored meanwhile, goes on with those. Only a refusal of the credentials stored now is
 * `auth` (the connection expires).
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

/** Credentials this module got from the token endpoint (not read from storage), whichever instance asked. */
const refreshed = new WeakSet<Credentials>();
const tokenOf = (c: Credentials) => (c.kind === 'oauth' ? c.accessToken : c.token);
const refreshTokenOf = (c: Credentials) => (c.kind === 'oauth' ? c.refreshToken : undefined);

/**
 * Requests to one org's instance with the connection's tokens, renewed on a 401 (and handed to
 * `deps.onCredentials`); `timeoutMs` defaults to 30 s.
 */
export function createSalesforceHttp(connection: Connection, deps: CrmApiDeps, timeoutMs = REQUEST_TIMEOUT_MS) {
  const base = connection.apiBase.replace(/\/+$/, '');
  let credentials: Credentials = connection.credentials;
  /** This instance's renewal in flight, when `deps.renewOnce` does not share one per connection. */
  let renewing: Promise<Credentials> | undefined;
  let lastLimitInfo: LimitInfo | undefined;

  const accessToken = () => tokenOf(credentials);
  const unreachable: Unreachable = { sentence: (why) => shared.unreachable(NAME, why), timedOut: shared.noAnswerWithin };

  /** One HTTP exchange through the sync loop's fetch. Cookies are never sent or read: only the token. */
  async function send(method: string, path: string, token: string, body: unknown, headers: Record<string, string>, write: boolean) {
    const init: RequestInit = { ...jsonRequest(method, token, body, headers), credentials: 'omit' };
    const { res, body: raw } = await exchange(`${base}${path}`, init, { fetch: deps.fetch, timeoutMs, ...unreachable, mayHaveApplied: write, read: readText });
    return { res, raw };
  }

  /**
   * One request. A 401 gets a renewed token and a retry (and, when the token was the stored one another
   * instance left and it failed too, one more: then a refresh); other failures become `CrmError`s: 403
   * REQUEST_LIMIT_EXCEEDED and 5xx transient (a write may have landed on a 5xx), other 4xx permanent,
   * network errors and timeouts transient with `mayHaveApplied` for writes.
   */
  async function call(method: 'GET' | 'POST' | 'PATCH', path: string, opts: { body?: unknown; write?: boolean; headers?: Record<string, string> } = {}) {
    const write = opts.write ?? method !== 'GET';
    let token = accessToken();
    let { res, raw } = await send(method, path, token, opts.body, opts.headers ?? {}, write);
    // A 401 with a token a refresh has just issued is the session's answer: no second round.
    for (let round = 0; res.status === 401 && round < 2; round++) {
      const from = await renewAfter(token);
      token = accessToken();
      ({ res, raw } = await send(method, path, token, opts.body, opts.headers ?? {}, write));
      if (from === 'refresh') break;
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

  /** The stored credentials now, when the caller can say (a failed read counts as not knowing). */
  async function stored(): Promise<Credentials | undefined> {
    try {
      return await deps.storedCredentials?.();
    } catch {
      return undefined;
    }
  }

  /** The connection's one renewal in flight (shared across instances through `deps.renewOnce`). */
  const once = (renew: () => Promise<Credentials>): Promise<Credentials> =>
    deps.renewOnce ? deps.renewOnce(renew) : (renewing ??= renew().finally(() => (renewing = undefined)));

  /**
   * After a 401 with `failedToken`: credentials worth a retry, and whether they came from a refresh or
   * from storage. A flight started for an older token may hand back the very one that failed here: then
   * another, for this one.
   */
  async function renewAfter(failedToken: string): Promise<'refresh' | 'stored'> {
    for (let round = 0; round < 3 && accessToken() === failedToken; round++) credentials = await once(() => renew(failedToken));
    return refreshed.has(credentials) ? 'refresh' : 'stored';
  }

  /**
   * Runs as the connection's one renewal: the stored credentials when they moved past the failed token
   * (another instance renewed it, or the rep reconnected), else a refresh with them. A refusal while
   * newer credentials were stored meanwhile is only a stale refresh token: those are used instead. A
   * refusal of what is stored now is `auth`.
   */
  async function renew(failedToken: string): Promise<Credentials> {
    let from = (await stored()) ?? credentials;
    if (tokenOf(from) !== failedToken) return from;
    for (let attempt = 1; ; attempt++) {
      try {
        return await refresh(from);
      } catch (e) {
        const now = e instanceof CrmError && e.kind === 'auth' && attempt < 3 ? await stored() : undefined;
        if (!now || refreshTokenOf(now) === refreshTokenOf(from)) throw e;
        if (tokenOf(now) !== failedToken) return now;
        from = now;
      }
    }
  }

  /** One refresh-token grant from `current`; the new credentials are stored before anyone else renews. */
  async function refresh(current: Credentials): Promise<Credentials> {
    if (current.kind !== 'oauth' || !current.refreshToken) {
      throw new CrmError('auth', t.noRefreshToken, { status: 401, code: 'INVALID_SESSION_ID' });
    }
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: current.clientId, refresh_token: current.refreshToken }).toString(),
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
    const renewed: Credentials = { ...current, accessToken: next, refreshToken: (isRecord(data) ? text(data.refresh_token) : undefined) ?? current.refreshToken };
    refreshed.add(renewed);
    try {
      // Stored only over the credentials it started from (the store refuses to replace newer ones).
      await deps.onCredentials?.(renewed, current);
    } catch {
      // Storing failed: this instance still works with the tokens in memory. With rotation the stored
      // refresh token is now retired, so the next renewal from storage is refused and the rep reconnects.
    }
    return renewed;
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
