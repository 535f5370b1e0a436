import { mirrorManagedConfig } from '../store/settings';
import type { Store } from '../store/store';

/**
 * The team's qualification config pushed by the organisation's browser policy (ADR 0016): Chrome serves
 * it in `storage.managed` under `config` (shape in `public/managed_schema.json`); Firefox from a native
 * manifest or `policies.json`, without a schema. The background copies it into the store, where
 * `loadConfig` (src/store/settings.ts) gives it precedence over the local config, so the panel, scoring,
 * the sync loop and the dashboard (which reads the store itself) all see the same one.
 *
 * Managed storage is read again at worker start-up, on every `storage.onChanged` of area `managed`, and
 * before the options page reads or saves the config. Where the browser has no managed storage, or reading
 * it fails (Firefox rejects when no manifest is installed), there is no policy config.
 */

/** The policy's name in managed storage (the one property of the schema). */
export const MANAGED_CONFIG_KEY = 'config';

/** The part of `browser.storage.managed` read here. */
export interface ManagedArea {
  get(keys: string): Promise<Record<string, unknown>>;
}

/** The part of `browser.storage.onChanged` followed here. */
export interface StorageChangeEvents {
  addListener(callback: (changes: Record<string, unknown>, areaName: string) => void): void;
}

export interface TeamConfigDeps {
  db: Store;
  /** `browser.storage.managed`, looked up on each read: undefined, or throwing, where the browser has none. */
  managed: () => ManagedArea | undefined;
  /** The store could not be written; the next read tries again. */
  onError?: (error: unknown) => void;
}

/** The policy's config as the browser serves it, or undefined: no policy, no managed storage, or a failed read. Never throws. */
export async function readManagedConfig(managed: () => ManagedArea | undefined): Promise<unknown> {
  try {
    const area = managed();
    if (!area) return undefined;
    const items = await area.get(MANAGED_CONFIG_KEY);
    const value: unknown = items?.[MANAGED_CONFIG_KEY];
    return value === null ? undefined : value;
  } catch {
    return undefined;
  }
}

export function createTeamConfig(deps: TeamConfigDeps) {
  // Reads run one after another, so an older read never overwrites a newer one.
  let tail: Promise<void> = Promise.resolve();

  /** Reads managed storage and updates the store's copy; resolves when done (never rejects). */
  function refresh(): Promise<void> {
    tail = tail
      .then(async () => {
        await mirrorManagedConfig(deps.db, await readManagedConfig(deps.managed));
      })
      .catch((e: unknown) => deps.onError?.(e));
    return tail;
  }

  return {
    refresh,
    /** Resolves once the reads started so far are done (before reading the config in force). */
    settled: (): Promise<void> => tail,
    /** Follows policy changes; call while the worker starts (MV3 listeners are registered synchronously). */
    follow(events: StorageChangeEvents) {
      events.addListener((changes, areaName) => {
        if (areaName === 'managed' && MANAGED_CONFIG_KEY in changes) void refresh();
      });
    },
  };
}

export type TeamConfig = ReturnType<typeof createTeamConfig>;
