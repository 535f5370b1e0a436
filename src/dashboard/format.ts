import type { QualificationConfig } from '../domain/config';
import { UNASSIGNED_REP, UNSPECIFIED_REASON } from '../domain/kpis';
import { formatDuration } from '../domain/sla';
import { strings as t } from './strings';

/** Small wording helpers over the team config. Dates and counts come from the panel's `useFormat`. */

/** "31%", "4.5%" under 10, or "—" for no value. */
export function percent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return t.notApplicable;
  const p = share * 100;
  return `${Math.abs(p) < 10 && p !== 0 ? p.toFixed(1) : Math.round(p)}%`;
}

/** "+25%" / "−10%" for a change. */
export function signedPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return t.notApplicable;
  const text = percent(Math.abs(share));
  return share > 0 ? `+${text}` : share < 0 ? `\u2212${text}` : text;
}

export function duration(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? t.notApplicable : formatDuration(ms);
}

export function reasonLabel(config: Pick<QualificationConfig, 'reasonCodes'>, code: string): string {
  if (!code || code === UNSPECIFIED_REASON) return t.unspecifiedReason;
  return config.reasonCodes.find((r) => r.code === code)?.label ?? code;
}

export function frameworkLabel(config: Pick<QualificationConfig, 'frameworks'>, id: string): string {
  return config.frameworks.find((f) => f.id === id)?.label ?? id;
}

export function repLabel(reps: readonly { id: string; name: string }[] | undefined, id: string): string {
  if (id === UNASSIGNED_REP) return t.unassigned;
  return reps?.find((r) => r.id === id)?.name ?? id;
}

export function bandLabel(from: number): string {
  return t.band(from, from >= 80 ? 100 : from + 19);
}

/** A source or campaign value for people: '' is "(none)". */
export function groupLabel(value: string): string {
  return value === '' ? t.none : value;
}
