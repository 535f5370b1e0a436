import { z } from 'zod';
import { parseConfig, type QualificationConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import type { LeadQualifierDb } from './db';
import { backgroundStrings as t } from '../i18n/background';

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

export async function loadConfig(db: LeadQualifierDb): Promise<LoadedConfig> {
  const row = await db.settings.get(SETTINGS.config);
  if (!row) return { config: defaultConfig() };
  const parsed = parseConfig(row.value);
  if (parsed.ok) return { config: parsed.value };
  const first = parsed.errors[0];
  return { config: defaultConfig(), problem: t.configInvalid(String(first?.path), String(first?.message)) };
}

export async function saveConfig(db: LeadQualifierDb, input: unknown) {
  const parsed = parseConfig(input);
  if (parsed.ok) await db.settings.put({ key: SETTINGS.config, value: parsed.value });
  return parsed;
}

export async function loadRep(db: LeadQualifierDb): Promise<Rep> {
  const row = await db.settings.get(SETTINGS.rep);
  const parsed = repSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_REP;
}
