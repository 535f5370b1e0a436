/**
 * SOQL text the Salesforce module writes: string and LIKE literals, dateTime literals, the field names it
 * takes from a team's mapping, and ids (checked and widened to 18 characters). Nothing else goes into a
 * query unescaped.
 *
 * - Strings in single quotes with backslash escapes; inside LIKE, `%` and `_` are wildcards unless escaped:
 *   https://developer.salesforce.com/docs/atlas.en-us.236.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_fieldexpression.htm
 * - dateTime values unquoted as `YYYY-MM-DDThh:mm:ssZ` (or with a `±hh:mm` offset), compared with dateTime
 *   fields only: https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-dateformats.md
 */
import { salesforceIdChecksum } from './page';

const SOQL_ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '"': '\\"' };
export const soqlString = (s: string) => `'${s.replace(/[\\'\n\r\t\b\f"]/g, (c) => SOQL_ESCAPES[c]!)}'`;
/** A LIKE pattern matching `s` anywhere, with `s`'s own wildcards escaped. */
export const soqlContains = (s: string) => `'%${s.replace(/[\\'\n\r\t\b\f"]/g, (c) => SOQL_ESCAPES[c]!).replace(/[%_]/g, '\\$&')}%'`;

/**
 * A dateTime literal for an instant (ISO text), in UTC and to the second (the documented formats have no
 * fractions), rounded down so `>=` never misses the instant itself. undefined when `iso` is no date.
 */
export function soqlDateTime(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A field's API name (`Status`, `Disqualification_Reason__c`): the only shape a mapped field may take in a query. */
export const isFieldName = (name: string) => /^[A-Za-z][A-Za-z0-9_]{0,99}$/.test(name);

/** The 18-character form of any Salesforce id (org, user, record), or undefined when malformed. */
export function id18(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/.test(raw)) return undefined;
  const id15 = raw.slice(0, 15);
  const checksum = salesforceIdChecksum(id15);
  if (raw.length === 18 && raw.slice(15).toUpperCase() !== checksum) return undefined;
  return id15 + checksum;
}
