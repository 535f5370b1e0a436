import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import type { DispositionRecord } from '../store/records';
import { dispositionsCsv, FORMULA_START } from './export';

/** The note column of a one-row export, as a spreadsheet would read the cell. */
function exportedNote(note: string): string {
  const row = { id: 'd1', leadKey: 'k', crm: 'demo', recordId: 'L-1', leadName: 'Dana', company: 'Acme', repId: 'r', repName: 'Ana', outcome: 'reject', reasonCode: '', rev: 1, decidedAt: '2026-11-20T12:00:00Z', day: '2026-11-20', updatedAt: '2026-11-20T12:00:00Z', source: '', campaign: '', score: -5, fit: 0, engagement: 0, scoreBand: 0, frameworkId: 'bant', slaState: 'met', previousOutcomes: [], noteSearch: note, origin: 'local', sync: 'synced' } as unknown as DispositionRecord;
  const parsed = Papa.parse<string[]>(dispositionsCsv([row], defaultConfig()).replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  return parsed.data[1]!.at(-1)!;
}

describe('CSV export: no cell runs as a formula', () => {
  it.each([
    '=HYPERLINK("http://x.example","click")\nsecond line',
    '=1+1',
    '+1',
    '-1+2',
    '@SUM(A1)',
    '\t=1',
    '\r=1',
    '\n=1',
    '  =1',
    '\u3000=1',
    '\uFF1D1+1',
    '\uFF0B1',
    '\uFF0D1',
    '\uFF20SUM(A1)',
    '=cmd|\' /C calc\'!A0\r\nmore',
  ])('defuses %j', (note) => {
    expect(exportedNote(note)).toBe(`'${note}`);
  });

  it.each(['Budget approved', 'call back in Q2', '40k = budget', 'a-b', '1 + 1'])('leaves ordinary text alone: %j', (note) => {
    expect(exportedNote(note)).toBe(note);
    expect(FORMULA_START.test(note)).toBe(false);
  });
});
