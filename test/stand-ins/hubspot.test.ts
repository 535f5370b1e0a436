import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallWrite, Connection, WriteBack } from '../../src/crm/api';
import hubspotApi from '../../src/crm/hubspot/api';
import { NOTE_MARKER } from '../../src/domain/note-format';
import { CHECKED_ENDPOINTS, checkedEndpoint, requestBodyProblems, startHubSpotStandIn, tokens, type HubSpotStandIn } from './hubspot';

/**
 * The stand-in's own contract: the status codes, bodies and headers HubSpot documents, so that tests of
 * the real module against it mean something. Shapes are compared with the docs-based fixtures.
 */

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../src/crm/hubspot/fixtures/api/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** Every key path of `shape` (arrays: their first element) is present in `value`. */
function keyPaths(shape: unknown, prefix = ''): string[] {
  if (Array.isArray(shape)) return shape.length ? keyPaths(shape[0], `${prefix}[]`) : [];
  if (typeof shape !== 'object' || shape === null) return [];
  return Object.entries(shape).flatMap(([k, v]) => [`${prefix}.${k}`, ...keyPaths(v, `${prefix}.${k}`)]);
}
const hasShapeOf = (value: unknown, shape: unknown, ignore: string[] = []) => {
  const missing = keyPaths(shape).filter((p) => !ignore.some((i) => p.startsWith(i)) && !keyPaths(value).includes(p));
  expect(missing).toEqual([]);
};

let clock = Date.parse('2026-11-20T12:00:00Z');
let hs: HubSpotStandIn;

async function api(method: string, path: string, body?: unknown, token = hs.token) {
  const res = await fetch(`${hs.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- HubSpot's JSON, probed field by field in the assertions
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

beforeEach(async () => {
  clock = Date.parse('2026-11-20T12:00:00Z');
  hs = await startHubSpotStandIn({ now: () => clock });
});
afterEach(() => hs.close());

describe('HubSpot stand-in: auth and rate limits', () => {
  it('answers 401 with HubSpot’s body without a valid Bearer token, and after the token is rotated', async () => {
    const none = await fetch(`${hs.url}/account-info/v3/details`);
    expect(none.status).toBe(401);
    const body = (await none.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', message: expect.stringMatching(/^Authentication credentials not found/) });
    expect(body.correlationId).toEqual(expect.any(String));
    hasShapeOf(body, fixture('error-401.json'));

    const old = hs.token;
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    const fresh = hs.rotateToken();
    expect(fresh).not.toBe(old);
    expect(hs.token).toBe(fresh);
    expect((await api('GET', '/account-info/v3/details', undefined, old)).status).toBe(401);
    expect((await api('GET', '/account-info/v3/details', undefined, fresh)).status).toBe(200);
  });

  it('gives the portal id in the account details, in HubSpot’s shape', async () => {
    const res = await api('GET', '/account-info/v3/details');
    expect(res.body.portalId).toBe(hs.portalId);
    hasShapeOf(res.body, fixture('account-details-200.json'));
  });

  it('keeps a rolling window: 429 RATE_LIMIT over the limit, with the X-HubSpot-RateLimit headers on every answer', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, rateLimit: { requests: 3, perMs: 10_000 } });
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await api('GET', '/account-info/v3/details');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('3');
      expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      remaining.push(res.headers.get('x-hubspot-ratelimit-remaining')!);
      clock += 1_000;
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const limited = await api('GET', '/account-info/v3/details');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    hasShapeOf(limited.body, fixture('error-429.json'), ['.requestId']);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');

    // The window rolls: 10 s after the first request, one slot is free again.
    clock = Date.parse('2026-11-20T12:00:10.001Z');
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    expect((await api('GET', '/account-info/v3/details')).status).toBe(429);
    // 401s carry the headers too.
    expect((await api('GET', '/account-info/v3/details', undefined, 'nope')).headers.get('x-hubspot-ratelimit-max')).toBe('3');
  });
});

describe('HubSpot stand-in: records', () => {
  it('reads a contact with the asked-for properties (null when unset), 404 once deleted', async () => {
    const id = hs.addContact({ firstname: 'Dana', email: 'dana@northwind.example', hs_lead_status: 'NEW' });
    const res = await api('GET', `/crm/v3/objects/contacts/${id}?properties=firstname,hs_lead_status,jobtitle`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, archived: false, properties: { firstname: 'Dana', hs_lead_status: 'NEW', jobtitle: null, hs_object_id: id } });
    hasShapeOf(res.body, { ...fixture('contact-read-200.json'), properties: { firstname: '', hs_lead_status: '', hs_object_id: '' } });

    hs.deleteContact(id);
    const gone = await api('GET', `/crm/v3/objects/contacts/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
  });

  it('reads a lead with its associated contact', async () => {
    const contact = hs.addContact({ firstname: 'Ana' });
    const lead = hs.addLead({ hs_lead_name: 'Ana at Acme' }, contact);
    const res = await api('GET', `/crm/v3/objects/leads/${lead}?properties=hs_lead_name,hs_pipeline_stage&associations=contacts`);
    expect(res.body).toMatchObject({ properties: { hs_lead_name: 'Ana at Acme', hs_pipeline_stage: 'new-stage-id' }, associations: { contacts: { results: [{ id: contact }] } } });
    expect((await api('GET', `/crm/v3/objects/0-136/${lead}`)).status).toBe(200);
  });
});

describe('HubSpot stand-in: batch update', () => {
  it('updates every input and answers 200 in HubSpot’s batch shape', async () => {
    const a = hs.addContact();
    const b = hs.addContact();
    const res = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id: a, properties: { hs_lead_status: 'OPEN_DEAL' } }, { id: b, properties: { hs_lead_status: 'UNQUALIFIED' } }] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETE');
    expect(res.body.results.map((r: { id: string }) => r.id).sort()).toEqual([a, b].sort());
    hasShapeOf(res.body, fixture('batch-update-200.json'));
    expect(hs.contacts.get(a)?.hs_lead_status).toBe('OPEN_DEAL');
    expect(hs.contacts.get(b)?.hs_lead_status).toBe('UNQUALIFIED');
  });

  it('answers 207 naming missing ids in errors[].context.ids, and still applies the rest', async () => {
    const alive = hs.addContact();
    const gone = hs.addContact();
    hs.deleteContact(gone);
    const res = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id: alive, properties: { hs_lead_status: 'BAD_TIMING' } }, { id: gone, properties: { hs_lead_status: 'BAD_TIMING' } }] });
    expect(res.status).toBe(207);
    expect(res.body).toMatchObject({ status: 'COMPLETE', numErrors: 1, results: [{ id: alive }], errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: [gone] } }] });
    expect(res.body.errors[0].message).toMatch(/Could not get some CONTACT objects/);
    hasShapeOf(res.body, fixture('batch-update-207.json'));
    expect(hs.contacts.get(alive)?.hs_lead_status).toBe('BAD_TIMING');
  });

  it('refuses more than 100 inputs, duplicate ids, unknown properties and values that are not options (nothing applied)', async () => {
    const id = hs.addContact({ hs_lead_status: 'NEW' });
    const many = Array.from({ length: 101 }, () => ({ id, properties: { hs_lead_status: 'OPEN' } }));
    const tooMany = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });

    const dupes = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: {} }, { id, properties: {} }] });
    expect(dupes.status).toBe(400);
    expect(dupes.body.message).toMatch(/Duplicate IDs/);

    const badOption = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: { hs_lead_status: 'QUALIFIED' } }] });
    expect(badOption.status).toBe(400);
    expect(badOption.body.message).toMatch(/^Property values were not valid: .*QUALIFIED was not one of the allowed options.*INVALID_OPTION/);
    hasShapeOf(badOption.body, fixture('error-400-validation.json'));

    const unknown = await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: { lq_reason: 'x' } }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/PROPERTY_DOESNT_EXIST/);
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('NEW');
  });

  it('validates lead stages; an empty string clears a property', async () => {
    const lead = hs.addLead({ hs_lead_disqualification_reason: 'Timing' });
    expect((await api('POST', '/crm/v3/objects/leads/batch/update', { inputs: [{ id: lead, properties: { hs_pipeline_stage: 'won' } }] })).status).toBe(400);
    const ok = await api('POST', '/crm/v3/objects/leads/batch/update', { inputs: [{ id: lead, properties: { hs_pipeline_stage: 'qualified-stage-id', hs_lead_disqualification_reason: '' } }] });
    expect(ok.status).toBe(200);
    expect(hs.leads.get(lead)).toMatchObject({ hs_pipeline_stage: 'qualified-stage-id', hs_lead_disqualification_reason: null });
  });

  it('accepts custom contact properties the portal was given', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, contactProperties: ['lq_reason'] });
    const id = hs.addContact();
    expect((await api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: { lq_reason: 'No budget' } }] })).status).toBe(200);
  });
});

describe('HubSpot stand-in: notes', () => {
  const note = (to: string, body: string, typeId = 202) => ({
    properties: { hs_timestamp: '2026-11-20T11:58:00Z', hs_note_body: body },
    associations: [{ to: { id: to }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }] }],
  });

  it('creates notes with their associations (201), and refuses bad ones whole', async () => {
    const contact = hs.addContact();
    const lead = hs.addLead();
    const res = await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note(contact, '<p>one lq1</p>'), note(lead, '<p>two lq2</p>', 855)] });
    expect(res.status).toBe(201);
    expect(res.body.results).toHaveLength(2);
    hasShapeOf(res.body, fixture('notes-batch-create-201.json'));
    expect(hs.notes.map((n) => n.associations)).toEqual([[{ objectType: 'contacts', id: contact, typeId: 202 }], [{ objectType: 'leads', id: lead, typeId: 855 }]]);
    expect(hs.notes[0]).toMatchObject({ body: '<p>one lq1</p>', timestamp: '2026-11-20T11:58:00.000Z' });

    const noTimestamp = await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [{ properties: { hs_note_body: 'x' }, associations: [] }] });
    expect(noTimestamp.status).toBe(400);
    expect(noTimestamp.body).toMatchObject({ category: 'VALIDATION_ERROR', message: 'Error creating NOTE. Some required properties were not set.' });
    expect((await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note(contact, 'x'.repeat(65_537))] })).status).toBe(400);
    expect((await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note('999999', 'x')] })).status).toBe(400);
    expect((await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note(contact, 'x', 1)] })).status).toBe(400);
    expect((await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: Array.from({ length: 101 }, () => note(contact, 'x')) })).status).toBe(400);
    expect(hs.notes).toHaveLength(2);
  });

  it('searches note bodies by token (HTML and entities aside), sorted, in pages', async () => {
    const contact = hs.addContact();
    hs.addNote({ body: '<p>Later (lqbbb)</p><p>--- lqblock v1 ---</p>', timestamp: '2026-11-02T00:00:00Z', contactId: contact });
    hs.addNote({ body: '<p>Earlier</p><p>{&quot;key&quot;:&quot;lqaaa&quot;} --- lqblock v1 ---</p>', timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    hs.addNote({ body: '<p>A rep wrote lqblockish things</p>', timestamp: '2026-10-01T00:00:00Z' });

    const byKey = await api('POST', '/crm/v3/objects/notes/search', {
      filterGroups: ['lqaaa', 'lqbbb', 'lqccc'].map((k) => ({ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: k }] })),
      properties: ['hs_note_body', 'hs_timestamp', 'hs_created_by_user_id', 'hubspot_owner_id'],
    });
    expect(byKey.status).toBe(200);
    expect(byKey.body.total).toBe(2);
    hasShapeOf(byKey.body, { total: 0, results: fixture('notes-search-200.json').results });

    const first = await api('POST', '/crm/v3/objects/notes/search', {
      filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: 'lqblock' }] }],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }],
      properties: ['hs_note_body', 'hs_timestamp'],
      limit: 1,
    });
    expect(first.body.results.map((r: { properties: { hs_timestamp: string } }) => r.properties.hs_timestamp)).toEqual(['2026-11-01T00:00:00.000Z']);
    expect(first.body.paging.next.after).toBe('1');
    const second = await api('POST', '/crm/v3/objects/notes/search', {
      filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: 'lqblock' }] }],
      sorts: [{ propertyName: 'hs_timestamp', direction: 'ASCENDING' }],
      limit: 1,
      after: '1',
    });
    expect(second.body.results[0].properties.hs_note_body).toMatch(/Later/);
    expect(second.body.paging).toBeUndefined();
  });

  it('refuses more than 5 filterGroups and limits over 200', async () => {
    const groups = Array.from({ length: 6 }, (_, i) => ({ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: `lq${i}` }] }));
    expect((await api('POST', '/crm/v3/objects/notes/search', { filterGroups: groups })).status).toBe(400);
    expect((await api('POST', '/crm/v3/objects/notes/search', { limit: 201 })).status).toBe(400);
  });

  it('reads note associations in the v4 batch shape; an input with none is a 207 NO_ASSOCIATIONS_FOUND error', async () => {
    const contact = hs.addContact();
    const lead = hs.addLead();
    const a = hs.addNote({ body: 'a', timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    const b = hs.addNote({ body: 'b', timestamp: '2026-11-01T00:00:00Z', leadId: lead });
    const toContacts = await api('POST', '/crm/v4/associations/notes/contacts/batch/read', { inputs: [{ id: a }, { id: b }] });
    expect(toContacts.status).toBe(207);
    expect(toContacts.body.results).toEqual([{ from: { id: a }, to: [{ toObjectId: Number(contact), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 202, label: null }] }] }]);
    expect(toContacts.body.errors).toEqual([
      expect.objectContaining({ category: 'OBJECT_NOT_FOUND', subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', context: { fromObjectId: [b], fromObjectType: ['note'], toObjectType: ['contact'] } }),
    ]);
    hasShapeOf(toContacts.body, fixture('associations-batch-read-200.json'));
    const toLeads = await api('POST', '/crm/v4/associations/notes/0-136/batch/read', { inputs: [{ id: b }] });
    expect(toLeads.status).toBe(200);
    expect(toLeads.body.results.map((r: { from: { id: string } }) => r.from.id)).toEqual([b]);
  });

  it('reads a record’s notes through its associations, paged per input with after', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, associationPageSize: 2 });
    const contact = hs.addContact();
    const lonely = hs.addContact();
    const ids = [1, 2, 3].map((i) => hs.addNote({ body: `n${i}`, timestamp: '2026-11-01T00:00:00Z', contactId: contact }));
    const first = await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact }, { id: lonely }] });
    expect(first.status).toBe(207);
    expect(first.body.results).toEqual([{ from: { id: contact }, to: ids.slice(0, 2).map((id) => ({ toObjectId: Number(id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 201, label: null }] })), paging: { next: { after: '2', link: null } } }]);
    expect(first.body.errors[0]).toMatchObject({ subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND', context: { fromObjectId: [lonely] } });
    const rest = await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact, after: '2' }] });
    expect(rest.status).toBe(200);
    expect(rest.body.results).toEqual([{ from: { id: contact }, to: [expect.objectContaining({ toObjectId: Number(ids[2]) })] }]);
  });

  it('reads notes by id in a batch; ids that do not exist are named in a 207', async () => {
    const contact = hs.addContact();
    const id = hs.addNote({ body: '<p>lq1</p>', timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    const res = await api('POST', '/crm/v3/objects/notes/batch/read', { inputs: [{ id }, { id: '999999' }], properties: ['hs_note_body'], propertiesWithHistory: [] });
    expect(res.status).toBe(207);
    expect(res.body).toMatchObject({ status: 'COMPLETE', results: [{ id, properties: { hs_note_body: '<p>lq1</p>' } }], errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } }] });
  });

  it('tokenizes like a full-text index', () => {
    expect([...tokens('<p>Hello (lqAB12), &quot;x&quot;:&quot;lqcd&quot; --- lqblock v1</p>')]).toEqual(['hello', 'lqab12', 'x', 'lqcd', 'lqblock', 'v1']);
  });
});

describe('HubSpot stand-in: users, tokens and owners', () => {
  it('token metadata: a user’s OAuth token in HubSpot’s shape, without Authorization; a private-app token 400; an unknown one 404', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    expect(ana.token).not.toMatch(/^pat-/);
    const info = await fetch(`${hs.url}/oauth/v1/access-tokens/${ana.token}`);
    expect(info.status).toBe(200);
    const body = (await info.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token: ana.token, user: 'ana@northwind.example', user_id: Number(ana.userId), hub_id: hs.portalId, token_type: 'access' });
    hasShapeOf(body, fixture('token-info-200.json'));

    const pat = await fetch(`${hs.url}/oauth/v1/access-tokens/${hs.token}`);
    expect(pat.status).toBe(400);
    expect(await pat.json()).toMatchObject({ status: 'error', message: 'The access token must have the correct format' });
    expect((await fetch(`${hs.url}/oauth/v1/access-tokens/CKDnope`)).status).toBe(404);
  });

  it('a user’s token authenticates requests; the private-app token still does; anything else is a 401', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example' });
    expect((await api('GET', '/account-info/v3/details', undefined, ana.token)).status).toBe(200);
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    expect((await fetch(`${hs.url}/account-info/v3/details`, { headers: { authorization: hs.token } })).status).toBe(401);
  });

  it('owners: listed in pages, filtered by email, read by owner id or user id, in HubSpot’s shape', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana', lastName: 'Souza' });
    const bo = hs.addUser({ email: 'bo@northwind.example', firstName: 'Bo' });
    hs.addUser({ email: 'seatless@northwind.example', owner: false });
    const page = await api('GET', '/crm/v3/owners?limit=1');
    expect(page.body.results).toEqual([expect.objectContaining({ id: ana.ownerId, userId: Number(ana.userId), firstName: 'Ana', lastName: 'Souza', type: 'PERSON' })]);
    hasShapeOf(page.body, { results: fixture('owners-200.json').results }, ['.results[].teams']);
    const rest = await api('GET', `/crm/v3/owners?limit=1&after=${page.body.paging.next.after}`);
    expect(rest.body.results.map((o: { id: string }) => o.id)).toEqual([bo.ownerId]);
    expect(rest.body.paging).toBeUndefined();
    expect((await api('GET', '/crm/v3/owners?email=BO@northwind.example')).body.results.map((o: { id: string }) => o.id)).toEqual([bo.ownerId]);

    const byUser = await api('GET', `/crm/v3/owners/${ana.userId}?idProperty=userId`);
    expect(byUser.body).toMatchObject({ id: ana.ownerId, email: 'ana@northwind.example' });
    hasShapeOf(byUser.body, fixture('owner-200.json'), ['.teams']);
    expect((await api('GET', `/crm/v3/owners/${ana.ownerId}`)).body.id).toBe(ana.ownerId);
    expect((await api('GET', `/crm/v3/owners/${ana.userId}`)).status).toBe(404);
  });

  it('notes record their creator server-side: the token’s user, null for the private-app token, never from the body', async () => {
    const ana = hs.addUser({ email: 'ana@northwind.example' });
    const contact = hs.addContact();
    const input = (props: Record<string, string> = {}) => ({
      properties: { hs_timestamp: '2026-11-20T11:58:00Z', hs_note_body: 'lq1', ...props },
      associations: [{ to: { id: contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
    });
    expect((await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [input({ hubspot_owner_id: ana.ownerId! })] }, ana.token)).status).toBe(201);
    expect((await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [input()] })).status).toBe(201);
    expect(hs.notes.map((n) => [n.createdByUserId, n.ownerId])).toEqual([[ana.userId, ana.ownerId], [null, null]]);

    const forged = await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [input({ hs_created_by_user_id: ana.userId })] });
    expect(forged.status).toBe(400);
    expect(forged.body.message).toContain('READ_ONLY_VALUE');
    const noOwner = await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [input({ hubspot_owner_id: '404' })] });
    expect(noOwner.status).toBe(400);
    expect(noOwner.body.message).toContain('hubspot_owner_id');
    expect(hs.notes).toHaveLength(2);

    const read = await api('POST', '/crm/v3/objects/notes/batch/read', { inputs: [{ id: hs.notes[0]!.id }], properties: ['hs_created_by_user_id', 'hs_created_by', 'hubspot_owner_id', 'no_such_property'], propertiesWithHistory: [] });
    expect(read.body.results[0].properties).toMatchObject({ hs_created_by_user_id: ana.userId, hs_created_by: ana.userId, hubspot_owner_id: ana.ownerId });
    expect(read.body.results[0].properties).not.toHaveProperty('no_such_property');
  });

  it('search filters and sorts on the modification date (epoch ms or ISO), and caps a query’s results', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, searchResultCap: 3 });
    const at = (d: number) => `2026-11-0${d}T00:00:00.000Z`;
    const ids = [3, 1, 2, 4].map((d) => hs.addNote({ body: `lqblock ${d}`, timestamp: at(1), modifiedAt: at(d) }));
    hs.editNote(ids[1]!, 'lqblock edited');
    const search = (filters: Record<string, string>[], page: { limit?: number; after?: string } = {}) =>
      api('POST', '/crm/v3/objects/notes/search', {
        filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: 'lqblock' }, ...filters] }],
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
        properties: ['hs_lastmodifieddate'],
        limit: page.limit ?? 3,
        ...(page.after ? { after: page.after } : {}),
      });
    // Modified on days 3, 1 (then edited now, 20 Nov), 2 and 4.
    const since = await search([{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(Date.parse(at(2))) }]);
    expect(since.body.results.map((r: { id: string }) => r.id)).toEqual([ids[2], ids[0], ids[3]]);
    expect(since.body.total).toBe(4);
    const iso = await search([{ propertyName: 'hs_lastmodifieddate', operator: 'LT', value: at(3) }]);
    expect(iso.body.results.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
    // At most 3 results per query: a page reaching past them is refused.
    expect((await search([], { limit: 2, after: '2' })).status).toBe(400);
    expect((await search([], { limit: 2, after: '1' })).status).toBe(200);
  });

  it('an object read lists its notes under associations.notes, paged', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, associationPageSize: 2 });
    const contact = hs.addContact({ hs_lead_status: 'NEW' });
    const lead = hs.addLead({}, contact);
    const ids = [1, 2, 3].map((i) => hs.addNote({ body: `n${i}`, timestamp: '2026-11-01T00:00:00Z', contactId: contact }));
    const note = hs.addNote({ body: 'l', timestamp: '2026-11-01T00:00:00Z', leadId: lead });
    const read = await api('GET', `/crm/v3/objects/contacts/${contact}?properties=hs_lead_status&associations=notes`);
    expect(read.body.associations).toEqual({ notes: { results: ids.slice(0, 2).map((id) => ({ id, type: 'contact_to_note' })), paging: { next: { after: '2', link: null } } } });
    const leadRead = await api('GET', `/crm/v3/objects/leads/${lead}?properties=hs_pipeline_stage&associations=notes,contacts`);
    expect(leadRead.body.associations).toEqual({ contacts: { results: [{ id: contact, type: 'lead_to_contact' }] }, notes: { results: [{ id: note, type: 'lead_to_note' }] } });
    expect((await api('GET', `/crm/v3/objects/contacts/${hs.addContact()}?associations=notes`)).body.associations).toBeUndefined();
  });
});

describe('HubSpot stand-in: faults', () => {
  const update = (id: string, status: string) => api('POST', '/crm/v3/objects/contacts/batch/update', { inputs: [{ id, properties: { hs_lead_status: status } }] });

  it('status: answers without applying, as many times as asked, only for matching requests', async () => {
    const id = hs.addContact({ hs_lead_status: 'NEW' });
    hs.inject({ match: { method: 'POST', path: /batch\/update$/ }, fault: { kind: 'status', status: 503 }, times: 2 });
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    const first = await update(id, 'OPEN');
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ status: 'error' });
    expect((await update(id, 'OPEN')).status).toBe(503);
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('NEW');
    expect((await update(id, 'OPEN')).status).toBe(200);
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('OPEN');
  });

  it('status: uses the rule’s body and headers (e.g. a 429 with Retry-After)', async () => {
    hs.inject({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '7' } } });
    const res = await api('GET', '/account-info/v3/details');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.errorType).toBe('RATE_LIMIT');
  });

  it('applyThenStatus: applies, then answers the error', async () => {
    const id = hs.addContact({ hs_lead_status: 'NEW' });
    hs.inject({ fault: { kind: 'applyThenStatus', status: 500 } });
    expect((await update(id, 'CONNECTED')).status).toBe(500);
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('CONNECTED');
  });

  it('applyThenDrop and drop: the client sees a network error; only the first applied; calls record status 0', async () => {
    const id = hs.addContact({ hs_lead_status: 'NEW' });
    hs.inject({ fault: { kind: 'applyThenDrop' } });
    await expect(update(id, 'CONNECTED')).rejects.toThrow();
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('CONNECTED');
    hs.inject({ fault: { kind: 'drop' } });
    await expect(update(id, 'OPEN')).rejects.toThrow();
    expect(hs.contacts.get(id)?.hs_lead_status).toBe('CONNECTED');
    expect(hs.calls.map((c) => [c.method, c.path, c.status])).toEqual([
      ['POST', '/crm/v3/objects/contacts/batch/update', 0],
      ['POST', '/crm/v3/objects/contacts/batch/update', 0],
    ]);
  });

  it('delay: answers normally, later; clearFaults removes pending rules', async () => {
    hs.inject({ fault: { kind: 'delay', ms: 150 } });
    const started = Date.now();
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    hs.inject({ fault: { kind: 'status', status: 500 } });
    hs.clearFaults();
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
  });
});

describe('HubSpot stand-in: what HubSpot documents about search, batches, limits and archiving', () => {
  const note = (to: string, body: string, trace?: string) => ({
    properties: { hs_timestamp: '2026-11-20T11:58:00Z', hs_note_body: body },
    associations: [{ to: { id: to }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] }],
    ...(trace ? { objectWriteTraceId: trace } : {}),
  });
  const byKey = (key: string) => ({ filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: key }] }], properties: ['hs_note_body'] });

  it('search sees a new note only searchLagMs after it was created; reads by id and associations see it at once', async () => {
    const contact = hs.addContact();
    const created = await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note(contact, '<p>Decision (lqfresh1)</p>')] });
    const id = created.body.results[0].id as string;
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqfresh1'))).body.total).toBe(0);
    expect((await api('GET', `/crm/v3/objects/notes/${id}?properties=hs_note_body`)).body.properties.hs_note_body).toContain('lqfresh1');
    const assoc = await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact }] });
    expect(assoc.body.results[0].to.map((t: { toObjectId: number }) => String(t.toObjectId))).toEqual([id]);
    clock += 2_999;
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqfresh1'))).body.total).toBe(0);
    clock += 1;
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqfresh1'))).body.results.map((r: { id: string }) => r.id)).toEqual([id]);

    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, searchLagMs: 0 });
    const other = hs.addContact();
    await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note(other, '<p>lqnow</p>')] });
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqnow'))).body.total).toBe(1);
    hs.addNote({ body: '<p>lqlater</p>', timestamp: '2026-11-01T00:00:00Z', indexed: false });
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqlater'))).body.total).toBe(1);
  });

  it('notes batch create with a unique objectWriteTraceId per input: a refused input fails alone, 207 naming its trace id', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, noteError: (i) => (i.body.includes('lqrefuse') ? { category: 'VALIDATION_ERROR', message: 'Refused by the portal.' } : undefined) });
    const contact = hs.addContact();
    const res = await api('POST', '/crm/v3/objects/notes/batch/create', {
      inputs: [note(contact, '<p>lqok1</p>', 'lqok1'), note(contact, '<p>lqrefuse</p>', 'lqrefuse'), { ...note(contact, '<p>lqnots</p>', 'lqnots'), properties: { hs_note_body: 'x' } }, note('999999', 'x', 'lqnorecord')],
    });
    expect(res.status).toBe(207);
    expect(res.body).toMatchObject({ status: 'COMPLETE', numErrors: 3, results: [{ properties: { hs_note_body: '<p>lqok1</p>' } }] });
    expect(res.body.errors).toEqual([
      { status: 'error', category: 'VALIDATION_ERROR', message: 'Refused by the portal.', context: { objectWriteTraceId: ['lqrefuse'] }, errors: [], links: {} },
      expect.objectContaining({ message: 'Error creating NOTE. Some required properties were not set.', context: { properties: ['hs_timestamp'], objectWriteTraceId: ['lqnots'] } }),
      expect.objectContaining({ message: 'One or more associations are invalid', context: { ids: ['999999'], objectWriteTraceId: ['lqnorecord'] } }),
    ]);
    expect(hs.notes.map((n) => n.body)).toEqual(['<p>lqok1</p>']);

    // Without unique trace ids HubSpot cannot say which input failed: the request fails whole.
    const untraced = await api('POST', '/crm/v3/objects/notes/batch/create', { inputs: [note(contact, '<p>lqok2</p>', 'same'), note(contact, '<p>lqrefuse</p>', 'same')] });
    expect(untraced.status).toBe(400);
    expect(untraced.body).toMatchObject({ category: 'VALIDATION_ERROR', message: 'Refused by the portal.' });
    expect(hs.notes).toHaveLength(1);
  });

  it('search has its own per-second limit and does not count against the 10-second one', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, rateLimit: { requests: 2, perMs: 10_000 } });
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const res = await api('POST', '/crm/v3/objects/notes/search', byKey('lqx'));
      expect(res.status).toBe(200);
      // Search does not use up the 10-second window.
      expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('1');
    }
    const limited = await api('POST', '/crm/v3/objects/notes/search', byKey('lqx'));
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'SECONDLY', message: 'You have reached your secondly limit.' });
    expect(limited.headers.get('retry-after')).toBe('1');
    // The 10-second window still has room while search waits.
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    expect((await api('GET', '/account-info/v3/details')).status).toBe(429);
    clock += 1_000;
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqx'))).status).toBe(200);
  });

  it('429s carry Retry-After and the X-HubSpot-RateLimit headers; every answer carries the daily ones', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, rateLimit: { requests: 2, perMs: 10_000 }, dailyLimit: 3 });
    const ok = await api('GET', '/account-info/v3/details');
    expect(Object.fromEntries([...ok.headers].filter(([k]) => k.startsWith('x-hubspot-ratelimit')))).toEqual({
      'x-hubspot-ratelimit-max': '2',
      'x-hubspot-ratelimit-remaining': '1',
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-daily': '3',
      'x-hubspot-ratelimit-daily-remaining': '2',
    });
    expect(ok.headers.get('retry-after')).toBeNull();
    clock += 4_000;
    await api('GET', '/account-info/v3/details');
    const limited = await api('GET', '/account-info/v3/details');
    expect(limited.status).toBe(429);
    // The first request leaves the window 6 s from now.
    expect(limited.headers.get('retry-after')).toBe('6');
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    clock += 10_000;
    expect((await api('GET', '/account-info/v3/details')).status).toBe(200);
    const daily = await api('GET', '/account-info/v3/details');
    expect(daily.status).toBe(429);
    expect(daily.body).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    expect(daily.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
    expect(Number(daily.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('DELETE archives: reads answer 404, and the object leaves associations, batch reads and search', async () => {
    const contact = hs.addContact();
    const a = hs.addNote({ body: '<p>lqarch</p>', timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    const b = hs.addNote({ body: '<p>lqkeep</p>', timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    const del = await fetch(`${hs.url}/crm/v3/objects/notes/${a}`, { method: 'DELETE', headers: { authorization: `Bearer ${hs.token}` } });
    expect(del.status).toBe(204);
    expect((await api('GET', `/crm/v3/objects/notes/${a}`)).status).toBe(404);
    expect((await api('POST', '/crm/v3/objects/notes/search', byKey('lqarch'))).body.total).toBe(0);
    const read = await api('POST', '/crm/v3/objects/notes/batch/read', { inputs: [{ id: a }], properties: ['hs_note_body'], propertiesWithHistory: [] });
    expect(read.body.errors[0].context.ids).toEqual([a]);
    const assoc = await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact }] });
    expect(assoc.body.results[0].to.map((t: { toObjectId: number }) => String(t.toObjectId))).toEqual([b]);
    expect(hs.archived.has(a)).toBe(true);

    hs.deleteContact(contact);
    expect((await api('GET', `/crm/v3/objects/contacts/${contact}`)).status).toBe(404);
    const fromNote = await api('POST', '/crm/v4/associations/notes/contacts/batch/read', { inputs: [{ id: b }] });
    expect(fromNote.body.errors[0].subCategory).toBe('crm.associations.NO_ASSOCIATIONS_FOUND');
    const fromContact = await api('POST', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: contact }] });
    expect(fromContact.body.errors[0].context.fromObjectId).toEqual([contact]);
  });
});

describe('HubSpot stand-in: request bodies against HubSpot’s OpenAPI request schemas', () => {
  const schemas = JSON.parse(readFileSync(new URL('./fixtures/hubspot-request-schemas.json', import.meta.url), 'utf8')) as { _source: Record<string, unknown> };

  it('the fixture names its source: the spec repository, its commit and the files', () => {
    expect(schemas._source).toMatchObject({ repository: 'https://github.com/HubSpot/HubSpot-public-api-spec-collection', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(CHECKED_ENDPOINTS.sort()).toEqual([
      'POST /crm/v3/objects/calls/batch/create',
      'POST /crm/v3/objects/calls/batch/read',
      'POST /crm/v3/objects/contacts/batch/update',
      'POST /crm/v3/objects/leads/batch/update',
      'POST /crm/v3/objects/notes/batch/create',
      'POST /crm/v3/objects/notes/batch/read',
      'POST /crm/v3/objects/notes/search',
      'POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read',
    ]);
  });

  it.each([
    ['a create without associations', '/crm/v3/objects/notes/batch/create', { inputs: [{ properties: { hs_timestamp: '2026-11-20T11:58:00Z' } }] }, 'inputs[0].associations'],
    ['a property value that is not a string', '/crm/v3/objects/notes/batch/create', { inputs: [{ properties: { hs_timestamp: 1763639880000 }, associations: [] }] }, 'inputs[0].properties.hs_timestamp'],
    ['an association type id as a string', '/crm/v3/objects/notes/batch/create', { inputs: [{ properties: {}, associations: [{ to: { id: '1' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: '202' }] }] }] }, 'inputs[0].associations[0].types[0].associationTypeId'],
    ['an association category not in the enum', '/crm/v3/objects/notes/batch/create', { inputs: [{ properties: {}, associations: [{ to: { id: '1' }, types: [{ associationCategory: 'DEFINED', associationTypeId: 202 }] }] }] }, 'inputs[0].associations[0].types[0].associationCategory'],
    ['an update without an id', '/crm/v3/objects/contacts/batch/update', { inputs: [{ properties: { hs_lead_status: 'OPEN' } }] }, 'inputs[0].id'],
    ['an update with a number id', '/crm/v3/objects/leads/batch/update', { inputs: [{ id: 1001, properties: {} }] }, 'inputs[0].id'],
    ['a search operator HubSpot does not have', '/crm/v3/objects/notes/search', { filterGroups: [{ filters: [{ propertyName: 'hs_note_body', operator: 'CONTAINS', value: 'x' }] }] }, 'filterGroups[0].filters[0].operator'],
    ['a sort direction HubSpot does not have', '/crm/v3/objects/notes/search', { sorts: [{ propertyName: 'hs_timestamp', direction: 'UP' }] }, 'sorts[0]'],
    ['a batch read without propertiesWithHistory', '/crm/v3/objects/notes/batch/read', { inputs: [{ id: '1' }], properties: ['hs_note_body'] }, 'propertiesWithHistory'],
    ['an association read with a number id', '/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: 1001 }] }, 'inputs[0].id'],
    ['no inputs at all', '/crm/v4/associations/notes/contacts/batch/read', {}, 'inputs'],
  ])('refuses %s: 400 VALIDATION_ERROR naming where', async (_what, path, body, where) => {
    const res = await api('POST', path, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', message: expect.stringMatching(/^Invalid input JSON: /) });
    expect(res.body.errors.map((e: { in: string }) => e.in)).toContain(where);
    expect(hs.notes).toEqual([]);
  });

  it('accepts every body the real module sends (push with unsure keys, a lead, a note-only item with an owner, imports, histories, reads, whoAmI, logged calls)', async () => {
    await hs.close();
    hs = await startHubSpotStandIn({ now: () => clock, contactProperties: ['lq_reason'] });
    const sent: { method: string; path: string; body: unknown }[] = [];
    const recording: typeof fetch = (input, init) => {
      sent.push({ method: init?.method ?? 'GET', path: new URL(String(input)).pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return fetch(input, init);
    };
    const connection: Connection = { crm: 'hubspot', apiBase: hs.url, account: String(hs.portalId), label: '', credentials: { kind: 'token', token: hs.token }, mapping: { ...hubspotApi.defaultMapping, reasonField: 'lq_reason' }, connectedAt: '', state: 'connected' };
    const module = hubspotApi.create(connection, { fetch: recording, now: () => clock });
    const contact = hs.addContact();
    const lead = hs.addLead({}, contact);
    hs.addNote({ body: '<p>A rep’s note</p>', timestamp: '2026-11-01T00:00:00Z', contactId: contact });
    const wb = (key: string, recordId: string, objectType: string, status?: string): WriteBack => ({
      key,
      ref: { crm: 'hubspot', recordId, objectType, url: '', host: 'app.hubspot.com', account: String(hs.portalId) },
      status,
      reason: status === 'UNQUALIFIED' ? 'No budget' : undefined,
      note: { subject: `Decision (${key})`, body: `Decision\n--- ${NOTE_MARKER} v1 ---\n{"key":"${key}"}`, at: '2026-11-20T11:58:00Z', author: 'Rep' },
    });
    const ana = hs.addUser({ email: 'ana@northwind.example', firstName: 'Ana' });
    const asAna = hubspotApi.create({ ...connection, credentials: { kind: 'token', token: ana.token } }, { fetch: recording, now: () => clock });
    const user = await asAna.whoAmI!();
    const byAna = { ...wb('lqmod3', contact, 'contact'), note: { ...wb('lqmod3', contact, 'contact').note, authorUser: user } };
    const results = await module.push([wb('lqmod1', contact, 'contact', 'UNQUALIFIED'), wb('lqmod2', lead, 'lead', 'OPEN_DEAL')], new Set(['lqmod1', 'lqmod2']));
    expect([...results, ...(await asAna.push([byAna], new Set()))].every((r) => r.ok)).toBe(true);
    clock += 5_000;
    expect((await module.importNotes!(undefined)).notes).toHaveLength(3);
    expect((await module.importNotes!(undefined, { since: '2026-01-01T00:00:00Z' })).notes).toHaveLength(3);
    expect((await module.readHistory!(wb('lqmod3', contact, 'contact').ref)).notes.map((n) => n.createdBy?.name)).toEqual([undefined, 'Ana']);
    await module.readHistory!(wb('lqmod2', lead, 'lead').ref);
    await module.readLead(wb('lqmod2', lead, 'lead').ref);
    await module.testConnection();
    // Logged calls (ADR 19): on a contact and on a lead (its contact), created, then found again when unsure.
    const cw = (key: string, recordId: string, objectType: string): CallWrite => ({ key, ref: wb(key, recordId, objectType).ref, outcome: 'voicemail', startedAt: '2026-11-20T11:50:00Z', durationSec: 42, title: `Call: Left voicemail (${key})`, body: `Call (${key})`, authorUser: user });
    const calls = [cw('lqcall1', contact, 'contact'), cw('lqcall2', lead, 'lead')];
    expect((await module.logCalls!(calls, new Set(['lqcall1']))).every((r) => r.ok)).toBe(true);
    expect((await module.logCalls!(calls, new Set(['lqcall1', 'lqcall2']))).every((r) => r.ok)).toBe(true);
    expect(hs.callObjects).toHaveLength(2);

    expect(sent.every((r) => hs.calls.some((c) => c.path === r.path && c.status < 400))).toBe(true);
    const checked = sent.filter((r) => r.method === 'POST').map((r) => ({ ...r, endpoint: checkedEndpoint(r.method, r.path), problems: requestBodyProblems(r.method, r.path, r.body) }));
    expect(checked.filter((r) => !r.endpoint || r.problems!.length)).toEqual([]);
    expect(new Set(checked.map((r) => r.endpoint))).toEqual(new Set(CHECKED_ENDPOINTS));
  });
});
