import { describe, expect, it } from 'vitest';
import { leadKey } from '../../src/crm';
import { verifyChain } from '../../src/domain/dispositions';
import { storageErrorMessage } from '../../src/store/store';
import { revisionsOf, saveRevision, StaleRevisionError } from '../../src/store/dispositions';
import { freshDb } from '../support/db';
import { saveDecision } from '../support/dispositions';

const ref = { crm: 'hubspot', recordId: '512', objectType: 'contact', url: 'https://app-eu1.hubspot.com/contacts/4412345/record/0-1/512', host: 'app-eu1.hubspot.com', account: '4412345' };

describe('saving a disposition', () => {
  it('writes the revision, the dashboard row and the outbox entry together', async () => {
    const db = freshDb();
    const r = await saveDecision(db, ref, { outcome: 'reject', reasonCode: 'not_icp', note: 'Ten people, no IT team.' }, { dispositionId: 'd1', name: 'Ada Park' });
    expect(await db.revisions.get(['d1', 1])).toEqual(r);
    expect(await db.dispositions.get('d1')).toMatchObject({ leadKey: leadKey(ref), leadName: 'Ada Park', outcome: 'reject', reasonCode: 'not_icp', repId: 'rep-1', day: '2026-11-20', source: 'webinar', campaign: 'Q4 webinar', origin: 'local', sync: 'saved_locally', noteSearch: 'ten people, no it team.' });
    expect(await db.outbox.toArray()).toMatchObject([{ dispositionId: 'd1', rev: 1, crm: 'hubspot', ref, state: 'pending' }]);
  });

  it('writes nothing when any part fails: no revision without its outbox entry', async () => {
    const db = freshDb();
    const first = await saveDecision(db, ref, { outcome: 'recycle', recheckOn: '2027-01-10' }, { dispositionId: 'd1' });
    // Revision 2 carrying revision 1's hash has revision 1's idempotency key: the outbox write fails last.
    await expect(saveRevision(db, { revision: { ...first, rev: 2, prevHash: first.hash }, leadKey: leadKey(ref), ref, config: (await import('../../src/domain/defaults')).defaultConfig(), now: first.at })).rejects.toThrow();
    expect(await db.revisions.count()).toBe(1);
    expect((await db.dispositions.get('d1'))?.rev).toBe(1);
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses a revision that does not follow the stored chain (another tab saved first)', async () => {
    const db = freshDb();
    const first = await saveDecision(db, ref, { outcome: 'recycle', recheckOn: '2027-01-10' }, { dispositionId: 'd1' });
    await saveDecision(db, ref, { outcome: 'reject', reasonCode: 'bad_timing', note: 'Later.' }, { dispositionId: 'd1', at: '2026-11-20T13:00:00.000Z' });
    const stale = { ...first, rev: 2, prevHash: first.hash, at: '2026-11-20T14:00:00.000Z' };
    await expect(saveRevision(db, { revision: stale, leadKey: leadKey(ref), ref, config: (await import('../../src/domain/defaults')).defaultConfig(), now: stale.at })).rejects.toBeInstanceOf(StaleRevisionError);
    expect(verifyChain(await revisionsOf(db, 'd1'))).toEqual({ ok: true });
    expect((await revisionsOf(db, 'd1')).map((r) => r.decision.outcome)).toEqual(['recycle', 'reject']);
  });

  it('turns storage failures into messages that say nothing is lost', () => {
    expect(storageErrorMessage({ name: 'QuotaExceededError' })).toMatch(/out of storage space.*nothing saved so far is lost/i);
    expect(storageErrorMessage({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toMatch(/out of storage space/);
    expect(storageErrorMessage({ name: 'VersionError' })).toMatch(/upgraded in another window/);
    expect(storageErrorMessage({ name: 'DataError' })).toMatch(/could not be read or written/);
    expect(storageErrorMessage(new Error('x'))).toMatch(/storage failed \(Error\)/);
  });
});
