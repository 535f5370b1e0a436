import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES } from '../i18n/locales';
import type { Catalogs } from '../i18n/localized';
import { emptyStrings, shape } from '../i18n/testing';

/**
 * Each CRM folder keeps its own sentences (`./<name>/messages.ts`, ADR 0012): one CRM = one folder, so
 * no central catalog lists them. This finds them all and holds them to the rules of `src/i18n`'s
 * namespaces (`src/i18n/i18n.test.ts`): English is there, every other locale is one we ship and has
 * exactly English's keys (and function arities), and no string is empty.
 */
const modules = import.meta.glob<{ catalogs?: Catalogs<unknown> }>('./*/messages.ts', { eager: true });
const apiModules = Object.keys(import.meta.glob('./*/api.ts'));
const sources = import.meta.glob<string>(['./**/*.ts', '!./**/*.test.ts'], { eager: true, query: '?raw', import: 'default' });

const folder = (path: string) => path.split('/')[1]!;
const catalogsOf = Object.entries(modules).map(([path, m]) => [folder(path), m.catalogs] as const);

describe('CRM message catalogs', () => {
  it('every CRM with an API module has its messages', () => {
    expect(apiModules.length).toBeGreaterThan(0);
    expect(Object.keys(modules).map(folder).sort()).toEqual(expect.arrayContaining(apiModules.map(folder)));
  });

  it.each(catalogsOf)('%s exports its catalogs: English and only locales we ship', (_crm, catalogs) => {
    expect(catalogs, 'export const catalogs').toBeDefined();
    expect(Object.keys(catalogs!)).toContain(DEFAULT_LOCALE);
    for (const l of Object.keys(catalogs!)) expect(LOCALES as readonly string[], `locale ${l}`).toContain(l);
  });

  it.each(catalogsOf)('%s: each locale has exactly the keys of English', (_crm, catalogs) => {
    const en = shape(catalogs!.en);
    expect(en.length).toBeGreaterThan(0);
    for (const [l, catalog] of Object.entries(catalogs!)) expect(shape(catalog), l).toEqual(en);
  });

  it.each(catalogsOf)('%s has no empty strings', (crm, catalogs) => {
    expect(emptyStrings(catalogs, crm)).toEqual([]);
  });

  it('`localized` is called only in messages.ts files (so this test sees every catalog)', () => {
    const callers = Object.entries(sources)
      .filter(([path, text]) => /\blocalized\(/.test(text) && !path.endsWith('/messages.ts'))
      .map(([path]) => path);
    expect(Object.keys(sources).length).toBeGreaterThan(0);
    expect(callers).toEqual([]);
  });
});
