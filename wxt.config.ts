import { defineConfig } from 'wxt';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  imports: false,
  manifest: {
    name: 'Lead Qualifier',
    description: 'Qualify marketing leads on CRM lead pages and sync the decision back to the CRM.',
    permissions: ['storage'],
  },
});
