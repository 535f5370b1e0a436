import { defineConfig } from 'wxt';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifest: {
    name: 'Lead Qualifier',
    description: 'Qualify marketing leads on CRM lead pages and sync the decision back to the CRM.',
    permissions: ['storage'],
    commands: {
      'toggle-panel': {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Show or hide the lead qualification panel (moves focus into it and back)',
      },
    },
  },
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
