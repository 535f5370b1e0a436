/**
 * Signing in to Salesforce from the extension: the OAuth 2.0 web server flow (authorization code) with
 * PKCE, for a public client that keeps no consumer secret. The browser parts (`identity.launchWebAuthFlow`,
 * its redirect URL) and `fetch` are passed in, so this runs in the service worker and in tests alike.
 *
 * - Web server flow, `code_challenge` = base64url(SHA-256(code_verifier)), `state` returned on the redirect:
 *   https://help.salesforce.com/HTViewHelpDoc?id=remoteaccess_oauth_web_server_flow.htm&language=en_US
 *   https://developer.salesforce.com/docs/atlas.en-us.222.0.api_rest.meta/api/intro_understanding_web_server_oauth_flow.htm
 *   https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_pkce.htm&language=en_US&type=5
 * - PKCE itself (verifier alphabet and length, S256): https://www.rfc-editor.org/rfc/rfc7636
 * - Token response (`access_token`, `refresh_token`, `instance_url`, `id` = identity URL
 *   `…/id/<orgId>/<userId>`): https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-using-identity-urls.html
 * - Scopes: `api` for the REST API, `refresh_token` (= `offline_access`) for a refresh token:
 *   https://help.salesforce.com/apex/HTViewHelpDoc?id=xcloud.remoteaccess_oauth_tokens_scopes.htm
 */
import { messageOf } from '../../domain/errors';
import type { Credentials } from '../api';
import { messages } from './messages';
import { salesforceIdChecksum } from './page';
import { isDeclaredApiBase } from '../api-hosts';

const t = messages.signIn;

export const SALESFORCE_LOGIN_HOSTS = ['https://login.salesforce.com', 'https://test.salesforce.com'] as const;
export const SALESFORCE_SCOPE = 'api refresh_token';
const TIMEOUT_MS = 30_000;

export type SalesforceLoginErrorCode = 'invalid_input' | 'cancelled' | 'access_denied' | 'authorize_error' | 'state_mismatch' | 'token_error' | 'network' | 'bad_response';

/** A sign-in that did not complete, with a message for people and a code for code. */
export class SalesforceLoginError extends Error {
  constructor(
    readonly code: SalesforceLoginErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SalesforceLoginError';
  }
}

export interface SalesforceLoginInput {
  /** `https://login.salesforce.com`, `https://test.salesforce.com` (sandboxes) or the org's My Domain. */
  loginHost: string;
  /** The connected app's consumer key. */
  clientId: string;
  /** `browser.identity.getRedirectURL()`: must be the connected app's callback URL. */
  redirectUri: string;
  /** `browser.identity.launchWebAuthFlow({ url, interactive: true })`: resolves to the redirect URL. */
  launchWebAuthFlow: (url: string) => Promise<string | undefined>;
  fetch: typeof fetch;
  /** Random bytes (default: Web Crypto). */
  randomBytes?: (n: number) => Uint8Array;
}

export interface SalesforceLogin {
  /** The org's instance URL (`instance_url`), where API calls go. */
  apiBase: string;
  credentials: Extract<Credentials, { kind: 'oauth' }>;
  /** The org id (18 characters), from the identity URL. */
  account?: string;
  userId?: string;
}

const isLoopback = (host: string) => host === '127.0.0.1' || host === 'localhost' || host === '[::1]';

/**
 * The login origin for a host the person typed. Only Salesforce's login hosts and My Domains over HTTPS
 * (plus loopback, for local stand-ins): the authorization code and the tokens go to this host.
 */
export function loginOrigin(loginHost: string): string {
  let url: URL;
  try {
    url = new URL(loginHost.trim());
  } catch {
    throw new SalesforceLoginError('invalid_input', t.notAWebAddress(loginHost));
  }
  const host = url.hostname.toLowerCase();
  const okHost = url.protocol === 'https:' ? host === 'login.salesforce.com' || host === 'test.salesforce.com' || /\.my\.salesforce\.(com|mil)$/.test(host) : url.protocol === 'http:' && isLoopback(host);
  if (!okHost || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new SalesforceLoginError('invalid_input', t.notALoginHost(loginHost));
  }
  return url.origin;
}

/** RFC 4648 §5 base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const defaultRandom = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/** A PKCE pair: 32 random bytes as a 43-character verifier, and its S256 challenge. */
export async function pkcePair(randomBytes: (n: number) => Uint8Array = defaultRandom): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(randomBytes(32));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** The org id (18 characters) and user id from an identity URL `https://…/id/<orgId>/<userId>`. */
export function identityOf(idUrl: unknown): { orgId?: string; userId?: string } {
  if (typeof idUrl !== 'string') return {};
  const m = /\/id\/([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)\/([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)\/?$/.exec(idUrl);
  const widen = (id: string) => id.slice(0, 15) + salesforceIdChecksum(id.slice(0, 15));
  return m && m[1]!.startsWith('00D') ? { orgId: widen(m[1]!), userId: widen(m[2]!) } : {};
}

/** The authorize URL for one attempt. */
export function authorizeUrl(origin: string, p: { clientId: string; redirectUri: string; challenge: string; state: string }): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    state: p.state,
    scope: SALESFORCE_SCOPE,
  });
  return `${origin}/services/oauth2/authorize?${query}`;
}

async function launch(input: SalesforceLoginInput, url: string): Promise<string> {
  let redirect: string | undefined;
  try {
    redirect = await input.launchWebAuthFlow(url);
  } catch (e) {
    const why = messageOf(e);
    // Chrome rejects with "The user did not approve access." when the window is closed.
    if (/did not approve|cancel|closed/i.test(why)) throw new SalesforceLoginError('cancelled', t.cancelled);
    throw new SalesforceLoginError('authorize_error', t.incomplete(why));
  }
  if (!redirect) throw new SalesforceLoginError('cancelled', t.cancelled);
  return redirect;
}

/** The authorization code from the redirect, after checking it is ours (`state`) and not an error. */
function codeFrom(redirect: string, redirectUri: string, state: string): string {
  let url: URL;
  try {
    url = new URL(redirect);
  } catch {
    throw new SalesforceLoginError('bad_response', t.notAUrl);
  }
  const expected = new URL(redirectUri);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) throw new SalesforceLoginError('bad_response', t.elsewhere);
  const params = new URLSearchParams(url.search || url.hash.replace(/^#/, ''));
  // The state is checked first: an answer to someone else's request is not trusted, error or not.
  if (params.get('state') !== state) throw new SalesforceLoginError('state_mismatch', t.stateMismatch);
  const error = params.get('error');
  if (error === 'access_denied') throw new SalesforceLoginError('access_denied', t.accessDenied);
  if (error) throw new SalesforceLoginError('authorize_error', t.refused(params.get('error_description') ?? error, error));
  const code = params.get('code');
  if (!code) throw new SalesforceLoginError('bad_response', t.noCode);
  return code;
}

/**
 * The token response's instance URL, only if it is one of the API hosts the Salesforce folder declares
 * (`api-hosts.json`: the org's My Domain; also what the browser grants), or loopback when signing in to a
 * stand-in. A wider check (any `*.force.com`) would send the token where no host permission reaches.
 */
function instanceOrigin(raw: unknown, loginIsLoopback: boolean): string | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'https:' && isDeclaredApiBase('salesforce', url.origin)) return url.origin;
    if (loginIsLoopback && url.protocol === 'http:' && isLoopback(url.hostname)) return url.origin;
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Signs in: opens Salesforce's authorize page, checks the answer, exchanges the code (with the PKCE
 * verifier) for tokens. Throws `SalesforceLoginError` with a message people can act on.
 */
export async function startSalesforceLogin(input: SalesforceLoginInput): Promise<SalesforceLogin> {
  const origin = loginOrigin(input.loginHost);
  const clientId = input.clientId.trim();
  if (!clientId) throw new SalesforceLoginError('invalid_input', t.clientIdRequired);
  const random = input.randomBytes ?? defaultRandom;
  const { verifier, challenge } = await pkcePair(random);
  const state = base64url(random(16));

  const redirect = await launch(input, authorizeUrl(origin, { clientId, redirectUri: input.redirectUri, challenge, state }));
  const code = codeFrom(redirect, input.redirectUri, state);

  const tokenUrl = `${origin}/services/oauth2/token`;
  let res: Response;
  let raw: string;
  try {
    res = await input.fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: input.redirectUri, code_verifier: verifier }).toString(),
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    raw = await res.text();
  } catch (e) {
    throw new SalesforceLoginError('network', t.unreachable(messageOf(e)));
  }
  let data: Record<string, unknown> = {};
  try {
    const parsed = raw ? (JSON.parse(raw) as unknown) : undefined;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    // handled below: no fields
  }
  if (!res.ok) {
    const error = typeof data.error === 'string' ? data.error : `HTTP ${res.status}`;
    const description = typeof data.error_description === 'string' ? data.error_description : t.noDescription;
    throw new SalesforceLoginError('token_error', t.noSession(description, error));
  }
  const accessToken = typeof data.access_token === 'string' && data.access_token ? data.access_token : undefined;
  const apiBase = instanceOrigin(data.instance_url, new URL(origin).protocol === 'http:');
  if (!accessToken || !apiBase) throw new SalesforceLoginError('bad_response', t.noToken);
  const refreshToken = typeof data.refresh_token === 'string' && data.refresh_token ? data.refresh_token : undefined;
  // Without a refresh token the connection would silently expire within hours, with decisions waiting.
  if (!refreshToken) {
    throw new SalesforceLoginError('token_error', t.noRefreshToken);
  }
  const { orgId, userId } = identityOf(data.id);
  return { apiBase, credentials: { kind: 'oauth', accessToken, refreshToken, tokenUrl, clientId }, account: orgId, userId };
}
