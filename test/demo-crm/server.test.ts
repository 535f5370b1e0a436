import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_API_TOKEN, startDemoCrm } from '../../scripts/demo-crm/server';
import { DEMO_DATA_VERSION, generateDemoDb, type DemoLead } from '../../scripts/demo-crm/seed';
import { parseTeamNote } from '../../src/domain/note-format';
import { defaultConfig } from '../../src/domain/defaults';
import { findKnockouts } from '../../src/domain/knockouts';
import { leadProfileSchema } from '../../src/domain/lead';
import { scoreLead } from '../../src/domain/scoring';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const config = defaultConfig();
const profile = (l: DemoLead) =>
  leadProfileSchema.parse({ crm: 'demo', recordId: l.id, title: l.title, industry: l.industry, companySize: l.companySize, region: l.region, techStack: l.techStack, email: l.email, existingCustomer: l.existingCustomer, activities: l.activities });

describe('demo CRM seed', () => {
  const db = generateDemoDb(7, NOW);

  it('is the same for the same seed, and different for another', () => {
    expect(generateDemoDb(7, NOW)).toEqual(db);
    expect(generateDemoDb(8, NOW).leads.map((l) => l.email)).not.toEqual(db.leads.map((l) => l.email));
  });

  it('has at least 60 leads, two or more reps, and past decisions of every kind', () => {
    expect(db.leads.length).toBeGreaterThanOrEqual(60);
    expect(db.reps.length).toBeGreaterThanOrEqual(2);
    const statuses = new Set(db.leads.map((l) => l.status));
    for (const s of ['New', 'Qualified', 'Unqualified', 'Nurture']) expect(statuses).toContain(s);
    expect(new Set(db.leads.filter((l) => l.reason).map((l) => l.reason)).size).toBeGreaterThanOrEqual(3);
  });

  it('spans company sizes 5 to 5,000, intern to C-level, and 90 days of activity', () => {
    const sizes = db.leads.map((l) => l.companySize);
    expect(Math.min(...sizes)).toBeLessThanOrEqual(5);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(5000);
    const titles = db.leads.map((l) => l.title).join('|');
    expect(titles).toMatch(/Intern/);
    expect(titles).toMatch(/Chief|VP/);
    const ages = db.leads.flatMap((l) => l.activities.map((a) => (NOW - Date.parse(a.at)) / 86_400_000));
    expect(Math.max(...ages)).toBeGreaterThan(31); // decay shows
  });

  it('reproduces the brief’s examples: the 40-point hot MQL, 55 vs 75, and knock-outs', () => {
    const byName = (first: string) => db.leads.find((l) => l.firstName === first)!;
    expect(scoreLead(profile(byName('Dana')), config.scoring, NOW).total).toBe(40);
    expect(scoreLead(profile(byName('Priya')), config.scoring, NOW).total).toBe(55);
    expect(scoreLead(profile(byName('Max')), config.scoring, NOW).total).toBe(75);
    const knockedOut = db.leads.filter((l) => findKnockouts(profile(l), config).length > 0).map((l) => l.firstName);
    expect(knockedOut).toEqual(expect.arrayContaining(['Ravi', 'Lucy', 'Tom']));
  });
});

describe('demo CRM API', () => {
  let server: Server;
  let url: string;
  let dir: string;
  const auth = { authorization: `Bearer ${DEMO_API_TOKEN}` };
  const api = (path: string, init: RequestInit = {}) => fetch(`${url}${path}`, { ...init, headers: { ...auth, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-crm-'));
    ({ server, url } = await startDemoCrm(0, { dataFile: join(dir, 'db.json'), now: () => NOW }));
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the lead list and lead pages with the lead’s name in the title, escaping data', async () => {
    const list = await (await fetch(`${url}/leads`)).text();
    expect(list).toContain('href="/leads/L-1001"');
    const page = await fetch(`${url}/leads/L-1001`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Dana Whitfield | Lead | Demo CRM</title>');
    expect((await fetch(`${url}/leads/L-9999`)).status).toBe(404);
  });

  it('answers 401 without the token, like a real CRM', async () => {
    const r = await fetch(`${url}/api/v1/leads/L-1001`);
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });

  it('reads a lead with its activities', async () => {
    const r = await api('/api/v1/leads/L-1002');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { properties: { email: string }; activities: unknown[] };
    expect(body.properties.email).toBe('priya.raman@kestrel.example');
    expect(body.activities).toHaveLength(1);
  });

  it('pages through leads', async () => {
    const first = (await (await api('/api/v1/leads?limit=50')).json()) as { results: unknown[]; paging?: { next: { after: string } } };
    expect(first.results).toHaveLength(50);
    const second = (await (await api(`/api/v1/leads?limit=50&after=${first.paging!.next.after}`)).json()) as { results: unknown[] };
    expect(first.results.length + second.results.length).toBeGreaterThanOrEqual(60);
  });

  it('updates status and reason, and answers 400 with field errors for bad values', async () => {
    const bad = await api('/api/v1/leads/L-1003', { method: 'PATCH', body: JSON.stringify({ properties: { status: 'Dead', owner: 'x' } }) });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { category: string; errors: { field: string }[] };
    expect(err.category).toBe('VALIDATION_ERROR');
    expect(err.errors.map((e) => e.field).sort()).toEqual(['owner', 'status']);
    const ok = await api('/api/v1/leads/L-1003', { method: 'PATCH', body: JSON.stringify({ properties: { status: 'Unqualified', reason: 'Not ICP fit' } }) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { properties: { status: string } }).properties.status).toBe('Unqualified');
    expect((await api('/api/v1/leads/L-0000', { method: 'PATCH', body: '{}' })).status).toBe(404);
    expect((await api('/api/v1/leads/L-1003', { method: 'PATCH', body: '{not json' })).status).toBe(400);
  });

  it('creates a note once per idempotency key', async () => {
    const post = () => api('/api/v1/leads/L-1004/notes', { method: 'POST', headers: { 'idempotency-key': 'disp-1:rev-1' }, body: JSON.stringify({ body: 'Rejected: competitor.' }) });
    const a = await post();
    const b = await post();
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(((await a.json()) as { id: string }).id).toBe(((await b.json()) as { id: string }).id);
    const notes = (await (await api('/api/v1/leads/L-1004/notes')).json()) as { results: unknown[] };
    expect(notes.results).toHaveLength(1);
  });

  it('keeps one note per idempotency key across the CRM: the key on another lead is refused (422), not a second note', async () => {
    const post = (lead: string) => api(`/api/v1/leads/${lead}/notes`, { method: 'POST', headers: { 'idempotency-key': 'lq-unique-1' }, body: JSON.stringify({ body: 'Accepted.' }) });
    expect((await post('L-1006')).status).toBe(201);
    const other = await post('L-1007');
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ status: 'error', category: 'IDEMPOTENCY_KEY_REUSED' });
    expect((await post('L-1006')).status).toBe(200);
    const all = (await (await api('/api/v1/notes?limit=100')).json()) as { results: { idempotencyKey?: string }[] };
    expect(all.results.filter((n) => n.idempotencyKey === 'lq-unique-1')).toHaveLength(1);
  });

  it('logs a call activity once per idempotency key, refuses the key on another lead, and shows it on the lead page', async () => {
    const call = { type: 'call', subject: 'Call: Connected (lqcall1)', body: 'Call logged (lqcall1).', outcome: 'connected', startedAt: '2026-11-20T11:50:00Z', durationSeconds: 125 };
    const post = (lead: string, body: object = call) => api(`/api/v1/leads/${lead}/activities`, { method: 'POST', headers: { 'idempotency-key': 'lqcall1' }, body: JSON.stringify(body) });
    const a = await post('L-1008');
    expect(a.status).toBe(201);
    const created = (await a.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ leadId: 'L-1008', type: 'call', outcome: 'connected', durationSeconds: 125, startedAt: '2026-11-20T11:50:00.000Z', author: 'Ana Souza', authorId: 'rep-ana' });
    const again = await post('L-1008');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(created.id);
    expect((await post('L-1009')).status).toBe(422);
    const listed = (await (await api('/api/v1/leads/L-1008/activities')).json()) as { results: unknown[] };
    expect(listed.results).toHaveLength(1);
    const page = await (await fetch(`${url}/leads/L-1008`)).text();
    expect(page).toContain('Call: Connected (lqcall1)');
  });

  it('refuses a call activity with field errors', async () => {
    const bad = await api('/api/v1/leads/L-1010/activities', { method: 'POST', body: JSON.stringify({ type: 'meeting', subject: '', body: 'x', outcome: 'maybe', startedAt: 'soon', durationSeconds: -1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(['durationSeconds', 'outcome', 'startedAt', 'subject', 'type']);
    expect(((await (await api('/api/v1/leads/L-1010/activities')).json()) as { results: unknown[] }).results).toEqual([]);
  });

  it('rejects an empty or oversized note with a field error', async () => {
    const empty = await api('/api/v1/leads/L-1004/notes', { method: 'POST', body: JSON.stringify({ body: ' ' }) });
    expect(empty.status).toBe(400);
    const huge = await api('/api/v1/leads/L-1004/notes', { method: 'POST', body: JSON.stringify({ body: 'x'.repeat(70_000) }) });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('body');
  });

  it('keeps changes across a restart, and starts fresh with reset', async () => {
    await api('/api/v1/leads/L-1005', { method: 'PATCH', body: JSON.stringify({ properties: { status: 'Nurture' } }) });
    const again = await startDemoCrm(0, { dataFile: join(dir, 'db.json'), now: () => NOW });
    const kept = (await (await fetch(`${again.url}/api/v1/leads/L-1005`, { headers: auth })).json()) as { properties: { status: string } };
    again.server.close();
    expect(kept.properties.status).toBe('Nurture');
    const fresh = await startDemoCrm(0, { dataFile: join(dir, 'db.json'), reset: true, now: () => NOW });
    const reset = (await (await fetch(`${fresh.url}/api/v1/leads/L-1005`, { headers: auth })).json()) as { properties: { status: string } };
    fresh.server.close();
    expect(reset.properties.status).not.toBe('Nurture');
  });
});

describe('demo CRM data file', () => {
  it('regenerates data written by an older version of the demo instead of misreading it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-crm-version-'));
    try {
      const file = join(dir, 'crm.json');
      writeFileSync(file, JSON.stringify({ seed: 1, generatedAt: '2026-01-01T00:00:00.000Z', reps: [], leads: [], notes: [] }));
      const { DemoCrm } = await import('../../scripts/demo-crm/server');
      const crm = new DemoCrm({ dataFile: file });
      expect(crm.db.version).toBe(DEMO_DATA_VERSION);
      expect(crm.db.leads.length).toBeGreaterThanOrEqual(60);
      // Its earlier decisions carry the structured block the dashboard imports.
      expect(crm.db.notes.every((n) => parseTeamNote(n.body).ok)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
