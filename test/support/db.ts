import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { LeadQualifierDb } from '../../src/store/db';

/** A fresh, empty store in memory (fake-indexeddb): each test gets its own IndexedDB factory. */
export function freshDb(name = 'lead-qualifier-test'): LeadQualifierDb {
  return new LeadQualifierDb(name, { indexedDB: new IDBFactory(), IDBKeyRange });
}
