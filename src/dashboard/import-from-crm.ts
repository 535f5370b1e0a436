import type { createClient } from '../messaging/client';
import type { ImportProgressView, optionsProtocol } from '../messaging/options-protocol';

type Send = ReturnType<typeof createClient<typeof optionsProtocol>>;

/** What one import brought in, over every connected CRM (counts of this run only). */
export interface ImportSummary {
  newDecisions: number;
  newRevisions: number;
  unchanged: number;
  refused: number;
  reviews: number;
  unreadable: number;
  /** Why notes were refused, with the CRM they are in. */
  refusedNotes: (ImportProgressView['refusedNotes'][number] & { crm: string })[];
}

/**
 * "Import from CRM" for the dashboard: the background reads each connected CRM's notes page by page (the
 * tokens stay there); this keeps asking for the next page until every CRM is done, reporting progress.
 * The rows land in the store, which the dashboard's views follow live.
 */
export async function importFromConnectedCrms(send: Send, onProgress?: (text: string) => void): Promise<ImportSummary> {
  const { connections } = await send('options.getOverview', {});
  if (connections.length === 0) throw new Error('No CRM is connected: connect one on the options page first.');
  const summary: ImportSummary = { newDecisions: 0, newRevisions: 0, unchanged: 0, refused: 0, reviews: 0, unreadable: 0, refusedNotes: [] };
  for (const c of connections) {
    let p: ImportProgressView | undefined;
    for (let page = 0; page < 100_000; page++) {
      p = await send('dashboard.importStep', { crm: c.crm });
      if (p.problem) throw new Error(`${c.label}: ${p.problem}`);
      onProgress?.(`${c.label}: ${p.notes} notes read`);
      if (p.done) break;
    }
    if (!p) continue;
    for (const k of ['newDecisions', 'newRevisions', 'unchanged', 'refused', 'reviews', 'unreadable'] as const) summary[k] += p[k];
    summary.refusedNotes.push(...p.refusedNotes.map((r) => ({ ...r, crm: c.label })));
  }
  return summary;
}
