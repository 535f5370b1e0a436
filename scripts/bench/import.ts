/**
 * Import at scale, for `npm run bench` (issue 16): n decision notes by several reps on as many records,
 * written into a CRM stand-in the way the extension writes them (hash-chained revisions from
 * `createRevision`, `formatDispositionNote`, HubSpot's `noteHtml`, the creator set as the CRM sets it;
 * one decision in ten has a second revision, half of those by another rep), then imported into an
 * in-memory store with `importStep` until it is done, through one connection limiter (HubSpot's real
 * limits) and a counting fetch. Reports the pages, the calls by kind against ⌈n/100⌉ + pages, the time
 * (split into rate-limit waits, the stand-in's answers and the extension's own work), and a second,
 * incremental import right after a few more decisions: it should cost about one page.
 *
 * Alone: `npx vite-node scripts/bench/import.ts -- --run [--n=10000] [--crm=hubspot|demo]`.
 */
import { performance } from 'node:perf_hooks';
import type { Connection } from '../../src/crm/api';
import { crmApiModule } from '../../src/crm/apis';
import { noteHtml } from '../../src/crm/hubspot/note-html';
import type { QualificationConfig } from '../../src/domain/config';
import { defaultConfig } from '../../src/domain/defaults';
import { createRevision, decisionSchema, snapshotLead, type Author, type DecisionInput, type DispositionSnapshot, type Revision } from '../../src/domain/dispositions';
import { emptyChecklist, setAnswer, type Checklist } from '../../src/domain/frameworks';
import { DAY_MS, leadProfileSchema, type LeadProfile } from '../../src/domain/lead';
import { formatDispositionNote, idempotencyKey } from '../../src/domain/note-format';
import { qualify } from '../../src/domain/qualify';
import { connectionStore } from '../../src/sync/connections';
import { createCrmFetch } from '../../src/sync/crm-fetch';
import { importStep, type ImportProgress } from '../../src/sync/import';
import { freshDb } from '../../test/support/db';
import { startHubSpotStandIn } from '../../test/stand-ins/hubspot';
import { DEMO_MANAGER } from '../demo-crm/seed';
import { demoTokenFor, startDemoCrm } from '../demo-crm/server';
import type { Figure } from './sync';

const CONNECTED_AT = '2026-11-20T12:00:00.000Z';
const REPS = [
  ['Ana', 'Souza'],
  ['Ben', 'Okoro'],
  ['Cleo', 'Varga'],
  ['Dev', 'Patel'],
  ['Eva', 'Lindqvist'],
  ['Finn', 'Byrne'],
] as const;
/** Every this many decisions, one gets a second revision. */
const REVISED_EVERY = 10;
/** Decision notes written between the first import and the incremental one. */
const NEW_SINCE = 20;
const fmt = (x: number) => x.toLocaleString('en-US');
/** The note size the sync engine formats for (`src/sync/engine.ts`). */
const noteMax = (config: QualificationConfig, moduleMax: number | undefined) => Math.min(config.limits.noteMaxChars * 3 + 20_000, moduleMax ?? 32_000);

// ---------------------------------------------------------------------------------------------------
// Revisions as the extension makes them, from a few qualified snapshots (qualify() once per template).

interface Template {
  lead: LeadProfile;
  decision: DecisionInput;
  checklist: Checklist;
  snapshot: Omit<DispositionSnapshot, 'lead'>;
}

function templates(config: QualificationConfig, now: number): Template[] {
  const profiles = [
    { title: 'VP of Sales', company: 'Northwind Analytics', companySize: 450, industry: 'Software', region: 'Europe', source: 'Webinar', campaign: 'Q4 Pipeline Webinar' },
    { title: 'Director of IT', company: 'Bluefin Health', companySize: 1800, industry: 'Healthcare', region: 'North America', source: 'Paid search', campaign: 'Pricing Page Retargeting' },
    { title: 'Student', company: 'University', companySize: 8, industry: 'Education', region: 'Asia Pacific', source: 'Content syndication', campaign: 'State of RevOps Report' },
    { title: 'Operations Lead', company: 'Evergreen Retail', companySize: 40, industry: 'Retail', region: 'Latin America', source: 'Trade show', campaign: 'SaaStr Booth' },
  ];
  const decisions: { decision: DecisionInput; answers: [string, 'confirmed' | 'disconfirmed' | 'partly', string][] }[] = [
    { decision: { outcome: 'accept', stage: 'sql', nextStepId: config.nextSteps[0]!.id, nextStepOn: '2026-12-10', note: 'Budget confirmed for next quarter; demo booked with the VP.' }, answers: [['budget', 'confirmed', 'We set aside 40k for this in Q1.'], ['need', 'confirmed', 'Our reps waste hours on junk leads.']] },
    { decision: { outcome: 'reject', reasonCode: 'no_budget', note: 'Budget frozen after the reorg; nothing this year.' }, answers: [['budget', 'disconfirmed', 'Budget frozen after the reorg.']] },
    { decision: { outcome: 'reject', reasonCode: 'unresponsive', note: 'Three calls and two emails, no answer.', attempts: 5 }, answers: [] },
    { decision: { outcome: 'recycle', recheckOn: '2027-03-01', trigger: 'their budget cycle opens', note: 'Interested but budget opens in Q3; re-check then.' }, answers: [['timeline', 'disconfirmed', 'Not before next year.']] },
  ];
  const at = new Date(now).toISOString();
  const out: Template[] = [];
  for (const p of profiles) {
    const lead = leadProfileSchema.parse({ crm: 'bench', recordId: 'template', name: 'Template Lead', email: 'lead@example.com', mqlAt: at, firstContactAt: at, crmStatus: 'Working', activities: [{ type: 'webinar_attended', at }], ...p });
    for (const d of decisions) {
      const checklist = d.answers.reduce((c, [id, state, evidence]) => setAnswer(c, id, { state, evidence, by: 'A rep', at }), emptyChecklist(config.defaultFrameworkId));
      const q = qualify(lead, checklist, config, now, { decidedAt: at });
      out.push({ lead, decision: d.decision, checklist, snapshot: { score: q.score, checklist, recommendation: q.recommendation, framework: { id: q.framework.id, version: q.framework.version, label: q.framework.label }, configVersion: config.version } });
    }
  }
  return out;
}

export interface SeedNote {
  revision: Revision;
  /** Index into the reps: who made this revision (and so created its note). */
  rep: number;
  record: number;
}

/**
 * Exactly `n` revisions: decision i on record i, by rep i mod reps; every REVISED_EVERY-th decision is
 * changed two days later (every other time by the next rep, on the first rep's chain). Times spread over
 * the 90 days before `end`, whole seconds, oldest first.
 */
export function makeRevisions(n: number, opts: { crm: string; recordId: (record: number) => string; author: (rep: number) => Author; reps: number; end: number; config: QualificationConfig; idPrefix: string }): SeedNote[] {
  const ts = templates(opts.config, opts.end);
  const decisions = n - Math.floor(n / (REVISED_EVERY + 1));
  const span = 88 * DAY_MS;
  const start = opts.end - 90 * DAY_MS;
  const out: SeedNote[] = [];
  for (let i = 0; i < decisions && out.length < n; i++) {
    const t = ts[i % ts.length]!;
    const recordId = opts.recordId(i);
    const lead = snapshotLead({ ...t.lead, crm: opts.crm, recordId, name: `Lead ${i}` });
    const at = Math.floor((start + (i * span) / decisions) / 1000) * 1000;
    const dispositionId = `${opts.idPrefix}-${i}`;
    const rep = i % opts.reps;
    const first = createRevision(undefined, { dispositionId, decision: decisionSchema.parse(t.decision), snapshot: { ...t.snapshot, lead }, author: opts.author(rep), at: new Date(at).toISOString() });
    out.push({ revision: first, rep, record: i });
    if (i % REVISED_EVERY === REVISED_EVERY - 1 && out.length < n) {
      const next = ts[(i + 1) % ts.length]!;
      const by = Math.floor(i / REVISED_EVERY) % 2 ? (rep + 1) % opts.reps : rep;
      out.push({ revision: createRevision(first, { dispositionId, decision: decisionSchema.parse({ ...next.decision, note: `After the first call: ${next.decision.note ?? ''}` }), snapshot: { ...next.snapshot, lead }, author: opts.author(by), at: new Date(at + 2 * DAY_MS).toISOString() }), rep: by, record: i });
    }
  }
  // Revision 2s come later than their revision 1: keep the CRM's order (least recently modified first).
  return out.sort((a, b) => a.revision.at.localeCompare(b.revision.at));
}

// ---------------------------------------------------------------------------------------------------
// Counting.

type Kind = 'search' | 'association reads' | 'owners' | 'notes by id' | 'notes list' | 'other';

function kindOf(method: string, url: URL): Kind {
  const p = url.pathname;
  if (method === 'POST' && /\/crm\/v3\/objects\/[\w-]+\/search$/.test(p)) return 'search';
  if (/\/crm\/v4\/associations\/[\w-]+\/[\w-]+\/batch\/read$/.test(p)) return 'association reads';
  if (/\/crm\/v3\/owners(\/|$)/.test(p)) return 'owners';
  if (/\/crm\/v3\/objects\/notes\/batch\/read$/.test(p)) return 'notes by id';
  if (method === 'GET' && /\/api\/v1\/notes$/.test(p)) return 'notes list';
  return 'other';
}

function countingFetch() {
  const byKind = new Map<Kind, number>();
  const state = { calls: 0, limited: 0, answerMs: 0 };
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const kind = kindOf((init?.method ?? 'GET').toUpperCase(), url);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    state.calls += 1;
    const t0 = performance.now();
    const response = await fetch(input, init);
    // The stand-ins send whole answers: read the body here so its time counts as the CRM's.
    const body = await response.arrayBuffer();
    state.answerMs += performance.now() - t0;
    if (response.status === 429) state.limited += 1;
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return {
    fetch: fetchFn,
    state,
    byKind,
    reset() {
      byKind.clear();
      Object.assign(state, { calls: 0, limited: 0, answerMs: 0 });
    },
  };
}

interface Run {
  progress: ImportProgress;
  steps: number;
  calls: number;
  byKind: Map<Kind, number>;
  limited: number;
  ms: number;
  waitMs: number;
  answerMs: number;
}

/** Imports until done (at most `maxSteps` importStep calls; a step with a problem is retried, as the dashboard does). */
async function importAll(deps: Parameters<typeof importStep>[0], crm: string, counter: ReturnType<typeof countingFetch>, waits: { ms: number }, maxSteps: number): Promise<Run> {
  counter.reset();
  waits.ms = 0;
  const t0 = performance.now();
  let progress: ImportProgress;
  let steps = 0;
  let problems = 0;
  do {
    progress = await importStep(deps, crm);
    steps += 1;
    if (progress.problem && ++problems > 20) throw new Error(`${crm} import: ${progress.problem}`);
    if (steps > maxSteps) throw new Error(`${crm} import: not done after ${steps} steps`);
  } while (!progress.done);
  return { progress, steps, calls: counter.state.calls, byKind: new Map(counter.byKind), limited: counter.state.limited, ms: performance.now() - t0, waitMs: waits.ms, answerMs: counter.state.answerMs };
}

// ---------------------------------------------------------------------------------------------------
// The CRMs.

interface ImportTarget {
  crm: string;
  label: string;
  connection: Connection;
  /** Adds `count` more decision notes (written now, after the first import); returns how many decisions they hold. */
  addLater(count: number): number;
  close(): Promise<void>;
  seedMs: number;
  notes: number;
  decisions: number;
  reps: number;
  /** What the stand-in's answer time includes, for the report. */
  answers: string;
}

async function hubspotTarget(n: number, config: QualificationConfig, end: number): Promise<ImportTarget> {
  const hs = await startHubSpotStandIn({ searchLagMs: 0 });
  const module = crmApiModule('hubspot')!;
  const t0 = performance.now();
  const reps = REPS.map(([firstName, lastName]) => hs.addUser({ email: `${firstName.toLowerCase()}@ourco.example`, firstName, lastName }));
  const manager = hs.addUser({ email: 'maya.brandt@ourco.example', firstName: 'Maya', lastName: 'Brandt' });
  const author = (k: number): Author => ({ id: reps[k]!.userId, name: `${reps[k]!.firstName} ${reps[k]!.lastName}`, email: reps[k]!.email, crm: 'hubspot', ownerId: reps[k]!.ownerId });
  const contacts: string[] = [];
  const contactOf = (record: number) => (contacts[record] ??= hs.addContact({ firstname: 'Lead', lastname: String(record) }));
  const account = String(hs.portalId);
  const put = (s: SeedNote, modifiedAt?: string) => {
    const { subject, body } = formatDispositionNote(s.revision, config, noteMax(config, module.noteMaxChars), { objectType: 'contact', account });
    const rep = reps[s.rep]!;
    hs.addNote({ body: noteHtml(subject, body), timestamp: s.revision.at, contactId: contactOf(s.record), createdByUserId: rep.userId, ownerId: rep.ownerId, ...(modifiedAt ? { modifiedAt } : {}) });
  };
  const seeded = makeRevisions(n, { crm: 'hubspot', recordId: contactOf, author, reps: reps.length, end, config, idPrefix: 'hs' });
  for (const s of seeded) put(s, s.revision.at);
  const seedMs = performance.now() - t0;
  let later = 0;
  return {
    crm: 'hubspot',
    label: 'HubSpot stand-in (HubSpot’s limits: search 4/s, 100 requests per 10 s)',
    connection: { crm: 'hubspot', apiBase: hs.url, account, label: 'HubSpot (stand-in)', credentials: { kind: 'token', token: manager.token }, mapping: module.defaultMapping, connectedAt: CONNECTED_AT, state: 'connected' },
    addLater(count) {
      const base = contacts.length;
      const fresh = makeRevisions(count, { crm: 'hubspot', recordId: (r) => contactOf(base + r), author, reps: reps.length, end: Date.now(), config, idPrefix: `hs-later${later++}` });
      // Written now: HubSpot's modification time is the write's.
      for (const s of fresh) put({ ...s, record: base + s.record });
      return new Set(fresh.map((s) => s.revision.dispositionId)).size;
    },
    close: () => hs.close(),
    seedMs,
    notes: seeded.length,
    decisions: new Set(seeded.map((s) => s.revision.dispositionId)).size,
    reps: reps.length,
    answers: 'the stand-in answering',
  };
}

async function demoTarget(n: number, config: QualificationConfig, end: number): Promise<ImportTarget> {
  const { server, crm, url } = await startDemoCrm(0, { seed: 3 });
  const module = crmApiModule('demo')!;
  const t0 = performance.now();
  // Only the bench's notes: the seed's few would blur the counts.
  crm.db.notes.length = 0;
  const reps = crm.db.users.filter((u) => u.role === 'rep');
  const author = (k: number): Author => ({ id: reps[k]!.id, name: reps[k]!.name, email: reps[k]!.email, crm: 'demo' });
  const put = (s: SeedNote, createdAt: string) => {
    const { body } = formatDispositionNote(s.revision, config, noteMax(config, module.noteMaxChars), { objectType: 'lead' });
    const rep = reps[s.rep]!;
    crm.db.notes.push({ id: `N-${crm.db.notes.length + 1}`, leadId: s.revision.snapshot.lead.recordId, body, createdAt, author: rep.name, authorId: rep.id, idempotencyKey: idempotencyKey(s.revision) });
  };
  const seeded = makeRevisions(n, { crm: 'demo', recordId: (r) => `B-${r}`, author, reps: reps.length, end, config, idPrefix: 'demo' });
  for (const s of seeded) put(s, s.revision.at);
  const seedMs = performance.now() - t0;
  let later = 0;
  return {
    crm: 'demo',
    label: 'demo CRM (100 requests per second)',
    connection: { crm: 'demo', apiBase: url, label: 'Demo CRM', credentials: { kind: 'token', token: demoTokenFor(DEMO_MANAGER.id) }, mapping: module.defaultMapping, connectedAt: CONNECTED_AT, state: 'connected' },
    addLater(count) {
      const prefix = `L${later++}-`;
      const fresh = makeRevisions(count, { crm: 'demo', recordId: (r) => `B-${prefix}${r}`, author, reps: reps.length, end: Date.now(), config, idPrefix: `demo-later${later}` });
      for (const s of fresh) put(s, new Date().toISOString());
      return new Set(fresh.map((s) => s.revision.dispositionId)).size;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
    seedMs,
    notes: seeded.length,
    decisions: new Set(seeded.map((s) => s.revision.dispositionId)).size,
    reps: reps.length,
    answers: 'the demo CRM answering',
  };
}

// ---------------------------------------------------------------------------------------------------

export interface ImportBenchOptions {
  /** Decision notes (revisions) in the CRM. Default 10,000. */
  n?: number;
  crms?: ('hubspot' | 'demo')[];
  log?: (line: string) => void;
}

const KIND_ORDER: Kind[] = ['search', 'notes list', 'association reads', 'owners', 'notes by id', 'other'];
const kinds = (m: Map<Kind, number>) => KIND_ORDER.filter((k) => m.get(k)).map((k) => `${k} ${fmt(m.get(k)!)}`).join(' + ');
const bound = (notes: number, pages: number) => Math.ceil(notes / 100) + pages;
const KIND_NOTES: Record<Kind, string> = {
  search: 'searches (one per page)',
  'notes list': 'notes list reads (one per page)',
  'association reads': 'association reads, note → record (⌈n/100⌉ expected)',
  owners: 'owners reads (each importStep makes the module, and its owners cache, anew)',
  'notes by id': 'notes read by id',
  other: 'other calls',
};

async function benchOne(target: ImportTarget, config: QualificationConfig, log: (line: string) => void): Promise<Figure[]> {
  const db = freshDb(`bench-import-${target.crm}`);
  const connections = connectionStore(db);
  await connections.put(target.connection);
  const counter = countingFetch();
  const waits = { ms: 0 };
  // One limiter for the whole import, as the background keeps one per connection.
  const crmFetch = createCrmFetch({
    fetch: counter.fetch,
    now: Date.now,
    sleep: async (ms) => {
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, ms));
      waits.ms += performance.now() - t0;
    },
  });
  const deps = { db, connections, modules: crmApiModule, fetch: counter.fetch, crmFetch, now: Date.now, config: async () => config };
  try {
    const first = await importAll(deps, target.crm, counter, waits, 10 * Math.ceil(target.notes / 100) + 10);
    const p = first.progress;
    const stored = await db.revisions.count();
    const rows = await db.dispositions.toArray();
    const verified = rows.filter((r) => r.trust === 'verified').length;
    log(`${target.crm}: first import ${fmt(p.notes)} notes in ${p.pages} pages, ${first.calls} calls (${kinds(first.byKind)}), ${first.ms.toFixed(0)} ms; ${fmt(rows.length)} decisions (${fmt(verified)} verified), ${fmt(stored)} revisions stored`);
    if (p.notes !== target.notes || stored !== target.notes || rows.length !== target.decisions || p.refused || p.unreadable) {
      throw new Error(`${target.crm}: imported ${p.notes} notes / ${stored} revisions / ${rows.length} decisions of ${target.notes} / ${target.notes} / ${target.decisions} (refused ${p.refused}, unreadable ${p.unreadable})`);
    }
    if (verified !== rows.length) {
      const why = rows.flatMap((r) => Object.values(r.team?.revs ?? {}).flatMap((v) => v.trust.notes)).slice(0, 3);
      throw new Error(`${target.crm}: only ${verified} of ${rows.length} imported decisions verified (${why.join('; ')})`);
    }

    const newDecisions = target.addLater(NEW_SINCE);
    const again = await importAll(deps, target.crm, counter, waits, 20);
    const q = again.progress;
    log(`${target.crm}: incremental import ${q.notes} notes in ${q.pages} page(s), ${again.calls} calls (${kinds(again.byKind)}), ${again.ms.toFixed(0)} ms; new decisions ${q.newDecisions}`);
    if (q.newDecisions !== newDecisions || q.notes < NEW_SINCE || q.refused) throw new Error(`${target.crm}: the incremental import found ${q.newDecisions} of ${newDecisions} new decisions in ${q.notes} notes (refused ${q.refused})`);

    const section = `Import from the ${target.label}: ${fmt(target.notes)} decision notes (${fmt(target.decisions)} decisions, ${fmt(target.notes - target.decisions)} second revisions) by ${target.reps} reps, into fake-indexeddb`;
    const firstBound = bound(p.notes, p.pages);
    const againBound = bound(q.notes, q.pages);
    const clientMs = first.ms - first.waitMs - first.answerMs;
    const perKind = KIND_ORDER.filter((k) => first.byKind.get(k)).map((k): Figure => ({ section, name: `first import: ${KIND_NOTES[k]}`, value: first.byKind.get(k)!, unit: 'calls' }));
    return [
      { section, name: 'seeding the CRM (revisions, notes as the extension formats them)', value: target.seedMs, unit: 'ms' },
      { section, name: `first import: pages (importStep calls ${first.steps})`, value: p.pages, unit: 'pages' },
      { section, name: `first import: API calls (bound ⌈n/100⌉ + pages = ${firstBound})`, value: first.calls, unit: 'calls', target: firstBound },
      ...perKind,
      { section, name: 'first import: calls answered 429 (then retried)', value: first.limited, unit: 'calls' },
      { section, name: 'first import: wall time, until done', value: first.ms, unit: 'ms' },
      { section, name: 'first import: notes per second (higher is better)', value: (p.notes / first.ms) * 1000, unit: 'notes/s' },
      { section, name: 'first import: of which waiting for the rate limits (the connection’s limiter)', value: first.waitMs, unit: 'ms' },
      { section, name: `first import: of which ${target.answers}`, value: first.answerMs, unit: 'ms' },
      { section, name: 'first import: of which the extension’s work (parse, check, store)', value: clientMs, unit: 'ms' },
      { section, name: `incremental import right after ${NEW_SINCE} new decision notes: API calls, ${kinds(again.byKind)} (bound ⌈${q.notes}/100⌉ + ${q.pages} = ${againBound})`, value: again.calls, unit: 'calls', target: againBound },
      { section, name: 'incremental import: pages', value: q.pages, unit: 'pages' },
      { section, name: 'incremental import: wall time', value: again.ms, unit: 'ms' },
    ];
  } finally {
    db.close();
  }
}

export async function benchImport(options: ImportBenchOptions = {}): Promise<Figure[]> {
  const n = options.n ?? 10_000;
  const log = options.log ?? (() => undefined);
  const config = defaultConfig();
  // Every seeded decision lies a day or more before now: outside the next import's look-back margin.
  const end = Date.now() - DAY_MS;
  const figures: Figure[] = [];
  for (const crm of options.crms ?? ['hubspot', 'demo']) {
    const target = crm === 'hubspot' ? await hubspotTarget(n, config, end) : await demoTarget(n, config, end);
    log(`${crm}: seeded ${fmt(target.notes)} notes (${fmt(target.decisions)} decisions) in ${target.seedMs.toFixed(0)} ms`);
    try {
      figures.push(...(await benchOne(target, config, log)));
    } finally {
      await target.close();
    }
  }
  return figures;
}

// `npx vite-node scripts/bench/import.ts -- --run [--n=10000] [--crm=hubspot|demo]`
if (process.argv.includes('--run')) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const crm = arg('crm');
  benchImport({ n: arg('n') ? Number(arg('n')) : undefined, crms: crm ? [crm as 'hubspot' | 'demo'] : undefined, log: (line) => console.log(line) }).then(
    (figures) => {
      for (const f of figures) console.log(`${f.name}: ${f.value.toFixed(f.unit === 'ms' || f.unit === 'notes/s' ? 1 : 0)} ${f.unit}${f.target === undefined ? '' : ` (target ≤ ${f.target}${f.value <= f.target ? '' : ', ⚠ over'})`}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
