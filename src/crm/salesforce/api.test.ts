import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSalesforceStandIn, type SalesforceStandIn, type SalesforceStandInOptions } from '../../../test/stand-ins/salesforce';
import { leadProfileSchema } from '../../domain/lead';
import { NOTE_MARKER, parseDispositionNote } from '../../domain/note-format';
import { type Connection, type Credentials, type Mapping, type WriteBack } from '../api';
import { crmError } from '../../../test/support/crm-error';
import salesforceApi, { createSalesforceApi, soqlContains, soqlString, type SalesforceApi, type SalesforceApiOptions } from './api';
import { parseLimitInfo } from './http';
import { profileOf } from './profile';
import { TASK_DESCRIPTION_MAX, TASK_SUBJECT_PREFIX, taskDescription, taskSubject } from './task-text';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DATA = '/services/data/v66.0';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/api/${name}`, import.meta.url), 'utf8')) as unknown;

let sf: SalesforceStandIn;
let requests: string[];
let inits: RequestInit[];
let stored: Credentials[];
const realFetch = globalThis.fetch;

/** The real module, talking to the stand-in through a counting fetch. */
function apiFor(over: { mapping?: Partial<Mapping>; credentials?: Credentials; account?: string } = {}, options: SalesforceApiOptions = {}): SalesforceApi {
  const connection: Connection = {
    crm: 'salesforce',
    apiBase: sf.url,
    account: over.account ?? sf.orgId,
    label: `Salesforce org ${sf.orgId}`,
    credentials: over.credentials ?? sf.credentials(),
    mapping: { ...salesforceApi.defaultMapping, ...over.mapping },
    connectedAt: new Date(NOW).toISOString(),
    state: 'connected',
  };
  const counting: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    inits.push(init ?? {});
    return realFetch(input, init);
  };
  return createSalesforceApi(connection, { fetch: counting, now: () => NOW, onCredentials: (c) => void stored.push(c) }, options);
}

async function restart(opts: SalesforceStandInOptions) {
  await sf.close();
  sf = await startSalesforceStandIn({ now: () => NOW, ...opts });
}

beforeEach(async () => {
  sf = await startSalesforceStandIn({ now: () => NOW });
  requests = [];
  inits = [];
  stored = [];
});
afterEach(() => sf.close());

const keyOf = (i: number) => `lq${(0x5f3a0000 + i).toString(16).padStart(32, '0')}`;

/** A structured block as `src/domain/note-format.ts` writes it, valid for `parseDispositionNote`. */
function block(key: string, recordId: string, note = 'Budget confirmed by the CFO.') {
  const json = JSON.stringify({
    v: 1, key, dispositionId: `d-${key}`, rev: 1, hash: key.slice(2), prevHash: null, crm: 'salesforce', recordId, outcome: 'accept',
    note, score: 72, fit: 40, engagement: 32, recommendation: 'sql', frameworkId: 'bant', criteria: [], author: { id: 'u1', name: 'Rep' }, at: '2026-11-20T11:58:00Z',
  });
  return `--- ${NOTE_MARKER} v1 (machine-readable: do not edit) ---\n${json}\n--- end ${NOTE_MARKER} ---`;
}

function writeBack(recordId: string, i: number, over: Partial<Omit<WriteBack, 'note' | 'ref'>> & { objectType?: string; human?: string; account?: string } = {}): WriteBack {
  const key = keyOf(i);
  const { objectType = 'Lead', human, account = 'acme.lightning.force.com', ...rest } = over;
  return {
    key,
    ref: { crm: 'salesforce', recordId, objectType, url: `https://acme.lightning.force.com/lightning/r/Lead/${recordId}/view`, host: 'acme.lightning.force.com', account },
    status: 'Working - Contacted',
    note: {
      subject: `Lead qualification: Accepted as SQL (${key})`,
      body: `Lead qualification: Accepted as SQL\nNext step: Demo on 2026-11-24\n${human ?? 'Note: Budget confirmed by the CFO.'}\n\n${block(key, recordId)}`,
      at: '2026-11-20T11:58:00Z',
      author: 'Rep',
    },
    ...rest,
  };
}


/** A fetch answering from a table of canned responses (for Salesforce bodies the stand-in does not make). */
function cannedFetch(answer: (method: string, path: string) => { status: number; body: unknown; headers?: Record<string, string> }): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    const { status, body, headers } = answer(init?.method ?? 'GET', url.pathname);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
  };
}

function cannedApi(fetchImpl: typeof fetch, apiBase = 'https://acme.my.salesforce.com'): SalesforceApi {
  const connection: Connection = {
    crm: 'salesforce',
    apiBase,
    account: '00D5g000004AbCdEAK',
    label: '',
    credentials: { kind: 'oauth', accessToken: 'a', refreshToken: 'r', tokenUrl: 'https://login.salesforce.com/services/oauth2/token', clientId: 'c' },
    mapping: salesforceApi.defaultMapping,
    connectedAt: '',
    state: 'connected',
  };
  return createSalesforceApi(connection, { fetch: fetchImpl, now: () => NOW });
}

describe('Salesforce module', () => {
  it('describes itself: id, label, default Lead Status mapping, rate limit, hosts, OAuth sign-in, 200 per batch', () => {
    expect(salesforceApi).toMatchObject({ id: 'salesforce', label: 'Salesforce', connectWith: 'oauth', rateLimit: { requests: 25, perMs: 1_000 }, noteMaxChars: 32_000 });
    expect(salesforceApi.defaultMapping).toEqual({ statusField: 'Status', status: { accept: 'Working - Contacted', reject: 'Closed - Not Converted', recycle: 'Open - Not Contacted' }, reasonField: '', reasons: {} });
    expect(salesforceApi.hostPermissions('https://acme.my.salesforce.com/')).toEqual(['https://acme.my.salesforce.com/*', 'https://login.salesforce.com/*', 'https://test.salesforce.com/*']);
    expect(typeof salesforceApi.signIn).toBe('function');
    expect(apiFor().maxBatch).toBe(200);
  });

  it('only uses the fetch it is given, never sends cookies, and bounds every request with a timeout', async () => {
    const spy = vi.spyOn(globalThis, 'fetch');
    const id = sf.addLead();
    await apiFor().push([writeBack(id, 1)], new Set());
    expect(spy).not.toHaveBeenCalled();
    expect(inits.length).toBeGreaterThan(0);
    for (const init of inits) {
      expect(init.credentials).toBe('omit');
      expect(init.signal).toBeInstanceOf(AbortSignal);
      expect(new Headers(init.headers).get('authorization')).toBe(`Bearer ${sf.token}`);
    }
  });
});

describe('push: batching', () => {
  it('refuses more than 200 write-backs without calling Salesforce', async () => {
    const id = sf.addLead();
    const e = await crmError(apiFor().push(Array.from({ length: 201 }, (_, i) => writeBack(id, i)), new Set()));
    expect(e).toMatchObject({ kind: 'permanent', details: { code: 'BATCH_TOO_LARGE' } });
    expect(requests).toEqual([]);
  });

  it('delivers 200 write-backs with exactly one PATCH and one POST of sObject Collections', async () => {
    const ids = Array.from({ length: 200 }, () => sf.addLead());
    const statuses = ['Working - Contacted', 'Closed - Not Converted', 'Open - Not Contacted'];
    const items = ids.map((id, i) => writeBack(id, i, { status: statuses[i % 3]! }));
    const results = await apiFor().push(items, new Set());

    expect(requests).toEqual([`PATCH ${DATA}/composite/sobjects`, `POST ${DATA}/composite/sobjects`]);
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.ok)).toBe(true);
    ids.forEach((id, i) => expect(sf.leads.get(id)?.Status).toBe(statuses[i % 3]));
    expect(sf.tasks).toHaveLength(200);
    for (const [i, r] of results.entries()) {
      const task = sf.tasks.find((t) => r.ok && t.Id === r.noteId)!;
      expect(task).toMatchObject({ WhoId: ids[i], Subject: items[i]!.note.subject, Status: 'Completed', Priority: 'Normal', ActivityDate: '2026-11-20' });
      expect(task.Description).toBe(items[i]!.note.body);
    }
  });

  it('a note-only write-back (a manager’s review) adds the task and leaves the lead alone', async () => {
    const id = sf.addLead({ Status: 'Closed - Not Converted' });
    const results = await apiFor().push([{ ...writeBack(id, 1), status: undefined }], new Set());
    expect(results).toMatchObject([{ ok: true }]);
    expect(requests).toEqual([`POST ${DATA}/composite/sobjects`]);
    expect(sf.leads.get(id)?.Status).toBe('Closed - Not Converted');
    expect(sf.tasks).toHaveLength(1);
  });

  it('sends one record per lead: two decisions on one lead → the later status, two tasks', async () => {
    const id = sf.addLead();
    const results = await apiFor().push([writeBack(id, 1, { status: 'Open - Not Contacted' }), writeBack(id, 2, { status: 'Closed - Not Converted' })], new Set());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sf.leads.get(id)?.Status).toBe('Closed - Not Converted');
    expect(sf.tasks.map((t) => t.Subject)).toEqual([`Lead qualification: Accepted as SQL (${keyOf(1)})`, `Lead qualification: Accepted as SQL (${keyOf(2)})`]);
  });

  it('sets the reason field when the mapping has one: a value sets it, "" clears it, undefined leaves it', async () => {
    await restart({ leadCustomFields: ['Disqualification_Reason__c'] });
    const [a, b, c] = [sf.addLead({ Disqualification_Reason__c: 'old' }), sf.addLead({ Disqualification_Reason__c: 'old' }), sf.addLead({ Disqualification_Reason__c: 'old' })];
    const api = apiFor({ mapping: { reasonField: 'Disqualification_Reason__c' }, credentials: sf.credentials() });
    const results = await api.push([writeBack(a, 1, { status: 'Closed - Not Converted', reason: 'No budget' }), writeBack(b, 2, { status: 'Closed - Not Converted', reason: '' }), writeBack(c, 3)], new Set());
    expect(results.every((r) => r.ok)).toBe(true);
    expect([a, b, c].map((id) => sf.leads.get(id)?.Disqualification_Reason__c)).toEqual(['No budget', null, 'old']);
  });
});

describe('push: per-item outcomes', () => {
  it('a deleted lead fails alone, permanently, in Salesforce’s words, and gets no task', async () => {
    const [alive, gone] = [sf.addLead(), sf.addLead()];
    sf.deleteLead(gone);
    const results = await apiFor().push([writeBack(alive, 1), writeBack(gone, 2)], new Set());
    expect(results[0]).toMatchObject({ key: keyOf(1), ok: true });
    expect(results[1]).toMatchObject({ key: keyOf(2), ok: false, permanent: true, status: 200, message: expect.stringMatching(/deleted in Salesforce: entity is deleted \(ENTITY_IS_DELETED\)/) });
    expect(sf.tasks.map((t) => t.WhoId)).toEqual([alive]);
  });

  it('a status the restricted picklist does not have, or a validation rule, fails that item only', async () => {
    await restart({ validate: (type, r) => (type === 'Lead' && r.Status === 'Closed - Not Converted' && r.Company === 'Globex' ? 'Closing Globex leads needs a manager.' : undefined) });
    const [a, b, c] = [sf.addLead(), sf.addLead({ Company: 'Globex' }), sf.addLead()];
    const results = await apiFor({ credentials: sf.credentials() }).push([writeBack(a, 1, { status: 'Qualified' }), writeBack(b, 2, { status: 'Closed - Not Converted' }), writeBack(c, 3)], new Set());
    expect(results[0]).toMatchObject({ ok: false, permanent: true, message: expect.stringContaining('bad value for restricted picklist field: Qualified (INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST)') });
    expect(results[1]).toMatchObject({ ok: false, permanent: true, message: expect.stringContaining('Closing Globex leads needs a manager. (FIELD_CUSTOM_VALIDATION_EXCEPTION)') });
    expect(results[2]).toMatchObject({ ok: true });
    expect(sf.tasks.map((t) => t.WhoId)).toEqual([c]);
  });

  it('refuses what is not a Salesforce lead of this org without calling Salesforce', async () => {
    const fetchSpy = vi.fn(realFetch);
    const api = cannedApi(fetchSpy);
    const results = await api.push(
      [
        writeBack('0035g00000AbCdEAAB', 1, { objectType: 'Contact' }),
        writeBack('not-an-id', 2),
        writeBack('00Q5g00000Lq7aBEAR', 3, { account: 'globex.lightning.force.com' }),
      ],
      new Set(),
    );
    expect(results.map((r) => !r.ok && r.permanent)).toEqual([true, true, true]);
    expect(results[2]).toMatchObject({ message: expect.stringContaining('globex.lightning.force.com') });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('matches SaveResults to records by position and retries lock errors (canned Salesforce bodies)', async () => {
    const update = fixture('composite-update-200.json') as unknown[];
    const create = fixture('composite-create-200.json') as unknown[];
    const locked = { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] };
    const api = cannedApi(
      cannedFetch((method) => (method === 'PATCH' ? { status: 200, body: [...update, locked, { id: '00Q5g00000Lq7aCEAR', success: true, errors: [] }] } : { status: 200, body: create })),
    );
    const results = await api.push([writeBack('00Q5g00000Lq7aBEAR', 1), writeBack('00Q5g00000Lq7aCEAR', 2), writeBack('00Q5g00000Lq7aDEAR', 3), writeBack('00Q5g00000Lq7aEEAR', 4)], new Set());
    expect(results[0]).toEqual({ key: keyOf(1), ok: true, noteId: '00T5g00000Xy3kLEAR' });
    expect(results[1]).toMatchObject({ ok: false, permanent: true, message: expect.stringContaining('entity is deleted') });
    expect(results[2]).toMatchObject({ ok: false, permanent: false, message: expect.stringContaining('UNABLE_TO_LOCK_ROW') });
    expect(results[3]).toMatchObject({ ok: false, permanent: true, message: expect.stringMatching(/^The status was updated, but Salesforce did not create the task: Tasks on closed leads need a due date\./) });
  });
});

describe('push: idempotency', () => {
  it('a task POST answered 500 after it was applied, the statuses having landed → per-item transient with statusApplied; the unsure retry finds the tasks and creates none', async () => {
    const ids = [sf.addLead(), sf.addLead()];
    const items = ids.map((id, i) => writeBack(id, i));
    sf.inject({ match: { method: 'POST', path: /composite\/sobjects/ }, fault: { kind: 'applyThenStatus', status: 500 } });
    const first = await apiFor().push(items, new Set());
    expect(first).toEqual(items.map((i) => ({ key: i.key, ok: false, permanent: false, status: 500, statusApplied: true, message: expect.stringMatching(/^The status was updated, but the task was not created: .*UNKNOWN_EXCEPTION/) })));
    expect(sf.tasks).toHaveLength(2);

    requests = [];
    const results = await apiFor().push(items, new Set(items.map((i) => i.key)));
    expect(requests).toEqual([`PATCH ${DATA}/composite/sobjects`, `GET ${DATA}/query`]);
    expect(results).toEqual(items.map((item) => ({ key: item.key, ok: true, noteId: sf.tasks.find((t) => String(t.Subject).includes(item.key))!.Id })));
    expect(sf.tasks).toHaveLength(2);
  });

  it('a lost answer after the tasks were created: the retry (status written once, keys unsure) finds them through SOQL, touches no lead and creates nothing', async () => {
    const ids = [sf.addLead(), sf.addLead()];
    const items = ids.map((id, i) => writeBack(id, i, { status: 'Closed - Not Converted' }));
    sf.inject({ match: { method: 'POST', path: /composite\/sobjects/ }, fault: { kind: 'applyThenDrop' } });
    const first = await apiFor().push(items, new Set());
    expect(first.map((r) => !r.ok && { permanent: r.permanent, statusApplied: r.statusApplied })).toEqual([{ permanent: false, statusApplied: true }, { permanent: false, statusApplied: true }]);
    expect(sf.tasks).toHaveLength(2);

    // A rep changes the lead meanwhile: the retry sends the task alone and must not write the status again.
    sf.leads.get(ids[0]!)!.Status = 'Working - Contacted';
    requests = [];
    const results = await apiFor().push(items.map((i) => ({ ...i, status: undefined })), new Set(items.map((i) => i.key)));
    expect(requests).toEqual([`GET ${DATA}/query`]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sf.tasks).toHaveLength(2);
    expect(sf.leads.get(ids[0]!)?.Status).toBe('Working - Contacted');
  });

  it('the look-up fails after the statuses landed → the unsure items fail transiently with statusApplied and get no task; sure items still get theirs', async () => {
    const [a, b] = [sf.addLead(), sf.addLead()];
    const items = [writeBack(a, 1), writeBack(b, 2)];
    for (const fault of [{ kind: 'status', status: 503 }, { kind: 'drop' }, { kind: 'status', status: 400, body: fixture('error-400-malformed-query.json') }] as const) {
      sf.tasks.length = 0;
      sf.inject({ match: { method: 'GET', path: /\/query/ }, fault });
      const results = await apiFor().push(items, new Set([items[0]!.key]));
      expect(results[0]).toMatchObject({ key: items[0]!.key, ok: false, permanent: false, statusApplied: true, message: expect.stringMatching(/^Salesforce could not be asked whether an earlier attempt already created the task/) });
      expect(results[1]).toMatchObject({ key: items[1]!.key, ok: true });
      expect(sf.tasks.map((t) => t.WhoId)).toEqual([b]);
    }
  });

  it('the look-up fails before anything landed → a whole-call error the loop keeps unsure (or, refused outright, a per-item transient failure); nothing is created', async () => {
    const id = sf.addLead();
    const item = { ...writeBack(id, 1), status: undefined };
    sf.inject({ match: { method: 'GET', path: /\/query/ }, fault: { kind: 'status', status: 503 } });
    expect(await crmError(apiFor().push([item], new Set([item.key])))).toMatchObject({ kind: 'transient', details: { status: 503 } });
    sf.inject({ match: { method: 'GET', path: /\/query/ }, fault: { kind: 'status', status: 400, body: fixture('error-400-malformed-query.json') } });
    expect(await apiFor().push([item], new Set([item.key]))).toEqual([{ key: item.key, ok: false, permanent: false, status: 400, message: expect.stringContaining('MALFORMED_QUERY') }]);
    expect(requests.filter((r) => r.startsWith('POST'))).toEqual([]);
    expect(sf.tasks).toHaveLength(0);
  });

  it('a task Salesforce refuses or cannot lock after the status landed is reported with statusApplied', async () => {
    await restart({ recordError: (type, r) => (type === 'Task' && String(r.WhoId) === locked ? { statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' } : undefined) });
    const locked = sf.addLead();
    const fine = sf.addLead();
    const results = await apiFor({ credentials: sf.credentials() }).push([writeBack(locked, 1), writeBack(fine, 2), { ...writeBack(locked, 3), status: undefined }], new Set());
    expect(results[0]).toMatchObject({ ok: false, permanent: false, statusApplied: true, message: expect.stringContaining('UNABLE_TO_LOCK_ROW') });
    expect(results[1]).toMatchObject({ ok: true });
    // No status was sent for the note-only item: nothing to report as applied.
    expect(results[2]).toMatchObject({ ok: false, permanent: false, message: expect.stringMatching(/^Salesforce did not create the task: /) });
    expect(results[2]).not.toHaveProperty('statusApplied');
    expect(sf.leads.get(locked)?.Status).toBe('Working - Contacted');

    sf.inject({ match: { method: 'POST', path: /composite\/sobjects/ }, fault: { kind: 'status', status: 400, body: fixture('error-400-invalid-field.json') } });
    const refused = await apiFor({ credentials: sf.credentials() }).push([writeBack(fine, 4)], new Set());
    expect(refused).toEqual([{ key: keyOf(4), ok: false, permanent: true, status: 400, statusApplied: true, message: expect.stringContaining('INVALID_FIELD') }]);
  });

  it('a status update that fails gets no task and no statusApplied; a whole-call failure of the update is thrown as before', async () => {
    const [a, gone] = [sf.addLead(), sf.addLead()];
    sf.deleteLead(gone);
    const results = await apiFor().push([writeBack(a, 1), writeBack(gone, 2)], new Set([keyOf(2)]));
    expect(results[1]).toMatchObject({ ok: false, permanent: true });
    expect(results[1]).not.toHaveProperty('statusApplied');
    sf.inject({ match: { method: 'PATCH' }, fault: { kind: 'applyThenDrop' } });
    expect(await crmError(apiFor().push([writeBack(a, 3)], new Set()))).toMatchObject({ kind: 'transient', details: { mayHaveApplied: true } });
  });

  it('unsure keys without a task get one; the search escapes and chunks the SOQL to stay under 2,000-character URLs', async () => {
    const ids = Array.from({ length: 120 }, () => sf.addLead());
    const items = ids.map((id, i) => writeBack(id, i));
    const api = apiFor();
    await api.push(items.slice(0, 60), new Set());
    requests = [];
    inits = [];
    const queries: string[] = [];
    const seeing: typeof fetch = (input, init) => {
      queries.push(String(input));
      return realFetch(input, init);
    };
    const results = await createSalesforceApi({ crm: 'salesforce', apiBase: sf.url, label: '', credentials: sf.credentials(), mapping: salesforceApi.defaultMapping, connectedAt: '', state: 'connected' }, { fetch: seeing, now: () => NOW }).push(items, new Set(items.map((i) => i.key)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sf.tasks).toHaveLength(120);
    const searches = queries.filter((q) => q.includes('/query?q='));
    expect(searches.length).toBeGreaterThan(1);
    for (const q of searches) expect(q.length).toBeLessThanOrEqual(2_000);
    expect(decodeURIComponent(searches[0]!)).toContain(`Subject LIKE '%${keyOf(0)}%'`);
  });

  it('writes SOQL strings with backslash escapes, and LIKE patterns with their wildcards escaped', () => {
    expect(soqlString("O'Brien \\ co")).toBe("'O\\'Brien \\\\ co'");
    expect(soqlContains('50%_off')).toBe("'%50\\%\\_off%'");
  });
});

describe('push: whole-call failures', () => {
  it('an expired access token is renewed once with the refresh token, stored, and the call retried', async () => {
    const ids = [sf.addLead(), sf.addLead()];
    sf.expireAccessToken();
    const api = apiFor();
    const results = await api.push(ids.map((id, i) => writeBack(id, i)), new Set());
    expect(results.every((r) => r.ok)).toBe(true);
    expect(requests).toEqual([`PATCH ${DATA}/composite/sobjects`, 'POST /services/oauth2/token', `PATCH ${DATA}/composite/sobjects`, `POST ${DATA}/composite/sobjects`]);
    expect(stored).toEqual([{ ...sf.credentials(), refreshToken: sf.refreshToken }]);
    const refresh = new URLSearchParams(String(inits[1]!.body));
    expect(Object.fromEntries(refresh)).toEqual({ grant_type: 'refresh_token', client_id: sf.clientId, refresh_token: sf.refreshToken });
    expect(new Headers(inits[1]!.headers).get('content-type')).toBe('application/x-www-form-urlencoded');
  });

  it('concurrent calls that see the same expired token share one refresh; a rotated refresh token is kept', async () => {
    await restart({ rotateRefreshTokens: true });
    const [a, b] = [sf.addLead(), sf.addLead()];
    const before = sf.refreshToken;
    sf.expireAccessToken();
    const api = apiFor({ credentials: sf.credentials() });
    await Promise.all([api.readLead(writeBack(a, 1).ref), api.readLead(writeBack(b, 2).ref)]);
    expect(requests.filter((r) => r === 'POST /services/oauth2/token')).toHaveLength(1);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ accessToken: sf.token, refreshToken: sf.refreshToken });
    expect(sf.refreshToken).not.toBe(before);
  });

  it('a revoked refresh token → CrmError auth, nothing stored', async () => {
    const id = sf.addLead();
    sf.expireAccessToken();
    sf.revokeRefreshToken();
    const e = await crmError(apiFor().push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'auth', details: { status: 400, code: 'invalid_grant' } });
    expect(e.message).toMatch(/expired access\/refresh token/);
    expect(stored).toEqual([]);
    expect(sf.tasks).toHaveLength(0);
  });

  it('no refresh token → auth; the token endpoint being down → transient, not auth', async () => {
    const id = sf.addLead();
    sf.expireAccessToken();
    const noRefresh = await crmError(apiFor({ credentials: { ...sf.credentials(), refreshToken: undefined } }).push([writeBack(id, 1)], new Set()));
    expect(noRefresh.kind).toBe('auth');
    sf.inject({ match: { path: /oauth2\/token/ }, fault: { kind: 'status', status: 503, body: { error: 'temporarily_unavailable', error_description: 'maintenance' } } });
    const down = await crmError(apiFor().push([writeBack(id, 1)], new Set()));
    expect(down).toMatchObject({ kind: 'transient', details: { status: 503 } });
  });

  it('REQUEST_LIMIT_EXCEEDED → transient with the code the sync loop slows down on, and a long wait (or Retry-After)', async () => {
    await restart({ dailyLimit: 0 });
    const id = sf.addLead();
    const e = await crmError(apiFor({ credentials: sf.credentials() }).push([writeBack(id, 1)], new Set()));
    expect(e).toMatchObject({ kind: 'transient', details: { status: 403, code: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 3_600_000 } });
    expect(e.details.mayHaveApplied).toBeFalsy();

    await restart({});
    sf.inject({ fault: { kind: 'status', status: 403, body: fixture('error-403-request-limit.json'), headers: { 'retry-after': '120' } } });
    const withHeader = await crmError(apiFor({ credentials: sf.credentials() }).push([writeBack(sf.addLead(), 1)], new Set()));
    expect(withHeader.details).toMatchObject({ code: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 120_000 });
  });

  it('another 403 is permanent; a 400 is permanent with Salesforce’s errorCode and message', async () => {
    const id = sf.addLead();
    sf.inject({ fault: { kind: 'status', status: 403, body: [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }] } });
    expect(await crmError(apiFor().push([writeBack(id, 1)], new Set()))).toMatchObject({ kind: 'permanent', details: { status: 403, code: 'INSUFFICIENT_ACCESS_OR_READONLY' } });
    const e = await crmError(apiFor({ mapping: { reasonField: 'Disqualification_Reason__c' } }).push([writeBack(id, 1, { reason: 'No budget' })], new Set()));
    expect(e).toMatchObject({ kind: 'permanent', details: { status: 400, code: 'INVALID_FIELD' } });
    expect(e.message).toBe("No such column 'Disqualification_Reason__c' on sobject of type Lead (INVALID_FIELD)");
    expect(sf.tasks).toHaveLength(0);
  });

  it('5xx, dropped connections and timeouts on writes are transient with mayHaveApplied', async () => {
    const id = sf.addLead();
    sf.inject({ match: { method: 'PATCH' }, fault: { kind: 'status', status: 503 } });
    expect(await crmError(apiFor().push([writeBack(id, 1)], new Set()))).toMatchObject({ kind: 'transient', details: { status: 503, mayHaveApplied: true } });
    sf.inject({ match: { method: 'PATCH' }, fault: { kind: 'applyThenDrop' } });
    expect(await crmError(apiFor().push([writeBack(id, 1)], new Set()))).toMatchObject({ kind: 'transient', details: { mayHaveApplied: true } });
    sf.inject({ match: { method: 'PATCH' }, fault: { kind: 'delay', ms: 400 } });
    const slow = await crmError(apiFor({}, { timeoutMs: 50 }).push([writeBack(id, 1)], new Set()));
    expect(slow).toMatchObject({ kind: 'transient', details: { mayHaveApplied: true } });
    expect(slow.message).toMatch(/no answer within 0.05 s/);
  });

  it('remembers the last Sforce-Limit-Info for the options page', async () => {
    await restart({ dailyLimit: 15_000 });
    const api = apiFor({ credentials: sf.credentials() });
    expect(api.lastLimitInfo).toBeUndefined();
    await api.push([writeBack(sf.addLead(), 1)], new Set());
    expect(api.lastLimitInfo).toEqual({ used: 2, max: 15_000, at: new Date(NOW).toISOString() });
    expect(parseLimitInfo('api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)', NOW)).toMatchObject({ used: 25, max: 5000 });
    expect(parseLimitInfo(null, NOW)).toBeUndefined();
  });
});

describe('task subject and description', () => {
  it('bounds a long body to 32,000 characters: the readable part is shortened (and says so), the key and the block stay intact', async () => {
    const id = sf.addLead();
    const item = writeBack(id, 1, { human: `Note: ${'Long discovery notes. '.repeat(2500)}` });
    expect(item.note.body.length).toBeGreaterThan(TASK_DESCRIPTION_MAX);
    const [result] = await apiFor().push([item], new Set());
    expect(result).toMatchObject({ ok: true });
    const description = String(sf.tasks[0]!.Description);
    expect(description.length).toBeLessThanOrEqual(TASK_DESCRIPTION_MAX);
    expect(description.startsWith('Lead qualification: Accepted as SQL\nNext step: Demo on 2026-11-24\nNote: Long discovery notes.')).toBe(true);
    expect(description).toContain('shortened to fit Salesforce’s 32,000-character task description');
    expect(description.endsWith(block(item.key, id))).toBe(true);
    expect(parseDispositionNote(description)).toMatchObject({ ok: true, block: { key: item.key } });
  });

  it('cuts a block that alone does not fit in the middle, keeping the key and the end line', () => {
    const key = keyOf(9);
    const body = `Short.\n\n${block(key, '00Q5g00000Lq7aBEAR', 'x'.repeat(40_000))}`;
    const out = taskDescription(body, key);
    expect(out.length).toBeLessThanOrEqual(TASK_DESCRIPTION_MAX);
    expect(out).toContain(key);
    expect(out.endsWith(`--- end ${NOTE_MARKER} ---`)).toBe(true);
    expect(out).toMatch(/^\[This description was cut/);
  });

  it('never splits a surrogate pair and adds the key when the body lacks it', () => {
    const key = keyOf(3);
    const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    for (const max of [61, 62, 400, 401]) {
      const out = taskDescription('😀'.repeat(300), key, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.startsWith(`(${key})`) || out.includes(`\n(${key})\n`)).toBe(true);
      expect(out).not.toMatch(lone);
    }
    expect(taskDescription('short', key)).toBe(`(${key})\nshort`);
  });

  it('keeps subjects on one line, ≤255 characters, with our prefix and the key', () => {
    const key = keyOf(4);
    expect(taskSubject(`Lead qualification: Accepted (${key})`, key)).toBe(`Lead qualification: Accepted (${key})`);
    expect(taskSubject('Accepted\nas SQL', key)).toBe(`${TASK_SUBJECT_PREFIX}: Accepted as SQL (${key})`);
    const long = taskSubject(`Lead qualification: ${'Rejected: '.repeat(40)}(${key})`, key);
    expect(long.length).toBe(255);
    expect(long.endsWith(`… (${key})`)).toBe(true);
  });
});

describe('readLead', () => {
  it('maps the lead, its logged tasks and its campaign responses to the profile', async () => {
    const id = sf.addLead({
      FirstName: 'Ada', LastName: 'Okafor', Email: 'ada.okafor@northwind.example', Company: 'Northwind Logistics', Title: 'VP Revenue Operations',
      NumberOfEmployees: 850, Industry: 'Manufacturing', Country: 'Germany', CountryCode: 'DE', LeadSource: 'Web',
      EmailBouncedDate: '2026-11-19T08:00:00.000+0000', EmailBouncedReason: '550 mailbox full',
    });
    sf.addTask({ WhoId: id, Subject: 'Call', TaskSubtype: 'Call', Status: 'Completed', ActivityDate: '2026-11-19' });
    sf.addTask({ WhoId: id, Subject: 'Follow up next week', Status: 'Not Started', ActivityDate: '2026-11-27' });
    sf.addTask({ WhoId: id, Subject: `Lead qualification: Accepted as SQL (${keyOf(1)})`, Status: 'Completed' });
    sf.addCampaignMember(id, { Name: 'Q4 Logistics Webinar', Type: 'Webinar' }, { Status: 'Attended', HasResponded: true, FirstRespondedDate: '2026-11-12' });
    sf.addCampaignMember(id, { Name: 'October Newsletter', Type: 'Email' });

    const { profile } = await apiFor().readLead(writeBack(id, 1).ref);
    expect(requests).toEqual([`GET ${DATA}/sobjects/Lead/${id}`, `GET ${DATA}/query`, `GET ${DATA}/query`]);
    expect(profile).toMatchObject({
      name: 'Ada Okafor',
      email: 'ada.okafor@northwind.example',
      company: 'Northwind Logistics',
      title: 'VP Revenue Operations',
      companySize: 850,
      industry: 'Manufacturing',
      region: 'Europe',
      source: 'Web',
      campaign: 'Q4 Logistics Webinar',
      crmStatus: 'Open - Not Contacted',
      mqlAt: '2026-11-20T12:00:00.000Z',
      firstContactAt: '2026-11-20T12:00:00.000Z',
    });
    expect(profile.activities).toEqual(
      expect.arrayContaining([
        { type: 'webinar_attended', at: '2026-11-12T00:00:00.000Z', detail: 'Q4 Logistics Webinar: Attended' },
        { type: 'call', at: '2026-11-20T12:00:00.000Z', detail: 'Call' },
        { type: 'hard_bounce', at: '2026-11-19T08:00:00.000Z', detail: 'Email bounced: 550 mailbox full' },
      ]),
    );
    expect(profile.activities).toHaveLength(3); // our own task, the open follow-up and the non-response are left out
    expect(leadProfileSchema.safeParse({ ...profile, crm: 'salesforce', recordId: id }).success).toBe(true);
  });

  it('maps Salesforce’s documented record and query bodies (fixtures)', () => {
    const members = (fixture('query-campaign-members-200.json') as { records: Record<string, unknown>[] }).records;
    const profile = profileOf(fixture('lead-read-200.json') as Record<string, unknown>, [], members);
    expect(profile).toMatchObject({ name: 'Ada Okafor', companySize: 850, region: 'Europe', source: 'Web', campaign: 'Q4 Logistics Webinar', mqlAt: '2026-11-18T09:15:00.000Z', firstContactAt: undefined });
    expect(profile.activities).toEqual([{ type: 'webinar_attended', at: '2026-11-12T00:00:00.000Z', detail: 'Q4 Logistics Webinar: Attended' }]);
    expect(profileOf({ Country: 'United States', HasOptedOutOfEmail: true, LastModifiedDate: '2026-11-01T00:00:00.000+0000' })).toMatchObject({ region: 'North America', activities: [{ type: 'unsubscribe' }] });
  });

  it('a deleted lead → permanent “no longer exists”', async () => {
    const id = sf.addLead();
    sf.deleteLead(id);
    const e = await crmError(apiFor().readLead(writeBack(id, 1).ref));
    expect(e).toMatchObject({ kind: 'permanent', message: 'The lead no longer exists in Salesforce.', details: { status: 404, code: 'NOT_FOUND' } });
  });

  it('reads on when the activity queries are refused (an org without campaigns), but not when the session is dead', async () => {
    const id = sf.addLead({ LastName: 'Solo' });
    sf.inject({ match: { path: /\/query$/ }, fault: { kind: 'status', status: 400, body: [{ message: "sObject type 'CampaignMember' is not supported.", errorCode: 'INVALID_TYPE' }] }, times: 2 });
    expect((await apiFor().readLead(writeBack(id, 1).ref)).profile).toMatchObject({ name: 'Solo', activities: [] });
    sf.inject({ match: { path: /\/query$/ }, fault: { kind: 'status', status: 500 } });
    expect(await crmError(apiFor().readLead(writeBack(id, 1).ref))).toMatchObject({ kind: 'transient' });
  });
});

describe('testConnection', () => {
  it('checks the session and names the org by its id (from userinfo)', async () => {
    const r = await apiFor({ account: undefined }).testConnection();
    expect(r).toEqual({ account: sf.orgId, label: `Salesforce org ${sf.orgId} (${new URL(sf.url).host})` });
    expect(requests).toEqual([`GET ${DATA}/`, 'GET /services/oauth2/userinfo']);
  });

  it('falls back to the org id from the sign-in when the identity service says no; a dead session is auth', async () => {
    sf.inject({ match: { path: /userinfo/ }, fault: { kind: 'status', status: 403, body: 'Bad_OAuth_Token' } });
    expect(await apiFor({ account: '00D5g000004AbCdEAK' }).testConnection()).toMatchObject({ account: '00D5g000004AbCdEAK' });
    sf.expireAccessToken();
    sf.revokeRefreshToken();
    expect(await crmError(apiFor().testConnection())).toMatchObject({ kind: 'auth' });
  });
});

describe('importNotes', () => {
  it('pages through our tasks (subject prefix and key token, body with the marker), oldest first, with nextRecordsUrl', async () => {
    await restart({ queryBatchMax: 2 });
    const lead = sf.addLead();
    const ours = [1, 2, 3].map((i) => sf.addTask({ WhoId: lead, Subject: `Lead qualification: Accepted as SQL (${keyOf(i)})`, Description: `Accepted\n\n${block(keyOf(i), lead)}`, Status: 'Completed' }));
    sf.addTask({ WhoId: lead, Subject: 'Lead qualification follow-up (lq call notes)', Description: 'Called, left a voicemail.' });
    sf.addTask({ WhoId: lead, Subject: 'Call', Description: NOTE_MARKER });
    const api = apiFor({ credentials: sf.credentials() }, { importBatchSize: 200 });

    const notes = [];
    const cursors: (string | undefined)[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.importNotes(cursor);
      notes.push(...page.notes);
      cursor = page.cursor;
      cursors.push(cursor);
    } while (cursor);
    expect(notes.map((n) => n.noteId)).toEqual(ours);
    expect(notes[0]).toEqual({ noteId: ours[0], recordId: lead, body: `Accepted\n\n${block(keyOf(1), lead)}`, at: '2026-11-20T12:00:00.000Z', createdBy: { id: sf.userId, name: 'Riley Rep' } });
    // Two pages of two: the follow-up task matches the subject search but has no block, the call does not match.
    expect(cursors).toEqual([expect.stringMatching(/^\/services\/data\/v66\.0\/query\/[A-Za-z0-9]+-2$/), undefined]);
    expect(new Headers(inits[0]!.headers).get('sforce-query-options')).toBe('batchSize=200');
  });

  it('reads Salesforce’s documented query pages (fixtures): only bodies with the marker are notes', async () => {
    const api = cannedApi(cannedFetch((_m, path) => ({ status: 200, body: fixture(path.endsWith('/query') ? 'query-tasks-200.json' : 'query-more-200.json') })));
    const first = await api.importNotes(undefined);
    expect(first.notes.map((n) => n.noteId)).toEqual(['00T5g00000Xy3kLEAR']);
    expect(first.cursor).toBe('/services/data/v66.0/query/01gRO0000016PIAYA2-2');
    const second = await api.importNotes(first.cursor);
    expect(second).toEqual({ notes: [expect.objectContaining({ noteId: '00T5g00000Xy3kNEAR', recordId: '00Q5g00000Lq7aCEAR', at: '2026-11-21T08:30:00.000Z', createdBy: { id: '0055g00000Tz4AbAAJ', name: 'Ana Souza' } })], cursor: undefined });
  });

  it('refuses a cursor that is not a query locator path, and explains an expired locator', async () => {
    const api = apiFor();
    expect(await crmError(api.importNotes('https://evil.example/services/data/v66.0/query/01g-2'))).toMatchObject({ kind: 'permanent', details: { code: 'BAD_CURSOR' } });
    expect(requests).toEqual([]);
    const e = await crmError(api.importNotes('/services/data/v66.0/query/01gGONE-200'));
    expect(e).toMatchObject({ kind: 'permanent', details: { code: 'INVALID_QUERY_LOCATOR' } });
    expect(e.message).toMatch(/start the import again/);
  });
});
