import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSalesforceStandIn, type SalesforceStandIn } from '../../../test/stand-ins/salesforce';
import salesforceApi, { createSalesforceApi } from './api';
import { authorizeUrl, base64url, identityOf, loginOrigin, pkcePair, SalesforceLoginError, startSalesforceLogin, type SalesforceLoginInput } from './oauth';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
/** RFC 7636 appendix B: these 32 octets are the verifier `dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`. */
const RFC_OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];

let sf: SalesforceStandIn;
let tokenCalls: number;
const realFetch = globalThis.fetch;
const countingFetch: typeof fetch = (input, init) => {
  if (String(input).includes('/services/oauth2/token')) tokenCalls += 1;
  return realFetch(input, init);
};

beforeEach(async () => {
  sf = await startSalesforceStandIn();
  tokenCalls = 0;
});
afterEach(() => sf.close());

/** What Salesforce's authorize page does after the person allows access: issue a code for the challenge. */
function allowingLaunch(over: { state?: (s: string) => string; challenge?: (c: string) => string; extra?: Record<string, string> } = {}) {
  const seen: URL[] = [];
  const launch = vi.fn(async (url: string) => {
    const u = new URL(url);
    seen.push(u);
    const p = u.searchParams;
    const code = sf.issueAuthCode((over.challenge ?? ((c) => c))(p.get('code_challenge')!), { redirectUri: p.get('redirect_uri')!, clientId: p.get('client_id')! });
    const back = new URLSearchParams({ code, state: (over.state ?? ((s) => s))(p.get('state')!), ...over.extra });
    return `${p.get('redirect_uri')}?${back}`;
  });
  return { launch, seen };
}

const input = (launchWebAuthFlow: SalesforceLoginInput['launchWebAuthFlow'], over: Partial<SalesforceLoginInput> = {}): SalesforceLoginInput => ({
  loginHost: sf.url,
  clientId: sf.clientId,
  redirectUri: REDIRECT,
  launchWebAuthFlow,
  fetch: countingFetch,
  ...over,
});

async function loginError(p: Promise<unknown>): Promise<SalesforceLoginError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SalesforceLoginError);
  return e as SalesforceLoginError;
}

describe('PKCE and helpers', () => {
  it('makes the RFC 7636 verifier and S256 challenge from the same octets (Web Crypto, base64url)', async () => {
    const pair = await pkcePair(() => new Uint8Array(RFC_OCTETS));
    expect(pair).toEqual({ verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' });
    expect(base64url(new Uint8Array([251, 255]))).toBe('-_8');
    const random = await pkcePair();
    expect(random.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts Salesforce login hosts and My Domains over HTTPS (and loopback for stand-ins), nothing else', () => {
    expect(loginOrigin('https://login.salesforce.com/')).toBe('https://login.salesforce.com');
    expect(loginOrigin(' https://test.salesforce.com ')).toBe('https://test.salesforce.com');
    expect(loginOrigin('https://acme.my.salesforce.com')).toBe('https://acme.my.salesforce.com');
    expect(loginOrigin('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://acme--uat.sandbox.my.salesforce.com');
    expect(loginOrigin('http://127.0.0.1:8123')).toBe('http://127.0.0.1:8123');
    for (const bad of ['http://login.salesforce.com', 'https://login.salesforce.com.evil.example', 'https://evil.example', 'https://acme.lightning.force.com', 'https://login.salesforce.com/services/oauth2', 'https://u:p@login.salesforce.com', 'https://login.salesforce.com?x=1', 'login.salesforce.com']) {
      expect(() => loginOrigin(bad), bad).toThrow(SalesforceLoginError);
    }
  });

  it('reads the org and user ids (18 characters) from the identity URL', () => {
    expect(identityOf('https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P')).toEqual({ orgId: '00Dx0000000BV7zEAG', userId: '005x00000012Q9PAAU' });
    expect(identityOf('https://login.salesforce.com/id/00D5g000004AbCdEAK/0055g00000Rp9QwAAJ')).toEqual({ orgId: '00D5g000004AbCdEAK', userId: '0055g00000Rp9QwAAJ' });
    expect(identityOf('https://login.salesforce.com/id/0015g000004AbCd/0055g00000Rp9Qw')).toEqual({});
    expect(identityOf(undefined)).toEqual({});
  });

  it('builds the authorize URL: code flow, S256 challenge, state, api + refresh_token scopes', () => {
    const u = new URL(authorizeUrl('https://login.salesforce.com', { clientId: 'key', redirectUri: REDIRECT, challenge: 'ch', state: 'st' }));
    expect(u.origin + u.pathname).toBe('https://login.salesforce.com/services/oauth2/authorize');
    expect(Object.fromEntries(u.searchParams)).toEqual({ response_type: 'code', client_id: 'key', redirect_uri: REDIRECT, code_challenge: 'ch', code_challenge_method: 'S256', state: 'st', scope: 'api refresh_token' });
  });
});

describe('startSalesforceLogin against the stand-in', () => {
  it('signs in: the stand-in verifies the PKCE challenge, and the result is a working connection', async () => {
    const { launch, seen } = allowingLaunch();
    const login = await startSalesforceLogin(input(launch));
    expect(launch).toHaveBeenCalledTimes(1);
    expect(seen[0]!.searchParams.get('code_challenge_method')).toBe('S256');
    expect(seen[0]!.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(login).toEqual({
      apiBase: sf.url,
      credentials: { kind: 'oauth', accessToken: sf.token, refreshToken: sf.refreshToken, tokenUrl: sf.tokenUrl, clientId: sf.clientId },
      account: sf.orgId,
      userId: sf.userId,
    });
    const api = createSalesforceApi(
      { crm: 'salesforce', apiBase: login.apiBase, account: login.account, label: '', credentials: login.credentials, mapping: salesforceApi.defaultMapping, connectedAt: '', state: 'connected' },
      { fetch: realFetch, now: Date.now },
    );
    expect(await api.testConnection()).toMatchObject({ account: sf.orgId });
  });

  it('is what the module’s signIn does, with the browser parts from SignInDeps', async () => {
    const { launch } = allowingLaunch();
    const result = await salesforceApi.signIn!({ loginHost: sf.url, clientId: sf.clientId }, { launchWebAuthFlow: launch, redirectUri: REDIRECT, fetch: realFetch });
    expect(result).toMatchObject({ apiBase: sf.url, account: sf.orgId, credentials: { kind: 'oauth', clientId: sf.clientId } });
  });

  it('a code issued for another challenge is refused by the token endpoint (PKCE), in Salesforce’s words', async () => {
    const { launch } = allowingLaunch({ challenge: () => 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' });
    const e = await loginError(startSalesforceLogin(input(launch)));
    expect(e.code).toBe('token_error');
    expect(e.message).toBe('Salesforce did not issue a session: invalid code verifier (invalid_request).');
  });

  it('rejects an answer with another state before using its code', async () => {
    const { launch } = allowingLaunch({ state: (s) => `${s}x` });
    const e = await loginError(startSalesforceLogin(input(launch)));
    expect(e.code).toBe('state_mismatch');
    expect(e.message).toMatch(/does not belong to this sign-in/);
    expect(tokenCalls).toBe(0);
  });

  it('explains a closed window (rejected or empty) and a refusal', async () => {
    const closed = await loginError(startSalesforceLogin(input(() => Promise.reject(new Error('The user did not approve access.')))));
    expect(closed).toMatchObject({ code: 'cancelled', message: expect.stringMatching(/^Salesforce sign-in was cancelled/) });
    expect((await loginError(startSalesforceLogin(input(async () => undefined)))).code).toBe('cancelled');
    expect((await loginError(startSalesforceLogin(input(() => Promise.reject(new Error('Authorization page could not be loaded.')))))).message).toBe('Salesforce sign-in did not complete: Authorization page could not be loaded.');

    const denied = async (url: string) => {
      const state = new URL(url).searchParams.get('state')!;
      return `${REDIRECT}?error=access_denied&error_description=end-user+denied+authorization&state=${state}`;
    };
    expect(await loginError(startSalesforceLogin(input(denied)))).toMatchObject({ code: 'access_denied', message: expect.stringMatching(/Access was not allowed in Salesforce/) });
    const otherError = async (url: string) => `${REDIRECT}?error=invalid_client_id&error_description=client+identifier+invalid&state=${new URL(url).searchParams.get('state')}`;
    expect((await loginError(startSalesforceLogin(input(otherError)))).message).toBe('Salesforce refused the sign-in: client identifier invalid (invalid_client_id).');
    expect(tokenCalls).toBe(0);
  });

  it('refuses redirects elsewhere, codes the token endpoint does not know, and bad input', async () => {
    const elsewhere = async (url: string) => `https://evil.example/?code=x&state=${new URL(url).searchParams.get('state')}`;
    expect((await loginError(startSalesforceLogin(input(elsewhere)))).code).toBe('bad_response');
    const unknownCode = async (url: string) => `${REDIRECT}?code=forged&state=${new URL(url).searchParams.get('state')}`;
    expect((await loginError(startSalesforceLogin(input(unknownCode)))).message).toBe('Salesforce did not issue a session: invalid authorization code (invalid_grant).');
    expect((await loginError(startSalesforceLogin(input(allowingLaunch().launch, { clientId: ' ' })))).code).toBe('invalid_input');
    expect((await loginError(startSalesforceLogin(input(allowingLaunch().launch, { loginHost: 'https://evil.example' })))).code).toBe('invalid_input');
  });
});

describe('startSalesforceLogin: token responses it does not trust', () => {
  const answering = (status: number, body: unknown): typeof fetch => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const launch = async (url: string) => `${REDIRECT}?code=c&state=${new URL(url).searchParams.get('state')}`;
  const real = { access_token: 'a', refresh_token: 'r', instance_url: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D5g000004AbCdEAK/0055g00000Rp9QwAAJ', token_type: 'Bearer' };
  const at = (fetchImpl: typeof fetch) => startSalesforceLogin({ loginHost: 'https://login.salesforce.com', clientId: 'key', redirectUri: REDIRECT, launchWebAuthFlow: launch, fetch: fetchImpl });

  it('takes a real-looking answer: the instance URL as API base, the token URL on the login host', async () => {
    expect(await at(answering(200, real))).toEqual({
      apiBase: 'https://acme.my.salesforce.com',
      credentials: { kind: 'oauth', accessToken: 'a', refreshToken: 'r', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: 'key' },
      account: '00D5g000004AbCdEAK',
      userId: '0055g00000Rp9QwAAJ',
    });
  });

  it('refuses an instance URL that is not Salesforce, a missing refresh token, and an unreachable endpoint', async () => {
    expect((await loginError(at(answering(200, { ...real, instance_url: 'https://evil.example' })))).code).toBe('bad_response');
    expect((await loginError(at(answering(200, { ...real, instance_url: 'http://127.0.0.1:9' })))).code).toBe('bad_response');
    expect(await loginError(at(answering(200, { ...real, refresh_token: undefined })))).toMatchObject({ code: 'token_error', message: expect.stringMatching(/refresh_token, offline_access/) });
    expect((await loginError(at(answering(400, { error: 'invalid_grant', error_description: 'authorization code expired' })))).message).toBe('Salesforce did not issue a session: authorization code expired (invalid_grant).');
    expect((await loginError(at(() => Promise.reject(new TypeError('fetch failed'))))).code).toBe('network');
  });
});
