import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LeadQualifierDb, SCHEMA_V1 } from '../../src/store/db';

/** A database as version 1 of the extension left it. */
async function version1Database(indexedDB: IDBFactory) {
  const v1 = new Dexie('lead-qualifier', { indexedDB, IDBKeyRange });
  v1.version(1).stores(SCHEMA_V1);
  await v1.open();
  await v1.table('dispositions').bulkAdd([
    { id: 'd1', leadKey: 'demo:x:L-1', repId: 'rep-1', outcome: 'accept', reasonCode: '', decidedAt: '2026-10-01T10:00:00.000Z', day: '2026-10-01', source: 'webinar', campaign: 'Q4', score: 73, frameworkId: 'bant', sync: 'synced' },
    { id: 'd2', leadKey: 'demo:x:L-2', repId: 'rep-2', outcome: 'reject', reasonCode: 'not_icp', decidedAt: '2026-10-02T10:00:00.000Z', day: '2026-10-02', source: 'ads', campaign: 'Q4', score: 12, frameworkId: 'bant', sync: 'saved_locally' },
  ]);
  await v1.table('outbox').add({ key: 'lqabc', dispositionId: 'd2', rev: 1, crm: 'demo', state: 'pending', nextAt: 0, attempts: 0, unsure: false });
  await v1.table('settings').put({ key: 'rep', value: { id: 'rep-2', name: 'Kim' } });
  v1.close();
}

describe('store migrations', () => {
  it('upgrades a version-1 database in place: rows kept, new columns derived, new indexes and tables usable', async () => {
    const indexedDB = new IDBFactory();
    await version1Database(indexedDB);

    const db = new LeadQualifierDb('lead-qualifier', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(4);
    expect(await db.dispositions.count()).toBe(2);
    expect(await db.dispositions.get('d1')).toMatchObject({ score: 73, scoreBand: 60, slaState: 'unknown', origin: 'local', updatedAt: '2026-10-01T10:00:00.000Z', sync: 'synced' });
    expect((await db.dispositions.where('scoreBand').equals(0).toArray()).map((d) => d.id)).toEqual(['d2']);
    expect((await db.dispositions.where('[repId+decidedAt]').between(['rep-1', ''], ['rep-1', '\uffff']).toArray()).map((d) => d.id)).toEqual(['d1']);
    expect(await db.outbox.where('[state+nextAt]').between(['pending', -Infinity], ['pending', Infinity]).count()).toBe(1);
    expect(await db.settings.get('rep')).toEqual({ key: 'rep', value: { id: 'rep-2', name: 'Kim' } });
    await db.reviews.add({ id: 'r1', dispositionId: 'd2', reviewerId: 'm', reviewerName: 'Mia', verdict: 'agree', comment: '', at: '2026-10-03T10:00:00.000Z' });
    expect(await db.reviews.count()).toBe(1);
    // Version 3 stamps every row, so a cache of the table can tell what changed after it was made.
    const stamped = await db.dispositions.orderBy('storedAt').primaryKeys();
    expect(stamped.sort()).toEqual(['d1', 'd2']);
    const before = (await db.dispositions.get('d1'))!.storedAt!;
    await db.dispositions.update('d1', { sync: 'needs_attention' });
    expect((await db.dispositions.get('d1'))!.storedAt).not.toBe(before);
    await db.caches.put({ key: 'c', format: 1, savedAt: '2026-10-03T10:00:00.000Z', value: [1] });
    expect(await db.caches.get('c')).toMatchObject({ value: [1] });
    // Version 4 (call mode) adds tables only: the rows above are as they were, and calls can be stored.
    expect(await db.outbox.get('lqabc')).toMatchObject({ dispositionId: 'd2', state: 'pending' });
    await db.callDrafts.put({ leadKey: 'demo:x:L-1', callId: 'c1', startedAt: '2026-10-03T10:00:00.000Z', lines: [], pending: '', ref: { crm: 'demo', recordId: 'L-1', objectType: 'lead', url: '', host: 'x' }, updatedAt: '2026-10-03T10:00:00.000Z' });
    expect(await db.callDrafts.where('callId').equals('c1').count()).toBe(1);
    expect(await db.calls.where('leadKey').equals('demo:x:L-1').count()).toBe(0);
    db.close();
  });

  it('opens an empty database at the latest version', async () => {
    const db = new LeadQualifierDb('fresh', { indexedDB: new IDBFactory(), IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(4);
    expect(db.tables.map((t) => t.name).sort()).toEqual(['caches', 'callDrafts', 'calls', 'dispositions', 'drafts', 'leads', 'outbox', 'reviews', 'revisions', 'settings', 'syncLog']);
    db.close();
  });
});
