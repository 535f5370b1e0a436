import { CrmError, retryAfterMs, type CrmApi, type CrmApiDeps, type CrmApiModule, type Connection, type ItemResult, type WriteBack } from '../api';
import { exchange, jsonRequest, statusError } from '../http';
import type { LeadRef } from '../../domain/lead-ref';
import { messages as t } from './messages';

/**
 * The demo CRM's REST API (`scripts/demo-crm/server.ts`): `PATCH /api/v1/leads/:id` for status and
 * reason, `POST /api/v1/leads/:id/notes` with an `Idempotency-Key` header, `GET /api/v1/notes` for
 * imports. It has no batch endpoint, so a batch is one request pair per item. Errors use HubSpot-like
 * bodies.
 *
 * Finding an earlier attempt: the server enforces one note per key (a repeated key answers the first
 * note, 200; the key on another lead is refused, 422), checked and stored in one step with the note, so
 * re-sending an unsure key's note is the consistent check, and there is no search index to lag. The
 * server sends no rate-limit headers (no `waitAfter`); a 429's Retry-After is honoured by the loop.
 */

/** The demo CRM's fixed API token. It protects nothing: the demo server only listens on loopback. */
export const DEMO_API_TOKEN = 'demo-token';
const TIMEOUT_MS = 15_000;

interface DemoErrorBody {
  message?: string;
  errors?: { field: string; message: string }[];
}

function describe(body: DemoErrorBody | undefined, status: number): string {
  const fields = body?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  return [body?.message ?? t.answered(status), fields].filter(Boolean).join(' ');
}

export function createDemoApi(connection: Connection, deps: CrmApiDeps): CrmApi {
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
      const note = (await call('POST', `${leadPath(wb.ref)}/notes`, { body: wb.note.body, author: wb.note.author }, { 'idempotency-key': wb.key })) as { id?: string } | undefined;
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

  return {
    maxBatch: 50,
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
    async importNotes(cursor) {
      const data = (await call('GET', `/api/v1/notes?limit=100${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`)) as {
        results: { id: string; leadId: string; body: string; createdAt: string }[];
        paging?: { next?: { after: string } };
      };
      return {
        notes: data.results.map((n) => ({ noteId: n.id, recordId: n.leadId, body: n.body, at: n.createdAt })),
        cursor: data.paging?.next?.after,
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
    state: 'connected',
  }),
};

export default demoApi;
