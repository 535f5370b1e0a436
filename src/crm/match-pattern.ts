/**
 * A small reading of manifest match patterns (`https://*.example.com/*`), so a CRM's `detect` accepts
 * exactly the hosts its manifest `matches` grant: one list, no second host check to keep in step.
 * Supports what our patterns use: a fixed scheme, `*`, `*.suffix` or an exact host, and a path glob.
 */
export function matchesPattern(pattern: string, url: URL): boolean {
  const m = /^(https?|\*):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!m) return false;
  const [, scheme, host, path] = m as unknown as [string, string, string, string];
  const protocol = url.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : protocol !== scheme) return false;
  if (!hostMatches(host, url.hostname)) return false;
  // Every pattern of ours ends in `/*`, which any path matches: no RegExp built on a CRM page's load.
  return path === '/*' || globToRegExp(path).test(url.pathname + url.search);
}

function hostMatches(pattern: string, hostname: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) {
    const suffix = pattern.slice(2);
    return hostname === suffix || hostname.endsWith(`.${suffix}`);
  }
  return hostname === pattern;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`);
}
