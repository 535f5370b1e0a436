/**
 * Small readers for what a CRM answers, shared by the API modules (`src/crm/<name>/`): they never trust
 * a body's types, so a field of the wrong kind reads as absent.
 */

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A non-blank string, trimmed; anything else is undefined. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** At most `max` characters of a value the profile bounds. */
export const clip = (s: string | undefined, max: number) => (s === undefined ? undefined : s.slice(0, max));
