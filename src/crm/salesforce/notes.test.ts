import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceStandIn, type SalesforceStandIn, type SalesforceStandInOptions } from '../../../test/stand-ins/salesforce';
import { crmError } from '../../../test/support/crm-error';
import { NOTE_MARKER } from '../../domain/note-format';
import type { Connection, Credentials, CrmUser, Mapping, WriteBack } from '../api';
import salesforceApi, { createSalesforceApi } from './api';

/**
 * Salesforce as the team's record of decisions: who made each task (the platform's `CreatedById`, never
 * the text), imports of what changed since the last one, and one lead's history with its status now.
 */

const NOW = Date.parse('2026-11-20T12:00:00Z');
const DATA = '/services/data/v66.0';
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/api/${name}`, import.meta.url), 'utf8')) as unknown;

let clock = NOW;
let sf: SalesforceStandIn;
let requests: string[];
const realFetch = globalThis.fetch;

function apiFor(over: { credentials?: Credentials; mapping?: Partial<Mapping> } = {}, fetchImpl: typeof fetch = realFetch, apiBase = sf.url) {
  const connection: Connection = {
    crm: 'salesforce',
    apiBase,
    account: sf.orgId,
    label: `Salesforce org ${sf.orgId}`,
    credentials: over.credentials ?? sf.credentials(),
    mapping: { ...salesforceApi.defaultMapping, ...over.mapping },
    connectedAt: new Date(NOW).toISOString(),
    state: 'connected',
  };
  const counting: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}${url.searchParams.has('q') ? ` ${url.searchParams.get('q')}` : ''}`);
    return fetchImpl(input, init);
  };
  return createSalesforceApi(connection, { fetch: counting, now: () => clock });
}

async function restart(opts: SalesforceStandInOptions) {
  await sf.close();
  sf = await startSalesforceStandIn({ now: () => clock, ...opts });
}

beforeEach(async () => {
  clock = NOW;
  sf = await startSalesforceStandIn({ now: () => clock });
  requests = [];
});
afterEach(() => sf.close());

const keyOf = (i: number) => `lq${(0x7a110000 + i).toString(16).padStart(32, '0')}`;
/** A body claiming an author: the module must not believe it. */
const body = (key: string, claimed = 'Somebody Else') => `Lead qualification: Accepted as SQL\n\n--- ${NOTE_MARKER} v1 (machine-readable: do not edit) ---\n{"v":1,"key":"${key}","author":{"id":"u9","name":"${claimed}"}}\n--- end ${NOTE_MARKER} ---`;

function writeBack(recordId: string, i: number, authorUser?: CrmUser): WriteBack {
  const key = keyOf(i);
  return {
    key,
    ref: { crm: 'salesforce', recordId, objectType: 'Lead', url: `https://acme.lightning.force.com/lightning/r/Lead/${recordId}/view`, host: 'acme.lightning.force.com', account: 'acme.lightning.force.com' },
    status: 'Working - Contacted',
    note: { subject: `Lead qualification: Accepted as SQL (${key})`, body: body(key), at: new Date(clock).toISOString(), author: 'Somebody Else', ...(authorUser ? { authorUser } : {}) },
  };
}

/** Tasks as reps make them through the API, each with their own session. */
async function taskBy(user: string, lead: string, i: number, at: number) {
  clock = at;
  const [r] = await apiFor({ credentials: sf.credentials(user) }).push([{ ...writeBack(lead, i), status: undefined }], new Set());
  expect(r).toMatchObject({ ok: true });
  return (r as { noteId: string }).noteId;
}

describe('importNotes: who and since', () => {
  it('names each task’s creator from CreatedById and CreatedBy.Name, whatever the body claims', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza' });
    const lead = sf.addLead();
    const a = await taskBy(ana, lead, 1, NOW);
    const r = await taskBy(sf.userId, lead, 2, NOW + 1000);
    const { notes } = await apiFor().importNotes(undefined);
    expect(notes.map((n) => [n.noteId, n.createdBy])).toEqual([
      [a, { id: ana, name: 'Ana Souza' }],
      [r, { id: sf.userId, name: 'Riley Rep' }],
    ]);
    expect(requests.at(-1)).toContain('SELECT Id, WhoId, Subject, Description, CreatedDate, CreatedById, CreatedBy.Name, LastModifiedDate FROM Task WHERE');
  });

  it('with since, reads only tasks created or changed at or after it (an unquoted dateTime literal, to the second)', async () => {
    const lead = sf.addLead();
    const [t1, t2, t3] = [await taskBy(sf.userId, lead, 1, NOW), await taskBy(sf.userId, lead, 2, NOW + 2000), await taskBy(sf.userId, lead, 3, NOW + 3000)];
    const since = async (iso: string) => (await apiFor().importNotes(undefined, { since: iso })).notes.map((n) => n.noteId);
    expect(await since('2026-11-20T12:00:02.000Z')).toEqual([t2, t3]);
    expect(requests.at(-1)).toMatch(/WHERE Subject LIKE '[^']*' AND LastModifiedDate >= 2026-11-20T12:00:02Z ORDER BY CreatedDate ASC, Id ASC$/);
    // A fraction of a second is rounded down: never later than asked.
    expect(await since('2026-11-20T12:00:02.900Z')).toEqual([t2, t3]);
    // A rep edits the first task later: it is read again, in creation order.
    clock = NOW + 10_000;
    const edit = await realFetch(`${sf.url}${DATA}/composite/sobjects`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${sf.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allOrNone: false, records: [{ attributes: { type: 'Task' }, id: t1, Description: `${body(keyOf(1))}\nEdited.` }] }),
    });
    expect(await edit.json()).toEqual([{ id: t1, success: true, errors: [] }]);
    expect(await since('2026-11-20T12:00:05Z')).toEqual([t1]);
    expect(await since('2026-11-20T14:00:00+02:00')).toEqual([t1, t2, t3]);
  });

  it('refuses a since that is no date, before calling Salesforce', async () => {
    expect(await crmError(apiFor().importNotes(undefined, { since: 'yesterday' }))).toMatchObject({ kind: 'permanent', details: { code: 'BAD_SINCE' } });
    expect(requests).toEqual([]);
  });
});

describe('readHistory', () => {
  const ref = (recordId: string, objectType = 'Lead') => ({ ...writeBack(recordId, 0).ref, objectType });

  it('reads our tasks on the lead, anyone’s, oldest first, with their creators, and its status now: one query', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza' });
    const [lead, other] = [sf.addLead({ Status: 'Open - Not Contacted' }), sf.addLead()];
    const first = await taskBy(ana, lead, 1, NOW);
    await taskBy(ana, other, 2, NOW + 500);
    sf.addTask({ WhoId: lead, Subject: 'Lead qualification call (lq notes)', Description: 'Left a voicemail.' });
    clock = NOW + 1000;
    const [r] = await apiFor().push([writeBack(lead, 3)], new Set());
    requests = [];

    const history = await apiFor().readHistory(ref(lead));
    expect(history).toEqual({
      status: 'Working - Contacted',
      notes: [
        { noteId: first, recordId: lead, body: body(keyOf(1)), at: '2026-11-20T12:00:00.000Z', createdBy: { id: ana, name: 'Ana Souza' } },
        { noteId: (r as { noteId: string }).noteId, recordId: lead, body: body(keyOf(3)), at: '2026-11-20T12:00:01.000Z', createdBy: { id: sf.userId, name: 'Riley Rep' } },
      ],
    });
    expect(requests).toEqual([
      `GET ${DATA}/query SELECT Id, Status, (SELECT Id, WhoId, Subject, Description, CreatedDate, CreatedById, CreatedBy.Name, LastModifiedDate FROM Tasks WHERE Subject LIKE 'Lead qualification%lq%' ORDER BY CreatedDate ASC, Id ASC) FROM Lead WHERE Id = '${lead}'`,
    ]);
    expect(await apiFor({ mapping: { statusField: 'status' } }).readHistory(ref(sf.addLead()))).toEqual({ notes: [], status: 'Open - Not Contacted' });
  });

  it('follows the subquery’s nextRecordsUrl for a long history', async () => {
    await restart({ queryBatchMax: 2 });
    const lead = sf.addLead();
    const ids = [await taskBy(sf.userId, lead, 1, NOW), await taskBy(sf.userId, lead, 2, NOW + 1000), await taskBy(sf.userId, lead, 3, NOW + 2000)];
    requests = [];
    expect((await apiFor().readHistory(ref(lead))).notes.map((n) => n.noteId)).toEqual(ids);
    expect(requests.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual([`GET ${DATA}/query`, expect.stringMatching(/^GET \/services\/data\/v66\.0\/query\/[A-Za-z0-9]+-2$/)]);
  });

  it('a status field the org does not have costs one more query without it; an unsafe field name never reaches SOQL', async () => {
    const lead = sf.addLead();
    await taskBy(sf.userId, lead, 1, NOW);
    requests = [];
    const stale = await apiFor({ mapping: { statusField: 'Qualification_Status__c' } }).readHistory(ref(lead));
    expect(stale).toEqual({ notes: [expect.objectContaining({ recordId: lead })] });
    expect(requests).toHaveLength(2);
    requests = [];
    expect(await apiFor({ mapping: { statusField: 'Status) FROM User --' } }).readHistory(ref(lead))).toEqual({ notes: [expect.objectContaining({ recordId: lead })] });
    expect(requests).toEqual([expect.stringMatching(/^GET \/services\/data\/v66\.0\/query SELECT Id, \(SELECT /)]);
  });

  it('a deleted lead is permanent NOT_FOUND; what is not a lead of this org is refused without a call; a dead session is auth', async () => {
    const lead = sf.addLead();
    sf.deleteLead(lead);
    expect(await crmError(apiFor().readHistory(ref(lead)))).toMatchObject({ kind: 'permanent', message: 'The lead no longer exists in Salesforce.', details: { code: 'NOT_FOUND' } });
    requests = [];
    expect(await crmError(apiFor().readHistory(ref(lead, 'Contact')))).toMatchObject({ kind: 'permanent', details: { code: 'NOT_A_LEAD' } });
    const never: typeof fetch = () => Promise.reject(new Error('no request expected'));
    const otherOrg = { ...ref(lead), account: 'globex.lightning.force.com', host: 'globex.lightning.force.com' };
    expect(await crmError(apiFor({}, never, 'https://acme.my.salesforce.com').readHistory(otherOrg))).toMatchObject({ kind: 'permanent', details: { code: 'NOT_A_LEAD' } });
    expect(requests).toEqual([]);
    sf.expireAccessToken();
    sf.revokeRefreshToken();
    expect(await crmError(apiFor().readHistory(ref(sf.addLead())))).toMatchObject({ kind: 'auth' });
  });

  it('reads Salesforce’s documented nested answer (fixture)', async () => {
    const canned: typeof fetch = async () => new Response(JSON.stringify(fixture('query-lead-history-200.json')), { status: 200, headers: { 'content-type': 'application/json' } });
    const history = await apiFor({}, canned, 'https://acme.my.salesforce.com').readHistory(ref('00Q5g00000Lq7aBEAR'));
    expect(history.status).toBe('Closed - Not Converted');
    expect(history.notes.map((n) => [n.noteId, n.at, n.createdBy])).toEqual([
      ['00T5g00000Xy3kPEAR', '2026-11-20T12:00:01.000Z', { id: '0055g00000Tz4AbAAJ', name: 'Ana Souza' }],
      ['00T5g00000Xy3kQEAR', '2026-11-23T09:15:00.000Z', { id: '0055g00000Rp9QwAAJ', name: 'Riley Rep' }],
    ]);
  });
});

describe('push: the author as this org knows them', () => {
  it('makes the author the task’s owner (Assigned To); Salesforce records the session’s user as its creator', async () => {
    const ana = sf.addUser({ FirstName: 'Ana', LastName: 'Souza' });
    const lead = sf.addLead();
    await apiFor({ credentials: sf.credentials(ana) }).push([writeBack(lead, 1, { id: ana, name: 'Ana Souza' })], new Set());
    await apiFor().push([{ ...writeBack(lead, 2), status: undefined }], new Set());
    expect(sf.tasks.map((t) => [t.OwnerId, t.CreatedById])).toEqual([
      [ana, ana],
      [sf.userId, sf.userId],
    ]);
  });
});
