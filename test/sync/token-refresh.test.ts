import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Connection, Credentials } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import { defaultConfig } from '../../src/domain/defaults';
import type { LeadRef } from '../../src/domain/lead-ref';
import { leadKey } from '../../src/crm';
import type { LeadQualifierDb } from '../../src/store/db';
import { leadProfileSchema } from '../../src/domain/lead';
import { cachedLead, recordLeadShown } from '../../src/store/leads';
import { connectionStore, type ConnectionStore } from '../../src/sync/connections';
import { createCrmFetch } from '../../src/sync/crm-fetch';
import { createSyncEngine } from '../../src/sync/engine';
import { createIdentityChecker } from '../../src/sync/identity';
import { importStep } from '../../src/sync/import';
import { createLeadRefresher } from '../../src/sync/lead-refresh';
import { createTeamHistoryReader } from '../../src/sync/team-history';
import { credentialDeps } from '../../src/sync/token-refresh';
import { startSalesforceStandIn, type SalesforceStandIn } from '../stand-ins/salesforce';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

/**
 * ADR 0015 finding 7: many module instances share one Salesforce connection in the background (a sync
 * run, each lead read, an import step, an identity check, a team-history read). With refresh token
 * rotation, two of them renewing with the same refresh token used to leave the second with
 * `invalid_grant` and the connection marked expired although the stored new token was valid.
 * These go through the real callers, a real connection store and the stand-in, which rotates.
 */

const TOKEN_PATH = '/services/oauth2/token';
const realFetch: typeof fetch = (a, b) => fetch(a, b);
const module = crmApiModule('salesforce')!;

let sf: SalesforceStandIn;
let db: LeadQualifierDb;
let connections: ConnectionStore;

beforeEach(async () => {
  sf = await startSalesforceStandIn({ rotateRefreshTokens: true, dailyLimit: 10_000_000 });
  db = freshDb();
  connections = connectionStore(db);
  await connections.put(connectionOf());
});
afterEach(() => sf.close());

function connectionOf(): Connection {
  return { crm: 'salesforce', apiBase: sf.url, account: sf.orgId, label: 'Salesforce (stand-in)', credentials: sf.credentials(), mapping: module.defaultMapping, connectedAt: '2026-11-20T12:00:00.000Z', state: 'connected' };
}

function refOf(id: string): LeadRef {
  const host = 'acme.lightning.force.com';
  return { crm: 'salesforce', recordId: id, objectType: 'Lead', url: `https://${host}/lightning/r/Lead/${id}/view`, host, account: host };
}

/** A lead in the org, shown once in the panel (so the leads table has its row). */
async function addShownLead(fields: Record<string, string>) {
  const id = sf.addLead(fields);
  await recordLeadShown(db, leadKey(refOf(id)), refOf(id), () => leadProfileSchema.parse({ crm: 'salesforce', recordId: id, name: fields.LastName }), '2026-11-20T12:00:00.000Z');
  return id;
}

const tokenRequests = () => sf.calls.filter((c) => c.path === TOKEN_PATH);
const bearerOf = (init?: RequestInit) => new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '');

/**
 * The network, holding every request that carries `token` until `n` of them wait, then letting them all
 * go at once: `n` module instances see the same expired token at the same moment.
 */
function barrierOn(token: string, n: number): typeof fetch {
  const waiting: (() => void)[] = [];
  return async (input, init) => {
    if (bearerOf(init) === token && waiting.length < n) {
      await new Promise<void>((go) => {
        waiting.push(go);
        if (waiting.length === n) waiting.forEach((g) => g());
      });
    }
    return realFetch(input, init);
  };
}

/** The background's callers, sharing one CRM fetch and one connection store, as `src/background/index.ts` wires them. */
function background(net: typeof fetch) {
  const crmFetch = createCrmFetch({ fetch: net, now: Date.now });
  const deps = { db, connections, modules: crmApiModule, fetch: net, crmFetch, now: Date.now };
  return {
    leads: createLeadRefresher(deps),
    teamHistory: createTeamHistoryReader(deps),
    identities: createIdentityChecker(deps),
    engine: createSyncEngine({ ...deps, loadConfig: async () => defaultConfig() }),
    importStep: () => importStep({ ...deps, config: async () => defaultConfig() }, 'salesforce'),
  };
}

async function expectNewestStoredAndConnected() {
  const stored = await connections.get('salesforce');
  expect(stored?.state).toBe('connected');
  expect(stored?.credentials).toMatchObject({ accessToken: sf.token, refreshToken: sf.refreshToken });
}

async function expectRead(id: string) {
  const lead = await cachedLead(db, leadKey(refOf(id)));
  expect(lead?.fetchError).toBeUndefined();
  expect(lead?.fetchedAt).toBeDefined();
}

describe('token refresh across module instances (finding 7)', () => {
  it('two callers hitting a 401 at once: one refresh, both succeed, the connection stays connected with the newest tokens', async () => {
    const id = await addShownLead({ LastName: 'Doe', Company: 'Initech' });
    const expired = sf.token;
    sf.expireAccessToken();
    const bg = background(barrierOn(expired, 2));
    await Promise.all([bg.leads.refresh(refOf(id), { force: true }), bg.teamHistory.read(refOf(id), { force: true })]);
    expect(tokenRequests()).toHaveLength(1);
    expect(tokenRequests()[0]!.status).toBe(200);
    await expectRead(id);
    await expectNewestStoredAndConnected();
  });

  it('five callers (lead reads, team history, a sync run, an import step) at once: one refresh, all succeed', async () => {
    const [a, b] = [await addShownLead({ LastName: 'A', Company: 'Initech' }), await addShownLead({ LastName: 'B', Company: 'Umbrella' })];
    await saveDecision(db, refOf(a), { outcome: 'accept', nextStepId: 'demo', nextStepOn: '2026-11-25' }, { dispositionId: 'd1' });
    const expired = sf.token;
    sf.expireAccessToken();
    const bg = background(barrierOn(expired, 5));
    const [, , , run, imported] = await Promise.all([
      bg.leads.refresh(refOf(a), { force: true }),
      bg.leads.refresh(refOf(b), { force: true }),
      bg.teamHistory.read(refOf(b), { force: true }),
      bg.engine.run(),
      bg.importStep(),
    ]);
    expect(tokenRequests()).toHaveLength(1);
    await expectRead(a);
    await expectRead(b);
    expect(run).toMatchObject({ synced: 1, failed: 0, retrying: 0 });
    expect(imported.problem).toBeUndefined();
    expect(sf.leads.get(a)?.Status).toBe(module.defaultMapping.status.accept);
    await expectNewestStoredAndConnected();
  });

  it('a stale caller whose refresh token another one rotated away picks up the stored tokens instead of expiring', async () => {
    const id = await addShownLead({ LastName: 'Doe', Company: 'Initech' });
    const expired = sf.token;
    sf.expireAccessToken();
    // The lead read is created with the old tokens, and held on the network until the identity check renewed them.
    let arrived!: () => void;
    const held = new Promise<void>((r) => (arrived = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const net: typeof fetch = async (input, init) => {
      if (new URL(String(input)).pathname.endsWith(`/sobjects/Lead/${id}`) && bearerOf(init) === expired) {
        arrived();
        await gate;
      }
      return realFetch(input, init);
    };
    const bg = background(net);
    const read = bg.leads.refresh(refOf(id), { force: true });
    await held;
    await bg.identities.check('salesforce', { force: true });
    expect(tokenRequests()).toHaveLength(1);
    expect((await connections.get('salesforce'))?.user?.id).toBe(sf.userId);
    release();
    await read;
    await expectRead(id);
    // The stale reader found the stored tokens: no second refresh with the rotated-away token.
    expect(tokenRequests()).toHaveLength(1);
    await expectNewestStoredAndConnected();
  });

  it('a genuinely revoked refresh token still marks the connection expired', async () => {
    const [a, b] = [await addShownLead({ LastName: 'A', Company: 'Initech' }), await addShownLead({ LastName: 'B', Company: 'Umbrella' })];
    const expired = sf.token;
    sf.expireAccessToken();
    sf.revokeRefreshToken();
    const bg = background(barrierOn(expired, 3));
    await Promise.all([bg.leads.refresh(refOf(a), { force: true }), bg.leads.refresh(refOf(b), { force: true }), bg.teamHistory.read(refOf(a), { force: true })]);
    expect((await connections.get('salesforce'))?.state).toBe('expired');
    expect((await cachedLead(db, leadKey(refOf(a))))?.fetchError).toMatch(/expired access\/refresh token/);
    expect(tokenRequests().every((c) => c.status === 400)).toBe(true);
  });
});

describe('credentialDeps: module instances sharing a connection', () => {
  /** A module instance as the background makes one: the connection as stored when it starts. */
  async function instance(net: typeof fetch = realFetch, connection?: Connection) {
    const c = connection ?? (await connections.get('salesforce'))!;
    return module.create(c, { fetch: net, now: Date.now, ...credentialDeps(connections, c) });
  }

  it.each([2, 5])('%i instances created with the same tokens, at a 401 at once: one refresh, all read', async (n) => {
    const ids = await Promise.all(Array.from({ length: n }, (_, i) => addShownLead({ LastName: `L${i}`, Company: 'Initech' })));
    const expired = sf.token;
    sf.expireAccessToken();
    const net = barrierOn(expired, n);
    const apis = await Promise.all(ids.map(() => instance(net)));
    const reads = await Promise.all(apis.map((api, i) => api.readLead(refOf(ids[i]!))));
    expect(reads.map((r) => r.profile.name)).toEqual(ids.map((_, i) => `L${i}`));
    expect(tokenRequests()).toHaveLength(1);
    await expectNewestStoredAndConnected();
  });

  it('a stale instance whose stored successor token expired too refreshes with the stored refresh token, once', async () => {
    const id = await addShownLead({ LastName: 'Doe', Company: 'Initech' });
    const stale = await instance();
    sf.expireAccessToken();
    await (await instance()).readLead(refOf(id)); // renews: rotates the stale instance's refresh token away
    sf.expireAccessToken(); // and the renewed access token expires as well
    expect((await stale.readLead(refOf(id))).profile.name).toBe('Doe');
    expect(tokenRequests().map((c) => c.status)).toEqual([200, 200]);
    await expectNewestStoredAndConnected();
  });

  it('a refresh refused because newer tokens were stored while it was on its way goes on with those', async () => {
    const id = await addShownLead({ LastName: 'Doe', Company: 'Initech' });
    const before = (await connections.get('salesforce'))!.credentials as Extract<Credentials, { kind: 'oauth' }>;
    sf.expireAccessToken();
    let raced = false;
    // Another renewal (another worker, a reconnect) with the same refresh token wins the race and is stored first.
    const net: typeof fetch = async (input, init) => {
      if (!raced && new URL(String(input)).pathname === TOKEN_PATH) {
        raced = true;
        const res = await realFetch(sf.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: before.refreshToken! }).toString() });
        const data = (await res.json()) as { access_token: string; refresh_token: string };
        expect(await connections.setCredentials('salesforce', { ...before, accessToken: data.access_token, refreshToken: data.refresh_token }, before)).toBe(true);
      }
      return realFetch(input, init);
    };
    expect((await (await instance(net)).readLead(refOf(id))).profile.name).toBe('Doe');
    // The module's own refresh was refused (its refresh token had been rotated away), not reported as expired.
    expect(tokenRequests().map((c) => c.status)).toEqual([200, 400]);
    await expectNewestStoredAndConnected();
  });

  it('a revoked refresh token with nothing newer stored is auth, and the flight is over for the next caller', async () => {
    const id = await addShownLead({ LastName: 'Doe', Company: 'Initech' });
    sf.expireAccessToken();
    sf.revokeRefreshToken();
    const expired = sf.token;
    const net = barrierOn(expired, 2);
    const results = await Promise.allSettled([(await instance(net)).readLead(refOf(id)), (await instance(net)).readLead(refOf(id))]);
    expect(results.map((r) => r.status === 'rejected' && (r.reason as { kind?: string }).kind)).toEqual(['auth', 'auth']);
    expect(tokenRequests()).toHaveLength(1);
    // Not stuck on the failed flight: a later caller asks again (and is refused again).
    await expect((await instance()).readLead(refOf(id))).rejects.toMatchObject({ kind: 'auth' });
    expect(tokenRequests()).toHaveLength(2);
  });

  it('a 401 with a token a refresh has just issued is the session\'s answer: auth after one refresh', async () => {
    const id = await addShownLead({ LastName: 'Doe', Company: 'Initech' });
    sf.inject({ match: { path: /\/sobjects\/Lead\// }, fault: { kind: 'status', status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] }, times: 5 });
    await expect((await instance()).readLead(refOf(id))).rejects.toMatchObject({ kind: 'auth', details: { status: 401 } });
    expect(tokenRequests()).toHaveLength(1);
  });

  it('connections with another API origin do not share a flight', async () => {
    const c = (await connections.get('salesforce'))!;
    const a = credentialDeps(connections, c);
    const b = credentialDeps(connections, { ...c, apiBase: 'https://other.my.salesforce.com' });
    let release!: () => void;
    const first = a.renewOnce(() => new Promise<Credentials>((r) => (release = () => r(c.credentials))));
    expect(a.renewOnce(async () => ({ kind: 'token', token: 'joined' }))).toBe(first);
    await expect(b.renewOnce(async () => ({ kind: 'token', token: 'own' }))).resolves.toEqual({ kind: 'token', token: 'own' });
    expect(await b.storedCredentials()).toBeUndefined();
    release();
    await expect(first).resolves.toEqual(c.credentials);
  });
});

describe('setCredentials: compare-and-set on the credentials a refresh started from', () => {
  it('stores over the ones it started from, never over newer ones; without `replacing`, as before', async () => {
    const c0 = (await connections.get('salesforce'))!.credentials as Extract<Credentials, { kind: 'oauth' }>;
    const c1 = { ...c0, accessToken: 'a1', refreshToken: 'r1' };
    const late = { ...c0, accessToken: 'a-late', refreshToken: 'r-late' };
    await connections.setState('salesforce', 'expired');
    expect(await connections.setCredentials('salesforce', c1, c0)).toBe(true);
    expect(await connections.get('salesforce')).toMatchObject({ credentials: c1, state: 'connected' });
    // An older refresh (from c0) finishing after c1 was stored: refused, c1 stays.
    await connections.setState('salesforce', 'expired');
    expect(await connections.setCredentials('salesforce', late, c0)).toBe(false);
    expect(await connections.get('salesforce')).toMatchObject({ credentials: c1, state: 'expired' });
    expect(await connections.setCredentials('salesforce', late)).toBe(true);
    expect(await connections.get('salesforce')).toMatchObject({ credentials: late, state: 'connected' });
    expect(await connections.setCredentials('nope', late)).toBe(false);
  });
});
