import type { Plugin } from 'vite';

export interface StepSpec {
  file: RegExp;
  all?: string;
  functions?: Record<string, string>;
  statements?: { within?: string; from: string; to: string; step: string }[];
  calibrate?: string;
}
export const STEP_SPECS: StepSpec[];
export function instrumentSource(code: string, id: string, specs?: StepSpec[]): string | null;
export function stepMarkers(): Plugin;
