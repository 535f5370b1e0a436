import { describe, expect, it } from 'vitest';
import { importFromConnectedCrms } from './import-from-crm';

function fakeSend(pages: Record<string, { imported: number; done: boolean; problem?: string }[]>, connections = Object.keys(pages)) {
  const calls: string[] = [];
  const at: Record<string, number> = {};
  const send = (async (type: string, payload: { crm?: string }) => {
    calls.push(`${type}${payload.crm ? `:${payload.crm}` : ''}`);
    if (type === 'options.getOverview') return { connections: connections.map((crm) => ({ crm, label: crm.toUpperCase() })) };
    if (type === 'dashboard.importStatus') return { imported: 0 };
    const list = pages[payload.crm!]!;
    const i = (at[payload.crm!] = (at[payload.crm!] ?? -1) + 1);
    return { crm: payload.crm, notes: (i + 1) * 100, pages: i + 1, skippedLocal: 0, invalid: 0, ...list[i]! };
  }) as never;
  return { send, calls };
}

describe('importing from the connected CRMs', () => {
  it('asks for pages until each CRM is done and adds up what came in', async () => {
    const { send, calls } = fakeSend({ hubspot: [{ imported: 100, done: false }, { imported: 130, done: true }], demo: [{ imported: 12, done: true }] });
    const progress: string[] = [];
    await expect(importFromConnectedCrms(send, (p) => progress.push(p))).resolves.toEqual({ imported: 142 });
    expect(calls.filter((c) => c.startsWith('dashboard.importStep'))).toEqual(['dashboard.importStep:hubspot', 'dashboard.importStep:hubspot', 'dashboard.importStep:demo']);
    expect(progress[1]).toBe('HUBSPOT: 200 notes read, 130 decisions');
  });

  it('says what went wrong, naming the CRM', async () => {
    const { send } = fakeSend({ hubspot: [{ imported: 0, done: false, problem: 'Authentication credentials not found.' }] });
    await expect(importFromConnectedCrms(send)).rejects.toThrow('HUBSPOT: Authentication credentials not found.');
    await expect(importFromConnectedCrms(fakeSend({}, []).send)).rejects.toThrow(/No CRM is connected/);
  });
});
