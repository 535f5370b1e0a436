/**
 * Proves the lint rule that keeps the content script small fires (ADR 0014): no zod, React or Dexie, and
 * no protocol module that bundles zod; types from them are allowed (erased at build).
 */
import { describe, expect, it } from 'vitest';
import { lintErrors as errors } from './lint-snippet';

const RULE = '@typescript-eslint/no-restricted-imports';

describe('the content script stays small (lint)', () => {
  it.each([
    ["import * as z from 'zod/mini';\nexport const x = z;", 'src/content/x.ts'],
    ["import { z } from 'zod';\nexport const x = z;", 'src/content/x.ts'],
    ["import { createRoot } from 'react-dom/client';\nexport const x = createRoot;", 'src/content/x.ts'],
    ["import { pageProtocol } from '../messaging/page-protocol';\nexport const x = pageProtocol;", 'src/content/x.ts'],
    ["import { createClient } from '../src/messaging/client';\nexport const x = createClient;", 'entrypoints/crm.content.ts'],
    ["import { createClient } from '../messaging/client.ts';\nexport const x = createClient;", 'src/content/x.ts'],
    ["import { CHANNEL } from './envelope';\nexport const x = CHANNEL;", 'src/messaging/notifier.ts'],
    ["import * as z from 'zod/mini';\nexport const x = z;", 'src/crm/salesforce/page.ts'],
    ["import Dexie from 'dexie';\nexport const x = Dexie;", 'src/crm/lead-key.ts'],
    ["import * as z from 'zod/mini';\nexport const x = z;", 'src/crm/lead-key.ts'],
    ["import { createRoot } from 'react-dom/client';\nexport const x = createRoot;", 'src/content/entrypoint.ts'],
    ["import * as z from 'zod/mini';\nexport const x = z;", 'src/i18n/page.ts'],
  ])('rejects %s in %s', async (code, file) => {
    expect(await errors(code, file)).toContain(RULE);
  });

  it('leaves the rest of the extension alone, and names that only look alike', async () => {
    expect(await errors("import * as z from 'zod/mini';\nexport const x = z;", 'src/crm/salesforce/api.ts')).not.toContain(RULE);
    expect(await errors("import { createClient } from '../messaging/client';\nexport const x = createClient;", 'src/panel/x.ts')).not.toContain(RULE);
    expect(await errors("import { start } from './router';\nexport const x = start;", 'src/content/x.ts')).not.toContain(RULE);
  });

  it('allows types from the protocol, and the zod-free sender', async () => {
    const code = [
      "import type { PageProtocol } from '../messaging/page-protocol';",
      "import { createNotifier } from '../messaging/notifier';",
      'export const send = createNotifier<PageProtocol>(async () => null);',
    ].join('\n');
    expect(await errors(code, 'src/content/x.ts')).toEqual([]);
  });
});
