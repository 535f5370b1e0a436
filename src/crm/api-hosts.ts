import { matchesPattern } from './match-pattern';

/**
 * The API hosts each CRM folder declares (`src/crm/<name>/api-hosts.json`, also the manifest's host
 * permissions): the one list of where a CRM's API may be, for the options page's permission requests
 * and the background's check of a connection's address. Adding a CRM adds a folder, nothing here.
 */
interface ApiHosts {
  optionalHostPermissions?: string[];
  hostPermissions?: string[];
}
const files = import.meta.glob<ApiHosts>('./*/api-hosts.json', { eager: true, import: 'default' });

function entryOf(crm: string): ApiHosts {
  return Object.entries(files).find(([path]) => path.split('/').at(-2) === crm)?.[1] ?? {};
}

/** The optional host patterns a CRM folder declares (`[]` when it has none). */
export function declaredHosts(crm: string): string[] {
  return entryOf(crm).optionalHostPermissions ?? [];
}

/**
 * Whether a connection's API address is one of the hosts the CRM declares (scheme included: the
 * declared patterns are https, except the demo CRM's loopback). A token is only ever sent there.
 */
export function isDeclaredApiBase(crm: string, apiBase: string): boolean {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    return false;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return false;
  const entry = entryOf(crm);
  const patterns = [...(entry.optionalHostPermissions ?? []), ...(entry.hostPermissions ?? [])];
  return patterns.some((p) => matchesPattern(p, new URL(`${url.origin}/`)));
}
