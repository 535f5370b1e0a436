/**
 * Rows of flat values stored column by column, for caches of many small rows (the dashboard keeps a
 * summary of 100,000 decisions). IndexedDB clones a handful of long strings and typed arrays far faster
 * than 100,000 objects, in both directions: one record of columns is read in tens of milliseconds where
 * the same rows as objects take over a second.
 *
 * - A string column with few distinct values (rep, outcome, day…) is a dictionary and one code per row.
 * - Any other string column is every value joined into one string and each value's length (-1 for a
 *   missing value), so any text round-trips exactly: nothing is used as a separator. The joined string is
 *   kept as UTF-8 bytes: IndexedDB copies bytes far faster than it serialises a long string (10 MB of
 *   text took it hundreds of ms on the page's thread). Text that is not well-formed UTF-16 (a lone
 *   surrogate) stays a string, since UTF-8 cannot carry it.
 * - A number column is a Float64Array, with a mask of the missing values when there are any.
 *
 * Pure: no storage here. `decodeColumns` gives back rows equal to the ones encoded (for the given keys).
 */

export type ColumnValue = string | number | undefined;

export type EncodedColumn =
  | { kind: 'dict'; values: (string | undefined)[]; codes: Uint16Array }
  | { kind: 'text'; joined: string | Uint8Array; lengths: Int32Array }
  | { kind: 'number'; values: Float64Array; missing?: Uint8Array };

export interface EncodedRows<K extends string> {
  length: number;
  columns: Record<K, EncodedColumn>;
}

const MAX_DICT = 0xffff;

type Get = (i: number) => ColumnValue;

/** No lone surrogates (what `String.prototype.isWellFormed` says, where it exists). */
function isWellFormed(text: string): boolean {
  const native = (text as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function encodeStrings(get: Get, length: number): EncodedColumn {
  const codes = new Uint16Array(length);
  const dict = new Map<string | undefined, number>();
  const ordered: (string | undefined)[] = [];
  // A dictionary pays off while it stays small against the rows (few distinct values repeated). A
  // sample of the first values tells most columns of unique values (ids, text) without trying.
  const limit = Math.min(MAX_DICT, Math.max(16, length >> 3));
  const sample = new Set<string | undefined>();
  for (let j = 0; j < Math.min(length, 1024); j++) sample.add(get(j) as string | undefined);
  let i = sample.size > 256 && sample.size > Math.min(length, 1024) >> 2 ? -1 : 0;
  for (; i >= 0 && i < length; i++) {
    const v = get(i) as string | undefined;
    let code = dict.get(v);
    if (code === undefined) {
      if (ordered.length >= limit) break;
      code = ordered.length;
      dict.set(v, code);
      ordered.push(v);
    }
    codes[i] = code;
  }
  if (i === length) return { kind: 'dict', values: ordered, codes };
  // Too many distinct values: every value, joined.
  const lengths = new Int32Array(length);
  const parts: string[] = [];
  for (let j = 0; j < length; j++) {
    const v = get(j) as string | undefined;
    lengths[j] = v === undefined ? -1 : v.length;
    if (v !== undefined) parts.push(v);
  }
  const joined = parts.join('');
  return { kind: 'text', joined: isWellFormed(joined) ? new TextEncoder().encode(joined) : joined, lengths };
}

function encodeNumbers(get: Get, length: number): EncodedColumn {
  const out = new Float64Array(length);
  let missing: Uint8Array | undefined;
  for (let i = 0; i < length; i++) {
    const v = get(i) as number | undefined;
    if (v === undefined) {
      missing ??= new Uint8Array(length);
      missing[i] = 1;
    } else out[i] = v;
  }
  return missing ? { kind: 'number', values: out, missing } : { kind: 'number', values: out };
}

/**
 * Encodes the given keys of every row. A column's values must all be strings or all numbers (or
 * missing); a column mixing both is refused, since it would not come back as it went in.
 */
export function encodeColumns<K extends string>(rows: readonly Readonly<Record<K, ColumnValue>>[], keys: readonly K[]): EncodedRows<K> {
  return encodeColumnsOf(rows.length, Object.fromEntries(keys.map((k) => [k, (i: number) => rows[i]![k]])) as Record<K, Get>);
}

/**
 * The same from column getters (`columns[key](i)` is row i's value): no row objects need to exist, which
 * matters at 100,000 rows.
 */
export function encodeColumnsOf<K extends string>(length: number, columns: Record<K, Get>): EncodedRows<K> {
  const out = {} as Record<K, EncodedColumn>;
  for (const key of Object.keys(columns) as K[]) {
    const get = columns[key];
    let type: string | undefined;
    for (let i = 0; i < length; i++) {
      const v = get(i);
      if (v === undefined) continue;
      const t = typeof v;
      if (t !== 'string' && t !== 'number') throw new TypeError(`column "${key}" holds a ${t}: store strings or numbers`);
      if (type === undefined) type = t;
      else if (t !== type) throw new TypeError(`column "${key}" mixes ${type} and ${t}: store one type per column`);
    }
    out[key] = type === 'number' ? encodeNumbers(get, length) : encodeStrings(get, length);
  }
  return { length, columns: out };
}

/** One column's values, position for position. */
export function decodeColumn(column: EncodedColumn, length: number): ColumnValue[] {
  const out: ColumnValue[] = new Array<ColumnValue>(length);
  if (column.kind === 'dict') {
    for (let i = 0; i < length; i++) out[i] = column.values[column.codes[i]!];
  } else if (column.kind === 'text') {
    const joined = typeof column.joined === 'string' ? column.joined : new TextDecoder().decode(column.joined);
    let total = 0;
    for (const n of column.lengths) total += Math.max(0, n);
    if (total !== joined.length) throw new RangeError('a text column does not match its lengths');
    let at = 0;
    for (let i = 0; i < length; i++) {
      const n = column.lengths[i]!;
      if (n < 0) out[i] = undefined;
      else {
        out[i] = joined.slice(at, at + n);
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
      // The lengths are checked against the text when it is decoded (`decodeColumn` throws).
      return c.lengths instanceof Int32Array && c.lengths.length === n && (typeof c.joined === 'string' || c.joined instanceof Uint8Array);
    }
    if (c.kind === 'number') return c.values instanceof Float64Array && c.values.length === n && (c.missing === undefined || (c.missing instanceof Uint8Array && c.missing.length === n));
    return false;
  });
}
