/**
 * Checks on catalogs, for tests (`i18n.test.ts`, the CRM folders' `messages.test.ts`); extension code
 * does not import this.
 */

/** Every key path of a catalog; functions are leaves (with their arity), like strings. */
export function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}()${value.length}`];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shape(v, path ? `${path}.${k}` : k)).sort();
  return [`${path}:${typeof value}`];
}

/** The paths of strings that are empty or blank. */
export function emptyStrings(value: unknown, path: string): string[] {
  if (typeof value === 'string') return value.trim() ? [] : [path];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => emptyStrings(v, `${path}.${k}`));
  return [];
}
