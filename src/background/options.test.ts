import { describe, expect, it } from 'vitest';
import { isDeclaredApiBase } from '../crm/api-hosts';
import { connectionStore } from '../sync/connections';
import { freshDb } from '../../test/support/db';
import { defaultConfig } from '../domain/defaults';
import { createOptionsService } from './options';
import { createTeamConfig } from './team-config';

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

describe('the team config from the organisation’s policy (issue 16, ADR 0016)', () => {
  const ctx = { role: 'extension_page' } as const;
  const version = (v: number, sqlReady = 65) => ({ ...defaultConfig(), version: v, thresholds: { ...defaultConfig().thresholds, sqlReady } });
  /** The options service over a store and a managed-storage stub the test sets as the admin would. */
  const setup = () => {
    const db = freshDb(`options-${Math.random()}`);
    const area = { value: undefined as unknown, get: async () => ({ config: area.value }) };
    const teamConfig = createTeamConfig({ db, managed: () => area });
    const s = createOptionsService({ db, connections: connectionStore(db), engine: { retry: async () => 0 }, wake: () => undefined, includeDemo: false, teamConfig });
    return { area, h: s.handlers };
  };

  it('shows the policy config as managed, refuses local saves and resets, and the local config comes back when the policy goes', async () => {
    const { area, h } = setup();
    await h['options.saveConfig']({ config: version(3) }, ctx);
    area.value = version(9, 80);

    expect(await h['options.getOverview']({}, ctx)).toMatchObject({ config: version(9, 80), configSource: 'managed' });
    await expect(h['options.saveConfig']({ config: version(10, 99) }, ctx)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Your organisation’s policy sets these settings, so they cannot be changed here. Ask your administrator to change the policy.',
    });
    await expect(h['options.resetConfig']({}, ctx)).rejects.toMatchObject({ code: 'forbidden' });
    expect(await h['options.getOverview']({}, ctx)).toMatchObject({ config: version(9, 80), configSource: 'managed' });

    area.value = undefined;
    const after = await h['options.getOverview']({}, ctx);
    expect(after).toMatchObject({ config: version(3), configSource: 'local' });
    expect(after.managedProblem).toBeUndefined();
  });

  it('an invalid policy config: the problem is shown, the local config is in force and can still be saved', async () => {
    const { area, h } = setup();
    await h['options.saveConfig']({ config: version(3) }, ctx);
    area.value = { ...version(9), nextSteps: [] };
    const o = await h['options.getOverview']({}, ctx);
    expect(o).toMatchObject({ config: version(3), configSource: 'local', managedProblem: expect.stringContaining('nextSteps') });
    expect(await h['options.saveConfig']({ config: version(4) }, ctx)).toEqual({ ok: true });
    expect((await h['options.getOverview']({}, ctx)).config.version).toBe(4);
  });

  it('without managed storage (or where reading it fails) the local config is simply in force', async () => {
    const db = freshDb(`options-${Math.random()}`);
    const teamConfig = createTeamConfig({ db, managed: () => ({ get: () => Promise.reject(new Error('Managed storage manifest not found')) }) });
    const s = createOptionsService({ db, connections: connectionStore(db), engine: { retry: async () => 0 }, wake: () => undefined, includeDemo: false, teamConfig });
    expect(await s.handlers['options.saveConfig']({ config: version(2) }, ctx)).toEqual({ ok: true });
    expect(await s.handlers['options.getOverview']({}, ctx)).toMatchObject({ config: version(2), configSource: 'local' });
  });
});
