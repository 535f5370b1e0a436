import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES, locale, locales, localized, pickLocale, plurals } from './index';
import { emptyStrings, shape } from './testing';

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
    const strings = shape(locales).filter((p) => p.endsWith(':string') && !p.includes('()'));
    expect(strings.length).toBeGreaterThan(0);
    expect(emptyStrings(locales, 'locales')).toEqual([]);
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

describe('localized', () => {
  const en = { hello: 'Hello', count: (n: number) => `${n} items` };
  const fr = { hello: 'Bonjour', count: (n: number) => `${n} éléments` };

  it('gives the current locale’s catalog, English by default', () => {
    expect(localized({ en })).toBe(en);
    expect(localized({ en }, locale)).toBe(en);
  });

  it('gives the catalog of the locale asked for, and English for one it lacks', () => {
    const catalogs = { en, fr } as unknown as Parameters<typeof localized<typeof en>>[0];
    expect(localized(catalogs, 'fr').hello).toBe('Bonjour');
    expect(localized(catalogs, 'de')).toBe(en);
    expect(localized({ en }, 'fr')).toBe(en);
  });
});
