import {
  CrmError,
  retryAfterMs,
  type CallWrite,
  type CrmApi,
  type CrmApiDeps,
  type CrmApiModule,
  type Connection,
  type CrmUser,
  type ImportedNote,
  type ItemResult,
  type LeadHistoryRead,
  type WriteBack,
} from '../api';
import { exchange, jsonRequest, statusError } from '../http';
import { isRecord, list, text } from '../read';
import type { LeadRef } from '../../domain/lead-ref';
import { NOTE_MARKER } from '../../domain/note-format';
import { messages as t } from './messages';

/**
 * The demo CRM's REST API (`scripts/demo-crm/server.ts`): `PATCH /api/v1/leads/:id` for status and
 * reason, `POST /api/v1/leads/:id/notes` with an `Idempotency-Key` header, `GET /api/v1/notes` for
 * imports (`since`: created at or after), `GET /api/v1/leads/:id` and `/notes` for one lead's history,
 * `GET /api/v1/me` for the token's user. It has no batch endpoint, so a batch is one request pair per
 * item. Errors use HubSpot-like bodies.
 *
 * Users: every demo user has a bearer token (`demoTokenFor`); the server sets a note's author (`author`,
 * `authorId`) from the token that created it, never from the request body, so `createdBy` is the CRM's
 * word. `WriteBack.note.authorUser` needs no field here: the token is the author.
 *
 * Finding an earlier attempt: the server enforces one note per key (a repeated key answers the first
 * note, 200; the key on another lead is refused, 422), checked and stored in one step with the note, so
 * re-sending an unsure key's note is the consistent check, and there is no search index to lag. The
 * server sends no rate-limit headers (no `waitAfter`); a 429's Retry-After is honoured by the loop.
 *
 * Logged calls (ADR 19): `POST /api/v1/leads/:id/activities` (`type: 'call'`, subject, body, outcome,
 * startedAt, durationSeconds) with the call's key as `Idempotency-Key`; the server keeps one activity per
 * key as it keeps one note per key, so an unsure call is simply sent again.
 */

/** The demo CRM's API token for its default user. It protects nothing: the demo server only listens on loopback. */
export const DEMO_API_TOKEN = 'demo-token';
/** Whom `DEMO_API_TOKEN` belongs to (the seed's first rep): a fresh demo build signs decisions as her. */
export const DEMO_DEFAULT_USER: CrmUser = { id: 'rep-ana', name: 'Ana Souza', email: 'ana.souza@ourco.example' };
/**
 * A demo user's API token: `demo-token` for the default user, `demo-token-<userId>` for anyone (e.g.
 * `demo-token-rep-ben`, `demo-token-mgr-maya`; the default user's works this way too).
 */
export const demoTokenFor = (userId: string) => (userId === DEMO_DEFAULT_USER.id ? DEMO_API_TOKEN : `${DEMO_API_TOKEN}-${userId}`);
const TIMEOUT_MS = 15_000;

/** A note as the demo API answers it, read as our imported note (`createdBy` from the server's author fields). */
function noteOf(n: unknown): ImportedNote | undefined {
  if (!isRecord(n) || !text(n.id) || typeof n.body !== 'string') return undefined;
  const authorId = text(n.authorId);
  const author = text(n.author);
  return {
    noteId: text(n.id)!,
    recordId: text(n.leadId) ?? '',
    body: n.body,
    at: text(n.createdAt) ?? '',
    ...(authorId ? { createdBy: { id: authorId, ...(author ? { name: author } : {}) } } : {}),
  };
}
const notesOf = (results: unknown) => list(results).map(noteOf).filter((n): n is ImportedNote => n !== undefined);

interface DemoErrorBody {
  message?: string;
  errors?: { field: string; message: string }[];
}

function describe(body: DemoErrorBody | undefined, status: number): string {
  const fields = body?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  return [body?.message ?? t.answered(status), fields].filter(Boolean).join(' ');
}

/** The demo module's API: every optional read is there. */
export interface DemoApi extends CrmApi {
  logCalls(items: readonly CallWrite[], unsure: ReadonlySet<string>): Promise<ItemResult[]>;
  importNotes(cursor: string | undefined, options?: { since?: string }): Promise<{ notes: ImportedNote[]; cursor?: string }>;
  whoAmI(): Promise<CrmUser | undefined>;
  readHistory(ref: LeadRef): Promise<LeadHistoryRead>;
}

export function createDemoApi(connection: Connection, deps: CrmApiDeps): DemoApi {
  const token = connection.credentials.kind === 'token' ? connection.credentials.token : '';
  const base = connection.apiBase.replace(/\/+$/, '');

  /**
   * One request: 401 auth, 429 and 5xx transient with the server's Retry-After (a 5xx may have been
   * applied), other statuses permanent; no answer is transient, `mayHaveApplied` for writes. The timeout
   * is not named: the error's own message says why.
   */
  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<unknown> {
    const { res, body: data } = await exchange(`${base}${path}`, jsonRequest(method, token, body, headers), {
      fetch: deps.fetch,
      timeoutMs: TIMEOUT_MS,
      sentence: t.unreachable,
      mayHaveApplied: method !== 'GET',
      // A body that is not JSON (or breaks off) reads as none; the status still decides.
      read: (r): Promise<unknown> => r.json().catch(() => undefined),
    });
    if (res.ok) return data;
    const wait = retryAfterMs(res.headers.get('retry-after'), deps.now());
    throw statusError(res.status, {
      message: describe(data as DemoErrorBody | undefined, res.status),
      details: { status: res.status },
      rateLimited: { retryAfterMs: wait, mayHaveApplied: false },
      serverError: { retryAfterMs: wait, mayHaveApplied: true },
    });
  }

  const leadPath = (ref: LeadRef) => `/api/v1/leads/${encodeURIComponent(ref.recordId)}`;

  /**
   * One write-back: the status PATCH (when there is a status), then the note POST with the key as its
   * `Idempotency-Key`. The server never stores a second note for a key (it answers the first one, 200),
   * so an unsure key needs no look-up: re-sending is the check. Throws when the first request fails as a
   * whole; once the status landed, a failed note is this item's failure with `statusApplied` (and `stop`
   * ends the batch, as a whole-call failure does).
   */
  async function pushOne(wb: WriteBack): Promise<{ result: ItemResult; stop?: CrmError }> {
    let statusApplied = false;
    try {
      // No status: a note only (a manager's review, or a retry after the status landed); the lead stays as it is.
      if (wb.status !== undefined) {
        const properties: Record<string, unknown> = { status: wb.status };
        if (wb.reason !== undefined) properties.reason = wb.reason || null;
        await call('PATCH', leadPath(wb.ref), { properties });
        statusApplied = true;
      }
      // No author in the body: the server names the token's user.
      const note = (await call('POST', `${leadPath(wb.ref)}/notes`, { body: wb.note.body }, { 'idempotency-key': wb.key })) as { id?: string } | undefined;
      return { result: { key: wb.key, ok: true, noteId: note?.id } };
    } catch (e) {
      const err = e instanceof CrmError ? e : new CrmError('transient', e instanceof Error ? e.message : String(e), { mayHaveApplied: true });
      const applied = statusApplied ? { statusApplied: true } : {};
      const message = statusApplied ? t.noteNotCreated(err.message) : err.message;
      const failed = (permanent: boolean): ItemResult => ({ key: wb.key, ok: false, permanent, status: err.details.status, message, ...(err.details.retryAfterMs !== undefined ? { retryAfterMs: err.details.retryAfterMs } : {}), ...applied });
      if (err.kind === 'permanent') return { result: failed(true) };
      if (statusApplied) return { result: failed(false), stop: err };
      throw err;
    }
  }

  /**
   * Sends items one by one; the first whole-call failure (auth, outage) stops the batch: thrown when
   * nothing was answered yet, else the rest are transient failures. A refusal is that item's alone.
   */
  async function oneByOne<T extends { key: string }>(items: readonly T[], send: (item: T) => Promise<ItemResult>): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    let stop: CrmError | undefined;
    for (const item of items) {
      try {
        results.push(await send(item));
      } catch (e) {
        const err = e instanceof CrmError ? e : new CrmError('transient', e instanceof Error ? e.message : String(e), { mayHaveApplied: true });
        if (err.kind === 'permanent') {
          results.push({ key: item.key, ok: false, permanent: true, status: err.details.status, message: err.message });
          continue;
        }
        if (results.length === 0) throw err;
        stop = err;
        break;
      }
    }
    if (stop) {
      const { status, retryAfterMs } = stop.details;
      for (const rest of items.slice(results.length)) results.push({ key: rest.key, ok: false, permanent: false, status, message: stop.message, retryAfterMs });
    }
    return results;
  }

  return {
    maxBatch: 50,
    async logCalls(items) {
      // The server keeps one activity per key: sending an unsure call again is the check.
      return oneByOne(items, async (c) => {
        const activity = (await call(
          'POST',
          `${leadPath(c.ref)}/activities`,
          { type: 'call', subject: c.title, body: c.body, outcome: c.outcome, startedAt: c.startedAt, durationSeconds: c.durationSec },
          { 'idempotency-key': c.key },
        )) as { id?: string } | undefined;
        return { key: c.key, ok: true, noteId: activity?.id };
      });
    },
    async push(items) {
      const results: ItemResult[] = [];
      // Sequential: the first whole-call failure (auth, outage) stops the batch; done items are reported.
      let stop: CrmError | undefined;
      for (const wb of items) {
        try {
          const one = await pushOne(wb);
          results.push(one.result);
          stop = one.stop;
        } catch (e) {
          if (results.length === 0) throw e;
          stop = e instanceof CrmError ? e : new CrmError('transient', String(e));
        }
        if (stop) break;
      }
      if (stop) {
        const { status, retryAfterMs } = stop.details;
        for (const rest of items.slice(results.length)) results.push({ key: rest.key, ok: false, permanent: false, status, message: stop.message, retryAfterMs });
      }
      return results;
    },
    async readLead(ref) {
      const data = (await call('GET', leadPath(ref))) as { properties: Record<string, unknown>; activities?: { type: string; at: string; detail?: string }[] };
      const p = data.properties;
      const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      return {
        profile: {
          name: [text(p.firstName), text(p.lastName)].filter(Boolean).join(' ') || undefined,
          email: text(p.email),
          company: text(p.company),
          title: text(p.title),
          companySize: typeof p.companySize === 'number' ? p.companySize : undefined,
          industry: text(p.industry),
          region: text(p.region),
          techStack: Array.isArray(p.techStack) ? p.techStack.filter((t): t is string => typeof t === 'string') : undefined,
          source: text(p.source),
          campaign: text(p.campaign),
          crmStatus: text(p.status),
          existingCustomer: typeof p.existingCustomer === 'boolean' ? p.existingCustomer : undefined,
          mqlAt: text(p.mqlAt),
          firstContactAt: text(p.firstContactAt),
          activities: (data.activities ?? []).slice(0, 5000),
        },
      };
    },
    async testConnection() {
      await call('GET', '/api/v1/leads?limit=1');
      return { label: t.connectionLabel(new URL(base).host) };
    },
    async importNotes(cursor, { since } = {}) {
      const query = new URLSearchParams({ limit: '100', ...(cursor ? { after: cursor } : {}), ...(since ? { since } : {}) });
      const data = (await call('GET', `/api/v1/notes?${query}`)) as { results?: unknown; paging?: { next?: { after?: string } } } | undefined;
      return { notes: notesOf(data?.results), cursor: data?.paging?.next?.after };
    },
    async whoAmI() {
      const me = await call('GET', '/api/v1/me');
      const id = isRecord(me) ? text(me.id) : undefined;
      if (!id || !isRecord(me)) return undefined;
      const email = text(me.email);
      return { id, name: text(me.name) ?? id, ...(email ? { email } : {}) };
    },
    async readHistory(ref) {
      // The lead first: a lead that is gone is a 404 (permanent) before its notes are asked for.
      const lead = (await call('GET', leadPath(ref))) as { properties?: Record<string, unknown> } | undefined;
      const notes = (await call('GET', `${leadPath(ref)}/notes`)) as { results?: unknown } | undefined;
      const status = lead?.properties?.[connection.mapping.statusField];
      return {
        notes: notesOf(notes?.results)
          .filter((n) => n.body.includes(NOTE_MARKER))
          .sort((a, b) => a.at.localeCompare(b.at)),
        ...(typeof status === 'string' ? { status } : {}),
      };
    },
  };
}

const demoApi: CrmApiModule = {
  id: 'demo',
  label: 'Demo CRM',
  defaultMapping: {
    statusField: 'status',
    status: { accept: 'Qualified', reject: 'Unqualified', recycle: 'Nurture' },
    reasonField: 'reason',
    reasons: {},
  },
  rateLimit: { requests: 100, perMs: 1_000 },
  noteMaxChars: 65_536,
  // Match patterns have no port: the loopback host covers whichever port the demo CRM picked.
  hostPermissions: (apiBase) => [`${new URL(apiBase).protocol}//${new URL(apiBase).hostname}/*`],
  create: createDemoApi,
  connectWith: 'token',
  autoConnect: (ref, nowIso) => ({
    crm: 'demo',
    apiBase: new URL(ref.url).origin,
    label: t.connectionLabel(ref.host),
    credentials: { kind: 'token', token: DEMO_API_TOKEN },
    mapping: demoApi.defaultMapping,
    connectedAt: nowIso,
    // The token's user, known without asking: the demo server gives DEMO_API_TOKEN to this user.
    user: DEMO_DEFAULT_USER,
    state: 'connected',
  }),
};

export default demoApi;
