import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'wxt';

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

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifest: ({ mode, browser }) => ({
    name: 'Lead Qualifier',
    description: 'Qualify marketing leads on CRM lead pages and sync the decision back to the CRM.',
    // storage: settings and tab state; alarms: wake the sync loop; identity: Salesforce sign-in (OAuth).
    permissions: ['storage', 'alarms', 'identity'],
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
    // The panel page opens in an iframe on CRM pages, so it must be web-accessible there, and only there:
    // the same match patterns as the content script (which come from src/crm, one list).
    'build:manifestGenerated': (_wxt, manifest) => {
      const matches = [...new Set((manifest.content_scripts ?? []).flatMap((script) => script.matches ?? []))];
      if (matches.length === 0) throw new Error('No content script matches: cannot scope panel.html');
      type Mv3Resources = Exclude<typeof manifest.web_accessible_resources, string[] | undefined>;
      const existing = (manifest.web_accessible_resources ?? []) as Mv3Resources;
      manifest.web_accessible_resources = [...existing, { resources: ['panel.html'], matches }];
    },
  },
});
