import { CrmError, type Connection, type CrmApiModule, type SignInDeps } from '../crm/api';
import { isDeclaredApiBase } from '../crm/api-hosts';
import { crmApiModule, crmApiModules } from '../crm/apis';
import { messageOf } from '../domain/errors';
import { ProtocolError } from '../messaging/envelope';
import type { optionsProtocol, QueueItem } from '../messaging/options-protocol';
import type { Handlers } from '../messaging/router';
import { type Store, storageErrorMessage } from '../store/store';
import { queueOverview } from '../store/outbox';
import { loadConfig, loadRep, resetConfig, saveConfig, saveRep } from '../store/settings';
import { publicConnection, type ConnectionStore } from '../sync/connections';
import { credentialDeps } from '../sync/token-refresh';
import { createCrmFetch, type CrmFetch } from '../sync/crm-fetch';
import type { SyncEngine } from '../sync/engine';
import { importProgress, importStep } from '../sync/import';
import type { createLeadRefresher } from '../sync/lead-refresh';
import type { TeamConfig } from './team-config';
import type { Placement } from './side-panel';
import { backgroundStrings as t } from '../i18n/background';

/** What the options page asks of the background: connections (tokens go in, never out), settings, the sync queue. */
export interface OptionsDeps {
  db: Store;
  connections: ConnectionStore;
  engine: Pick<SyncEngine, 'retry'>;
  wake: () => void;
  refresher?: ReturnType<typeof createLeadRefresher>;
  includeDemo: boolean;
  fetch?: typeof fetch;
  /** The background's one CRM fetch; connection checks and imports take their turn in its limiters. */
  crmFetch?: CrmFetch;
  now?: () => number;
  /** OAuth through `browser.identity`; absent where the browser has none (tests without it). */
  signIn?: Omit<SignInDeps, 'fetch'>;
  /** The organisation's policy config; read again before the config is shown or saved (absent: no policy). */
  teamConfig?: Pick<TeamConfig, 'refresh'>;
  /** Where the panel shows (src/background/side-panel.ts); absent: always in the page (tests without it). */
  placement?: Pick<Placement, 'available' | 'read' | 'set'>;
}

const QUEUE_ITEMS = 200;

function connectError(module: CrmApiModule, e: unknown): ProtocolError {
  if (e instanceof CrmError) {
    const hint = e.kind === 'auth' ? ` Check the ${module.connectWith === 'token' ? 'token and its scopes' : 'sign-in'} and try again.` : '';
    return new ProtocolError('failed', `${module.label} did not accept the connection: ${e.message}${hint}`);
  }
  return new ProtocolError('failed', `${module.label} could not be reached: ${messageOf(e)}`);
}

export function createOptionsService(deps: OptionsDeps) {
  const { db, connections } = deps;
  const now = deps.now ?? Date.now;
  const doFetch = deps.fetch ?? ((input, init) => fetch(input, init));
  const crmFetch = deps.crmFetch ?? createCrmFetch({ fetch: doFetch, now });
  const limitedFor = (module: CrmApiModule, connection: Pick<Connection, 'crm' | 'apiBase'>) => crmFetch.forConnection(module, connection).fetch;
  const moduleOf = (crm: string) => {
    const m = crmApiModule(crm);
    if (!m || (!deps.includeDemo && m.autoConnect)) throw new ProtocolError('invalid', t.options.unknownCrm(crm), [{ path: 'crm', message: t.options.unknownCrmField }]);
    return m;
  };

  async function queue() {
    const { counts, items } = await queueOverview(db, QUEUE_ITEMS);
    return {
      counts,
      items: items.map((e): QueueItem => ({
        key: e.key,
        dispositionId: e.dispositionId,
        rev: e.rev,
        crm: e.crm,
        leadName: e.leadName ?? e.ref.recordId,
        state: e.state,
        attempts: e.attempts,
        nextAt: e.nextAt,
        lastError: e.lastError,
        updatedAt: e.updatedAt,
      })),
    };
  }

  async function store<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      throw new ProtocolError('failed', storageErrorMessage(e));
    }
  }

  async function saveConnection(module: CrmApiModule, draft: Omit<Connection, 'label' | 'connectedAt' | 'state' | 'mapping'>) {
    const existing = await connections.get(module.id);
    const probe: Connection = { ...draft, label: module.label, mapping: existing?.mapping ?? module.defaultMapping, connectedAt: new Date(now()).toISOString(), state: 'connected' };
    let checked: { account?: string; label: string };
    const api = module.create(probe, { fetch: limitedFor(module, probe), now });
    try {
      checked = await api.testConnection();
    } catch (e) {
      throw connectError(module, e);
    }
    // Who the credentials belong to, as the CRM says: decisions are signed with that user (issue 16).
    let user: Connection['user'];
    let asked = false;
    try {
      user = await api.whoAmI?.();
      asked = api.whoAmI !== undefined;
    } catch {
      // Asked again when a lead is shown.
    }
    const connection: Connection = { ...probe, account: checked.account ?? draft.account, label: checked.label, ...(user ? { user } : {}), ...(asked ? { userCheckedAt: new Date(now()).toISOString() } : {}) };
    await connections.put(connection);
    // Decisions saved while disconnected (or expired) go out now.
    await deps.engine.retry({ crm: module.id });
    deps.wake();
    return publicConnection(connection);
  }

  const handlers: Handlers<typeof optionsProtocol> = {
    'options.getOverview': () =>
      store(async () => {
        await deps.teamConfig?.refresh();
        const [loaded, rep, all, q, placement] = await Promise.all([loadConfig(db), loadRep(db), connections.all(), queue(), deps.placement?.read() ?? ('page' as const)]);
        return {
          connections: all.map(publicConnection),
          available: crmApiModules
            .filter((m) => deps.includeDemo || !m.autoConnect)
            .map((m) => ({ id: m.id, label: m.label, connectWith: m.connectWith, defaultApiBase: m.defaultApiBase, defaultMapping: m.defaultMapping })),
          config: loaded.config,
          configProblem: loaded.problem,
          configSource: loaded.source,
          managedProblem: loaded.managedProblem,
          rep: rep ?? null,
          queue: q,
          placement: { value: placement, available: deps.placement?.available ?? false },
        };
      }),
    'options.connect': (req) =>
      store(async () => {
        const module = moduleOf(req.crm);
        if (req.auth === 'token') {
          if (module.connectWith !== 'token') throw new ProtocolError('invalid', `${module.label} connects by signing in, not with a token.`);
          const apiBase = req.apiBase ?? module.defaultApiBase;
          if (!apiBase) throw new ProtocolError('invalid', t.options.apiBaseRequired, [{ path: 'apiBase', message: t.options.required }]);
          // The token goes only to an address the CRM's folder declares (https; the demo CRM's loopback).
          if (!isDeclaredApiBase(module.id, apiBase)) throw new ProtocolError('invalid', t.options.apiBaseNotAllowed(module.label), [{ path: 'apiBase', message: t.options.apiBaseNotAllowed(module.label) }]);
          return saveConnection(module, { crm: module.id, apiBase, credentials: { kind: 'token', token: req.token } });
        }
        if (!module.signIn || !deps.signIn) throw new ProtocolError('invalid', `${module.label} does not support signing in from this browser.`);
        let result;
        try {
          result = await module.signIn({ loginHost: req.loginHost, clientId: req.clientId }, { ...deps.signIn, fetch: doFetch });
        } catch (e) {
          throw new ProtocolError('failed', messageOf(e));
        }
        return saveConnection(module, { crm: module.id, apiBase: result.apiBase, account: result.account, credentials: result.credentials });
      }),
    'options.testConnection': ({ crm }) =>
      store(async () => {
        const module = moduleOf(crm);
        const connection = await connections.get(crm);
        if (!connection) throw new ProtocolError('failed', t.options.notConnected(module.label));
        try {
          const r = await module.create(connection, { fetch: limitedFor(module, connection), now, ...credentialDeps(connections, connection) }).testConnection();
          if (connection.state === 'expired') {
            await connections.setState(crm, 'connected');
            await deps.engine.retry({ crm });
            deps.wake();
          }
          return r;
        } catch (e) {
          if (e instanceof CrmError && e.kind === 'auth') await connections.setState(crm, 'expired');
          throw connectError(module, e);
        }
      }),
    'options.disconnect': ({ crm }) =>
      store(async () => {
        await connections.remove(crm);
        return null;
      }),
    'options.setMapping': ({ crm, mapping }) =>
      store(async () => {
        const connection = await connections.get(crm);
        if (!connection) throw new ProtocolError('failed', t.options.notConnected(moduleOf(crm).label));
        const updated = { ...connection, mapping };
        await connections.put(updated);
        return publicConnection(updated);
      }),
    'options.saveConfig': ({ config }) =>
      store(async () => {
        await deps.teamConfig?.refresh();
        const r = await saveConfig(db, config);
        if (!r.ok && 'managed' in r) throw new ProtocolError('forbidden', t.options.configManaged);
        if (!r.ok) throw new ProtocolError('invalid', t.options.configRejected(r.errors.length), r.errors.slice(0, 50));
        return { ok: true as const };
      }),
    'options.resetConfig': () =>
      store(async () => {
        await deps.teamConfig?.refresh();
        const r = await resetConfig(db);
        if (!r.ok) throw new ProtocolError('forbidden', t.options.configManaged);
        return { ok: true as const };
      }),
    'options.setRep': (rep) =>
      store(async () => {
        await saveRep(db, rep);
        return null;
      }),
    'options.retry': (filter) =>
      store(async () => {
        const requeued = await deps.engine.retry(filter);
        deps.wake();
        return { requeued };
      }),
    'options.syncNow': async () => {
      deps.wake();
      return null;
    },
    'options.setPlacement': async ({ placement }) => {
      const done = placement === 'page' && !deps.placement ? true : await deps.placement?.set(placement);
      if (!done) throw new ProtocolError('invalid', t.options.noSidePanel, [{ path: 'placement', message: t.options.noSidePanel }]);
      return null;
    },
    'dashboard.importStep': ({ crm }) =>
      store(async () => {
        moduleOf(crm);
        return importStep({ db, connections, modules: crmApiModule, fetch: doFetch, crmFetch, now, config: async () => (await loadConfig(db)).config }, crm);
      }),
    'dashboard.importStatus': ({ crm }) => store(() => importProgress(db, crm)),
  };
  return { handlers };
}
