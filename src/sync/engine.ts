import { CrmError, type CallWrite, type Connection, type CrmApi, type CrmApiModule, type CrmUser, type ItemResult, type WriteBack } from '../crm/api';
import type { QualificationConfig } from '../domain/config';
import type { Store } from '../store/store';
import { outcomeLabel, type Author } from '../domain/dispositions';
import { messageOf } from '../domain/errors';
import { formatReviewNote } from '../domain/note-format';
import { revisionOf } from '../store/dispositions';
import { dueEntries as dueOutboxEntries, hasEarlierPending, logSync, nextDueAt as nextOutboxDueAt, refreshSyncStates, requeue, updateEntries } from '../store/outbox';
import { reviewOf } from '../store/reviews';
import { callWriteFor, writeBackFor } from './write-back';
import { loggedCallOf } from '../store/calls';
import type { LeadRef } from '../domain/lead-ref';
import type { OutboxRecord, SyncLogRecord } from '../store/records';
import type { ConnectionStore } from './connections';
import { credentialDeps } from './token-refresh';
import { createCrmFetch, type CrmFetch } from './crm-fetch';
import { backgroundStrings as t } from '../i18n/background';

/**
 * The sync loop: drains the outbox to each CRM. One run at a time (a Web Lock, so a second wake during a
 * run only asks for another pass), batches of the CRM's size under its rate limit, exponential backoff
 * with Retry-After, and idempotency: before each attempt an entry is marked `unsure`; only a definite
 * answer clears it; the next attempt of an unsure entry asks the CRM module to look for the key before
 * creating anything. So a worker killed mid-request, a timeout after the CRM applied the write, or a
 * dropped connection never produces a second note.
 */

export interface SyncEngineDeps {
  db: Store;
  connections: ConnectionStore;
  modules: (crm: string) => CrmApiModule | undefined;
  loadConfig: () => Promise<QualificationConfig>;
  fetch: typeof fetch;
  /** The background's one CRM fetch (a limiter per connection, shared with lead reads and imports). */
  crmFetch?: CrmFetch;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Runs `fn` unless another run holds the lock (then resolves false). Default: navigator.locks. */
  tryLock?: (fn: () => Promise<void>) => Promise<boolean>;
  /** Dispositions whose sync state changed (the panel and dashboard refresh). */
  onChange?: (dispositionIds: string[]) => void;
  /** Leads whose logged calls' sync state may have changed (ADR 19: the panel re-reads its state). */
  onCallsChanged?: (refs: LeadRef[]) => void;
}

export interface SyncRunSummary {
  attempted: number;
  synced: number;
  failed: number;
  retrying: number;
  calls: number;
}

const LOCK_NAME = 'lead-qualifier-sync';
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 30 * 60_000;
/** Entries read per pass; batches are cut from these per CRM. */
const PASS_SIZE = 1_000;
/** While the CRM connection is missing or expired, look again this often (reconnecting wakes the loop). */
const WAITING_DELAY_MS = 60 * 60_000;

/** Where Web Locks are missing (older runtimes), a lock for this context only. */
let localHeld = false;
async function localLock(fn: () => Promise<void>): Promise<boolean> {
  if (localHeld) return false;
  localHeld = true;
  try {
    await fn();
    return true;
  } finally {
    localHeld = false;
  }
}

function navigatorLock(fn: () => Promise<void>): Promise<boolean> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return localLock(fn);
  return locks.request(LOCK_NAME, { ifAvailable: true }, async (lock) => {
    if (!lock) return false;
    await fn();
    return true;
  }) as unknown as Promise<boolean>;
}

/** 5 s, 10 s, 20 s … capped at 30 min, with ±20 % jitter so many clients don't retry in step. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function createSyncEngine(deps: SyncEngineDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;
  const tryLock = deps.tryLock ?? navigatorLock;
  const crmFetch = deps.crmFetch ?? createCrmFetch({ fetch: deps.fetch, now: deps.now, sleep });
  let calls = 0;
  let again = false;

  const iso = () => new Date(deps.now()).toISOString();

  /** The connection's limited fetch, counted for this engine's summaries. */
  function fetchFor(module: CrmApiModule, connection: Connection): typeof fetch {
    const limited = crmFetch.forConnection(module, connection).fetch;
    return async (input, init) => {
      calls += 1;
      return limited(input, init);
    };
  }

  async function log(entries: OutboxRecord[], event: SyncLogRecord['event'], detail?: string) {
    const at = iso();
    await logSync(deps.db, entries.map((e) => ({ at, key: e.key, dispositionId: e.dispositionId, event, detail })));
  }

  /** Recomputes the dashboard/panel sync state of dispositions from their outbox entries. */
  async function refreshDispositions(ids: string[], connection?: Connection) {
    if (!ids.length) return;
    await refreshSyncStates(deps.db, ids, (entries) => {
      const failed = entries.find((e) => e.state === 'failed');
      const pending = entries.find((e) => e.state === 'pending');
      if (failed) return { sync: 'needs_attention', syncMessage: failed.lastError };
      if (pending && connection?.state === 'expired') return { sync: 'needs_attention', syncMessage: t.sync.connectionExpired(connection.label) };
      if (pending) return { sync: 'saved_locally', syncMessage: pending.lastError };
      return { sync: 'synced' };
    });
    deps.onChange?.([...new Set(ids)]);
  }


  /** One entry per disposition per batch, earliest revision first: the CRM must see revisions in order. */
  function orderable(entries: OutboxRecord[], blocked: Set<string>): OutboxRecord[] {
    const seen = new Set<string>();
    return entries
      .sort((a, b) => a.dispositionId.localeCompare(b.dispositionId) || a.rev - b.rev)
      .filter((e) => {
        if (seen.has(e.dispositionId) || blocked.has(e.dispositionId)) return false;
        seen.add(e.dispositionId);
        return true;
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async function earlierPending(entries: OutboxRecord[]): Promise<Set<string>> {
    const blocked = new Set<string>();
    for (const e of entries) {
      if (e.rev <= 1) continue;
      if ((await hasEarlierPending(deps.db, e)) && !entries.some((o) => o.dispositionId === e.dispositionId && o.rev < e.rev)) blocked.add(e.dispositionId);
    }
    return blocked;
  }

  async function postpone(entries: OutboxRecord[], delayMs: number, message: string | undefined, unsure?: boolean) {
    const now = deps.now();
    await updateEntries(deps.db, entries.map((e) => ({ ...e, nextAt: now + delayMs, lastError: message, updatedAt: iso(), ...(unsure === undefined ? {} : { unsure }) })));
  }

  /** The connection's user, when the author is that user: the CRM can then show them as the note's owner. */
  function authorUserOf(author: Author | undefined, connection: Connection): { authorUser: CrmUser } | undefined {
    const user = connection.user;
    return author && user && author.crm === connection.crm && author.id === user.id ? { authorUser: user } : undefined;
  }

  async function buildWriteBacks(entries: OutboxRecord[], connection: Connection, module: CrmApiModule, config: QualificationConfig) {
    const built: { entry: OutboxRecord; wb: WriteBack }[] = [];
    const broken: OutboxRecord[] = [];
    for (const entry of entries) {
      if (entry.reviewId) {
        const review = await reviewOf(deps.db, entry.reviewId);
        const decided = await revisionOf(deps.db, entry.dispositionId, entry.rev);
        if (!review || !decided) {
          broken.push({ ...entry, state: 'failed', lastError: t.sync.reviewUnreadable, updatedAt: iso() });
          continue;
        }
        const note = formatReviewNote(review, { label: outcomeLabel(decided.decision, config), repName: decided.author.name, rev: decided.rev }, { objectType: entry.ref.objectType, ...(entry.ref.account ? { account: entry.ref.account } : {}) });
        built.push({ entry, wb: { key: entry.key, ref: entry.ref, note: { subject: note.subject, body: note.body, at: review.at, author: review.reviewerName, ...(authorUserOf(review.reviewer, connection) ?? {}) } } });
        continue;
      }
      const revision = await revisionOf(deps.db, entry.dispositionId, entry.rev);
      if (!revision) {
        broken.push({ ...entry, state: 'failed', lastError: t.sync.revisionUnreadable, updatedAt: iso() });
        continue;
      }
      // Whether the lead belongs to the connected account (portal, org) is the module's call: only it
      // knows how its CRM names accounts. It refuses foreign leads per item, without a request.
      const wb = writeBackFor(revision, entry.ref, connection.mapping, config, Math.min(config.limits.noteMaxChars * 3 + 20_000, module.noteMaxChars ?? 32_000), authorUserOf(revision.author, connection)?.authorUser);
      // Each field is written once: after a definite success of the status update, only the note is left.
      built.push({ entry, wb: entry.statusDone ? { ...wb, status: undefined, reason: undefined } : wb });
    }
    await updateEntries(deps.db, broken);
    return { built, broken };
  }

  /** The lead of each touched call entry, once: its panel shows the calls' sync state (read from the entries). */
  function callsChanged(entries: readonly OutboxRecord[]) {
    const refs = new Map<string, LeadRef>();
    for (const e of entries) if (e.callId) refs.set(`${e.ref.crm}:${e.ref.account ?? e.ref.host}:${e.ref.recordId}`, e.ref);
    if (refs.size) deps.onCallsChanged?.([...refs.values()]);
  }

  /**
   * Logged calls' write-backs, built at send time from the stored calls (ADR 19). The connection's user,
   * when the call's logger is that user, is the activity's owner.
   */
  async function buildCallWrites(entries: OutboxRecord[], connection: Connection, config: QualificationConfig) {
    const built: { entry: OutboxRecord; cw: CallWrite }[] = [];
    const broken: OutboxRecord[] = [];
    for (const entry of entries) {
      const call = await loggedCallOf(deps.db, entry.callId!);
      if (!call) {
        broken.push({ ...entry, state: 'failed', lastError: t.calls.unreadable, updatedAt: iso() });
        continue;
      }
      const user = connection.user && call.byId === connection.user.id && connection.crm === entry.crm ? connection.user : undefined;
      built.push({ entry, cw: callWriteFor(call, entry.ref, config, user) });
    }
    await updateEntries(deps.db, broken);
    return { built, broken };
  }

  /** Sends one batch (`deliver` makes the CRM module's call) and records what happened to each entry. */
  async function sendBatch(deliver: (unsure: ReadonlySet<string>) => Promise<ItemResult[]>, entries: OutboxRecord[], summary: SyncRunSummary, connection: Connection) {
    const { db } = deps;
    const unsure = new Set(entries.filter((e) => e.unsure).map((e) => e.key));
    // Before the request: count the attempt and mark unsure, durably. If the worker dies from here on,
    // the next attempt checks the CRM first.
    const attempting = entries.map((e) => ({ ...e, attempts: e.attempts + 1, unsure: true, updatedAt: iso() }));
    await updateEntries(db, attempting);
    await log(attempting, 'attempt', unsure.size ? `checking ${unsure.size} earlier attempt(s) first` : undefined);
    summary.attempted += entries.length;

    let results: ItemResult[];
    try {
      results = await deliver(unsure);
    } catch (e) {
      const err = e instanceof CrmError ? e : new CrmError('transient', messageOf(e), { mayHaveApplied: true });
      if (err.kind === 'auth') {
        await deps.connections.setState(connection.crm, 'expired');
        // Not an attempt that failed on its merits: restore the count and wait for a reconnect.
        await postpone(attempting.map((a, i) => ({ ...a, attempts: entries[i]!.attempts })), WAITING_DELAY_MS, err.message, attempting.some((a, i) => entries[i]!.unsure));
        await log(attempting, 'expired', err.message);
        summary.retrying += entries.length;
        return 'auth' as const;
      }
      if (err.kind === 'permanent') {
        await updateEntries(db, attempting.map((a) => ({ ...a, state: 'failed' as const, unsure: false, lastError: err.message, lastStatus: err.details.status, updatedAt: iso() })));
        await log(attempting, 'failed', err.message);
        summary.failed += entries.length;
        return 'ok' as const;
      }
      const attempts = Math.max(...attempting.map((a) => a.attempts));
      const delay = Math.max(backoffMs(attempts, random), err.details.retryAfterMs ?? 0);
      // A 429 or a refused connection applied nothing: the entries are exactly as sure as before.
      for (const a of attempting) {
        const was = entries.find((e) => e.key === a.key)!.unsure;
        await postpone([a], delay, err.details.status === 429 ? t.sync.rateLimited(deps.modules(connection.crm)?.label ?? connection.label, Math.ceil(delay / 1000), err.message) : retryMessage(err), err.details.mayHaveApplied ? true : was);
      }
      await log(attempting, 'retry', `${err.message} (next try in ${Math.round(delay / 1000)} s)`);
      summary.retrying += entries.length;
      return err.details.status === 429 || err.details.code === 'REQUEST_LIMIT_EXCEEDED' ? ('slow' as const) : ('ok' as const);
    }

    const byKey = new Map(results.map((r) => [r.key, r]));
    const updates: OutboxRecord[] = [];
    for (const a of attempting) {
      const r = byKey.get(a.key);
      if (r?.ok) {
        updates.push({ ...a, state: 'done', unsure: false, lastError: undefined, lastStatus: undefined, updatedAt: iso() });
        summary.synced += 1;
      } else if (r && r.permanent) {
        updates.push({ ...a, state: 'failed', unsure: false, statusDone: a.statusDone || r.statusApplied || undefined, lastError: r.message, lastStatus: r.status, updatedAt: iso() });
        summary.failed += 1;
      } else {
        // A transient per-item failure, or the module said nothing about it: try again, checking first.
        const delay = Math.max(backoffMs(a.attempts, random), r?.retryAfterMs ?? 0);
        updates.push({ ...a, statusDone: a.statusDone || r?.statusApplied || undefined, nextAt: deps.now() + delay, lastError: r?.message ?? t.sync.notConfirmed, lastStatus: r?.status, updatedAt: iso() });
        summary.retrying += 1;
      }
    }
    await updateEntries(db, updates);
    const by = (state: string) => updates.filter((u) => u.state === state);
    if (by('done').length) await log(by('done'), 'synced');
    if (by('failed').length) await log(by('failed'), 'failed', by('failed')[0]?.lastError);
    if (by('pending').length) await log(by('pending'), 'retry', by('pending')[0]?.lastError);
    return 'ok' as const;
  }

  /**
   * Logged calls to one CRM (ADR 19): through its `logCalls` in batches, with the same unsure marks as
   * decisions; a CRM whose module cannot log calls gets none, and each such call is done as "not
   * supported" (kept on the device, not an error). Returns whether anything was attempted or settled.
   */
  async function sendCalls(api: CrmApi, entries: OutboxRecord[], connection: Connection, config: QualificationConfig, summary: SyncRunSummary): Promise<boolean> {
    const logCalls = api.logCalls?.bind(api);
    if (!logCalls) {
      const label = deps.modules(connection.crm)?.label ?? connection.label;
      const done = entries.map((e) => ({ ...e, state: 'done' as const, unsupported: true, unsure: false, lastError: t.calls.unsupported(label), updatedAt: iso() }));
      await updateEntries(deps.db, done);
      await log(done, 'unsupported');
      return true;
    }
    const { built, broken } = await buildCallWrites(entries, connection, config);
    let progressed = broken.length > 0;
    for (let i = 0; i < built.length; i += api.maxBatch) {
      const batch = built.slice(i, i + api.maxBatch);
      const outcome = await sendBatch((unsure) => logCalls(batch.map((b) => b.cw), unsure), batch.map((b) => b.entry), summary, connection);
      progressed = true;
      if (outcome === 'auth') {
        await postpone(built.slice(i + api.maxBatch).map((b) => b.entry), WAITING_DELAY_MS, undefined);
        break;
      }
      if (outcome === 'slow') break;
    }
    return progressed;
  }

  async function pass(summary: SyncRunSummary): Promise<boolean> {
    const due = await dueOutboxEntries(deps.db, deps.now(), PASS_SIZE);
    if (!due.length) return false;
    const config = await deps.loadConfig();
    let progressed = false;
    const byCrm = new Map<string, OutboxRecord[]>();
    for (const e of due) byCrm.set(e.crm, [...(byCrm.get(e.crm) ?? []), e]);

    for (const [crm, entries] of byCrm) {
      const module = deps.modules(crm);
      const connection = await deps.connections.get(crm);
      const touched = entries.filter((e) => !e.callId).map((e) => e.dispositionId);
      const calls = entries.filter((e) => e.callId);
      if (!module || !connection || connection.state === 'expired') {
        const why = !module
          ? t.sync.noConnector(crm)
          : !connection
            ? t.sync.notConnectedYet(module.label)
            : t.sync.expiredReconnect(connection.label);
        await postpone(entries, WAITING_DELAY_MS, why);
        await refreshDispositions(touched, connection);
        callsChanged(calls);
        continue;
      }
      // The CRM asked for a pause (a 429 to any request of this connection): nothing goes out before it ends.
      const waitingUntil = crmFetch.forConnection(module, connection).waitingUntil();
      if (waitingUntil > deps.now()) {
        await postpone(entries, waitingUntil - deps.now(), t.sync.rateLimited(module.label, Math.ceil((waitingUntil - deps.now()) / 1000), t.sync.askedToWait));
        await refreshDispositions(touched, connection);
        callsChanged(calls);
        continue;
      }
      const api = module.create(connection, {
        fetch: fetchFor(module, connection),
        now: deps.now,
        ...credentialDeps(deps.connections, connection),
      });
      const decisions = entries.filter((e) => !e.callId);
      const ready = orderable(decisions, await earlierPending(decisions));
      const { built, broken } = await buildWriteBacks(ready, connection, module, config);
      if (broken.length) progressed = true;
      let stopped: 'auth' | 'slow' | undefined;
      for (let i = 0; i < built.length; i += api.maxBatch) {
        const batch = built.slice(i, i + api.maxBatch);
        const outcome = await sendBatch((unsure) => api.push(batch.map((b) => b.wb), unsure), batch.map((b) => b.entry), summary, connection);
        progressed = true;
        if (outcome === 'auth') {
          // The rest waits for the reconnect too; the refresh below shows "expired" on each.
          await postpone(built.slice(i + api.maxBatch).map((b) => b.entry), WAITING_DELAY_MS, undefined);
          stopped = 'auth';
          break;
        }
        if (outcome === 'slow') {
          // The CRM asked us to slow down: leave the rest of this CRM's batches for later.
          stopped = 'slow';
          break;
        }
      }
      // The decisions' shown state first: a worker stopped while sending calls must not leave it stale.
      await refreshDispositions(touched, await deps.connections.get(crm));
      if (calls.length && stopped === 'auth') await postpone(calls, WAITING_DELAY_MS, undefined);
      else if (calls.length && !stopped) progressed = (await sendCalls(api, calls, connection, config, summary)) || progressed;
      callsChanged(calls);
    }
    return progressed;
  }

  /** Drains what is due. Safe to call any time: a run in progress takes another pass instead. */
  async function run(): Promise<SyncRunSummary> {
    const summary: SyncRunSummary = { attempted: 0, synced: 0, failed: 0, retrying: 0, calls: 0 };
    const before = calls;
    again = true;
    const ran = await tryLock(async () => {
      while (again) {
        again = false;
        while (await pass(summary)) {
          /* keep going while passes make progress */
        }
      }
    });
    summary.calls = calls - before;
    if (!ran) again = true;
    return summary;
  }

  /** Epoch ms of the next due entry, or undefined when nothing waits. */
  async function nextDueAt(): Promise<number | undefined> {
    return nextOutboxDueAt(deps.db);
  }

  /** Puts failed (or waiting) entries back in line now: after fixing a mapping, or reconnecting. */
  async function retry(filter: { key?: string; dispositionId?: string; crm?: string }) {
    const matches = await requeue(deps.db, filter, iso());
    if (matches.length) await log(matches, 'requeued');
    await refreshDispositions(matches.filter((m) => !m.callId).map((m) => m.dispositionId));
    callsChanged(matches);
    return matches.length;
  }

  return { run, retry, nextDueAt, callCount: () => calls };
}

function retryMessage(err: CrmError): string {
  const status = err.details.status ? t.sync.status(err.details.status) : '';
  return t.sync.willRetry(err.message, status);
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
