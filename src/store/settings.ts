import { z } from 'zod';
import { parseConfig, type ConfigError, type ParseResult, type QualificationConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { backgroundStrings as t } from '../i18n/background';
import { tablesOf, type Store } from './store';

/**
 * Team settings in the store's `settings` table: the qualification config and the rep using this
 * browser. A stored config that no longer validates (hand-edited, older schema) is not thrown away: the
 * defaults are used and the problem is reported, so the options page can show it and nothing is lost.
 *
 * The config has two sources (ADR 0016): this browser's own (`config`, edited on the options page) and
 * the organisation's browser policy (`managedConfig`, a copy of `storage.managed` the background keeps,
 * src/background/team-config.ts). `loadConfig` is the one place that decides which is in force: a valid
 * policy config wins; an invalid one is reported and the local config stays in force.
 */

export const SETTINGS = { config: 'config', rep: 'rep', managedConfig: 'managedConfig' } as const;

/**
 * The rep's own name and email, asked once on the options page, and used only when the connected CRM
 * cannot say who its credentials belong to (e.g. a HubSpot private-app token): otherwise decisions are
 * signed with the CRM's own user. Older versions stored `{ id, name }` with a placeholder name: such a
 * row no longer parses, so the options page asks again instead of signing decisions "You".
 */
export const repSchema = z.object({ name: z.string().trim().min(1).max(200), email: z.email().max(320) });
export type Rep = z.infer<typeof repSchema>;

/** Where the config in force comes from: the organisation's browser policy, or this browser's settings. */
export type ConfigSource = 'managed' | 'local';

export interface LoadedConfig {
  config: QualificationConfig;
  source: ConfigSource;
  /** Set when the stored local config was invalid and the defaults are in use. */
  problem?: string;
  /** Set when the policy holds a config that does not validate: the local config is in force meanwhile. */
  managedProblem?: string;
}

const firstError = (errors: readonly ConfigError[]) => errors[0] ?? { path: '', message: '' };

/** Which config is in force, from the two stored values (`undefined`: none stored). */
export function configInForce(managed: unknown, local: unknown): LoadedConfig {
  let managedProblem: string | undefined;
  if (managed !== undefined) {
    const parsed = parseConfig(managed);
    if (parsed.ok) return { config: parsed.value, source: 'managed' };
    const first = firstError(parsed.errors);
    managedProblem = t.managedConfigInvalid(first.path, first.message, parsed.errors.length);
  }
  const withManaged = managedProblem === undefined ? {} : { managedProblem };
  if (local === undefined) return { config: defaultConfig(), source: 'local', ...withManaged };
  const parsed = parseConfig(local);
  if (parsed.ok) return { config: parsed.value, source: 'local', ...withManaged };
  const first = firstError(parsed.errors);
  return { config: defaultConfig(), source: 'local', problem: t.configInvalid(first.path, first.message), ...withManaged };
}

type Db = ReturnType<typeof tablesOf>;

async function storedConfigs(db: Db): Promise<{ managed: unknown; local: unknown }> {
  const [managed, local] = await db.settings.bulkGet([SETTINGS.managedConfig, SETTINGS.config]);
  return { managed: managed?.value, local: local?.value };
}

/** The config in force (policy first, then local, then the defaults); both rows in one read. */
export async function loadConfig(store: Store): Promise<LoadedConfig> {
  const { managed, local } = await storedConfigs(tablesOf(store));
  return configInForce(managed, local);
}

const managedInForce = async (db: Db) => {
  const row = await db.settings.get(SETTINGS.managedConfig);
  return row !== undefined && parseConfig(row.value).ok;
};

/** A local save refused because the organisation's policy config is in force (nothing was written). */
export interface ManagedRefusal {
  ok: false;
  managed: true;
  errors: ConfigError[];
}

/**
 * Saves this browser's own config. Refused while a valid policy config is in force: the policy wins, so
 * a local edit could only ever be shadowed (and would surprise when the policy goes). The check and the
 * write are one transaction.
 */
export async function saveConfig(store: Store, input: unknown): Promise<ParseResult<QualificationConfig> | ManagedRefusal> {
  const db = tablesOf(store);
  const parsed = parseConfig(input);
  return db.transaction('rw', db.settings, async () => {
    if (await managedInForce(db)) return { ok: false as const, managed: true as const, errors: [] };
    if (parsed.ok) await db.settings.put({ key: SETTINGS.config, value: parsed.value });
    return parsed;
  });
}

/** Puts the defaults in place of the local config; refused, like a save, while the policy's is in force. */
export async function resetConfig(store: Store): Promise<{ ok: true } | ManagedRefusal> {
  const db = tablesOf(store);
  return db.transaction('rw', db.settings, async () => {
    if (await managedInForce(db)) return { ok: false as const, managed: true as const, errors: [] };
    await db.settings.put({ key: SETTINGS.config, value: defaultConfig() });
    return { ok: true as const };
  });
}

/**
 * Keeps the store's copy of the policy config as the browser has it: `undefined` (no policy, or managed
 * storage unavailable) removes the copy. Kept as it came, valid or not, so `loadConfig` can name the
 * problem; written only when it changed. Resolves to whether it changed.
 */
export async function mirrorManagedConfig(store: Store, value: unknown): Promise<boolean> {
  const db = tablesOf(store);
  return db.transaction('rw', db.settings, async () => {
    const row = await db.settings.get(SETTINGS.managedConfig);
    if (value === undefined) {
      if (row === undefined) return false;
      await db.settings.delete(SETTINGS.managedConfig);
      return true;
    }
    if (row !== undefined && JSON.stringify(row.value) === JSON.stringify(value)) return false;
    await db.settings.put({ key: SETTINGS.managedConfig, value });
    return true;
  });
}

export async function saveRep(store: Store, rep: Rep): Promise<void> {
  const db = tablesOf(store);
  await db.settings.put({ key: SETTINGS.rep, value: rep });
}

/**
 * A setting that another layer owns the shape of (CRM connections, import progress): the store keeps the
 * value, the owner parses it. `updateSetting` reads and writes in one transaction, so two updates in a
 * row (a token refresh while the options page saves a mapping) never lose one another.
 */
export async function readSetting(store: Store, key: string): Promise<unknown> {
  const db = tablesOf(store);
  return (await db.settings.get(key))?.value;
}

export function writeSetting(store: Store, key: string, value: unknown): Promise<void> {
  const db = tablesOf(store);
  return db.settings.put({ key, value }).then(() => undefined);
}

export function updateSetting(store: Store, key: string, change: (value: unknown) => unknown): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', db.settings, async () => {
    const value = change((await db.settings.get(key))?.value);
    await db.settings.put({ key, value });
  });
}

export async function loadRep(store: Store): Promise<Rep | undefined> {
  const db = tablesOf(store);
  const row = await db.settings.get(SETTINGS.rep);
  const parsed = repSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : undefined;
}
