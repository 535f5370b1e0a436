import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { DashboardApp } from '../../src/dashboard/DashboardApp';
import { importFromConnectedCrms } from '../../src/dashboard/import-from-crm';
import { createClient } from '../../src/messaging/client';
import { optionsProtocol } from '../../src/messaging/options-protocol';
import { openDb } from '../../src/store/db';

const db = openDb();
const send = createClient(optionsProtocol, (message) => browser.runtime.sendMessage(message));
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

/** Demo builds only: `dashboard.html?seed=1000` fills the store with that many seeded decisions first. */
async function seedForDemo() {
  if (import.meta.env.MODE !== 'demo') return;
  const n = Number(new URLSearchParams(location.search).get('seed'));
  if (!(n > 0)) return;
  const { seedDispositions } = await import('../../src/store/seed-dispositions');
  await seedDispositions(db, Math.min(n, 100_000), { seed: 20261123 });
}

const root = document.getElementById('root');
if (root) {
  void seedForDemo().finally(() =>
    createRoot(root).render(
      <StrictMode>
        <QueryClientProvider client={queryClient}>
          <DashboardApp db={db} importFromCrm={{ onImport: () => importFromConnectedCrms(send) }} />
        </QueryClientProvider>
      </StrictMode>,
    ),
  );
}
