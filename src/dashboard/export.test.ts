import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../domain/defaults';
import type { DispositionRecord } from '../store/records';
import { dispositionsCsv, FORMULA_START } from './export';

/** The note column of a one-row export, as a spreadsheet would read the cell. */
function exportedNote(note: string): string {
  return exported({ noteSearch: note }).at(-1)!;
}

/** A one-row export, parsed back: the header line and the row's line. */
function exportedLines(patch: Partial<DispositionRecord>): [string[], string[]] {
  const parsed = Papa.parse<string[]>(dispositionsCsv([{ ...baseRow(), ...patch }], defaultConfig()).replace(/^\uFEFF/, ''), { skipEmptyLines: true });
  return [parsed.data[0]!, parsed.data[1]!];
}
const exported = (patch: Partial<DispositionRecord>) => exportedLines(patch)[1];

function baseRow(): DispositionRecord {
  return { id: 'd1', leadKey: 'k', crm: 'demo', recordId: 'L-1', leadName: 'Dana', company: 'Acme', repId: 'r', repName: 'Ana', outcome: 'reject', reasonCode: '', rev: 1, decidedAt: '2026-11-20T12:00:00Z', day: '2026-11-20', updatedAt: '2026-11-20T12:00:00Z', source: '', campaign: '', score: -5, fit: 0, engagement: 0, scoreBand: 0, frameworkId: 'bant', slaState: 'met', previousOutcomes: [], noteSearch: '', origin: 'local', sync: 'synced' } as unknown as DispositionRecord;
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

describe('CSV export: the audit columns', () => {
  const cell = (patch: Partial<DispositionRecord>, column: string) => {
    const [header, line] = exportedLines(patch);
    expect(header).toContain(column);
    return line[header.indexOf(column)];
  };

  it('has the config version, the recommendation, whether it was overridden and the trust of CRM revisions', () => {
    const row: Partial<DispositionRecord> = { configVersion: 3, recommended: 'sql', override: true, trust: 'unconfirmed' };
    expect(cell(row, 'Config version')).toBe('3');
    expect(cell(row, 'Recommended')).toBe('SQL');
    expect(cell(row, 'Override')).toBe('Yes');
    expect(cell(row, 'Trust (read from the CRM)')).toBe('Not confirmed');
    expect(cell({ recommended: 'disqualify', override: false, trust: 'flagged' }, 'Override')).toBe('No');
    expect(cell({ trust: 'flagged' }, 'Trust (read from the CRM)')).toBe('Flagged');
  });

  it('leaves them empty on rows saved before they were recorded, or made on this device', () => {
    for (const column of ['Config version', 'Recommended', 'Override', 'Trust (read from the CRM)']) expect(cell({}, column)).toBe('');
  });

  it('keeps the note last, and defuses formulas in an unknown recommendation too', () => {
    const [header] = exportedLines({});
    expect(header.at(-1)).toBe('Note (lower-case)');
    expect(cell({ recommended: '=1+1' }, 'Recommended')).toBe("'=1+1");
  });
});
