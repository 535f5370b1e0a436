/**
 * Proves the lint rules that carry ADR 0001 fire: `src/domain` stays pure, and no code or HTML is built
 * from strings anywhere. Lints snippets with the project's own config, as if they were files in the repo.
 */
import { describe, expect, it } from 'vitest';
import { lintErrors as errors } from './lint-snippet';

describe('src/domain purity (lint)', () => {
  it.each([
    ["import React from 'react';\nexport const x = React;", 'no-restricted-imports'],
    ["import { createRoot } from 'react-dom/client';\nexport const x = createRoot;", 'no-restricted-imports'],
    ["import Dexie from 'dexie';\nexport const x = Dexie;", 'no-restricted-imports'],
    ["import { browser } from 'wxt/browser';\nexport const x = browser;", 'no-restricted-imports'],
    ["import { defineConfig } from 'wxt';\nexport const x = defineConfig;", 'no-restricted-imports'],
    ["import { storage } from '#imports';\nexport const x = storage;", 'no-restricted-imports'],
    ["import react from '@wxt-dev/module-react';\nexport const x = react;", 'no-restricted-imports'],
    ["import browser from 'webextension-polyfill';\nexport const x = browser;", 'no-restricted-imports'],
    ["import x from '../crm/x';\nexport const y = x;", 'no-restricted-imports'],
    ["import x from '../../entrypoints/x';\nexport const y = x;", 'no-restricted-imports'],
    ["import x from '@/src/ui/x';\nexport const y = x;", 'no-restricted-imports'],
    ['export const id = chrome.runtime.id;', 'no-restricted-globals'],
    ['export const id = browser.runtime.id;', 'no-restricted-globals'],
    ['export const w = window.innerWidth;', 'no-restricted-globals'],
    ["export const el = document.createElement('div');", 'no-restricted-globals'],
    ["export const v = localStorage.getItem('k');", 'no-restricted-globals'],
    ["export const db = indexedDB.open('k');", 'no-restricted-globals'],
  ])('rejects in src/domain: %s', async (code, rule) => {
    expect(await errors(code, 'src/domain/x.ts')).toContain(rule);
  });

  it('allows domain code its own modules and libraries', async () => {
    const code = "import { z } from 'zod';\nimport { scoreLead } from './scoring';\nexport const x = [z, scoreLead];";
    expect(await errors(code, 'src/domain/x.ts')).toEqual([]);
  });

  it.each([
    "import React from 'react';\nexport const x = React;",
    "import { browser } from 'wxt/browser';\nexport const x = browser;",
    "import x from '../crm/x';\nexport const y = x;",
    'export const id = chrome.runtime.id;',
  ])('allows outside src/domain (src/ui/x.tsx): %s', async (code) => {
    expect(await errors(code, 'src/ui/x.tsx')).toEqual([]);
  });

  it('allows Dexie where it belongs (src/store; elsewhere the store boundary refuses it, test/lint/layers.test.ts)', async () => {
    expect(await errors("import Dexie from 'dexie';\nexport const x = Dexie;", 'src/store/x.ts')).toEqual([]);
  });
});

describe('no code or HTML from strings (lint, everywhere)', () => {
  it.each([
    ["eval('1');", 'no-eval'],
    ["setTimeout('go()', 1);", 'no-implied-eval'],
    ["export const f = new Function('return 1');", 'no-new-func'],
    ["document.body.innerHTML = '<b>x</b>';", 'no-restricted-syntax'],
    ["document.body.outerHTML = '<b>x</b>';", 'no-restricted-syntax'],
    ["document.body['innerHTML'] += '<b>x</b>';", 'no-restricted-syntax'],
    ["document.body.insertAdjacentHTML('beforeend', '<b>x</b>');", 'no-restricted-syntax'],
  ])('rejects in src/content/x.ts: %s', async (code, rule) => {
    expect(await errors(code, 'src/content/x.ts')).toContain(rule);
  });

  it('rejects dangerouslySetInnerHTML in components', async () => {
    const code = "export const C = ({ html }: { html: string }) => <div dangerouslySetInnerHTML={{ __html: html }} />;";
    expect(await errors(code, 'src/ui/x.tsx')).toContain('no-restricted-syntax');
  });

  it('allows reading innerHTML and setting text', async () => {
    const code = "export const s = document.body.innerHTML;\ndocument.body.textContent = s;";
    expect(await errors(code, 'src/content/x.ts')).toEqual([]);
  });
});
