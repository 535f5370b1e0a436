import { z } from 'zod';
import { parseConfig, type QualificationConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { backgroundStrings as t } from '../i18n/background';
import { tablesOf, type Store } from './store';

/**
 * Team settings in the store's `settings` table: the qualification config and the rep using this
 * browser. A stored config that no longer validates (hand-edited, older schema) is not thrown away: the
 * defaults are used and the problem is reported, so the options page can show it and nothing is lost.
 */

export const SETTINGS = { config: 'config', rep: 'rep' } as const;

export const repSchema = z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(200) });
export type Rep = z.infer<typeof repSchema>;

export const DEFAULT_REP: Rep = { id: 'me', name: 'You' };

export interface LoadedConfig {
  config: QualificationConfig;
  /** Set when the stored config was invalid and the defaults are in use. */
  problem?: string;
}

export async function loadConfig(store: Store): Promise<LoadedConfig> {
  const db = tablesOf(store);
  const row = await db.settings.get(SETTINGS.config);
  if (!row) return { config: defaultConfig() };
  const parsed = parseConfig(row.value);
  if (parsed.ok) return { config: parsed.value };
  const first = parsed.errors[0];
  return { config: defaultConfig(), problem: t.configInvalid(String(first?.path), String(first?.message)) };
}

export async function saveConfig(store: Store, input: unknown) {
  const db = tablesOf(store);
  const parsed = parseConfig(input);
  if (parsed.ok) await db.settings.put({ key: SETTINGS.config, value: parsed.value });
  return parsed;
}

export async function resetConfig(store: Store): Promise<void> {
  const db = tablesOf(store);
  await db.settings.put({ key: SETTINGS.config, value: defaultConfig() });
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

export async function loadRep(store: Store): Promise<Rep> {
  const db = tablesOf(store);
  const row = await db.settings.get(SETTINGS.rep);
  const parsed = repSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_REP;
}
