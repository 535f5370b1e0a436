import { describe, expect, it } from 'vitest';
import { isDeclaredApiBase } from '../crm/api-hosts';
import { connectionStore } from '../sync/connections';
import { freshDb } from '../../test/support/db';
import { createOptionsService } from './options';

describe('connecting with a token (issue 18, finding 8)', () => {
  const service = (fetch: typeof globalThis.fetch) => {
    const db = freshDb(`options-${Math.random()}`);
    return createOptionsService({ db, connections: connectionStore(db), engine: { retry: async () => 0 }, wake: () => undefined, includeDemo: false, fetch });
  };

  it.each(['http://api.hubapi.com', 'https://api.hubapi.com.evil.example', 'https://evil.example', 'https://user:pw@api.hubapi.com', 'ftp://api.hubapi.com'])(
    'refuses an API address the CRM does not declare, before any request: %s',
    async (apiBase) => {
      let requests = 0;
      const s = service(async () => {
        requests += 1;
        return new Response('{}');
      });
      await expect(s.handlers['options.connect']({ auth: 'token', crm: 'hubspot', token: 'pat-eu1-x', apiBase }, { role: 'extension_page' })).rejects.toMatchObject({
        code: 'invalid',
        message: expect.stringContaining('not one of HubSpot’s API addresses'),
      });
      expect(requests).toBe(0);
    },
  );

  it('accepts the declared hosts (https) and only those', () => {
    expect(isDeclaredApiBase('hubspot', 'https://api.hubapi.com')).toBe(true);
    expect(isDeclaredApiBase('hubspot', 'https://api.hubspot.com/')).toBe(true);
    expect(isDeclaredApiBase('salesforce', 'https://acme.my.salesforce.com')).toBe(true);
    expect(isDeclaredApiBase('salesforce', 'https://acme.my.salesforce.com.evil.example')).toBe(false);
    expect(isDeclaredApiBase('salesforce', 'http://acme.my.salesforce.com')).toBe(false);
    expect(isDeclaredApiBase('demo', 'http://127.0.0.1:5180')).toBe(true);
    expect(isDeclaredApiBase('nowhere', 'https://api.hubapi.com')).toBe(false);
  });
});
