/**
 * The demo CRM: a small CRM on 127.0.0.1 with a lead list, lead record pages and a REST API, so a new
 * user sees the extension work without a CRM account. It is a CRM target like Salesforce and HubSpot:
 * the extension reaches it through `src/crm/demo/`, and the API behaves like a real CRM's (bearer token,
 * 400 with field errors, 404, idempotent note creation).
 *
 * Idempotent note creation is the demo's uniqueness guarantee (ADR 9): `POST /api/v1/leads/:id/notes`
 * with an `Idempotency-Key` creates at most one note per key, ever. A repeat answers the first note with
 * 200 (the first create answers 201); the same key on another lead is refused with 422, as the IETF
 * Idempotency-Key draft suggests for a reused key
 * (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/). Keys are stored with
 * their notes, so the guarantee survives restarts.
 *
 * Users: each demo user (`db.users`: the reps and a manager) has a bearer token, `demo-token-<userId>`;
 * `demo-token` (`DEMO_API_TOKEN`) is the default user's (`DEMO_DEFAULT_USER`, Ana Souza). `GET /api/v1/me`
 * answers the token's user. A note's author (`author`, `authorId`) is the token's user, set here; an
 * `author` in the request body is ignored. The web pages have no sign-in: they show the default user.
 *
 * The API: `GET /api/v1/me`; `GET /api/v1/leads` (paged: `limit`, `after`); `GET|PATCH /api/v1/leads/:id`;
 * `GET|POST /api/v1/leads/:id/notes` (oldest first); `GET /api/v1/notes` (every note, paged by `limit`
 * and an opaque `after`; `since` = an ISO date: only notes created at or after it);
 * `GET|POST /api/v1/leads/:id/activities` (logged calls, oldest first; `{type: 'call', subject, body,
 * outcome, startedAt, durationSeconds}`), with the same `Idempotency-Key` guarantee as notes: at most one
 * activity per key across the CRM, a repeat answers the first (200), the key on another lead is a 422.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { DEMO_DATA_VERSION, demoStatuses, generateDemoDb, type DemoCallActivity, type DemoDb, type DemoLead, type DemoNote, type DemoUser } from './seed';

/** The demo build of the extension is configured with this token; it protects nothing real. */
export { DEMO_API_TOKEN, DEMO_DEFAULT_USER, demoTokenFor } from '../../src/crm/demo/api';
import { DEMO_API_TOKEN, DEMO_DEFAULT_USER } from '../../src/crm/demo/api';
const MAX_BODY = 256 * 1024;
const NOTE_MAX = 65_536;
/** What a logged call's outcome may be (the extension's call outcomes). */
export const DEMO_CALL_OUTCOMES = ['connected', 'voicemail', 'no_answer', 'wrong_number', 'meeting_booked'] as const;

export interface DemoServerOptions {
  /** JSON file the data lives in; absent means in memory only (tests). */
  dataFile?: string;
  reset?: boolean;
  seed?: number;
  now?: () => number;
}

interface ApiError {
  status: number;
  category: string;
  message: string;
  errors?: { field: string; message: string }[];
}

const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function fullName(l: DemoLead) {
  return `${l.firstName} ${l.lastName}`;
}

/** The user a bearer token belongs to: `demo-token` → the default user, `demo-token-<userId>` → that user. */
export function userOfToken(db: DemoDb, authorization: string | undefined): DemoUser | undefined {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return undefined;
  const id = token === DEMO_API_TOKEN ? DEMO_DEFAULT_USER.id : token.startsWith(`${DEMO_API_TOKEN}-`) ? token.slice(DEMO_API_TOKEN.length + 1) : undefined;
  return id === undefined ? undefined : db.users.find((u) => u.id === id);
}

/** The default user: who the web pages show as signed in. */
const defaultUser = (db: DemoDb) => db.users.find((u) => u.id === DEMO_DEFAULT_USER.id);

function layout(title: string, body: string, user?: DemoUser) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d232b;background:#f4f6f9}
 header{background:#1f3b57;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center}
 header a{color:#fff;text-decoration:none;font-weight:600}
 main{padding:20px;max-width:1100px}
 table{border-collapse:collapse;width:100%;background:#fff}
 th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e3e7ec}
 .card{background:#fff;border:1px solid #e3e7ec;border-radius:6px;padding:16px;margin-bottom:16px}
 dl{display:grid;grid-template-columns:160px 1fr;gap:6px 12px;margin:0}
 dt{color:#5b6673}
 .pill{display:inline-block;padding:2px 8px;border-radius:10px;background:#e8eef6}
 .who{margin-left:auto;opacity:.9}
</style></head><body><header><a href="/leads">Demo CRM</a><span>Leads</span>${user ? `<span class="who" data-signed-in="${esc(user.id)}">Signed in as ${esc(user.name)}</span>` : ''}</header><main>${body}</main></body></html>`;
}

function leadListPage(db: DemoDb) {
  const rows = db.leads
    .map((l) => `<tr><td><a href="/leads/${esc(l.id)}">${esc(fullName(l))}</a></td><td>${esc(l.company)}</td><td>${esc(l.title)}</td><td><span class="pill">${esc(l.status)}</span></td><td>${esc(l.source)}</td></tr>`)
    .join('');
  return layout('Leads | Demo CRM', `<h1>Leads</h1><table><thead><tr><th>Name</th><th>Company</th><th>Title</th><th>Status</th><th>Source</th></tr></thead><tbody>${rows}</tbody></table>`, defaultUser(db));
}

function leadPage(db: DemoDb, lead: DemoLead) {
  const owner = db.reps.find((r) => r.id === lead.owner);
  const field = (label: string, key: string, value: unknown) => `<dt>${esc(label)}</dt><dd data-field="${esc(key)}">${esc(value)}</dd>`;
  const activities = [...lead.activities]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((a) => `<li><time datetime="${esc(a.at)}">${esc(a.at.slice(0, 10))}</time> ${esc(a.type.replace(/_/g, ' '))}${a.detail ? `: ${esc(a.detail)}` : ''}</li>`)
    .join('');
  const notes = db.notes
    .filter((n) => n.leadId === lead.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((n) => `<li><strong>${esc(n.author)}</strong>, ${esc(n.createdAt.slice(0, 16).replace('T', ' '))}<pre style="white-space:pre-wrap;font:inherit">${esc(n.body)}</pre></li>`)
    .join('');
  const calls = (db.activities ?? [])
    .filter((a) => a.leadId === lead.id)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .map((a) => `<li data-call="${esc(a.id)}"><strong>${esc(a.subject)}</strong>, ${esc(a.author)}, ${esc(a.startedAt.slice(0, 16).replace('T', ' '))}<pre style="white-space:pre-wrap;font:inherit">${esc(a.body)}</pre></li>`)
    .join('');
  return layout(
    `${fullName(lead)} | Lead | Demo CRM`,
    `<article data-record-id="${esc(lead.id)}">
<h1 data-field="name">${esc(fullName(lead))}</h1>
<section class="card"><dl>
${field('Company', 'company', lead.company)}${field('Title', 'title', lead.title)}${field('Email', 'email', lead.email)}
${field('Status', 'status', lead.status)}${field('Reason', 'reason', lead.reason ?? '')}${field('Owner', 'owner', owner?.name ?? lead.owner)}
${field('Employees', 'companySize', lead.companySize)}${field('Industry', 'industry', lead.industry)}${field('Region', 'region', lead.region)}
${field('Source', 'source', lead.source)}${field('Campaign', 'campaign', lead.campaign)}
</dl></section>
<section class="card"><h2>Activity</h2><ul>${activities || '<li>No activity yet</li>'}</ul></section>
<section class="card"><h2>Calls</h2><ul data-calls>${calls || '<li>No calls logged yet</li>'}</ul></section>
<section class="card"><h2>Notes</h2><ul data-notes>${notes || '<li>No notes yet</li>'}</ul></section>
</article>`,
    defaultUser(db),
  );
}

/** The API's view of a lead: what an adapter reads to score it. */
function leadJson(l: DemoLead) {
  return {
    id: l.id,
    properties: {
      firstName: l.firstName,
      lastName: l.lastName,
      email: l.email,
      company: l.company,
      title: l.title,
      companySize: l.companySize,
      industry: l.industry,
      region: l.region,
      techStack: l.techStack,
      source: l.source,
      campaign: l.campaign,
      status: l.status,
      reason: l.reason ?? null,
      owner: l.owner,
      existingCustomer: l.existingCustomer,
      mqlAt: l.mqlAt,
      firstContactAt: l.firstContactAt ?? null,
    },
    activities: l.activities,
  };
}

export class DemoCrm {
  db: DemoDb;
  private readonly opts: DemoServerOptions;

  constructor(opts: DemoServerOptions = {}) {
    this.opts = opts;
    const now = opts.now ?? Date.now;
    const stored = opts.dataFile && existsSync(opts.dataFile) && !opts.reset ? (JSON.parse(readFileSync(opts.dataFile, 'utf8')) as DemoDb) : undefined;
    if (stored && stored.version === DEMO_DATA_VERSION) {
      this.db = stored;
    } else {
      this.db = generateDemoDb(opts.seed, now());
      this.save();
    }
  }

  /** Writes atomically (temp file + rename), so a crash mid-write keeps the previous data. */
  save() {
    const file = this.opts.dataFile;
    if (!file) return;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(this.db, null, 1));
    renameSync(`${file}.tmp`, file);
  }

  /**
   * `GET|POST /api/v1/leads/:id/activities`: a lead's logged calls. A POST with an `Idempotency-Key`
   * creates at most one activity per key across the CRM (checked and stored in one synchronous step), as
   * notes do: a repeat answers the first (200), the key on another lead is refused (422).
   */
  private async activities(req: IncomingMessage, leadId: string, user: DemoUser, json: (status: number, body: unknown) => void, fail: (e: ApiError) => void): Promise<void> {
    const all = (this.db.activities ??= []);
    if (req.method === 'GET') {
      json(200, { results: all.filter((a) => a.leadId === leadId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)) });
      return;
    }
    if (req.method !== 'POST') return fail({ status: 405, category: 'METHOD_NOT_ALLOWED', message: 'Use GET or POST.' });
    const body = (await readJson(req)) as Record<string, unknown> | undefined;
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key ? key.slice(0, 200) : undefined;
    const errors: { field: string; message: string }[] = [];
    const str = (field: string, max: number, required = true) => {
      const v = body?.[field];
      if (v === undefined && !required) return;
      if (typeof v !== 'string' || (required && !v.trim())) errors.push({ field, message: 'Required text.' });
      else if (v.length > max) errors.push({ field, message: `At most ${max} characters (got ${v.length}).` });
    };
    if (body?.type !== 'call') errors.push({ field: 'type', message: 'Only "call" activities can be logged.' });
    str('subject', 255);
    str('body', NOTE_MAX);
    if (!DEMO_CALL_OUTCOMES.includes(body?.outcome as never)) errors.push({ field: 'outcome', message: `One of ${DEMO_CALL_OUTCOMES.join(', ')}.` });
    if (typeof body?.startedAt !== 'string' || Number.isNaN(Date.parse(body.startedAt))) errors.push({ field: 'startedAt', message: 'An ISO 8601 date and time.' });
    if (!Number.isInteger(body?.durationSeconds) || (body!.durationSeconds as number) < 0) errors.push({ field: 'durationSeconds', message: 'Whole seconds, 0 or more.' });
    if (errors.length) return fail({ status: 400, category: 'VALIDATION_ERROR', message: 'The activity was not valid.', errors });
    const existing = idempotencyKey ? all.find((a) => a.idempotencyKey === idempotencyKey) : undefined;
    if (existing && existing.leadId !== leadId) {
      return fail({ status: 422, category: 'IDEMPOTENCY_KEY_REUSED', message: `The Idempotency-Key was already used for an activity on lead ${existing.leadId}.` });
    }
    if (existing) return json(200, existing);
    const activity: DemoCallActivity = {
      id: `A-${all.length + 1}`,
      leadId,
      type: 'call',
      subject: body!.subject as string,
      body: body!.body as string,
      outcome: body!.outcome as string,
      startedAt: new Date(Date.parse(body!.startedAt as string)).toISOString(),
      durationSeconds: body!.durationSeconds as number,
      createdAt: new Date((this.opts.now ?? Date.now)()).toISOString(),
      // Who logged it is who holds the token, whatever the body says.
      author: user.name,
      authorId: user.id,
      idempotencyKey,
    };
    all.push(activity);
    this.save();
    json(201, activity);
  }

  handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const send = (status: number, body: string, type: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers });
      res.end(body);
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => send(status, JSON.stringify(body), 'application/json', headers);
    const fail = ({ status, ...e }: ApiError) => json(status, { status: 'error', ...e, correlationId: randomUUID() });

    try {
      const path = url.pathname.replace(/\/+$/, '') || '/';
      if (!path.startsWith('/api/')) {
        if (req.method !== 'GET') return send(405, 'Method not allowed', 'text/plain');
        if (path === '/' || path === '/leads') return send(200, leadListPage(this.db), 'text/html; charset=utf-8');
        const m = /^\/leads\/([\w-]+)$/.exec(path);
        const lead = m && this.db.leads.find((l) => l.id === m[1]);
        if (lead) return send(200, leadPage(this.db, lead), 'text/html; charset=utf-8');
        return send(404, layout('Not found | Demo CRM', '<h1>Not found</h1>'), 'text/html; charset=utf-8');
      }

      const user = userOfToken(this.db, req.headers.authorization);
      if (!user) {
        return fail({ status: 401, category: 'INVALID_AUTHENTICATION', message: 'Authentication credentials not found or invalid.' });
      }
      if (path === '/api/v1/me') {
        if (req.method !== 'GET') return fail({ status: 405, category: 'METHOD_NOT_ALLOWED', message: 'Use GET.' });
        return json(200, { id: user.id, name: user.name, email: user.email, role: user.role });
      }
      if (path === '/api/v1/notes') {
        // Every note in the order the CRM stored them, paged: what an import of the team's decisions reads.
        // `after` is a position in that order, so a cursor stays good as notes are added; `since` skips
        // notes created before it (notes are never edited here).
        if (req.method !== 'GET') return fail({ status: 405, category: 'METHOD_NOT_ALLOWED', message: 'Use GET.' });
        const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
        const after = Number(url.searchParams.get('after') ?? 0) || 0;
        const since = url.searchParams.get('since');
        const sinceMs = since === null ? undefined : Date.parse(since);
        if (sinceMs !== undefined && Number.isNaN(sinceMs)) {
          return fail({ status: 400, category: 'VALIDATION_ERROR', message: 'Query values were not valid.', errors: [{ field: 'since', message: 'An ISO 8601 date and time, e.g. 2026-11-20T12:00:00Z.' }] });
        }
        const page: DemoNote[] = [];
        let at = Math.max(0, after);
        for (; at < this.db.notes.length && page.length < limit; at++) {
          const note = this.db.notes[at]!;
          if (sinceMs === undefined || Date.parse(note.createdAt) >= sinceMs) page.push(note);
        }
        return json(200, { results: page, paging: at < this.db.notes.length ? { next: { after: String(at) } } : undefined });
      }
      const m = /^\/api\/v1\/leads(?:\/([\w-]+))?(?:\/(notes|activities))?$/.exec(path);
      if (!m) return fail({ status: 404, category: 'NOT_FOUND', message: `No API route ${req.method} ${path}.` });
      const [, id, sub] = m;
      if (!id) {
        if (req.method !== 'GET') return fail({ status: 405, category: 'METHOD_NOT_ALLOWED', message: 'Use GET.' });
        const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 50) || 50));
        const after = Number(url.searchParams.get('after') ?? 0) || 0;
        const page = this.db.leads.slice(after, after + limit);
        return json(200, { results: page.map(leadJson), paging: after + limit < this.db.leads.length ? { next: { after: String(after + limit) } } : undefined });
      }
      const lead = this.db.leads.find((l) => l.id === id);
      if (!lead) return fail({ status: 404, category: 'OBJECT_NOT_FOUND', message: `Lead ${id} does not exist.` });

      if (!sub) {
        if (req.method === 'GET') return json(200, leadJson(lead));
        if (req.method !== 'PATCH') return fail({ status: 405, category: 'METHOD_NOT_ALLOWED', message: 'Use GET or PATCH.' });
        const body = await readJson(req);
        const props = (body as { properties?: Record<string, unknown> } | undefined)?.properties;
        const errors: { field: string; message: string }[] = [];
        if (!props || typeof props !== 'object') errors.push({ field: 'properties', message: 'Send {"properties": {...}}.' });
        else {
          for (const key of Object.keys(props)) if (key !== 'status' && key !== 'reason') errors.push({ field: key, message: 'This property is read-only or does not exist.' });
          if ('status' in props && !demoStatuses.includes(props.status as never)) {
            errors.push({ field: 'status', message: `"${String(props.status)}" is not one of ${demoStatuses.join(', ')}.` });
          }
          if ('reason' in props && props.reason !== null && (typeof props.reason !== 'string' || props.reason.length > 255)) {
            errors.push({ field: 'reason', message: 'Must be text of at most 255 characters, or null.' });
          }
        }
        if (errors.length) return fail({ status: 400, category: 'VALIDATION_ERROR', message: 'Property values were not valid.', errors });
        if (typeof props!.status === 'string') lead.status = props!.status;
        if ('reason' in props!) lead.reason = (props!.reason as string | null) ?? undefined;
        this.save();
        return json(200, leadJson(lead));
      }

      if (sub === 'activities') return this.activities(req, id!, user, json, fail);

      // Notes: creating with an Idempotency-Key twice returns the first note, never a second one.
      if (req.method === 'GET') {
        const notes = this.db.notes.filter((n) => n.leadId === id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        return json(200, { results: notes });
      }
      if (req.method !== 'POST') return fail({ status: 405, category: 'METHOD_NOT_ALLOWED', message: 'Use GET or POST.' });
      const body = (await readJson(req)) as { body?: unknown } | undefined;
      const key = req.headers['idempotency-key'];
      const idempotencyKey = typeof key === 'string' && key ? key.slice(0, 200) : undefined;
      const errors: { field: string; message: string }[] = [];
      if (typeof body?.body !== 'string' || !body.body.trim()) errors.push({ field: 'body', message: 'A note needs a body.' });
      else if (body.body.length > NOTE_MAX) errors.push({ field: 'body', message: `At most ${NOTE_MAX} characters (got ${body.body.length}).` });
      if (errors.length) return fail({ status: 400, category: 'VALIDATION_ERROR', message: 'The note was not valid.', errors });
      // The key is unique across the CRM, checked and stored in the same synchronous step as the note (no
      // await in between), so two requests with one key can never both create.
      const existing = idempotencyKey ? this.db.notes.find((n) => n.idempotencyKey === idempotencyKey) : undefined;
      if (existing && existing.leadId !== id) {
        return fail({ status: 422, category: 'IDEMPOTENCY_KEY_REUSED', message: `The Idempotency-Key was already used for a note on lead ${existing.leadId}.` });
      }
      if (existing) return json(200, existing);
      const note: DemoNote = {
        id: `N-${this.db.notes.length + 1}`,
        leadId: id,
        body: body!.body as string,
        // Who wrote it is who holds the token, whatever the body says.
        author: user.name,
        authorId: user.id,
        createdAt: new Date((this.opts.now ?? Date.now)()).toISOString(),
        idempotencyKey,
      };
      this.db.notes.push(note);
      this.save();
      return json(201, note);
    } catch (e) {
      if (e instanceof BadRequest) return fail({ status: e.status, category: 'INVALID_REQUEST', message: e.message });
      return fail({ status: 500, category: 'INTERNAL_ERROR', message: 'The demo CRM failed; see its console.' });
    }
  };
}

class BadRequest extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadRequest(`The request body is over ${MAX_BODY} bytes.`, 413);
    chunks.push(chunk as Buffer);
  }
  if (!(req.headers['content-type'] ?? '').includes('application/json')) throw new BadRequest('Send JSON with Content-Type: application/json.', 415);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('The request body is not valid JSON.');
  }
}

/** Starts the demo CRM on 127.0.0.1; port 0 picks a free port. */
export async function startDemoCrm(port: number, opts: DemoServerOptions = {}): Promise<{ server: Server; crm: DemoCrm; url: string }> {
  const crm = new DemoCrm(opts);
  const server = createServer((req, res) => void crm.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, crm, url: `http://127.0.0.1:${actual}` };
}
