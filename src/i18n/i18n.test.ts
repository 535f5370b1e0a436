import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES, locale, locales, pickLocale, plurals } from './index';

/** Every key path of a catalog; functions are leaves (with their arity), like strings. */
function shape(value: unknown, path = ''): string[] {
  if (typeof value === 'function') return [`${path}()${value.length}`];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => shape(v, path ? `${path}.${k}` : k)).sort();
  return [`${path}:${typeof value}`];
}

describe('pickLocale', () => {
  const available = ['en', 'fr', 'de-CH'] as const;

  it('takes the first preference available: exact tag, then its language', () => {
    expect(pickLocale(['fr-CA', 'en'], available)).toBe('fr');
    expect(pickLocale(['fr'], available)).toBe('fr');
    expect(pickLocale(['FR_ca'], available)).toBe('fr');
    expect(pickLocale(['it', 'de-CH', 'fr'], available)).toBe('de-CH');
  });

  it('finds a regional catalog of the preferred language', () => {
    expect(pickLocale(['de-DE'], available)).toBe('de-CH');
    expect(pickLocale(['de'], available)).toBe('de-CH');
  });

  it('falls back to English when nothing preferred is available', () => {
    expect(pickLocale(['fr-CA'], ['en'] as const)).toBe('en');
    expect(pickLocale(['ja', 'ko'], available)).toBe('en');
    expect(pickLocale([], available)).toBe('en');
    expect(pickLocale(['', ' '], available)).toBe('en');
  });

  it('takes another fallback when given', () => {
    expect(pickLocale(['ja'], available, 'fr')).toBe('fr');
  });
});

describe('the locale registry', () => {
  it('ships English, the default, and the current locale is one of the shipped ones', () => {
    expect(LOCALES).toContain(DEFAULT_LOCALE);
    expect(LOCALES).toContain(locale);
    expect(Object.keys(locales).sort()).toEqual([...LOCALES].sort());
  });

  it.each(LOCALES.map((l) => [l]))('%s has exactly the keys of English, in every namespace', (l) => {
    const en = locales[DEFAULT_LOCALE];
    for (const ns of Object.keys(en) as (keyof typeof en)[]) {
      expect(shape(locales[l][ns]), ns).toEqual(shape(en[ns]));
    }
    expect(Object.keys(locales[l]).sort()).toEqual(Object.keys(en).sort());
  });

  it('has no empty strings', () => {
    const empty = shape(locales).filter((p) => p.endsWith(':string') && !p.includes('()'));
    const walk = (v: unknown, path: string): string[] =>
      typeof v === 'string' ? (v.trim() ? [] : [path]) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => walk(x, `${path}.${k}`)) : [];
    expect(empty.length).toBeGreaterThan(0);
    expect(walk(locales, 'locales')).toEqual([]);
  });
});

describe('plurals', () => {
  it('picks the form by the language’s plural rules', () => {
    const en = plurals('en');
    const forms = (n: number) => ({ one: `${n} decision`, other: `${n} decisions` });
    expect([0, 1, 2, 21].map((n) => en(n, forms(n)))).toEqual(['0 decisions', '1 decision', '2 decisions', '21 decisions']);
    const pl = plurals('pl');
    const pln = (n: number) => pl(n, { one: 'plik', few: 'pliki', many: 'plików', other: 'pliku' });
    expect([1, 2, 5, 22, 1.5].map(pln)).toEqual(['plik', 'pliki', 'plików', 'pliki', 'pliku']);
  });

  it('falls back to `other` for a category the forms leave out', () => {
    expect(plurals('en')(1, { other: 'many' })).toBe('many');
  });
});
