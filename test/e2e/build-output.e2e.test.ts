/**
 * Checks over what we ship, not what we wrote: the built Chrome and Firefox packages. No eval or other
 * string-to-code, no remote code, no loosened CSP, and Mozilla's own linter (addons-linter, what
 * `web-ext lint` runs) passes on the Firefox MV3 build. `npm run test:e2e` builds both first.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR, ROOT } from './harness';

const FIREFOX_DIR = join(ROOT, '.output', 'firefox-mv3');

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

describe('the built packages', () => {
  for (const dir of [EXTENSION_DIR, FIREFOX_DIR]) {
    it(`${relative(ROOT, dir)}: no string-to-code, no remote code`, () => {
      const files = jsFiles(dir);
      expect(files.length).toBeGreaterThanOrEqual(3);
      const problems: string[] = [];
      for (const file of files) {
        const code = readFileSync(file, 'utf8');
        for (const [what, pattern] of [
          ['eval', /\beval\s*\(/],
          ['new Function', /\bnew\s+Function\s*\(/],
          ['string timer', /\bset(?:Timeout|Interval)\s*\(\s*["'`]/],
          ['importScripts', /\bimportScripts\s*\(/],
          ['remote import', /\bimport\s*\(\s*["'`]https?:/],
          ['document.write', /\bdocument\.write(?:ln)?\s*\(/],
        ] as const) {
          if (pattern.test(code)) problems.push(`${relative(dir, file)}: ${what}`);
        }
      }
      expect(problems).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { content_security_policy?: unknown };
      // An explicit CSP for extension pages, as strict as MV3's default or stricter: nothing may loosen it.
      expect(manifest.content_security_policy).toEqual({ extension_pages: "script-src 'self'; object-src 'self'; base-uri 'none';" });
    });
  }

  it('ships the managed-storage schema only where the manifest names it (Chrome, not Firefox)', () => {
    const named = (dir: string) => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { storage?: { managed_schema?: string } }).storage?.managed_schema;
    expect(named(EXTENSION_DIR)).toBe('managed_schema.json');
    expect(readdirSync(EXTENSION_DIR)).toContain('managed_schema.json');
    expect(named(FIREFOX_DIR)).toBeUndefined();
    expect(readdirSync(FIREFOX_DIR)).not.toContain('managed_schema.json');
  });

  it('passes Mozilla’s addons-linter on the Firefox MV3 build (only React DOM’s own innerHTML noted)', async () => {
    const { default: addonsLinter } = await import('addons-linter');
    const linter = addonsLinter.createInstance({
      config: { _: [FIREFOX_DIR], logLevel: 'fatal', stack: false, pretty: false, warningsAsErrors: false, metadata: false, output: 'none', boring: false, selfHosted: false },
      runAsBinary: false,
    });
    const result = await linter.run();
    expect(result.errors).toEqual([]);
    for (const w of result.warnings) {
      // React DOM sets innerHTML itself (for SVG and dangerouslySetInnerHTML, which our lint bans).
      expect({ code: w.code, file: w.file }).toMatchObject({ code: 'UNSAFE_VAR_ASSIGNMENT', file: expect.stringMatching(/^chunks\//) });
      expect(readFileSync(join(FIREFOX_DIR, w.file!), 'utf8')).toContain('https://react.dev/errors/');
    }
  }, 60_000);
});
