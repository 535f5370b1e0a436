/**
 * Proves the lint rules of ADR 0012 fire: no hard-coded UI text in components, and `src/i18n` stays pure
 * TypeScript (the domain may use it). Lints snippets with the project's own config, as files in the repo.
 */
import { describe, expect, it } from 'vitest';
import { lintErrors as errors } from './lint-snippet';

const component = (jsx: string) =>
  `import { strings as t } from './strings';\nexport const C = ({ on, n }: { on: boolean; n: number }) => {\n  void [on, n, t];\n  return ${jsx};\n};`;

describe('no hard-coded UI text in components (lint)', () => {
  it.each([
    '<p>Loading…</p>',
    '<p>{t.loading} Reload the page.</p>',
    '<button aria-label="Close">×</button>',
    "<input placeholder={'e.g. budget'} />",
    '<img alt="Logo" src="x.png" />',
    '<span title={`Score ${n}`}>{n}</span>',
    "<p>{on ? 'Saved' : t.loading}</p>",
    "<p>{on && 'Saved'}</p>",
    '<p>{`${n} decisions`}</p>',
    "<>{'Saved'}</>",
  ])('rejects in src/ui/x.tsx: %s', async (jsx) => {
    expect(await errors(component(jsx), 'src/ui/x.tsx')).toContain('no-restricted-syntax');
  });

  it.each([
    '<p className="lq-hint" id={`${n}-hint`}>{t.loading}</p>',
    "<p>{n}{' '}·{' '}{t.loading}</p>",
    "<span className={on ? 'lq-on' : 'lq-off'} aria-label={t.loading}>{n} / 100</span>",
    '<input type="text" aria-describedby="x-hint" placeholder={t.loading} />',
  ])('allows in src/ui/x.tsx: %s', async (jsx) => {
    expect(await errors(component(jsx), 'src/ui/x.tsx')).toEqual([]);
  });

  it('allows literals in component tests', async () => {
    expect(await errors(component('<p>Loading…</p>'), 'src/ui/x.test.tsx')).toEqual([]);
  });
});

describe('src/i18n purity (lint)', () => {
  it.each([
    ["import React from 'react';\nexport const x = React;", 'src/i18n/x.ts'],
    ["import Dexie from 'dexie';\nexport const x = Dexie;", 'src/i18n/en/x.ts'],
    ["import { openDb } from '../store/db';\nexport const x = openDb;", 'src/i18n/x.ts'],
    ["import { openDb } from '../../store/db';\nexport const x = openDb;", 'src/i18n/en/x.ts'],
    ["export const w = window.innerWidth;", 'src/i18n/x.ts'],
  ])('rejects %s in %s', async (code, file) => {
    expect(await errors(code, file)).not.toEqual([]);
  });

  it('allows its own modules, and types from the rest of src', async () => {
    expect(await errors("import { plurals } from '../plural';\nimport type { Outcome } from '../../domain/dispositions';\nexport type O = Outcome;\nexport const p = plurals;", 'src/i18n/en/x.ts')).toEqual([]);
    expect(await errors("import { locale } from './current';\nexport const l = locale;", 'src/i18n/x.ts')).toEqual([]);
  });

  it('lets src/domain import its strings from a src/i18n namespace, and nothing else there', async () => {
    expect(await errors("import { qualifyStrings } from '../i18n/qualify';\nexport const x = qualifyStrings;", 'src/domain/x.ts')).toEqual([]);
    expect(await errors("import { qualify } from '../i18n/en/qualify';\nexport const x = qualify;", 'src/domain/x.ts')).toContain('no-restricted-imports');
    expect(await errors("import { panelStrings } from '../ui/panel/strings';\nexport const x = panelStrings;", 'src/domain/x.ts')).toContain('no-restricted-imports');
  });
});
