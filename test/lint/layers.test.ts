/**
 * Proves the layer rules fire (eslint.config.js, docs/architecture.md): `src/store` alone reaches
 * IndexedDB, and each folder of `src/` imports only from the layers below it.
 */
import { describe, expect, it } from 'vitest';
import { lintErrors as errors } from './lint-snippet';

const RULE = 'no-restricted-imports';

describe('the store boundary (lint)', () => {
  it.each([
    ['src/background/x.ts', "import Dexie from 'dexie';\nexport const x = Dexie;"],
    ['src/dashboard/x.tsx', "import { useLiveQuery } from 'dexie-react-hooks';\nexport const x = useLiveQuery;"],
    ['src/sync/x.ts', "import { openDb } from '../store/db';\nexport const x = openDb;"],
    ['src/sync/x.ts', "import type { LeadQualifierDb } from '../store/db';\nexport type X = LeadQualifierDb;"],
    ['src/crm/hubspot/x.ts', "import Dexie from 'dexie';\nexport const x = Dexie;"],
    ['entrypoints/dashboard/main.tsx', "import { openDb } from '../../src/store/db';\nexport const x = openDb;"],
    ['scripts/x.ts', "import { LeadQualifierDb } from '../src/store/db';\nexport const x = LeadQualifierDb;"],
  ])('rejects IndexedDB outside src/store: %s', async (file, code) => {
    expect(await errors(code, file)).toContain(RULE);
  });

  it('lets src/store use Dexie and its database', async () => {
    const code = "import Dexie from 'dexie';\nimport { LeadQualifierDb } from './db';\nexport const x = [Dexie, LeadQualifierDb];";
    expect(await errors(code, 'src/store/x.ts')).toEqual([]);
  });

  it('lets other code hold a store and call the store\'s functions', async () => {
    const code = "import { openStore } from '../store/store';\nimport { queueOverview } from '../store/outbox';\nexport const x = [openStore, queueOverview];";
    expect(await errors(code, 'src/background/x.ts')).toEqual([]);
  });
});

describe('the layer direction (lint)', () => {
  it.each([
    ['src/store/x.ts', "import { x } from '../crm/api';"],
    ['src/store/x.ts', "import { x } from '../sync/engine';"],
    ['src/crm/x.ts', "import { x } from '../store/records';"],
    ['src/crm/hubspot/x.ts', "import { x } from '../../store/outbox';"],
    ['src/crm/hubspot/x.ts', "import { x } from '../../messaging/envelope';"],
    ['src/sync/x.ts', "import { x } from '../background/sessions';"],
    ['src/sync/x.ts', "import { x } from '../messaging/envelope';"],
    ['src/messaging/x.ts', "import { x } from '../store/records';"],
    ['src/ui/panel/x.tsx', "import { x } from '../../dashboard/format';"],
    ['src/ui/x.tsx', "import { x } from '../store/outbox';"],
    ['src/panel/x.tsx', "import { x } from '../store/records';"],
    ['src/dashboard/x.tsx', "import { x } from '../sync/engine';"],
    ['src/dashboard/x.tsx', "import { x } from '../demo/seed-dispositions';"],
    ['src/options/x.tsx', "import { x } from '../background/options';"],
    ['src/background/x.ts', "import { x } from '../../entrypoints/background';"],
    ['src/content/x.ts', "import { x } from '../store/records';"],
  ])('rejects an import up or across: %s %s', async (file, line) => {
    expect(await errors(`${line}\nexport const y = x;`, file)).toContain(RULE);
  });

  it.each([
    ['src/sync/x.ts', "import { x } from '../store/outbox';"],
    ['src/sync/x.ts', "import { x } from '../crm/api';"],
    ['src/background/x.ts', "import { x } from '../sync/engine';"],
    ['src/dashboard/x.tsx', "import { x } from '../store/filters';"],
    ['src/dashboard/x.tsx', "import { x } from '../ui/panel/format';"],
    ['src/store/x.ts', "import { x } from '../domain/config';"],
    ['src/crm/hubspot/x.ts', "import { x } from '../api';"],
    ['src/crm/hubspot/x.ts', "import { x } from '../../domain/config';"],
    ['src/ui/panel/x.tsx', "import { x } from '../../messaging/panel-protocol';"],
    ['src/demo/x.ts', "import { x } from '../store/dispositions';"],
  ])('allows an import downward: %s %s', async (file, line) => {
    expect(await errors(`${line}\nexport const y = x;`, file)).toEqual([]);
  });

  it('leaves test files and testing helpers free to set up what they need', async () => {
    const code = "import { x } from '../demo/seed-dispositions';\nimport { LeadQualifierDb } from '../store/db';\nexport const y = [x, LeadQualifierDb];";
    expect(await errors(code, 'src/dashboard/testing.tsx')).toEqual([]);
    expect(await errors(code, 'src/dashboard/x.test.tsx')).toEqual([]);
  });
});
