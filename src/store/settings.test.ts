import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import { freshDb } from '../../test/support/db';
import { configInForce, loadConfig, mirrorManagedConfig, resetConfig, saveConfig, SETTINGS } from './settings';

const teamConfig = (over: { version?: number; sqlReady?: number } = {}) => {
  const c = defaultConfig();
  c.version = over.version ?? 7;
  c.thresholds.sqlReady = over.sqlReady ?? 80;
  return c;
};

describe('which config is in force (issue 16, team configuration)', () => {
  it('the defaults when nothing is stored; the local config when only it is stored', () => {
    expect(configInForce(undefined, undefined)).toEqual({ config: defaultConfig(), source: 'local' });
    expect(configInForce(undefined, teamConfig())).toEqual({ config: teamConfig(), source: 'local' });
  });

  it('a valid policy config wins over the local one', () => {
    const policy = teamConfig({ version: 9, sqlReady: 70 });
    expect(configInForce(policy, teamConfig())).toEqual({ config: policy, source: 'managed' });
  });

  it('an invalid policy config is named and the local config stays in force', () => {
    const bad = { ...teamConfig(), thresholds: { ...teamConfig().thresholds, mql: 95 } };
    const loaded = configInForce(bad, teamConfig());
    expect(loaded.source).toBe('local');
    expect(loaded.config).toEqual(teamConfig());
    expect(loaded.managedProblem).toBe(
      'Your organisation’s policy sets a configuration that is not valid (thresholds.mql: must be below thresholds.sqlReady (80)). This browser’s own settings are in use until your administrator fixes it.',
    );
    expect(configInForce('not a config', undefined)).toMatchObject({ config: defaultConfig(), source: 'local', managedProblem: expect.stringContaining('not valid ((root): ') });
  });

  it('a config saved before it had a version is version 1', () => {
    const { version: _, ...old } = defaultConfig();
    expect(configInForce(undefined, old).config.version).toBe(1);
  });
});

describe('the store keeps both, and local edits cannot override the policy', () => {
  it('refuses to save or reset the local config while the policy’s is in force, and writes nothing', async () => {
    const db = freshDb(`settings-${Math.random()}`);
    expect(await saveConfig(db, teamConfig({ version: 3 }))).toMatchObject({ ok: true });
    await mirrorManagedConfig(db, teamConfig({ version: 9, sqlReady: 70 }));

    expect(await saveConfig(db, teamConfig({ version: 10, sqlReady: 99 }))).toEqual({ ok: false, managed: true, errors: [] });
    expect(await resetConfig(db)).toEqual({ ok: false, managed: true, errors: [] });
    expect(await loadConfig(db)).toEqual({ config: teamConfig({ version: 9, sqlReady: 70 }), source: 'managed' });
    // The local config is as it was: when the policy goes, it is back.
    expect((await db.settings.get(SETTINGS.config))?.value).toEqual(teamConfig({ version: 3 }));
    await mirrorManagedConfig(db, undefined);
    expect(await loadConfig(db)).toEqual({ config: teamConfig({ version: 3 }), source: 'local' });
    expect(await saveConfig(db, teamConfig({ version: 4 }))).toMatchObject({ ok: true });
  });

  it('an invalid policy config does not block local saves, and is kept as it came', async () => {
    const db = freshDb(`settings-${Math.random()}`);
    const bad = { ...teamConfig(), frameworks: [] };
    await mirrorManagedConfig(db, bad);
    expect(await saveConfig(db, teamConfig({ version: 2 }))).toMatchObject({ ok: true });
    expect(await loadConfig(db)).toMatchObject({ config: teamConfig({ version: 2 }), source: 'local', managedProblem: expect.stringContaining('frameworks') });
    expect((await db.settings.get(SETTINGS.managedConfig))?.value).toEqual(bad);
  });

  it('writes the policy copy only when it changed', async () => {
    const db = freshDb(`settings-${Math.random()}`);
    expect(await mirrorManagedConfig(db, undefined)).toBe(false);
    expect(await mirrorManagedConfig(db, teamConfig())).toBe(true);
    expect(await mirrorManagedConfig(db, teamConfig())).toBe(false);
    expect(await mirrorManagedConfig(db, teamConfig({ version: 8 }))).toBe(true);
    expect(await mirrorManagedConfig(db, undefined)).toBe(true);
    expect(await db.settings.get(SETTINGS.managedConfig)).toBeUndefined();
  });
});
