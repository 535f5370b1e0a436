import { messageOf } from '../domain/errors';
import type { OptionsSend } from '../options/types';

/** Pages of notes one check reads at most per CRM; what is left is read by the next check (progress is kept). */
export const MAX_PAGES = 500;

/**
 * "Check the CRM now": the dashboard's import, run from the popup — each CRM's notes changed since the
 * last import, a page per message, until it is done (the background keeps the progress, so a popup closed
 * half-way loses nothing). Resolves to the problems met, one per CRM that stopped.
 */
export async function checkCrms(
  send: OptionsSend,
  crms: readonly { crm: string; label: string }[],
  onProgress: (crm: { crm: string; label: string }, notes: number) => void,
): Promise<{ crm: string; label: string; problem: string }[]> {
  const problems: { crm: string; label: string; problem: string }[] = [];
  for (const c of crms) {
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const p = await send('dashboard.importStep', { crm: c.crm });
        if (p.problem) {
          problems.push({ ...c, problem: p.problem });
          break;
        }
        onProgress(c, p.notes);
        if (p.done) break;
      }
    } catch (e) {
      problems.push({ ...c, problem: messageOf(e) });
    }
  }
  return problems;
}
