import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checksumOf, parseSoql, sfDateTime, startSalesforceStandIn, type SalesforceStandIn, type SalesforceStandInOptions } from './salesforce';

/**
 * The stand-in's own contract: the status codes, bodies and headers Salesforce documents, so that tests of
 * the real module against it mean something. Shapes are compared with the docs-based fixtures.
 */

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../src/crm/salesforce/fixtures/api/${name}`, import.meta.url), 'utf8')) as unknown;

/** Every key path of `shape` (arrays: their first element) is present in `value`. */
function keyPaths(shape: unknown, prefix = ''): string[] {
  if (Array.isArray(shape)) return shape.length ? keyPaths(shape[0], `${prefix}[]`) : [];
  if (typeof shape !== 'object' || shape === null) return [];
  return Object.entries(shape).flatMap(([k, v]) => [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)]);
}
const hasShapeOf = (value: unknown, shape: unknown) => {
  const have = new Set(keyPaths(value));
  expect(keyPaths(shape).filter((p) => !have.has(p))).toEqual([]);
};

const NOW = Date.parse('2026-11-20T12:00:00Z');
let clock = NOW;
let sf: SalesforceStandIn;
const DATA = '/services/data/v66.0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Salesforce's JSON, probed field by field in the assertions
type Json = any;

async function api(method: string, path: string, body?: unknown, opts: { token?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${sf.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${opts.token ?? sf.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined) as Json };
}

const query = (soql: string, headers?: Record<string, string>) => api('GET', `${DATA}/query?q=${encodeURIComponent(soql)}`, undefined, { headers });

async function token(form: Record<string, string>) {
  const res = await fetch(sf.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

async function restart(opts: SalesforceStandInOptions) {
  await sf.close();
  sf = await startSalesforceStandIn({ now: () => clock, ...opts });
}

beforeEach(async () => {
  clock = NOW;
  sf = await startSalesforceStandIn({ now: () => clock });
});
afterEach(() => sf.close());

describe('Salesforce stand-in: ids', () => {
  it('issues 18-character ids with valid checksums and the object’s key prefix', () => {
    const lead = sf.addLead();
    const task = sf.addTask({ Subject: 'Call', WhoId: lead });
    expect(lead).toMatch(/^00Q[A-Za-z0-9]{15}$/);
    expect(task).toMatch(/^00T[A-Za-z0-9]{15}$/);
    expect(lead.slice(15)).toBe(checksumOf(lead.slice(0, 15)));
    expect(sf.orgId).toMatch(/^00D/);
    expect(checksumOf('00Q5e00000AbCdE')).toBe('EAV'); // the same vector page.test.ts uses
  });
});

describe('Salesforce stand-in: auth and the API allocation', () => {
  it('answers 401 INVALID_SESSION_ID without a valid Bearer token, in Salesforce’s body', async () => {
    const none = await fetch(`${sf.url}${DATA}/`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as unknown;
    expect(body).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    hasShapeOf(body, fixture('error-401.json'));
    expect((await api('GET', `${DATA}/`, undefined, { token: 'nope' })).status).toBe(401);
    expect((await api('GET', `${DATA}/`)).status).toBe(200);
  });

  it('rotateToken invalidates the old token; expireAccessToken leaves only a refresh to recover', async () => {
    const old = sf.token;
    const fresh = sf.rotateToken();
    expect((await api('GET', `${DATA}/`, undefined, { token: old })).status).toBe(401);
    expect((await api('GET', `${DATA}/`, undefined, { token: fresh })).status).toBe(200);

    sf.expireAccessToken();
    expect((await api('GET', `${DATA}/`)).status).toBe(401);
    const renewed = await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: sf.refreshToken });
    expect(renewed.status).toBe(200);
    expect((await api('GET', `${DATA}/`, undefined, { token: renewed.body.access_token })).status).toBe(200);
  });

  it('reports the org’s usage in Sforce-Limit-Info on every data answer, and refuses past the allocation with 403 REQUEST_LIMIT_EXCEEDED', async () => {
    await restart({ dailyLimit: 3 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await api('GET', `${DATA}/`));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 403]);
    expect(answers.map((a) => a.headers.get('sforce-limit-info'))).toEqual(['api-usage=1/3', 'api-usage=2/3', 'api-usage=3/3', 'api-usage=3/3']);
    expect(answers[3]!.body).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    hasShapeOf(answers[3]!.body, fixture('error-403-request-limit.json'));
    // 401s and OAuth calls do not count, and OAuth answers carry no limit header.
    expect((await api('GET', `${DATA}/`, undefined, { token: 'bad' })).headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    const t = await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: sf.refreshToken });
    expect(t.headers.get('sforce-limit-info')).toBeNull();
    expect(sf.apiUsage).toEqual({ used: 3, max: 3 });
  });
});

describe('Salesforce stand-in: OAuth token endpoint and userinfo', () => {
  const redirectUri = 'https://abcdefghijklmnop.chromiumapp.org/';

  it('exchanges a code with the right PKCE verifier, once, in Salesforce’s token response shape', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(challengeOf(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'); // RFC 7636 appendix B
    const code = sf.issueAuthCode(challengeOf(verifier), { redirectUri });
    const form = { grant_type: 'authorization_code', code, client_id: sf.clientId, redirect_uri: redirectUri, code_verifier: verifier };
    const ok = await token(form);
    expect(ok.status).toBe(200);
    hasShapeOf(ok.body, fixture('token-authorization-code-200.json'));
    expect(ok.body).toMatchObject({ token_type: 'Bearer', instance_url: sf.url, id: `${sf.url}/id/${sf.orgId}/${sf.userId}`, refresh_token: sf.refreshToken, access_token: sf.token });
    expect((await api('GET', `${DATA}/`, undefined, { token: ok.body.access_token })).status).toBe(200);

    const again = await token(form);
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid authorization code' } });
  });

  it('refuses a wrong verifier, a missing verifier, another client, another redirect URI and an expired code', async () => {
    const challenge = challengeOf('the-right-verifier-0123456789-0123456789-abc');
    const base = { grant_type: 'authorization_code', client_id: sf.clientId, redirect_uri: redirectUri };
    expect((await token({ ...base, code: sf.issueAuthCode(challenge), code_verifier: 'a-wrong-verifier-0123456789-0123456789-abcde' })).body).toEqual({ error: 'invalid_request', error_description: 'invalid code verifier' });
    expect((await token({ ...base, code: sf.issueAuthCode(challenge) })).body.error).toBe('invalid_grant');
    expect((await token({ ...base, client_id: 'someone-else', code: sf.issueAuthCode(challenge), code_verifier: 'x' })).body.error).toBe('invalid_client_id');
    expect((await token({ ...base, code: sf.issueAuthCode(challenge, { redirectUri: 'https://elsewhere.example/' }), code_verifier: 'x' })).body.error).toBe('redirect_uri_mismatch');
    const stale = sf.issueAuthCode(challenge);
    clock += 16 * 60_000;
    expect((await token({ ...base, code: stale, code_verifier: 'the-right-verifier-0123456789-0123456789-abc' })).body.error).toBe('invalid_grant');
  });

  it('refreshes without a new refresh token by default; revoked refresh tokens get invalid_grant', async () => {
    const ok = await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: sf.refreshToken });
    expect(ok.status).toBe(200);
    hasShapeOf(ok.body, fixture('token-refresh-200.json'));
    expect(ok.body.refresh_token).toBeUndefined();

    sf.revokeRefreshToken();
    const refused = await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: sf.refreshToken });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
    hasShapeOf(refused.body, fixture('token-error-400.json'));
    expect((await token({ grant_type: 'password' })).body.error).toBe('unsupported_grant_type');
  });

  it('with refresh token rotation, each refresh retires the refresh token it used', async () => {
    await restart({ rotateRefreshTokens: true });
    const first = sf.refreshToken;
    const ok = await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: first });
    expect(ok.body.refresh_token).toBe(sf.refreshToken);
    expect(ok.body.refresh_token).not.toBe(first);
    expect((await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: first })).body.error).toBe('invalid_grant');
  });

  it('answers userinfo with the org id; a bad token gets the identity service’s plain-text 403', async () => {
    const ok = await api('GET', '/services/oauth2/userinfo');
    expect(ok.status).toBe(200);
    hasShapeOf(ok.body, fixture('userinfo-200.json'));
    expect(ok.body).toMatchObject({ organization_id: sf.orgId, user_id: sf.userId });
    const bad = await api('GET', '/services/oauth2/userinfo', undefined, { token: 'nope' });
    expect(bad).toMatchObject({ status: 403, text: 'Bad_OAuth_Token' });
  });
});

describe('Salesforce stand-in: users and their sessions', () => {
  it('answers userinfo and chatter/users/me for the token’s own user; their refresh keeps them that user', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza', Email: 'ana.souza@acme.example' });
    expect(ana).toMatch(/^005[A-Za-z0-9]{15}$/);
    const creds = sf.credentials(ana);
    expect(creds.accessToken).not.toBe(sf.token);
    expect(sf.credentials(ana)).toEqual(creds);
    const info = await api('GET', '/services/oauth2/userinfo', undefined, { token: creds.accessToken });
    expect(info.body).toMatchObject({ user_id: ana, name: 'Ana Souza', email: 'ana.souza@acme.example', preferred_username: 'ana.souza@acme.example', sub: `${sf.url}/id/${sf.orgId}/${ana}` });
    hasShapeOf(info.body, fixture('userinfo-200.json'));
    const me = await api('GET', `${DATA}/chatter/users/me`, undefined, { token: creds.accessToken });
    expect(me.body).toMatchObject({ id: ana, name: 'Ana Souza', email: 'ana.souza@acme.example', type: 'User' });
    hasShapeOf(me.body, fixture('chatter-users-me-200.json'));
    expect((await api('GET', `${DATA}/chatter/users/me`)).body).toMatchObject({ id: sf.userId, name: 'Riley Rep' });

    const renewed = await token({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: creds.refreshToken });
    expect(renewed.body.id).toBe(`${sf.url}/id/${sf.orgId}/${ana}`);
    expect((await api('GET', '/services/oauth2/userinfo', undefined, { token: renewed.body.access_token })).body.user_id).toBe(ana);
    expect(sf.credentials(ana).accessToken).toBe(renewed.body.access_token);
    expect(() => sf.credentials('005000000000000AAA')).toThrow();
  });

  it('signs in the user the authorization code was issued for', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza' });
    const verifier = 'v'.repeat(43);
    const code = sf.issueAuthCode(challengeOf(verifier), { userId: ana });
    const res = await token({ grant_type: 'authorization_code', code, client_id: sf.clientId, code_verifier: verifier });
    expect(res.body.id).toBe(`${sf.url}/id/${sf.orgId}/${ana}`);
    expect((await api('GET', '/services/oauth2/userinfo', undefined, { token: res.body.access_token })).body.name).toBe('Ana Souza');
  });

  it('sets CreatedById, LastModifiedById and a default OwnerId from the session, never from the body; OwnerId must be an active user', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza' });
    const gone = sf.addUser({ FirstName: 'Old', LastName: 'Rep', IsActive: false });
    const lead = sf.addLead();
    const asAna = { token: sf.credentials(ana).accessToken };
    const task = (extra: Record<string, unknown>) => ({ attributes: { type: 'Task' }, WhoId: lead, Subject: 'Call', ...extra });
    const created = await api('POST', `${DATA}/composite/sobjects`, { allOrNone: false, records: [task({}), task({ CreatedById: sf.userId }), task({ OwnerId: sf.userId }), task({ OwnerId: gone }), task({ OwnerId: lead })] }, asAna);
    expect(created.body.map((r: Json) => r.success)).toEqual([true, false, true, false, false]);
    expect(created.body[1].errors[0]).toMatchObject({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['CreatedById'] });
    expect(created.body[3].errors[0]).toMatchObject({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['OwnerId'] });
    expect(sf.tasks.map((t) => [t.CreatedById, t.LastModifiedById, t.OwnerId])).toEqual([
      [ana, ana, ana],
      [ana, ana, sf.userId],
    ]);
    clock = NOW + 60_000;
    await api('PATCH', `${DATA}/composite/sobjects`, { records: [{ attributes: { type: 'Task' }, id: sf.tasks[0]!.Id, Subject: 'Call back' }] });
    expect(sf.tasks[0]).toMatchObject({ CreatedById: ana, LastModifiedById: sf.userId, LastModifiedDate: sfDateTime(NOW + 60_000), CreatedDate: sfDateTime(NOW) });
    const q = await query(`SELECT Id, CreatedBy.Name, LastModifiedBy.Name, Owner.Name FROM Task WHERE CreatedById = '${ana}' ORDER BY CreatedDate`);
    expect(q.body.records[0]).toMatchObject({ CreatedBy: { attributes: { type: 'User' }, Name: 'Ana Souza' }, LastModifiedBy: { Name: 'Riley Rep' }, Owner: { Name: 'Ana Souza' } });
  });
});

describe('Salesforce stand-in: sObject Collections', () => {
  const lead = (id: string, fields: Record<string, unknown> = {}) => ({ attributes: { type: 'Lead' }, id, ...fields });

  it('updates with allOrNone:false: one SaveResult per record, in order; a deleted lead fails alone without an id', async () => {
    const [a, gone, b] = [sf.addLead(), sf.addLead(), sf.addLead()];
    sf.deleteLead(gone!);
    const res = await api('PATCH', `${DATA}/composite/sobjects`, { allOrNone: false, records: [lead(a!, { Status: 'Working - Contacted' }), lead(gone!, { Status: 'Working - Contacted' }), lead(b!, { Status: 'Closed - Not Converted' })] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: a, success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] },
      { id: b, success: true, errors: [] },
    ]);
    hasShapeOf(res.body, fixture('composite-update-200.json'));
    expect(sf.leads.get(a!)?.Status).toBe('Working - Contacted');
    expect(sf.leads.get(b!)?.Status).toBe('Closed - Not Converted');
    expect(sf.deletedLeads.get(gone!)?.Status).toBe('Open - Not Contacted');
  });

  it('enforces the restricted Status picklist, read-only fields, field lengths and validation rules per record', async () => {
    await restart({ leadStatuses: ['Nurture'], leadCustomFields: ['Disqualification_Reason__c'], validate: (type, r) => (type === 'Lead' && r.Status === 'Closed - Not Converted' && !r.Disqualification_Reason__c ? 'Give a disqualification reason.' : undefined) });
    const ids = [sf.addLead(), sf.addLead(), sf.addLead(), sf.addLead(), sf.addLead(), sf.addLead()];
    const res = await api('PATCH', `${DATA}/composite/sobjects`, {
      records: [
        lead(ids[0]!, { Status: 'Qualified' }),
        lead(ids[1]!, { Status: 'Nurture' }),
        lead(ids[2]!, { Name: 'Renamed' }),
        lead(ids[3]!, { Title: 'x'.repeat(129) }),
        lead(ids[4]!, { Status: 'Closed - Not Converted' }),
        lead(ids[5]!, { Status: 'Closed - Not Converted', Disqualification_Reason__c: 'No budget' }),
      ],
    });
    expect(res.body.map((r: Json) => r.success)).toEqual([false, true, false, false, false, true]);
    expect(res.body[0].errors).toEqual([{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'bad value for restricted picklist field: Qualified', fields: ['Status'] }]);
    expect(res.body[2].errors[0].statusCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    expect(res.body[3].errors[0]).toMatchObject({ statusCode: 'STRING_TOO_LONG', fields: ['Title'] });
    expect(res.body[4].errors).toEqual([{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Give a disqualification reason.', fields: [] }]);
    expect(sf.leads.get(ids[5]!)).toMatchObject({ Status: 'Closed - Not Converted', Disqualification_Reason__c: 'No budget' });
  });

  it('rolls everything back with allOrNone:true when one record fails', async () => {
    const [a, b] = [sf.addLead(), sf.addLead()];
    const res = await api('PATCH', `${DATA}/composite/sobjects`, { allOrNone: true, records: [lead(a!, { Status: 'Working - Contacted' }), lead(b!, { Status: 'Qualified' })] });
    expect(res.status).toBe(200);
    expect(res.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
    expect(res.body[1].errors[0].statusCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    hasShapeOf(res.body, fixture('composite-allornone-200.json'));
    expect(sf.leads.get(a!)?.Status).toBe('Open - Not Contacted');
  });

  it('refuses more than 200 records, unknown fields and a missing type for the whole request (400)', async () => {
    const id = sf.addLead();
    const tooMany = await api('PATCH', `${DATA}/composite/sobjects`, { records: Array.from({ length: 201 }, () => lead(id)) });
    expect(tooMany).toMatchObject({ status: 400, body: [{ errorCode: 'EXCEEDED_ID_LIMIT' }] });
    const unknown = await api('PATCH', `${DATA}/composite/sobjects`, { records: [lead(id, { Disqualification_Reason__c: 'x' })] });
    expect(unknown).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD', message: "No such column 'Disqualification_Reason__c' on sobject of type Lead" }] });
    hasShapeOf(unknown.body, fixture('error-400-invalid-field.json'));
    expect((await api('PATCH', `${DATA}/composite/sobjects`, { records: [{ id, Status: 'Working - Contacted' }] })).body[0].errorCode).toBe('INVALID_TYPE');
  });

  it('reports malformed and duplicate ids per record; 15-character ids are accepted', async () => {
    const id = sf.addLead();
    const res = await api('PATCH', `${DATA}/composite/sobjects`, { records: [lead('00Qnotanid'), lead(id.slice(0, 15), { Title: 'CTO' }), lead(id, { Title: 'CEO' })] });
    expect(res.body[0].errors[0]).toMatchObject({ statusCode: 'MALFORMED_ID', fields: ['Id'] });
    expect(res.body[1]).toEqual({ id, success: true, errors: [] });
    expect(res.body[2].errors[0].statusCode).toBe('DUPLICATE_VALUE');
    expect(sf.leads.get(id)?.Title).toBe('CTO');
  });

  it('creates tasks with Salesforce’s defaults; WhoId must be a live lead; Subject ≤255, Description ≤32,000', async () => {
    const [alive, gone] = [sf.addLead(), sf.addLead()];
    sf.deleteLead(gone!);
    const task = (fields: Record<string, unknown>) => ({ attributes: { type: 'Task' }, ...fields });
    const res = await api('POST', `${DATA}/composite/sobjects`, {
      allOrNone: false,
      records: [
        task({ WhoId: alive, Subject: 'Lead qualification: Accepted (lq01)', Description: 'd'.repeat(32_000), ActivityDate: '2026-11-20', Status: 'Completed', Priority: 'Normal' }),
        task({ WhoId: gone, Subject: 'x' }),
        task({ WhoId: '00Q5g0000000000', Subject: 'x' }),
        task({ WhoId: alive, Subject: 's'.repeat(256) }),
        task({ WhoId: alive, Description: 'd'.repeat(32_001) }),
        task({ id: alive, Subject: 'x' }),
      ],
    });
    expect(res.status).toBe(200);
    hasShapeOf(res.body, fixture('composite-create-200.json'));
    expect(res.body.map((r: Json) => r.success)).toEqual([true, false, false, false, false, false]);
    expect(res.body.slice(1).map((r: Json) => r.errors[0].statusCode)).toEqual(['ENTITY_IS_DELETED', 'INVALID_CROSS_REFERENCE_KEY', 'STRING_TOO_LONG', 'STRING_TOO_LONG', 'INVALID_FIELD']);
    expect(sf.tasks).toHaveLength(1);
    expect(sf.tasks[0]).toMatchObject({ Id: res.body[0].id, WhoId: alive, Status: 'Completed', IsClosed: true, TaskSubtype: 'Task', CreatedDate: sfDateTime(NOW), CompletedDateTime: sfDateTime(NOW), OwnerId: sf.userId });
  });
});

describe('Salesforce stand-in: consistency and per-record errors', () => {
  const task = (fields: Record<string, unknown>) => ({ attributes: { type: 'Task' }, ...fields });

  it('a SOQL query right after a create sees the task (SOQL reads the database); SOSL is not served', async () => {
    const id = sf.addLead();
    const created = await api('POST', `${DATA}/composite/sobjects`, { allOrNone: false, records: [task({ WhoId: id, Subject: 'Lead qualification: Accepted (lq0a1b)' })] });
    const found = await query("SELECT Id FROM Task WHERE Subject LIKE '%lq0a1b%'");
    expect(found.body).toMatchObject({ totalSize: 1, done: true, records: [{ Id: created.body[0].id }] });
    const search = await api('GET', `${DATA}/search?q=${encodeURIComponent('FIND {lq0a1b} IN ALL FIELDS RETURNING Task(Id)')}`);
    expect(search.status).toBe(404);
  });

  it('reports an injected per-record error (UNABLE_TO_LOCK_ROW) on that record only; the others are saved (allOrNone false)', async () => {
    await restart({ recordError: (type, r, op) => (type === 'Task' && op === 'create' && String(r.Subject).includes('locked') ? { statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' } : undefined) });
    const [c, d] = [sf.addLead(), sf.addLead()];
    const res = await api('POST', `${DATA}/composite/sobjects`, { allOrNone: false, records: [task({ WhoId: c, Subject: 'locked' }), task({ WhoId: d, Subject: 'fine' })] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] }, { id: expect.any(String), success: true, errors: [] }]);
    expect(sf.tasks.map((t) => t.Subject)).toEqual(['fine']);
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/\d+$/);
  });
});

describe('Salesforce stand-in: reading a lead', () => {
  it('returns every field with attributes, like Salesforce’s record example; ?fields= narrows it; deleted → 404 NOT_FOUND', async () => {
    const id = sf.addLead({ FirstName: 'Ada', LastName: 'Okafor', Company: 'Northwind Logistics', NumberOfEmployees: 850, CountryCode: 'DE' });
    const res = await api('GET', `${DATA}/sobjects/Lead/${id}`);
    expect(res.status).toBe(200);
    hasShapeOf(res.body, fixture('lead-read-200.json'));
    expect(res.body).toMatchObject({ attributes: { type: 'Lead', url: `${DATA}/sobjects/Lead/${id}` }, Id: id, Name: 'Ada Okafor', NumberOfEmployees: 850, Status: 'Open - Not Contacted', CreatedDate: sfDateTime(NOW) });
    const narrow = await api('GET', `${DATA}/sobjects/Lead/${id}?fields=Email,Company`);
    expect(Object.keys(narrow.body).sort()).toEqual(['Company', 'Email', 'attributes']);
    expect((await api('GET', `${DATA}/sobjects/Lead/${id.slice(0, 15)}`)).status).toBe(200);

    sf.deleteLead(id);
    const gone = await api('GET', `${DATA}/sobjects/Lead/${id}`);
    expect(gone).toMatchObject({ status: 404, body: [{ errorCode: 'NOT_FOUND' }] });
    hasShapeOf(gone.body, fixture('error-404.json'));
  });
});

describe('Salesforce stand-in: SOQL', () => {
  it('parses the subset honestly: escapes, LIKE wildcards, IN, AND/OR needing parentheses, ORDER BY, LIMIT', () => {
    expect(parseSoql("SELECT Id FROM Task WHERE Subject LIKE '%lq\\_1%' OR Subject LIKE 'It\\'s%' ORDER BY CreatedDate DESC, Id LIMIT 5")).toMatchObject({
      fields: ['Id'],
      object: 'Task',
      where: { kind: 'or' },
      orderBy: [{ field: 'CreatedDate', desc: true, nullsLast: true }, { field: 'Id', desc: false, nullsLast: false }],
      limit: 5,
    });
    expect(() => parseSoql("SELECT Id FROM Task WHERE Subject = 'a' AND Status = 'b' OR Type = 'c'")).toThrow();
    expect(() => parseSoql('SELECT Id FROM Task WHERE Subject = "double"')).toThrow();
    expect(() => parseSoql("SELECT Id FROM Task WHERE Subject = 'open")).toThrow();
    expect(() => parseSoql("SELECT Id FROM Task WHERE Subject LIKE 'bad \\q escape'")).toThrow();
    expect(parseSoql("SELECT Id FROM Task WHERE (Subject = 'a' AND Status = 'b') OR NOT Type IN ('c', 'd')").where).toMatchObject({ kind: 'or', parts: [{ kind: 'and' }, { kind: 'not' }] });
  });

  it('filters Subject with LIKE (case-insensitive; escaped % and _ are literal), by WhoId, ordered, limited', async () => {
    const [a, b] = [sf.addLead(), sf.addLead()];
    clock = NOW + 1000;
    const t1 = sf.addTask({ WhoId: a, Subject: 'Lead qualification: Accepted (lq_ab)' });
    clock = NOW + 2000;
    const t2 = sf.addTask({ WhoId: a, Subject: 'LEAD QUALIFICATION: Rejected (lqxab)' });
    clock = NOW + 3000;
    sf.addTask({ WhoId: b, Subject: 'Call back' });

    const like = await query("SELECT Id, Subject FROM Task WHERE Subject LIKE 'lead qualification%' ORDER BY CreatedDate DESC");
    expect(like.body).toMatchObject({ totalSize: 2, done: true, records: [{ Id: t2 }, { Id: t1 }] });
    expect(like.body.records[0]).toEqual({ attributes: { type: 'Task', url: `${DATA}/sobjects/Task/${t2}` }, Id: t2, Subject: 'LEAD QUALIFICATION: Rejected (lqxab)' });
    expect((await query("SELECT Id FROM Task WHERE Subject LIKE '%lq\\_ab%'")).body.records.map((r: Json) => r.Id)).toEqual([t1]);
    expect((await query("SELECT Id FROM Task WHERE Subject LIKE '%lq_ab%' ORDER BY CreatedDate")).body.records.map((r: Json) => r.Id)).toEqual([t1, t2]);
    expect((await query(`SELECT Id FROM Task WHERE WhoId = '${b!.slice(0, 15)}'`)).body.totalSize).toBe(1);
    expect((await query(`SELECT Id FROM Task WHERE WhoId IN ('${a}', '${b}') LIMIT 2`)).body.totalSize).toBe(2);
  });

  it('pages with nextRecordsUrl until done; an unknown locator is INVALID_QUERY_LOCATOR', async () => {
    await restart({ queryBatchMax: 2 });
    const lead = sf.addLead();
    for (let i = 0; i < 5; i++) sf.addTask({ WhoId: lead, Subject: `Task ${i}` });
    const first = await query('SELECT Id, WhoId, Subject, Description, CreatedDate, CreatedById, CreatedBy.Name, LastModifiedDate FROM Task ORDER BY Subject', { 'sforce-query-options': 'batchSize=200' });
    expect(first.body).toMatchObject({ totalSize: 5, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v66\.0\/query\/[A-Za-z0-9]+-2$/) });
    hasShapeOf(first.body, fixture('query-tasks-200.json'));
    const subjects = first.body.records.map((r: Json) => r.Subject);
    let next: string | undefined = first.body.nextRecordsUrl;
    while (next) {
      const more = await api('GET', next);
      subjects.push(...more.body.records.map((r: Json) => r.Subject));
      next = more.body.nextRecordsUrl;
      if (more.body.done) hasShapeOf(more.body, fixture('query-more-200.json'));
    }
    expect(subjects).toEqual(['Task 0', 'Task 1', 'Task 2', 'Task 3', 'Task 4']);
    expect((await api('GET', `${DATA}/query/01gNOPE-2`)).body).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });

  it('returns parent fields as nested records (CampaignMember → Campaign)', async () => {
    const lead = sf.addLead();
    sf.addCampaignMember(lead, { Name: 'Q4 Logistics Webinar', Type: 'Webinar' }, { Status: 'Attended', HasResponded: true, FirstRespondedDate: '2026-11-12' });
    const res = await query(`SELECT Id, Status, HasResponded, FirstRespondedDate, CreatedDate, Campaign.Name, Campaign.Type FROM CampaignMember WHERE LeadId = '${lead}'`);
    expect(res.body.records[0]).toMatchObject({ Status: 'Attended', HasResponded: true, Campaign: { attributes: { type: 'Campaign' }, Name: 'Q4 Logistics Webinar', Type: 'Webinar' } });
    hasShapeOf(res.body, fixture('query-campaign-members-200.json'));
  });

  it('answers a parent-to-child subquery (Lead → Tasks): null without children, else a nested query result, filtered and ordered', async () => {
    const [a, b] = [sf.addLead({ Status: 'Working - Contacted' }), sf.addLead()];
    clock = NOW + 2000;
    const later = sf.addTask({ WhoId: a, Subject: 'Lead qualification: Rejected (lq2)', Description: 'lqblock 2' });
    clock = NOW + 1000;
    const earlier = sf.addTask({ WhoId: a, Subject: 'Lead qualification: Accepted (lq1)', Description: 'lqblock 1' });
    sf.addTask({ WhoId: a, Subject: 'Call' });
    const soql = (id: string) =>
      `SELECT Id, Status, (SELECT Id, WhoId, Subject, Description, CreatedDate, CreatedById, CreatedBy.Name, LastModifiedDate FROM Tasks WHERE Subject LIKE 'Lead qualification%lq%' ORDER BY CreatedDate ASC, Id ASC) FROM Lead WHERE Id = '${id}'`;
    const res = await query(soql(a));
    expect(res.body).toMatchObject({ totalSize: 1, done: true, records: [{ Id: a, Status: 'Working - Contacted', Tasks: { totalSize: 2, done: true, records: [{ Id: earlier }, { Id: later }] } }] });
    hasShapeOf(res.body, fixture('query-lead-history-200.json'));
    expect((await query(soql(b))).body.records[0].Tasks).toBeNull();
    expect(parseSoql(soql(a))).toMatchObject({ fields: ['Id', 'Status'], subqueries: [{ object: 'Tasks', orderBy: [{ field: 'CreatedDate' }, { field: 'Id' }] }], object: 'Lead' });
  });

  it('pages a subquery’s children with their own nextRecordsUrl', async () => {
    await restart({ queryBatchMax: 2 });
    const lead = sf.addLead();
    const ids = [0, 1, 2].map((i) => ((clock = NOW + i * 1000), sf.addTask({ WhoId: lead, Subject: `Task ${i}` })));
    const res = await query(`SELECT Id, (SELECT Id FROM Tasks ORDER BY CreatedDate) FROM Lead WHERE Id = '${lead}'`);
    const tasks = res.body.records[0].Tasks;
    expect(tasks).toMatchObject({ totalSize: 3, done: false, nextRecordsUrl: expect.stringMatching(/^\/services\/data\/v66\.0\/query\/[A-Za-z0-9]+-2$/) });
    const more = await api('GET', tasks.nextRecordsUrl);
    expect(more.body).toMatchObject({ totalSize: 3, done: true });
    expect([...tasks.records, ...more.body.records].map((r: Json) => r.Id)).toEqual(ids);
  });

  it('compares dateTime fields with unquoted dateTime literals (Z or an offset); refuses quotes and the wrong kind of literal', async () => {
    const lead = sf.addLead();
    const ids = [0, 1, 2].map((i) => ((clock = NOW + i * 60_000), sf.addTask({ WhoId: lead, Subject: `Task ${i}` })));
    const found = async (where: string) => (await query(`SELECT Id FROM Task WHERE ${where} ORDER BY CreatedDate`)).body;
    expect((await found('LastModifiedDate >= 2026-11-20T12:01:00Z')).records.map((r: Json) => r.Id)).toEqual(ids.slice(1));
    expect((await found('CreatedDate < 2026-11-20T13:01:00+01:00')).records.map((r: Json) => r.Id)).toEqual(ids.slice(0, 1));
    expect((await found("LastModifiedDate >= '2026-11-20T12:01:00Z'"))[0]).toEqual({ errorCode: 'INVALID_FIELD', message: "value of filter criterion for field 'LastModifiedDate' must be of type dateTime and should not be enclosed in quotes" });
    expect((await found('LastModifiedDate >= 2026-11-20'))[0].errorCode).toBe('INVALID_FIELD');
    expect((await found('Subject = 2026-11-20T12:01:00Z'))[0].errorCode).toBe('INVALID_FIELD');
    expect((await found('ActivityDate = 2026-11-20T12:01:00Z'))[0].errorCode).toBe('INVALID_FIELD');
    expect((await found('ActivityDate = 2026-11-20')).records).toEqual([]);
  });

  it('refuses what Salesforce refuses: filtering or sorting a long text area, unknown fields and objects, bad syntax', async () => {
    expect((await query("SELECT Id FROM Task WHERE Description LIKE '%lqblock%'")).body).toEqual([{ message: "field 'Description' can not be filtered in a query call", errorCode: 'INVALID_FIELD' }]);
    sf.addTask({ Subject: 'x' });
    expect((await query("SELECT Id FROM Task WHERE Subject = 'x' OR (NOT Description LIKE '%lqblock%')")).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await query('SELECT Id FROM Task ORDER BY Description')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await query('SELECT Nope FROM Task')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await query('SELECT Id FROM Nope__c')).body[0].errorCode).toBe('INVALID_TYPE');
    const bad = await query("SELECT Id FROM Task WHERE Subject LIKE 'Lead%");
    expect(bad).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });
    hasShapeOf(bad.body, fixture('error-400-malformed-query.json'));
    // Subqueries: only the object's child relationships, and their own fields' rules.
    expect((await query('SELECT Id, (SELECT Id FROM Contacts) FROM Lead')).body[0].errorCode).toBe('INVALID_TYPE');
    expect((await query('SELECT Id, (SELECT Id FROM Task) FROM Lead')).body[0].errorCode).toBe('INVALID_TYPE');
    expect((await query("SELECT Id, (SELECT Id FROM Tasks WHERE Description LIKE '%lqblock%') FROM Lead")).body[0]).toEqual({ message: "field 'Description' can not be filtered in a query call", errorCode: 'INVALID_FIELD' });
    expect((await query('SELECT Id, (SELECT Nope FROM Tasks) FROM Lead')).body[0].errorCode).toBe('INVALID_FIELD');
    expect((await query('SELECT Id, (SELECT Id FROM Tasks FROM Lead')).body[0].errorCode).toBe('MALFORMED_QUERY');
  });
});

describe('Salesforce stand-in: faults', () => {
  it('answers an injected status without applying; applyThenStatus applies and then answers 500', async () => {
    const id = sf.addLead();
    const body = { records: [{ attributes: { type: 'Lead' }, id, Status: 'Working - Contacted' }] };
    sf.inject({ match: { method: 'PATCH' }, fault: { kind: 'status', status: 503 } });
    const refused = await api('PATCH', `${DATA}/composite/sobjects`, body);
    expect(refused).toMatchObject({ status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE' }] });
    expect(sf.leads.get(id)?.Status).toBe('Open - Not Contacted');

    sf.inject({ match: { path: /composite/ }, fault: { kind: 'applyThenStatus', status: 500 } });
    const applied = await api('PATCH', `${DATA}/composite/sobjects`, body);
    expect(applied).toMatchObject({ status: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION' }] });
    expect(sf.leads.get(id)?.Status).toBe('Working - Contacted');
    expect(sf.calls.map((c) => c.status)).toEqual([503, 500]);
  });

  it('drops connections before or after applying; injected faults count down', async () => {
    const id = sf.addLead();
    const body = { records: [{ attributes: { type: 'Lead' }, id, Title: 'CTO' }] };
    sf.inject({ fault: { kind: 'drop' }, times: 1 });
    await expect(api('PATCH', `${DATA}/composite/sobjects`, body)).rejects.toThrow();
    expect(sf.leads.get(id)?.Title).toBeUndefined();
    sf.inject({ fault: { kind: 'applyThenDrop' } });
    await expect(api('PATCH', `${DATA}/composite/sobjects`, body)).rejects.toThrow();
    expect(sf.leads.get(id)?.Title).toBe('CTO');
    expect((await api('GET', `${DATA}/`)).status).toBe(200);
    expect(sf.calls.map((c) => c.status)).toEqual([0, 0, 200]);
  });
});
