import { describe, expect, it } from 'vitest';
import { importFromConnectedCrms } from './import-from-crm';

type Page = { newDecisions: number; newRevisions?: number; refused?: number; done: boolean; problem?: string; refusedNotes?: { noteId: string; dispositionId: string; why: string[] }[] };

/** The background's answers: each page reports the run's totals so far, as `importStep` does. */
function fakeSend(pages: Record<string, Page[]>, connections = Object.keys(pages)) {
  const calls: string[] = [];
  const at: Record<string, number> = {};
  const send = (async (type: string, payload: { crm?: string }) => {
    calls.push(`${type}${payload.crm ? `:${payload.crm}` : ''}`);
    if (type === 'options.getOverview') return { connections: connections.map((crm) => ({ crm, label: crm.toUpperCase() })) };
    const list = pages[payload.crm!]!;
    const i = (at[payload.crm!] = (at[payload.crm!] ?? -1) + 1);
    return { crm: payload.crm, notes: (i + 1) * 100, pages: i + 1, newRevisions: 0, unchanged: 0, refused: 0, reviews: 0, unreadable: 0, refusedNotes: [], ...list[i]! };
  }) as never;
  return { send, calls };
}

describe('importing from the connected CRMs', () => {
  it('asks for pages until each CRM is done and adds up what came in, with why notes were refused', async () => {
    const refusedNotes = [{ noteId: 'N-9', dispositionId: 'd9', why: ['signed by Alice (999), but hubspot says Ben (102) created the note'] }];
    const { send, calls } = fakeSend({ hubspot: [{ newDecisions: 100, done: false }, { newDecisions: 130, newRevisions: 4, refused: 1, refusedNotes, done: true }], demo: [{ newDecisions: 12, done: true }] });
    const progress: string[] = [];
    await expect(importFromConnectedCrms(send, (p) => progress.push(p))).resolves.toEqual({
      newDecisions: 142,
      newRevisions: 4,
      unchanged: 0,
      refused: 1,
      reviews: 0,
      unreadable: 0,
      refusedNotes: [{ ...refusedNotes[0], crm: 'HUBSPOT' }],
    });
    expect(calls.filter((c) => c.startsWith('dashboard.importStep'))).toEqual(['dashboard.importStep:hubspot', 'dashboard.importStep:hubspot', 'dashboard.importStep:demo']);
    expect(progress[1]).toBe('HUBSPOT: 200 notes read');
  });

  it('says what went wrong, naming the CRM', async () => {
    const { send } = fakeSend({ hubspot: [{ newDecisions: 0, done: false, problem: 'Authentication credentials not found.' }] });
    await expect(importFromConnectedCrms(send)).rejects.toThrow('HUBSPOT: Authentication credentials not found.');
    await expect(importFromConnectedCrms(fakeSend({}, []).send)).rejects.toThrow(/No CRM is connected/);
  });
});
