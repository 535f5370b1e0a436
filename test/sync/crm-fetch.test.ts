/**
 * One limiter per CRM connection, whoever asks (src/sync/crm-fetch.ts): after a 429 nothing starts
 * before the CRM's wait is over, searches keep a budget of their own, and connections do not share.
 */
import { describe, expect, it } from 'vitest';
import { createCrmFetch } from '../../src/sync/crm-fetch';

/** A virtual clock and a server that records when each request arrived, answering what `answer` says. */
function setup(answer: (url: string, n: number) => Response = () => new Response('{}', { status: 200 })) {
  let t = 1_000_000;
  const arrivals: { url: string; at: number }[] = [];
  const crmFetch = createCrmFetch({
    now: () => t,
    sleep: async (ms) => void (t += ms),
    fetch: async (input) => {
      const url = String(input);
      arrivals.push({ url, at: t });
      return answer(url, arrivals.length);
    },
  });
  return { crmFetch, arrivals, now: () => t, advance: (ms: number) => void (t += ms) };
}

const module = {
  rateLimit: { requests: 1000, perMs: 10_000 },
  searchRateLimit: { requests: 4, perMs: 1_000, isSearch: (url: URL) => url.pathname.endsWith('/search') },
};
const connection = { crm: 'hubspot', apiBase: 'https://api.hubapi.com' };

describe('the CRM fetch of a connection', () => {
  it('after a 429 with Retry-After, no request of that connection starts inside the wait, whoever sends it', async () => {
    const s = setup((_url, n) => (n === 1 ? new Response('{}', { status: 429, headers: { 'retry-after': '3' } }) : new Response('{}')));
    const sync = s.crmFetch.forConnection(module, connection);
    const first = await sync.fetch('https://api.hubapi.com/crm/v3/objects/notes/batch/create', { method: 'POST' });
    expect(first.status).toBe(429);
    const limitedAt = s.now();
    expect(sync.waitingUntil()).toBe(limitedAt + 3_000);
    // A lead read (another user of the same connection) waits too.
    const leadRead = s.crmFetch.forConnection(module, connection);
    await leadRead.fetch('https://api.hubapi.com/crm/v3/objects/contacts/1');
    expect(s.arrivals[1]!.at).toBeGreaterThanOrEqual(limitedAt + 3_000);
    expect(s.arrivals.filter((a) => a.at > limitedAt && a.at < limitedAt + 3_000)).toEqual([]);
    expect(sync.waitingUntil()).toBe(0);
  });

  it("honours the module's own reading of the CRM's headers when there is no Retry-After", async () => {
    const s = setup((_url, n) => (n === 1 ? new Response('{}', { status: 429, headers: { 'x-wait-ms': '2500' } }) : new Response('{}')));
    const withHeaders = { ...module, waitAfter: (r: Response) => Number(r.headers.get('x-wait-ms')) || undefined };
    const c = s.crmFetch.forConnection(withHeaders, connection);
    await c.fetch('https://api.hubapi.com/a');
    const at = s.now();
    await c.fetch('https://api.hubapi.com/b');
    expect(s.arrivals[1]!.at - at).toBe(2_500);
  });

  it('keeps searches under their own budget without slowing other requests', async () => {
    const s = setup();
    const c = s.crmFetch.forConnection(module, connection);
    const start = s.now();
    // 3 searches fit the 90 % of 4 per second; the 4th waits for the window; plain reads do not wait.
    for (let i = 0; i < 4; i++) await c.fetch('https://api.hubapi.com/crm/v3/objects/notes/search', { method: 'POST' });
    for (let i = 0; i < 5; i++) await c.fetch('https://api.hubapi.com/crm/v3/objects/contacts/1');
    const searches = s.arrivals.filter((a) => a.url.endsWith('/search'));
    expect(searches.slice(0, 3).every((a) => a.at === start)).toBe(true);
    expect(searches[3]!.at).toBe(start + 1_000);
    expect(s.crmFetch.callCount()).toBe(9);
  });

  it('gives each connection its own limiter', async () => {
    const s = setup((url) => (url.includes('hubapi') ? new Response('{}', { status: 429, headers: { 'retry-after': '60' } }) : new Response('{}')));
    await s.crmFetch.forConnection(module, connection).fetch('https://api.hubapi.com/x');
    const before = s.now();
    await s.crmFetch.forConnection(module, { crm: 'salesforce', apiBase: 'https://acme.my.salesforce.com' }).fetch('https://acme.my.salesforce.com/y');
    expect(s.now()).toBe(before);
    expect(s.crmFetch.forConnection(module, connection)).toBe(s.crmFetch.forConnection(module, connection));
  });
});
