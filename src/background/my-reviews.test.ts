import { describe, expect, it } from 'vitest';
import type { Connection } from '../crm/api';
import demoApi from '../crm/demo/api';
import { defaultConfig } from '../domain/defaults';
import type { Author } from '../domain/dispositions';
import { createClient } from '../messaging/client';
import { ProtocolError } from '../messaging/envelope';
import { popupProtocol } from '../messaging/options-protocol';
import { createRouter } from '../messaging/router';
import type { Caller } from '../messaging/sender';
import { saveRep } from '../store/settings';
import { connectionStore } from '../sync/connections';
import { freshDb } from '../../test/support/db';
import { saveDecision } from '../../test/support/dispositions';
import { createMyReviewsService } from './my-reviews';
import { backgroundProtocol } from './protocol';

/** "popup.myReviews" through the router, as the popup sends it: who this browser is, then the store's query. */

const sam: Author = { id: '102', name: 'Sam Rep', crm: 'demo' };
const ana: Author = { id: '101', name: 'Ana Souza', crm: 'demo' };
const ref = (recordId: string, url = `http://127.0.0.1:5180/leads/${recordId}`) => ({ crm: 'demo', recordId, objectType: 'lead', url, host: '127.0.0.1' });
const reject = { outcome: 'reject' as const, reasonCode: 'no_budget', note: 'Frozen until June.' };
const demoConnection = (user?: Connection['user']): Connection => ({
  crm: 'demo',
  apiBase: 'http://127.0.0.1:5180',
  label: 'Demo CRM',
  credentials: { kind: 'token', token: 'demo-token' },
  mapping: demoApi.defaultMapping,
  connectedAt: '2026-11-19T09:00:00.000Z',
  state: 'connected',
  ...(user ? { user } : {}),
});
const review = (id: string, dispositionId: string, at: string) => ({ id, dispositionId, reviewerId: '201', reviewerName: 'Mia Lead', verdict: 'disagree' as const, comment: `Why ${id}?`, at, rev: 1 });

async function setup() {
  const db = freshDb(`my-reviews-bg-${Math.random()}`);
  const connections = connectionStore(db);
  const service = createMyReviewsService({ db, connections, config: async () => defaultConfig() });
  const route = createRouter(popupProtocol, service.handlers);
  const as = (caller: Caller) => createClient(popupProtocol, (m) => route(m, caller));
  return { db, connections, page: as({ role: 'extension_page' }), as };
}

describe('popup.myReviews', () => {
  it('answers the reviews of decisions signed by the connection’s CRM user, newest first', async () => {
    const { db, connections, page } = await setup();
    await connections.put(demoConnection({ id: sam.id, name: sam.name }));
    await saveDecision(db, ref('L-1'), reject, { dispositionId: 'd-sam', author: sam, name: 'Ada Park' });
    await saveDecision(db, ref('L-2'), reject, { dispositionId: 'd-ana', author: ana, name: 'Bo Okafor' });
    await db.reviews.bulkPut([review('rv-1', 'd-sam', '2026-11-21T08:00:00.000Z'), review('rv-2', 'd-ana', '2026-11-21T09:00:00.000Z'), review('rv-3', 'd-sam', '2026-11-22T08:00:00.000Z')]);

    const answer = await page('popup.myReviews', {});
    expect(answer.identified).toBe(true);
    expect(answer.reviews.map((r) => r.id)).toEqual(['rv-3', 'rv-1']);
    expect(answer.reviews[1]).toEqual({
      id: 'rv-1',
      verdict: 'disagree',
      reviewerName: 'Mia Lead',
      at: '2026-11-21T08:00:00.000Z',
      comment: 'Why rv-1?',
      crm: 'demo',
      decision: { dispositionId: 'd-sam', rev: 1, label: 'Rejected: No budget', leadName: 'Ada Park', url: 'http://127.0.0.1:5180/leads/L-1' },
      trust: { state: 'verified', notes: [] },
    });
  });

  it('uses the typed name and email where the CRM cannot say, and says when nobody is known', async () => {
    const { db, page } = await setup();
    expect(await page('popup.myReviews', {})).toEqual({ identified: false, reviews: [] });

    const typed: Author = { id: 'email:sam@acme.example', name: 'Sam Rep', email: 'sam@acme.example' };
    await saveDecision(db, ref('L-1'), reject, { dispositionId: 'd-typed', author: typed });
    await db.reviews.put(review('rv-typed', 'd-typed', '2026-11-21T08:00:00.000Z'));
    await saveRep(db, { name: 'Sam Rep', email: 'Sam@Acme.example' });
    expect((await page('popup.myReviews', {})).reviews.map((r) => r.id)).toEqual(['rv-typed']);
  });

  it('offers only web addresses as the lead’s link', async () => {
    const { db, connections, page } = await setup();
    await connections.put(demoConnection({ id: sam.id, name: sam.name }));
    // eslint-disable-next-line no-script-url -- the hostile address the handler must not pass on
    await saveDecision(db, ref('L-1', 'javascript:alert(1)'), reject, { dispositionId: 'd-1', author: sam });
    await db.reviews.put(review('rv-1', 'd-1', '2026-11-21T08:00:00.000Z'));
    const [r] = (await page('popup.myReviews', {})).reviews;
    expect(r!.decision.url).toBeUndefined();
  });

  it('is part of the background’s protocol, for extension pages only', async () => {
    expect(backgroundProtocol['popup.myReviews']).toBe(popupProtocol['popup.myReviews']);
    const { as } = await setup();
    for (const caller of [{ role: 'content', tabId: 1 }, { role: 'panel', tabId: 1 }] as const) {
      await expect(as(caller)('popup.myReviews', {})).rejects.toEqual(new ProtocolError('forbidden', '"popup.myReviews" may not come from ' + caller.role + '.'));
    }
  });
});
