import { describe, expect, it } from 'vitest';
import { leadKey } from '../crm';
import { defaultConfig } from '../domain/defaults';
import { CHANNEL } from '../messaging/envelope';
import type { PanelState } from '../messaging/panel-protocol';
import { backgroundPushes, concerns, leadKeyOf, pushLog, type PanelPush } from './pushes';

function fakeRuntime() {
  const listeners = new Set<(m: unknown, s: { id?: string; tab?: unknown }) => void>();
  return {
    id: 'ext-id',
    onMessage: { addListener: (cb: never) => void listeners.add(cb), removeListener: (cb: never) => void listeners.delete(cb) },
    emit: (m: unknown, s: { id?: string; tab?: unknown }) => listeners.forEach((l) => l(m, s)),
    count: () => listeners.size,
  };
}
const push = (tabId: unknown) => ({ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId } });

describe('background pushes to the panel', () => {
  it('passes on only well-formed pushes from our own background', () => {
    const runtime = fakeRuntime();
    const seen: number[] = [];
    const stop = backgroundPushes(runtime)((p) => p.type === 'panel.leadChanged' && seen.push(p.payload.tabId));
    runtime.emit(push(7), { id: 'ext-id' });
    runtime.emit(push(8), { id: 'other-extension' }); // another extension
    runtime.emit(push(9), { id: 'ext-id', tab: { id: 9 } }); // a content script or a tab's page
    runtime.emit(push('x'), { id: 'ext-id' }); // wrong shape
    runtime.emit({ channel: CHANNEL, type: 'page.leadShown', payload: {} }, { id: 'ext-id' });
    expect(seen).toEqual([7]);
    stop();
    expect(runtime.count()).toBe(0);
  });
});

const ref = { crm: 'salesforce', recordId: '00Q5e00000AbCdEEAV', objectType: 'Lead', url: 'https://acme.lightning.force.com/lightning/r/Lead/00Q5e00000AbCdEEAV/view', host: 'acme.lightning.force.com' };
const stateFor = (over: Partial<PanelState> = {}): PanelState => ({
  tabId: 1,
  ref,
  lead: null,
  source: null,
  checklist: { frameworkId: 'bant', answers: {} },
  askedQuestions: [],
  draft: null,
  saved: { dispositionId: 'd1', rev: 1, decision: { outcome: 'reject', reasonCode: 'not_icp', note: '' } as never, at: '2026-11-20T12:00:00.000Z', by: 'Sam', syncState: 'saved_locally' },
  config: defaultConfig(),
  author: { name: 'Sam', source: 'crm' },
  team: null,
  call: { draft: null, logged: [], attempts: 0 },
  ...over,
});
const leadChanged = (tabId: number): PanelPush => ({ channel: CHANNEL, type: 'panel.leadChanged', payload: { tabId } });
const syncChanged = (...dispositionIds: string[]): PanelPush => ({ channel: CHANNEL, type: 'panel.syncChanged', payload: { dispositionIds } });
const leadRefreshed = (key: string): PanelPush => ({ channel: CHANNEL, type: 'panel.leadRefreshed', payload: { leadKey: key } });

describe('sync and profile pushes', () => {
  it('passes on sync-state and profile pushes, and drops malformed ones', () => {
    const runtime = fakeRuntime();
    const seen: PanelPush[] = [];
    backgroundPushes(runtime)((p) => seen.push(p));
    runtime.emit(syncChanged('d1', 'd2'), { id: 'ext-id' });
    runtime.emit(leadRefreshed('salesforce:acme:1'), { id: 'ext-id' });
    runtime.emit({ channel: CHANNEL, type: 'panel.syncChanged', payload: { dispositionIds: [] } }, { id: 'ext-id' }); // names nothing
    runtime.emit({ channel: CHANNEL, type: 'panel.syncChanged', payload: { dispositionIds: 'd1' } }, { id: 'ext-id' });
    runtime.emit({ channel: CHANNEL, type: 'panel.leadRefreshed', payload: { leadKey: '' } }, { id: 'ext-id' });
    runtime.emit(syncChanged('d1'), { id: 'ext-id', tab: { id: 3 } }); // a content script
    runtime.emit(syncChanged('d1'), { id: 'other-extension' });
    expect(seen).toEqual([syncChanged('d1', 'd2'), leadRefreshed('salesforce:acme:1')]);
  });

  it('names the lead as the background does', () => {
    expect(leadKeyOf(ref)).toBe(leadKey(ref));
    expect(leadKeyOf({ ...ref, account: 'acme-org' })).toBe(leadKey({ ...ref, account: 'acme-org' }));
  });

  it('says which pushes concern a panel: its tab, its lead, its decision', () => {
    const s = stateFor();
    expect(concerns(leadChanged(1), s)).toBe(true);
    expect(concerns(leadChanged(2), s)).toBe(false);
    expect(concerns(leadChanged(2), undefined)).toBe(true); // its tab is not known yet
    expect(concerns(syncChanged('d0', 'd1'), s)).toBe(true);
    expect(concerns(syncChanged('d2'), s)).toBe(false);
    expect(concerns(syncChanged('d1'), stateFor({ saved: null }))).toBe(false);
    expect(concerns(leadRefreshed(leadKey(ref)), s)).toBe(true);
    expect(concerns(leadRefreshed(leadKey({ ...ref, recordId: '00Q5e00000ZzYyXEAV' })), s)).toBe(false);
    expect(concerns(leadRefreshed(leadKey(ref)), stateFor({ ref: null }))).toBe(false);
  });

  it('tells a reply that a push about it overtook (read again) from one that is current', () => {
    const log = pushLog(3);
    const mark = log.mark();
    expect(log.since(mark, stateFor())).toBe(false);
    log.note(syncChanged('d2'));
    expect(log.since(mark, stateFor())).toBe(false); // another decision
    log.note(syncChanged('d1'));
    expect(log.since(mark, stateFor())).toBe(true);
    expect(log.since(log.mark(), stateFor())).toBe(false); // sent after that push
    const late = log.mark();
    for (let i = 0; i < 4; i++) log.note(syncChanged('d9'));
    expect(log.since(late, stateFor())).toBe(true); // more came than the log keeps: assume the worst
  });
});
