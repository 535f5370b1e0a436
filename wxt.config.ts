import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin, Rollup } from 'vite';
import { defineConfig, type EntrypointInfo, type Wxt } from 'wxt';

interface ApiHosts {
  optionalHostPermissions?: string[];
  hostPermissions?: string[];
  demoOnly?: boolean;
}

/**
 * API hosts come from each CRM's folder (`src/crm/<name>/api-hosts.json`), so adding a CRM touches
 * nothing here. Store builds ask for none at install: they are optional, requested on connect.
 */
function apiHosts(mode: string) {
  const dir = join(import.meta.dirname, 'src/crm');
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'api-hosts.json')))
    .map((d) => JSON.parse(readFileSync(join(dir, d.name, 'api-hosts.json'), 'utf8')) as ApiHosts)
    .filter((h) => mode === 'demo' || !h.demoOnly);
  const unique = (list: string[]) => [...new Set(list)].sort();
  return {
    optional: unique(files.flatMap((h) => h.optionalHostPermissions ?? [])),
    granted: unique(files.flatMap((h) => h.hostPermissions ?? [])),
  };
}

/**
 * One content script per CRM (issue 19, ADR 0014): for each `src/crm/<name>/page.ts`, an entry in WXT's
 * own folder that hands that page module to `defineCrmContentScript`, so a CRM page loads its own reader
 * and no other CRM's. Written when WXT looks for entrypoints; adding a CRM touches nothing here.
 */
const CRM_SCRIPTS_DIR = 'crm-content-scripts';
function crmContentScripts(wxt: Wxt, infos: EntrypointInfo[]) {
  const crmDir = join(import.meta.dirname, 'src/crm');
  const outDir = join(wxt.config.wxtDir, CRM_SCRIPTS_DIR);
  mkdirSync(outDir, { recursive: true });
  const from = (target: string) => relative(outDir, target).split('\\').join('/');
  for (const d of readdirSync(crmDir, { withFileTypes: true })) {
    if (!d.isDirectory() || !existsSync(join(crmDir, d.name, 'page.ts'))) continue;
    const inputPath = join(outDir, `${d.name}.content.ts`);
    const code = [
      `// Written by wxt.config.ts (crmContentScripts) for src/crm/${d.name}/page.ts; not edited by hand.`,
      `import page from '${from(join(crmDir, d.name, 'page'))}';`,
      `import { defineCrmContentScript } from '${from(join(import.meta.dirname, 'src/content/entrypoint'))}';`,
      'export default defineCrmContentScript(page);',
      '',
    ].join('\n');
    if (!existsSync(inputPath) || readFileSync(inputPath, 'utf8') !== code) writeFileSync(inputPath, code);
    infos.push({ name: d.name, inputPath, type: 'content-script' });
  }
}

/**
 * A dependency's comment that Rollup cannot place (zod's `@__PURE__` notes, for one) is dropped with a
 * warning nobody here can act on; every other warning, ours or a dependency's, still prints.
 */
function onwarn(warning: Rollup.RollupLog, warn: (warning: Rollup.RollupLog) => void) {
  if (warning.code === 'INVALID_ANNOTATION' && /[\\/]node_modules[\\/]/.test(warning.id ?? '')) return;
  warn(warning);
}

/**
 * The content script runs on every CRM page load, and nearly every function in it runs there once: V8's
 * lazy parsing compiles it twice (a pre-parse, then each function when first called). Chrome's explicit
 * compile hint asks for one eager compile of the file instead (about 2 ms less page script time on the
 * bench's heavy Salesforce page, ADR 0014). Browsers without it read a comment.
 */
function eagerContentScriptCompile(): Plugin {
  return {
    name: 'lead-qualifier:eager-content-script-compile',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && /^content-scripts[\\/]/.test(file.fileName)) file.code = `//# allFunctionsCalledOnLoad\n${file.code}`;
      }
    },
  };
}

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  vite: ({ mode }) => ({
    plugins: [eagerContentScriptCompile()],
    // The content script's context is our own few lines, not WXT's runtime, which would also announce every
    // start to the CRM page with `window.postMessage` (src/content/context.ts, ADR 0014).
    resolve: { alias: [{ find: /^wxt\/utils\/content-script-context$/, replacement: join(import.meta.dirname, 'src/content/context.ts') }] },
    build: {
      rollupOptions: { onwarn },
      // WXT sets NODE_ENV to the mode, so a `--mode demo` build bundles React's development build (its
      // warnings and StrictMode checks stay on for the demo and the e2e suite): the pages' shared chunk is
      // about 580 kB there against 370 kB in store builds. Store builds keep Vite's 500 kB warning.
      ...(mode === 'demo' ? { chunkSizeWarningLimit: 700 } : {}),
    },
  }),
  manifest: ({ mode, browser }) => ({
    name: 'Lead Qualifier',
    description: 'Qualify marketing leads on CRM lead pages and sync the decision back to the CRM.',
    // storage: settings and tab state; alarms: wake the sync loop; identity: Salesforce sign-in (OAuth).
    permissions: ['storage', 'alarms', 'identity'],
    // Stated, not left to the browser's default: our own scripts only (no eval, no wasm, no remote code),
    // no plugins, no <base> that could redirect relative URLs (ADR 0015).
    content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'; base-uri 'none';" },
    // The team's config by browser policy (storage.managed, ADR 0016). Chrome only: Firefox reads managed
    // storage from a native manifest or policies.json, without a schema, and warns about this key.
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed_schema.json' } }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: '{6f1c2b7e-3d2a-4c55-9a51-2f0e8f7c9b10}',
              // Lead names, notes and evidence go to the CRM the rep connects; nothing goes anywhere else.
              data_collection_permissions: { required: ['personallyIdentifyingInfo', 'websiteContent'] },
            },
          },
        }
      : {}),
    optional_host_permissions: apiHosts(mode).optional,
    ...(apiHosts(mode).granted.length ? { host_permissions: apiHosts(mode).granted } : {}),
    commands: {
      'toggle-panel': {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Show or hide the lead qualification panel (moves focus into it and back)',
      },
    },
  }),
  hooks: {
    'entrypoints:found': crmContentScripts,
    // The managed-storage schema is Chrome's (the manifest names it only there): the Firefox build leaves it out.
    'build:publicAssets': (wxt, files) => {
      if (wxt.config.browser !== 'firefox') return;
      const i = files.findIndex((file) => file.relativeDest === 'managed_schema.json');
      if (i >= 0) files.splice(i, 1);
    },
    // A demo-only CRM's script has no matches outside demo builds (src/content/entrypoint.ts): not built.
    'entrypoints:resolved': (wxt, entrypoints) => {
      const generated = join(wxt.config.wxtDir, CRM_SCRIPTS_DIR);
      for (let i = entrypoints.length - 1; i >= 0; i--) {
        const e = entrypoints[i]!;
        if (e.type === 'content-script' && e.inputPath.startsWith(generated) && (e.options.matches ?? []).length === 0) entrypoints.splice(i, 1);
      }
    },
    // The panel page opens in an iframe on CRM pages, so it must be web-accessible there, and only there:
    // the same match patterns as the content script (which come from src/crm, one list). In Chrome only at
    // its per-session dynamic address (`use_dynamic_url`, what `runtime.getURL` gives): a page cannot frame
    // it at the extension's fixed id, nor use that id to recognise the extension (ADR 0015). Firefox has no
    // such key (its address is already a per-install UUID, hidden in the closed shadow root).
    'build:manifestGenerated': (wxt, manifest) => {
      const matches = [...new Set((manifest.content_scripts ?? []).flatMap((script) => script.matches ?? []))];
      if (matches.length === 0) throw new Error('No content script matches: cannot scope panel.html');
      type Mv3Resources = Exclude<typeof manifest.web_accessible_resources, string[] | undefined>;
      const existing = (manifest.web_accessible_resources ?? []) as Mv3Resources;
      const dynamic = wxt.config.browser === 'firefox' ? {} : { use_dynamic_url: true };
      manifest.web_accessible_resources = [...existing, { resources: ['panel.html'], matches, ...dynamic }];
    },
  },
});
