import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { z } from 'zod';
import { configSchema, type QualificationConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { loadConfig, saveConfig } from '../store/settings';
import { freshDb } from '../../test/support/db';
import { createTeamConfig, MANAGED_CONFIG_KEY, readManagedConfig, type ManagedArea } from './team-config';

const policy = (version = 9, sqlReady = 70): QualificationConfig => {
  const c = defaultConfig();
  c.version = version;
  c.thresholds.sqlReady = sqlReady;
  return c;
};
const local = () => ({ ...defaultConfig(), version: 3 });

/** A store with a local config saved, and the team config following the fake browser's managed storage. */
async function setup() {
  const db = freshDb(`team-config-${Math.random()}`);
  await saveConfig(db, local());
  const team = createTeamConfig({ db, managed: () => fakeBrowser.storage.managed });
  return { db, team };
}

describe('the policy config from storage.managed (issue 16, ADR 0016)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is read at start-up and wins over the local config', async () => {
    const { db, team } = await setup();
    await fakeBrowser.storage.managed.set({ [MANAGED_CONFIG_KEY]: policy() });
    await team.refresh();
    expect(await loadConfig(db)).toEqual({ config: policy(), source: 'managed' });
  });

  it('follows storage.onChanged of area managed: a new policy, a changed one, and its removal', async () => {
    const { db, team } = await setup();
    team.follow(fakeBrowser.storage.onChanged);
    await team.refresh();
    expect(await loadConfig(db)).toMatchObject({ config: local(), source: 'local' });

    await fakeBrowser.storage.managed.set({ [MANAGED_CONFIG_KEY]: policy() });
    await team.settled();
    expect(await loadConfig(db)).toEqual({ config: policy(), source: 'managed' });

    await fakeBrowser.storage.managed.set({ [MANAGED_CONFIG_KEY]: policy(10, 75) });
    await team.settled();
    expect((await loadConfig(db)).config.version).toBe(10);

    await fakeBrowser.storage.managed.remove(MANAGED_CONFIG_KEY);
    await team.settled();
    // Nothing local was lost while the policy was in force.
    expect(await loadConfig(db)).toEqual({ config: local(), source: 'local' });
  });

  it('ignores changes in other areas and to other keys', async () => {
    const { team } = await setup();
    const get = vi.spyOn(fakeBrowser.storage.managed, 'get');
    team.follow(fakeBrowser.storage.onChanged);
    await fakeBrowser.storage.local.set({ [MANAGED_CONFIG_KEY]: policy() });
    await fakeBrowser.storage.managed.set({ somethingElse: true });
    await team.settled();
    expect(get).not.toHaveBeenCalled();
  });

  it('an invalid policy config is reported, kept as it came, and the local config stays in force', async () => {
    const { db, team } = await setup();
    await fakeBrowser.storage.managed.set({ [MANAGED_CONFIG_KEY]: { ...policy(), scoring: { ...policy().scoring, fitMax: 90 } } });
    await team.refresh();
    const loaded = await loadConfig(db);
    expect(loaded).toMatchObject({ config: local(), source: 'local' });
    expect(loaded.managedProblem).toContain('scoring.engagementMax: fitMax + engagementMax must be 100 (now 140)');
    // Local edits still save while the policy's config is not in force.
    expect(await saveConfig(db, { ...local(), version: 4 })).toMatchObject({ ok: true });
  });

  it('where managed storage is missing, throws or rejects (Firefox without a manifest), there is no policy config', async () => {
    const firefox: ManagedArea = { get: () => Promise.reject(new Error('Managed storage manifest not found')) };
    expect(await readManagedConfig(() => undefined)).toBeUndefined();
    expect(await readManagedConfig(() => firefox)).toBeUndefined();
    expect(
      await readManagedConfig(() => {
        throw new Error('storage.managed is not available');
      }),
    ).toBeUndefined();
    expect(await readManagedConfig(() => ({ get: async () => ({}) }))).toBeUndefined();

    // A copy from an earlier policy is dropped when managed storage cannot be read any more.
    const db = freshDb(`team-config-${Math.random()}`);
    await createTeamConfig({ db, managed: () => ({ get: async () => ({ config: policy() }) }) }).refresh();
    expect((await loadConfig(db)).source).toBe('managed');
    const onError = vi.fn();
    await createTeamConfig({ db, managed: () => firefox, onError }).refresh();
    expect(await loadConfig(db)).toEqual({ config: defaultConfig(), source: 'local' });
    expect(onError).not.toHaveBeenCalled();
  });

  it('reads one after another, so a slow earlier read never overwrites a later one', async () => {
    const db = freshDb(`team-config-${Math.random()}`);
    const answers: ((v: Record<string, unknown>) => void)[] = [];
    const area: ManagedArea = { get: () => new Promise((resolve) => answers.push(resolve)) };
    const team = createTeamConfig({ db, managed: () => area });
    const first = team.refresh();
    const second = team.refresh();
    await vi.waitFor(() => expect(answers).toHaveLength(1));
    answers[0]!({ config: policy(9) });
    await first;
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    answers[1]!({ config: policy(10) });
    await second;
    expect((await loadConfig(db)).config.version).toBe(10);
  });
});

// --- public/managed_schema.json: what Chrome accepts, and that it declares every field of the config ---

type JsonSchema = { type?: string; $ref?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; [k: string]: unknown };
const managedSchema = JSON.parse(readFileSync(join(import.meta.dirname, '../../public/managed_schema.json'), 'utf8')) as JsonSchema;

/** The attributes Chrome's policy schema parser accepts per type (components/policy/core/common/schema.cc). */
const CHROME_ATTRIBUTES: Record<string, string[]> = {
  array: ['description', 'id', 'items', 'sensitiveValue', 'title', 'type'],
  boolean: ['description', 'id', 'sensitiveValue', 'title', 'type'],
  integer: ['description', 'enum', 'id', 'maximum', 'minimum', 'sensitiveValue', 'title', 'type'],
  number: ['description', 'id', 'sensitiveValue', 'title', 'type'],
  object: ['additionalProperties', 'description', 'id', 'patternProperties', 'properties', 'required', 'sensitiveValue', 'title', 'type'],
  string: ['description', 'enum', 'id', 'pattern', 'sensitiveValue', 'title', 'type'],
};

function chromeSchemaProblems(s: JsonSchema, path: string): string[] {
  if (typeof s.type !== 'string' || !(s.type in CHROME_ATTRIBUTES)) return [`${path}: needs one type Chrome knows`];
  const out = Object.keys(s)
    .filter((k) => !CHROME_ATTRIBUTES[s.type!]!.includes(k))
    .map((k) => `${path}: attribute ${k} is not allowed for ${s.type}`);
  if (s.type === 'array') return s.items ? [...out, ...chromeSchemaProblems(s.items, `${path}[]`)] : [...out, `${path}: an array needs items`];
  for (const [k, p] of Object.entries(s.properties ?? {})) out.push(...chromeSchemaProblems(p, `${path}.${k}`));
  return out;
}

/**
 * What Chrome does with a policy value before `storage.managed` serves it (`Schema::Normalize` with
 * SCHEMA_ALLOW_UNKNOWN): properties the schema does not declare are dropped; a wrong type drops it all.
 */
function chromeNormalize(s: JsonSchema, v: unknown): { ok: boolean; value?: unknown } {
  switch (s.type) {
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false };
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const p = s.properties?.[k];
        if (!p) continue;
        const r = chromeNormalize(p, x);
        if (!r.ok) return { ok: false };
        out[k] = r.value;
      }
      return { ok: true, value: out };
    }
    case 'array': {
      if (!Array.isArray(v)) return { ok: false };
      const items = v.map((x) => chromeNormalize(s.items!, x));
      return items.every((r) => r.ok) ? { ok: true, value: items.map((r) => r.value) } : { ok: false };
    }
    case 'integer':
      return { ok: Number.isInteger(v), value: v };
    case 'number':
      return { ok: typeof v === 'number', value: v };
    default:
      return { ok: typeof v === s.type, value: v };
  }
}

type AnyZod = z.core.$ZodType & { isInt?: boolean };
/** Where the JSON schema and the zod schema disagree on a field (missing, extra, or of another type). */
function driftFrom(zs: AnyZod, js: JsonSchema | undefined, path: string): string[] {
  const def = zs._zod.def as unknown as { type: string; innerType?: AnyZod; shape?: Record<string, AnyZod>; element?: AnyZod; options?: AnyZod[]; values?: unknown[] };
  if (!js) return [`${path}: not in the managed schema`];
  const is = (type: string) => (js.type === type ? [] : [`${path}: ${js.type} in the managed schema, ${type} in zod`]);
  switch (def.type) {
    case 'optional':
    case 'default':
      return driftFrom(def.innerType!, js, path);
    case 'object':
    case 'union': {
      const objects = def.type === 'union' ? def.options! : [zs];
      const shapes = objects.map((o) => (o._zod.def as unknown as { shape: Record<string, AnyZod> }).shape);
      const known = new Set(shapes.flatMap((s) => Object.keys(s)));
      const extra = Object.keys(js.properties ?? {})
        .filter((k) => !known.has(k))
        .map((k) => `${path}.${k}: not in zod`);
      return [...is('object'), ...extra, ...shapes.flatMap((shape) => Object.entries(shape).flatMap(([k, f]) => driftFrom(f, js.properties?.[k], `${path}.${k}`)))];
    }
    case 'array':
      return [...is('array'), ...driftFrom(def.element!, js.items, `${path}[]`)];
    case 'string':
    case 'enum':
      return is('string');
    case 'boolean':
      return is('boolean');
    case 'number':
      return is(zs.isInt ? 'integer' : 'number');
    case 'literal':
      return is(Number.isInteger(def.values?.[0]) ? 'integer' : typeof def.values?.[0]);
    default:
      return [`${path}: zod type ${def.type} not handled here`];
  }
}

/** A config that uses every optional field and every kind of condition. */
function everyField(): QualificationConfig {
  const c = defaultConfig();
  c.frameworks[0]!.criteria[0]!.disconfirmedReason = c.reasonCodes[0]!.code;
  c.reasonCodes[0] = { ...c.reasonCodes[0]!, subReasons: ['A sub-reason'], minAttempts: 3 };
  c.scoring.fitRules.push(
    { id: 'kw', label: 'Keywords', points: 1, when: { kind: 'keywords', field: 'title', words: ['vp'] }, group: 'g' },
    { id: 'one', label: 'One of', points: 1, when: { kind: 'oneOf', field: 'industry', values: ['Software'] } },
    { id: 'rng', label: 'Range', points: 1, when: { kind: 'range', field: 'companySize', min: 0.5, max: 10 } },
    { id: 'icp_x', label: 'ICP', points: 1, when: { kind: 'icp', dimension: 'region' } },
    { id: 'dom', label: 'Domain', points: 1, when: { kind: 'emailDomain', domains: ['example.com'] } },
    { id: 'cust', label: 'Customer', points: 1, when: { kind: 'existingCustomer' } },
    { id: 'act', label: 'Activity', points: 1, when: { kind: 'activity', type: 'webinar' } },
  );
  return configSchema.parse(c);
}

describe('public/managed_schema.json', () => {
  it('is a schema Chrome loads: a top-level object of policies, without additionalProperties, one `config` policy', () => {
    expect(managedSchema.type).toBe('object');
    expect(managedSchema).not.toHaveProperty('additionalProperties');
    expect(Object.keys(managedSchema.properties ?? {})).toEqual([MANAGED_CONFIG_KEY]);
    expect(chromeSchemaProblems(managedSchema, '(root)')).toEqual([]);
  });

  it('declares every field of the config with zod’s type, so Chrome drops none of them', () => {
    expect(driftFrom(configSchema as AnyZod, managedSchema.properties?.[MANAGED_CONFIG_KEY], 'config')).toEqual([]);
    // The check itself notices a field missing, an extra one and a type changed.
    const drifted = structuredClone(managedSchema.properties![MANAGED_CONFIG_KEY]!);
    delete drifted.properties!.version;
    drifted.properties!.limits!.properties!.extra = { type: 'string' };
    drifted.properties!.sla!.properties!.mqlMinutes = { type: 'integer' };
    expect(driftFrom(configSchema as AnyZod, drifted, 'config').sort()).toEqual([
      'config.limits.extra: not in zod',
      'config.sla.mqlMinutes: integer in the managed schema, number in zod',
      'config.version: not in the managed schema',
    ]);
    for (const config of [defaultConfig(), everyField()]) {
      const plain = JSON.parse(JSON.stringify(config)) as unknown;
      expect(chromeNormalize(managedSchema, { config: plain })).toEqual({ ok: true, value: { config: plain } });
    }
  });

  it('states shapes, not rules: a config Chrome passes may still be refused, and the extension names why', () => {
    // No minimum, maximum, enum, pattern or required: such a value would be dropped silently by Chrome.
    expect(JSON.stringify(managedSchema)).not.toMatch(/"(minimum|maximum|enum|pattern|required)"/);
    const outOfRange = { ...defaultConfig(), thresholds: { ...defaultConfig().thresholds, sqlReady: 500 } };
    expect(chromeNormalize(managedSchema, { config: outOfRange }).ok).toBe(true);
  });
});
