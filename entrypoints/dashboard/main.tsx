import { DashboardApp } from '../../src/dashboard/DashboardApp';
import { importFromConnectedCrms } from '../../src/dashboard/import-from-crm';
import { openStore } from '../../src/store/store';
import { onEnqueued } from '../../src/store/outbox';
import { mountPage, pageClient } from '../../src/ui/mount';

const db = openStore();
const send = pageClient();
// A manager's review is queued for the CRM here; the sync loop runs in the background: wake it.
onEnqueued(() => void send('options.syncNow', {}).catch(() => undefined));

/** Demo builds only: `dashboard.html?seed=1000` fills the store with that many seeded decisions first. */
async function seedForDemo() {
  if (import.meta.env.MODE !== 'demo') return;
  const n = Number(new URLSearchParams(location.search).get('seed'));
  if (!(n > 0)) return;
  const { seedDispositions } = await import('../../src/demo/seed-dispositions');
  await seedDispositions(db, Math.min(n, 100_000), { seed: 20261123 });
}

/** Reviews are signed by the CRM user each connection belongs to (the background knows; tokens stay there). */
async function identity() {
  const o = await send('options.getOverview', {});
  return { users: Object.fromEntries(o.connections.flatMap((c) => (c.user ? [[c.crm, c.user] as const] : []))), rep: o.rep ?? undefined };
}

void seedForDemo().finally(() =>
  mountPage(<DashboardApp db={db} identity={identity} importFromCrm={{ onImport: () => importFromConnectedCrms(send) }} />, { retry: 1, refetchOnWindowFocus: false }),
);
