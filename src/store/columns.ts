/**
 * Rows of flat values stored column by column, for caches of many small rows (the dashboard keeps a
 * summary of 100,000 decisions). IndexedDB clones a handful of long strings and typed arrays far faster
 * than 100,000 objects, in both directions: one record of columns is read in tens of milliseconds where
 * the same rows as objects take over a second.
 *
 * - A string column with few distinct values (rep, outcome, day…) is a dictionary and one code per row.
 * - Any other string column is every value joined into one string and each value's length (-1 for a
 *   missing value), so any text round-trips exactly: nothing is used as a separator.
 * - A number column is a Float64Array, with a mask of the missing values when there are any.
 *
 * Pure: no storage here. `decodeColumns` gives back rows equal to the ones encoded (for the given keys).
 */

export type ColumnValue = string | number | undefined;

export type EncodedColumn =
  | { kind: 'dict'; values: (string | undefined)[]; codes: Uint16Array }
  | { kind: 'text'; joined: string; lengths: Int32Array }
  | { kind: 'number'; values: Float64Array; missing?: Uint8Array };

export interface EncodedRows<K extends string> {
  length: number;
  columns: Record<K, EncodedColumn>;
}

const MAX_DICT = 0xffff;

function encodeStrings(values: readonly (string | undefined)[]): EncodedColumn {
  const codes = new Uint16Array(values.length);
  const dict = new Map<string | undefined, number>();
  const ordered: (string | undefined)[] = [];
  // A dictionary pays off while it stays small against the rows (few distinct values repeated).
  const limit = Math.min(MAX_DICT, Math.max(16, values.length >> 2));
  let i = 0;
  for (; i < values.length; i++) {
    const v = values[i];
    let code = dict.get(v);
    if (code === undefined) {
      if (ordered.length >= limit) break;
      code = ordered.length;
      dict.set(v, code);
      ordered.push(v);
    }
    codes[i] = code;
  }
  if (i === values.length) return { kind: 'dict', values: ordered, codes };
  const lengths = new Int32Array(values.length);
  const parts: string[] = [];
  values.forEach((v, j) => {
    lengths[j] = v === undefined ? -1 : v.length;
    if (v !== undefined) parts.push(v);
  });
  return { kind: 'text', joined: parts.join(''), lengths };
}

function encodeNumbers(values: readonly (number | undefined)[]): EncodedColumn {
  const out = new Float64Array(values.length);
  let missing: Uint8Array | undefined;
  values.forEach((v, i) => {
    if (v === undefined) {
      missing ??= new Uint8Array(values.length);
      missing[i] = 1;
    } else out[i] = v;
  });
  return missing ? { kind: 'number', values: out, missing } : { kind: 'number', values: out };
}

/**
 * Encodes the given keys of every row. A column's values must all be strings or all numbers (or
 * missing); a column mixing both is refused, since it would not come back as it went in.
 */
export function encodeColumns<K extends string>(rows: readonly Readonly<Record<K, ColumnValue>>[], keys: readonly K[]): EncodedRows<K> {
  const columns = {} as Record<K, EncodedColumn>;
  for (const key of keys) {
    const values = rows.map((r) => r[key]);
    const types = new Set(values.filter((v) => v !== undefined).map((v) => typeof v));
    if (types.size > 1 || [...types].some((t) => t !== 'string' && t !== 'number')) {
      throw new TypeError(`column "${key}" mixes ${[...types].join(' and ')}: store one type per column`);
    }
    columns[key] = types.has('number') ? encodeNumbers(values as (number | undefined)[]) : encodeStrings(values as (string | undefined)[]);
  }
  return { length: rows.length, columns };
}

/** One column's values, position for position. */
export function decodeColumn(column: EncodedColumn, length: number): ColumnValue[] {
  const out: ColumnValue[] = new Array<ColumnValue>(length);
  if (column.kind === 'dict') {
    for (let i = 0; i < length; i++) out[i] = column.values[column.codes[i]!];
  } else if (column.kind === 'text') {
    let at = 0;
    for (let i = 0; i < length; i++) {
      const n = column.lengths[i]!;
      if (n < 0) out[i] = undefined;
      else {
        out[i] = column.joined.slice(at, at + n);
        at += n;
      }
    }
  } else {
    for (let i = 0; i < length; i++) out[i] = column.missing?.[i] ? undefined : column.values[i];
  }
  return out;
}

/** The rows back, as objects with the encoded keys (missing values as undefined properties). */
export function decodeColumns<K extends string>(encoded: EncodedRows<K>, keys: readonly K[] = Object.keys(encoded.columns) as K[]): Record<K, ColumnValue>[] {
  const columns = keys.map((k) => [k, decodeColumn(encoded.columns[k], encoded.length)] as const);
  const rows: Record<K, ColumnValue>[] = new Array(encoded.length);
  for (let i = 0; i < encoded.length; i++) {
    const row = {} as Record<K, ColumnValue>;
    for (const [k, values] of columns) row[k] = values[i];
    rows[i] = row;
  }
  return rows;
}

/** Whether a stored value has the shape `encodeColumns` writes (a cache from another version is not used). */
export function isEncodedRows<K extends string>(value: unknown, keys: readonly K[]): value is EncodedRows<K> {
  if (!value || typeof value !== 'object') return false;
  const v = value as { length?: unknown; columns?: Record<string, unknown> };
  if (typeof v.length !== 'number' || !Number.isInteger(v.length) || v.length < 0 || !v.columns || typeof v.columns !== 'object') return false;
  const n = v.length;
  return keys.every((k) => {
    const c = v.columns![k] as EncodedColumn | undefined;
    if (!c || typeof c !== 'object') return false;
    if (c.kind === 'dict') return c.codes instanceof Uint16Array && c.codes.length === n && Array.isArray(c.values) && c.codes.every((code) => code < c.values.length);
    if (c.kind === 'text') {
      if (!(c.lengths instanceof Int32Array) || c.lengths.length !== n || typeof c.joined !== 'string') return false;
      let total = 0;
      for (const len of c.lengths) total += Math.max(0, len);
      return total === c.joined.length;
    }
    if (c.kind === 'number') return c.values instanceof Float64Array && c.values.length === n && (c.missing === undefined || (c.missing instanceof Uint8Array && c.missing.length === n));
    return false;
  });
}
