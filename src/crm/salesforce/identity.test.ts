import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceStandIn, type SalesforceStandIn } from '../../../test/stand-ins/salesforce';
import { crmError } from '../../../test/support/crm-error';
import type { Connection, Credentials } from '../api';
import salesforceApi, { createSalesforceApi } from './api';
import { userOfChatter, userOfUserinfo } from './identity';

/** `whoAmI`: the User the session belongs to, by Salesforce's account (UserInfo, then Connect's users/me). */

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DATA = '/services/data/v66.0';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/api/${name}`, import.meta.url), 'utf8')) as unknown;

let sf: SalesforceStandIn;
let requests: string[];
const realFetch = globalThis.fetch;

function apiFor(credentials: Credentials = sf.credentials()) {
  const connection: Connection = {
    crm: 'salesforce',
    apiBase: sf.url,
    account: sf.orgId,
    label: `Salesforce org ${sf.orgId}`,
    credentials,
    mapping: salesforceApi.defaultMapping,
    connectedAt: new Date(NOW).toISOString(),
    state: 'connected',
  };
  const counting: typeof fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return realFetch(input, init);
  };
  return createSalesforceApi(connection, { fetch: counting, now: () => NOW });
}

beforeEach(async () => {
  sf = await startSalesforceStandIn({ now: () => NOW });
  requests = [];
});
afterEach(() => sf.close());

describe('whoAmI', () => {
  it('names the token’s user from UserInfo on the instance: their 18-character User Id, name and email', async () => {
    expect(await apiFor().whoAmI()).toEqual({ id: sf.userId, name: 'Riley Rep', email: 'rep@acme.example' });
    expect(requests).toEqual(['GET /services/oauth2/userinfo']);
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza', Email: 'ana.souza@acme.example' });
    expect(await apiFor(sf.credentials(ana)).whoAmI()).toEqual({ id: ana, name: 'Ana Souza', email: 'ana.souza@acme.example' });
  });

  it('asks Connect’s chatter/users/me when the identity service refuses the token (a connected app without its scopes)', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza', Email: 'ana.souza@acme.example' });
    sf.inject({ match: { path: /userinfo/ }, fault: { kind: 'status', status: 403, body: 'Insufficient_Scope' } });
    expect(await apiFor(sf.credentials(ana)).whoAmI()).toEqual({ id: ana, name: 'Ana Souza', email: 'ana.souza@acme.example' });
    expect(requests).toEqual(['GET /services/oauth2/userinfo', `GET ${DATA}/chatter/users/me`]);
  });

  it('says it cannot tell (undefined) when both are refused; a dead session is auth, an outage transient', async () => {
    sf.inject({ match: { path: /userinfo|chatter/ }, fault: { kind: 'status', status: 403 }, times: 2 });
    expect(await apiFor().whoAmI()).toBeUndefined();
    sf.inject({ match: { path: /userinfo/ }, fault: { kind: 'status', status: 503 } });
    expect(await crmError(apiFor().whoAmI())).toMatchObject({ kind: 'transient', details: { status: 503 } });
    sf.expireAccessToken();
    sf.revokeRefreshToken();
    // The identity service answers a dead token with its plain 403; the REST API's 401 then tells.
    expect(await crmError(apiFor().whoAmI())).toMatchObject({ kind: 'auth' });
  });

  it('reads Salesforce’s documented answers (fixtures), widens 15-character ids and takes only User ids', () => {
    expect(userOfUserinfo(fixture('userinfo-200.json'))).toEqual({ id: '0055g00000Rp9QwAAJ', name: 'Riley Rep', email: 'riley.rep@acme.example' });
    expect(userOfChatter(fixture('chatter-users-me-200.json'))).toEqual({ id: '0055g00000Rp9QwAAJ', name: 'Riley Rep', email: 'riley.rep@acme.example' });
    expect(userOfUserinfo({ user_id: '0055g00000Rp9Qw', name: 'Riley Rep' })).toEqual({ id: '0055g00000Rp9QwAAJ', name: 'Riley Rep' });
    expect(userOfUserinfo({ user_id: '00Q5g00000Lq7aBEAR', name: 'A lead' })).toBeUndefined();
    expect(userOfUserinfo({ user_id: '0055g00000Rp9QwAAA', name: 'Bad checksum' })).toBeUndefined();
    expect(userOfChatter({ id: '0055g00000Rp9QwAAJ', name: ' ', username: 'riley@acme.example' })).toEqual({ id: '0055g00000Rp9QwAAJ', name: 'riley@acme.example' });
  });
});
