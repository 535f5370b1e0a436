// ESLint 9 flat config. Rules that carry the project's decisions (ADR 0001) are commented with why;
// `test/lint/domain-purity.test.ts` proves the domain boundary rule fires.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.{ts,tsx,mts,cts}'];
const TESTS = ['**/*.test.{ts,tsx}', 'test/**/*.{ts,tsx}'];

/** No code from strings, no HTML from strings: the extension runs inside CRM pages with their data. */
const noDynamicCode = {
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
  'no-script-url': 'error',
};

/** What the content script may not import by value (ADR 0014); `at` matches how the protocol modules are reached. */
const contentScriptImports = (at) => ({
  patterns: [
    {
      group: ['zod', 'zod/*', 'react', 'react/*', 'react-dom', 'react-dom/*', 'dexie', 'dexie/*'],
      allowTypeImports: true,
      message: 'The content script stays small (ADR 0014): no zod, React or Dexie in it; import types only.',
    },
    {
      regex: `${at}(client|envelope|router|page-protocol|panel-protocol|options-protocol)(\\.[jt]s)?$`,
      allowTypeImports: true,
      message: 'These modules bundle zod (ADR 0014): the content script sends with src/messaging/notifier; import types only.',
    },
  ],
});

const noHtmlFromStrings = [
  {
    selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
    message: 'No dangerouslySetInnerHTML: render text with React, never HTML strings.',
  },
  {
    selector: 'AssignmentExpression > MemberExpression.left[property.name=/^(innerHTML|outerHTML)$/]',
    message: 'No innerHTML/outerHTML assignment: build nodes (textContent, createElement, replaceChildren).',
  },
  {
    selector: "AssignmentExpression > MemberExpression.left[computed=true][property.value=/^(innerHTML|outerHTML)$/]",
    message: 'No innerHTML/outerHTML assignment: build nodes (textContent, createElement, replaceChildren).',
  },
  {
    selector: "CallExpression > MemberExpression.callee[property.name='insertAdjacentHTML']",
    message: 'No insertAdjacentHTML: build nodes instead.',
  },
];

/**
 * `src/domain` is pure TypeScript (ADR 0001): no UI framework, storage, extension APIs or browser
 * globals, and nothing from the rest of `src/`, so it runs and is tested anywhere.
 */
const DOMAIN_IMPORT_MESSAGE = 'src/domain is pure TypeScript: no React, Dexie, WXT or browser APIs (ADR 0001).';
const domainPurity = {
  'no-restricted-imports': [
    'error',
    {
      paths: ['react', 'react-dom', 'dexie', 'wxt', '#imports', 'webextension-polyfill'].map((name) => ({
        name,
        message: DOMAIN_IMPORT_MESSAGE,
      })),
      patterns: [
        {
          group: ['react/*', 'react-dom/*', 'dexie/*', 'wxt/*', '@wxt-dev/*', 'webextension-polyfill/*', '#imports/*'],
          message: DOMAIN_IMPORT_MESSAGE,
        },
        {
          // src/domain is flat: any `../` leaves it, except for its sentences in src/i18n (pure too, ADR 0012).
          regex: '^\\.\\./(?!i18n/[a-z]+$)',
          message: 'src/domain imports only from src/domain (and its strings from src/i18n/<namespace>): pass what it needs in as arguments.',
        },
        {
          // WXT's path aliases (`@/…`, `~/…`, `@@/…`, `~~/…`) reach the whole project.
          regex: '^(?:@@?|~~?)(?:/|$)',
          message: 'src/domain imports only from src/domain (no project path aliases).',
        },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    ...['browser', 'chrome', 'window', 'document', 'localStorage', 'sessionStorage', 'indexedDB'].map((name) => ({
      name,
      message: 'src/domain runs without a browser: take what you need as an argument (ADR 0001).',
    })),
  ],
};

/**
 * `src/i18n` is pure TypeScript like the domain (ADR 0012), so the domain and every page can use it: no
 * UI framework, storage or extension APIs, and from the rest of `src/` only types (a catalog may name
 * the domain's outcome or state types).
 */
const I18N_IMPORT_MESSAGE = 'src/i18n is pure TypeScript: no React, Dexie, WXT or browser APIs (ADR 0012).';
const i18nPurity = (leaves) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: domainPurity['no-restricted-imports'][1].paths.map((p) => ({ ...p, message: I18N_IMPORT_MESSAGE })),
      patterns: [
        { ...domainPurity['no-restricted-imports'][1].patterns[0], message: I18N_IMPORT_MESSAGE },
        { regex: leaves, allowTypeImports: true, message: 'src/i18n imports only from src/i18n (and types from the rest of src/).' },
        { regex: '^(?:@@?|~~?)(?:/|$)', allowTypeImports: true, message: 'src/i18n imports only from src/i18n (no project path aliases).' },
      ],
    },
  ],
  'no-restricted-globals': domainPurity['no-restricted-globals'],
});

/**
 * No hard-coded UI text in components (ADR 0012): JSX text with letters, and text-bearing attributes
 * (aria-label, title, placeholder, alt…) given a literal, must come from the surface's strings
 * (`src/i18n`). Class names, ids, keys and punctuation such as `{' '}` or `·` stay allowed.
 */
const I18N_MESSAGE = 'User-facing text comes from src/i18n (ADR 0012): use the surface strings (`t.…`), not a literal.';
const TEXT_ATTRIBUTES = '/^(aria-label|aria-description|aria-roledescription|aria-valuetext|aria-placeholder|title|placeholder|alt|label)$/';
const TEXT_VALUE = ['', ' > :matches(LogicalExpression, ConditionalExpression)'].flatMap((via) => [
  `${via} > Literal[value=/[A-Za-z]/]`,
  `${via} > TemplateLiteral > TemplateElement[value.raw=/[A-Za-z]/]`,
]);
const noHardCodedText = [
  'JSXText[value=/[A-Za-z]/]',
  `JSXAttribute[name.name=${TEXT_ATTRIBUTES}] > Literal[value=/[A-Za-z]/]`,
  ...TEXT_VALUE.map((value) => `JSXAttribute[name.name=${TEXT_ATTRIBUTES}] > JSXExpressionContainer${value}`),
  ...TEXT_VALUE.map((value) => `:matches(JSXElement, JSXFragment) > JSXExpressionContainer${value}`),
].map((selector) => ({ selector, message: I18N_MESSAGE }));

/**
 * Which folder of `src/` may import which (docs/architecture.md). Layers import downward only:
 *   entrypoints → pages (background, panel, options, dashboard, popup, content) → ui → sync, messaging,
 *   demo → store, crm (neither imports the other) → domain → i18n.
 * `src/domain` and `src/i18n` have rules of their own (below); test files and `testing.tsx` helpers are free.
 * `test/lint/layers.test.ts` proves the rule fires.
 */
const LAYERS = {
  background: ['background', 'sync', 'messaging', 'store', 'crm', 'domain', 'i18n'],
  panel: ['panel', 'ui', 'messaging', 'crm', 'domain', 'i18n'],
  options: ['options', 'ui', 'messaging', 'store', 'crm', 'domain', 'i18n'],
  dashboard: ['dashboard', 'ui', 'messaging', 'store', 'crm', 'domain', 'i18n'],
  popup: ['popup', 'options', 'ui', 'messaging', 'crm', 'domain', 'i18n'],
  content: ['content', 'messaging', 'crm', 'domain', 'i18n'],
  ui: ['ui', 'messaging', 'crm', 'domain', 'i18n'],
  sync: ['sync', 'store', 'crm', 'domain', 'i18n'],
  messaging: ['messaging', 'crm', 'domain', 'i18n'],
  demo: ['demo', 'store', 'crm', 'domain', 'i18n'],
  store: ['store', 'domain', 'i18n'],
  crm: ['crm', 'domain', 'i18n'],
};
const SRC_FOLDERS = [...new Set([...Object.keys(LAYERS), 'domain', 'i18n'])];
const TEST_HELPERS = [...TESTS, '**/testing.{ts,tsx}'];

/**
 * `src/store` alone opens IndexedDB (ADR 0008): no Dexie and no database module anywhere else. Benches in
 * `scripts/` may hand the store a fake IndexedDB (fake-indexeddb), as tests do.
 */
const FAKE_IDB = ['fake-indexeddb', 'fake-indexeddb/*'];
const storeBoundary = [
  {
    group: ['dexie', 'dexie/*', 'dexie-react-hooks', 'dexie-react-hooks/*', ...FAKE_IDB],
    message: 'Only src/store touches IndexedDB (ADR 0008): use the store\'s functions, holding a `Store`.',
  },
  {
    regex: '(^|/)store/db(\\.[jt]s)?$',
    message: 'The database is src/store\'s own (ADR 0008): open it with `openStore` (src/store/store.ts) and use the store\'s functions.',
  },
];

/** The patterns that keep files `depth` folders below `src/<folder>/` in their layer. */
function layerPatterns(folder, depth) {
  const up = '\\.\\./'.repeat(depth);
  const forbidden = SRC_FOLDERS.filter((f) => !LAYERS[folder].includes(f));
  return [
    {
      regex: `^${up}(${forbidden.join('|')})(/|$)`,
      message: `src/${folder} may import only from ${LAYERS[folder].map((f) => `src/${f}`).join(', ')} (layers: docs/architecture.md).`,
    },
    { regex: `^${up}\\.\\./`, message: 'Code in src/ imports nothing from outside src/ (entrypoints, scripts, tests import src, not the other way).' },
  ];
}

/** One config block per layer and depth, with the store boundary (everywhere but src/store). */
const layerConfigs = Object.keys(LAYERS).flatMap((folder) =>
  [1, 2, 3].map((depth) => ({
    files: [`src/${folder}/${'*/'.repeat(depth - 1)}*.{ts,tsx}`],
    ignores: TEST_HELPERS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...layerPatterns(folder, depth), ...(folder === 'store' ? [] : storeBoundary)] }],
    },
  })),
);

export default defineConfig(
  {
    ignores: ['.output/**', '.wxt/**', 'node_modules/**', '.reports/**', '.demo-data/**', 'test-results/**', 'coverage/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: TS,
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx,mts,cts}'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.webextensions },
    },
    rules: {
      ...noDynamicCode,
      'no-restricted-syntax': ['error', ...noHtmlFromStrings],
    },
  },
  {
    // Tool code that runs in Node.
    files: ['scripts/**', 'test/**', '*.{js,mjs,ts}', '**/*.test.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.tsx'],
    extends: [reactHooks.configs.flat['recommended-latest']],
  },
  {
    files: ['src/**/*.tsx'],
    ignores: TESTS,
    rules: { 'no-restricted-syntax': ['error', ...noHtmlFromStrings, ...noHardCodedText] },
  },
  {
    // Tests may set up a DOM from markup (their own constant strings); React code in tests still may not.
    files: TESTS,
    rules: { 'no-restricted-syntax': ['error', noHtmlFromStrings[0]] },
  },
  ...layerConfigs,
  {
    files: ['entrypoints/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: storeBoundary }] },
  },
  {
    files: ['scripts/**'],
    ignores: TEST_HELPERS,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ ...storeBoundary[0], group: storeBoundary[0].group.filter((g) => !FAKE_IDB.includes(g)) }, storeBoundary[1]] }],
    },
  },
  {
    files: ['src/domain/**'],
    rules: domainPurity,
  },
  {
    // The content script runs on every CRM page load (ADR 0014): no validator or UI framework in it, and no
    // protocol module that bundles zod. Types from them are fine: they are erased. The files are what the
    // content scripts bundle (one per CRM, from src/content/entrypoint.ts; a hand-written one would be in
    // entrypoints/); `test/e2e/panel-mount.e2e.test.ts` checks the built scripts as well.
    files: [
      'src/content/**',
      'entrypoints/*.content.ts',
      'src/crm/{lead-key,dom,match-pattern,types}.ts',
      'src/crm/*/{page,selectors}.ts',
      'src/i18n/{page,current,locales}.ts',
      'src/i18n/*/page.ts',
    ],
    ignores: TESTS,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', contentScriptImports('(^|/)messaging/')] },
  },
  {
    // The zod-free protocol modules the content script uses reach their neighbours as `./…`.
    files: ['src/messaging/{names,notifier}.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', contentScriptImports('^\\./')] },
  },
  {
    // `src/i18n/*.ts` leave src/i18n with one `../`; the catalogs in `src/i18n/<locale>/` with two.
    files: ['src/i18n/*.ts'],
    ignores: TESTS,
    rules: i18nPurity('^\\.\\./'),
  },
  {
    files: ['src/i18n/*/**'],
    ignores: TESTS,
    rules: i18nPurity('^\\.\\./\\.\\./'),
  },
);
