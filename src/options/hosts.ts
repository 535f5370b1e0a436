import { crmApiModule } from '../crm/apis';
import { declaredHosts } from '../crm/api-hosts';
import { matchesPattern } from '../crm/match-pattern';
import type { HostModules } from './types';

/**
 * Which API hosts to ask the browser for. Each CRM folder lists its API hosts (`src/crm/<name>/api-hosts.json`,
 * also the manifest's optional host permissions); each API module says which of them a connection at
 * `apiBase` needs. Adding a CRM adds a folder, nothing here.
 */
export const defaultModules: HostModules = crmApiModule;

const unique = (list: string[]) => [...new Set(list)];

/** The host patterns a CRM's API needs at `apiBase`: from its module, else the address's origin. Throws on a bad URL. */
export function hostsFor(modules: HostModules, crm: string, apiBase: string): string[] {
  const module = modules(crm);
  return unique(module ? module.hostPermissions(apiBase) : [`${new URL(apiBase).origin}/*`]);
}

/**
 * Hosts to ask for before an OAuth sign-in. The API host (the org's instance) is only known after it;
 * when the login host is itself one of the CRM's API hosts (Salesforce My Domain), that is where the API
 * is. Otherwise (login.salesforce.com) the CRM's wildcard API hosts are asked for too, since the browser
 * only asks during the click.
 */
export function signInHosts(modules: HostModules, crm: string, loginHost: string, declared: string[] = declaredHosts(crm)): string[] {
  const url = new URL(loginHost);
  const wildcards = declared.filter((p) => /^[a-z*]+:\/\/\*\./.test(p));
  const loginIsApiHost = wildcards.some((p) => matchesPattern(p, url));
  return unique([...hostsFor(modules, crm, loginHost), ...(loginIsApiHost ? [] : wildcards)]);
}

/** `https://api.hubapi.com/*` → `api.hubapi.com`, for sentences. */
export function hostOfPattern(pattern: string): string {
  return /^[^:]+:\/\/([^/]+)/.exec(pattern)?.[1] ?? pattern;
}

/** Of the patterns the browser granted, those that give access to a connection's API. */
export function grantedFor(granted: readonly string[], needed: readonly string[], apiBase: string): string[] {
  let url: URL | undefined;
  try {
    url = new URL(apiBase);
  } catch {
    url = undefined;
  }
  return granted.filter((p) => needed.includes(p) || (url !== undefined && matchesPattern(p, url)));
}
