import type { createClient } from '../messaging/client';
import type { optionsProtocol } from '../messaging/options-protocol';

type Send = ReturnType<typeof createClient<typeof optionsProtocol>>;

/**
 * "Import from CRM" for the dashboard: the background reads each connected CRM's notes page by page (the
 * tokens stay there); this keeps asking for the next page until every CRM is done, reporting progress.
 * The rows land in the store, which the dashboard's views follow live.
 */
export async function importFromConnectedCrms(send: Send, onProgress?: (text: string) => void): Promise<{ imported: number }> {
  const { connections } = await send('options.getOverview', {});
  if (connections.length === 0) throw new Error('No CRM is connected: connect one on the options page first.');
  let imported = 0;
  for (const c of connections) {
    const before = (await send('dashboard.importStatus', { crm: c.crm })).imported;
    let p;
    for (let page = 0; page < 10_000; page++) {
      p = await send('dashboard.importStep', { crm: c.crm });
      if (p.problem) throw new Error(`${c.label}: ${p.problem}`);
      onProgress?.(`${c.label}: ${p.notes} notes read, ${p.imported} decisions`);
      if (p.done) break;
    }
    imported += Math.max(0, (p?.imported ?? before) - before);
  }
  return { imported };
}
