import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeColumns, encodeColumns, isEncodedRows, type ColumnValue } from './columns';

const KEYS = ['id', 'rep', 'text', 'score', 'at'] as const;
type Row = Record<(typeof KEYS)[number], ColumnValue>;

const row: fc.Arbitrary<Row> = fc.record({
  id: fc.string({ unit: 'grapheme', maxLength: 12 }),
  rep: fc.option(fc.constantFrom('rep-a', 'rep-b', '', 'rép-ç'), { nil: undefined }),
  text: fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 3 })), { nil: undefined }),
  score: fc.option(fc.double(), { nil: undefined }),
  at: fc.option(fc.integer().map((n) => new Date(Date.UTC(2026, 0, 1) + n).toISOString()), { nil: undefined }),
});

describe('columns', () => {
  it('gives back exactly the rows encoded, after a structured clone (as IndexedDB stores it)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), (rows) => {
        const stored = structuredClone(encodeColumns(rows, KEYS));
        expect(isEncodedRows(stored, KEYS)).toBe(true);
        expect(decodeColumns(stored, KEYS)).toEqual(rows);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps repeated values as a dictionary and the rest as one joined string', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ rep: `rep-${i % 5}`, note: `note ${i}`, score: i }));
    const { columns } = encodeColumns(rows, ['rep', 'note', 'score']);
    expect(columns.rep).toMatchObject({ kind: 'dict', values: ['rep-0', 'rep-1', 'rep-2', 'rep-3', 'rep-4'] });
    expect(columns.note.kind).toBe('text');
    expect(columns.score.kind).toBe('number');
    expect(decodeColumns({ length: 1000, columns })).toEqual(rows);
  });

  it('keeps text as UTF-8 bytes, except text with a lone surrogate, and gives both back exactly', () => {
    const rows = Array.from({ length: 300 }, (_, i) => ({ note: `note ${i} — café 👍 ${'x'.repeat(i % 7)}` }));
    const encoded = encodeColumns(rows, ['note']);
    expect(encoded.columns.note).toMatchObject({ kind: 'text' });
    expect((encoded.columns.note as { joined: unknown }).joined).toBeInstanceOf(Uint8Array);
    expect(decodeColumns(structuredClone(encoded))).toEqual(rows);
    const lone = rows.map((r, i) => (i === 5 ? { note: 'broken \ud83d half' } : r));
    const kept = encodeColumns(lone, ['note']);
    expect(typeof (kept.columns.note as { joined: unknown }).joined).toBe('string');
    expect(decodeColumns(structuredClone(kept))).toEqual(lone);
  });

  it('refuses a column that mixes strings and numbers (it would not come back the same)', () => {
    expect(() => encodeColumns([{ v: 1 }, { v: '1' }], ['v'])).toThrow('column "v" mixes number and string');
  });

  it('recognises only well-formed columns', () => {
    const good = encodeColumns([{ a: 'x', n: 1 }], ['a', 'n']);
    expect(isEncodedRows(good, ['a', 'n'])).toBe(true);
    expect(isEncodedRows(good, ['a', 'n', 'missing'])).toBe(false);
    expect(isEncodedRows({ ...good, length: 2 }, ['a', 'n'])).toBe(false);
    expect(isEncodedRows({ length: 1, columns: { a: { kind: 'text', joined: 7, lengths: new Int32Array([1]) } } }, ['a'])).toBe(false);
    // Text and lengths that disagree pass the shape check but are refused when decoded.
    const mismatched = { length: 1, columns: { a: { kind: 'text' as const, joined: 'xy', lengths: new Int32Array([1]) } } };
    expect(isEncodedRows(mismatched, ['a'])).toBe(true);
    expect(() => decodeColumns(mismatched)).toThrow(RangeError);
    expect(isEncodedRows({ length: 1, columns: { a: { kind: 'dict', values: [], codes: new Uint16Array([0]) } } }, ['a'])).toBe(false);
    expect(isEncodedRows(null, [])).toBe(false);
    expect(isEncodedRows('rows', [])).toBe(false);
  });
});
