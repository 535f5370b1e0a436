/** Test helpers for the options page and the popup: a fake background, fake permissions and tabs, canned overviews. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import hubspotApi from '../crm/hubspot/api';
import { parseConfig } from '../domain/config';
import { defaultConfig } from '../domain/defaults';
import { createClient } from '../messaging/client';
import { CHANNEL, ProtocolError, type ParsedRequestOf, type ResponseOf } from '../messaging/envelope';
import { optionsProtocol, type Overview, type QueueItem } from '../messaging/options-protocol';
import { OptionsApp, type OptionsAppProps } from './OptionsApp';
import type { PermissionsAdapter, TabsAdapter } from './types';

type P = typeof optionsProtocol;
type Type = keyof P & string;
type Handler<K extends Type> = (payload: ParsedRequestOf<P, K>) => ResponseOf<P, K> | Promise<ResponseOf<P, K>>;
/** Answers per message type; a type without one is answered "unknown_type". */
export type FakeHandlers = { [K in Type]?: Handler<K> };

/** 2026-11-20 12:00 UTC. */
export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const EXTENSION_ORIGIN = 'chrome-extension://lqtestextensionid';

export const hubspotConnection: Overview['connections'][number] = {
  crm: 'hubspot',
  apiBase: 'https://api.hubapi.com',
  account: '4412345',
  label: 'HubSpot portal 4412345',
  mapping: hubspotApi.defaultMapping,
  connectedAt: '2026-11-19T09:30:00.000Z',
  state: 'connected',
  auth: 'token',
};

export function queueItem(over: Partial<QueueItem> = {}): QueueItem {
  return {
    key: 'lq0a1b2c',
    dispositionId: 'd1',
    rev: 1,
    crm: 'hubspot',
    leadName: 'Ada Park',
    state: 'pending',
    attempts: 0,
    nextAt: 0,
    updatedAt: '2026-11-20T11:59:00.000Z',
    ...over,
  };
}

/** HubSpot (token), Salesforce (OAuth) and the demo CRM (token, no default address); nothing connected. */
export function overview(over: Partial<Overview> = {}): Overview {
  return {
    connections: [],
    available: [
      { id: 'hubspot', label: 'HubSpot', connectWith: 'token', defaultApiBase: 'https://api.hubapi.com', defaultMapping: hubspotApi.defaultMapping },
      {
        id: 'salesforce',
        label: 'Salesforce',
        connectWith: 'oauth',
        defaultMapping: { statusField: 'Status', status: { accept: 'Qualified', reject: 'Unqualified', recycle: 'Nurturing' }, reasonField: 'Unqualified_Reason__c', reasons: {} },
      },
    ],
    config: defaultConfig(),
    rep: { name: 'Sam Rep', email: 'sam@acme.example' },
    queue: { counts: { pending: 0, failed: 0, done: 0 }, items: [] },
    placement: { value: 'page', available: true },
    ...over,
  };
}

/**
 * A background in memory: records every message, answers from `handlers` (a canned overview by default),
 * and sends replies through the real protocol client, so requests and answers are validated as in the
 * extension. Handlers throw `ProtocolError` to answer with an error and its field issues.
 */
export function fakeBackground(initial: Overview = overview(), handlers: Partial<FakeHandlers> = {}, events: string[] = []) {
  const state = { overview: initial };
  const calls: { type: Type; payload: unknown }[] = [];
  const defaults: FakeHandlers = {
    'options.getOverview': () => state.overview,
    'options.connect': (req) => {
      const connection = { ...hubspotConnection, crm: req.crm, auth: req.auth, label: req.crm === 'hubspot' ? hubspotConnection.label : `${req.crm} org` };
      state.overview = { ...state.overview, connections: [...state.overview.connections.filter((c) => c.crm !== req.crm), connection] };
      return connection;
    },
    'options.testConnection': ({ crm }) => ({ label: state.overview.connections.find((c) => c.crm === crm)?.label ?? crm }),
    'options.disconnect': ({ crm }) => {
      state.overview = { ...state.overview, connections: state.overview.connections.filter((c) => c.crm !== crm) };
      return null;
    },
    'options.setMapping': ({ crm, mapping }) => {
      const c = state.overview.connections.find((x) => x.crm === crm);
      if (!c) throw new ProtocolError('failed', `Not connected to ${crm}.`);
      const updated = { ...c, mapping };
      state.overview = { ...state.overview, connections: state.overview.connections.map((x) => (x.crm === crm ? updated : x)) };
      return updated;
    },
    // As the background does: the domain's own validation, with field-named errors.
    'options.saveConfig': ({ config }) => {
      const r = parseConfig(config);
      if (!r.ok) throw new ProtocolError('invalid', `The configuration has ${r.errors.length} problem${r.errors.length === 1 ? '' : 's'}; nothing was changed.`, r.errors);
      state.overview = { ...state.overview, config: r.value };
      return { ok: true as const };
    },
    'options.resetConfig': () => {
      state.overview = { ...state.overview, config: defaultConfig() };
      return { ok: true as const };
    },
    'options.setRep': (rep) => {
      state.overview = { ...state.overview, rep };
      return null;
    },
    'options.retry': () => ({ requeued: 1 }),
    'options.syncNow': () => null,
    'options.setPlacement': ({ placement }) => {
      state.overview = { ...state.overview, placement: { ...state.overview.placement, value: placement } };
      return null;
    },
  };
  const all: FakeHandlers = { ...defaults, ...handlers };
  const send = createClient(optionsProtocol, async (message) => {
    const { channel, type, payload } = message as { channel: string; type: Type; payload: never };
    if (channel !== CHANNEL) throw new Error('wrong channel');
    calls.push({ type, payload });
    events.push(type);
    const handler = all[type] as ((p: unknown) => unknown) | undefined;
    if (!handler) return { ok: false, error: { code: 'unknown_type', message: `No fake answer for "${type}".` } };
    try {
      return { ok: true, data: await handler(payload) };
    } catch (e) {
      if (e instanceof ProtocolError) return { ok: false, error: { code: e.code, message: e.message, issues: e.issues } };
      throw e;
    }
  });
  return {
    send,
    calls,
    events,
    state,
    /** Payloads of one message type, in order. */
    sent: <K extends Type>(type: K) => calls.filter((c) => c.type === type).map((c) => c.payload as ParsedRequestOf<P, K>),
  };
}

/** `browser.permissions` that grants (or refuses) every request; records requests in `events`. */
export function fakePermissions(opts: { grant?: boolean; origins?: string[]; throws?: string } = {}, events: string[] = []) {
  const held = new Set(opts.origins ?? []);
  const requests: string[][] = [];
  const adapter: PermissionsAdapter = {
    request: ({ origins }) => {
      events.push('permissions.request');
      requests.push(origins);
      if (opts.throws) throw new Error(opts.throws);
      if (opts.grant === false) return Promise.resolve(false);
      for (const o of origins) held.add(o);
      return Promise.resolve(true);
    },
    getAll: async () => ({ origins: [...held] }),
  };
  return { adapter, requests, held };
}

export function fakeTabs() {
  const opened: string[] = [];
  const adapter: TabsAdapter = {
    create: async ({ url }) => {
      opened.push(url);
      return { id: 1 };
    },
    extensionUrl: (path) => `${EXTENSION_ORIGIN}${path}`,
  };
  return { adapter, opened };
}

export function withQueryClient(ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

/** Renders the options page with fakes; returns them for assertions. */
export function renderOptions(
  opts: { overview?: Overview; handlers?: Partial<FakeHandlers>; grant?: boolean; granted?: string[]; permissionThrows?: string; props?: Partial<OptionsAppProps> } = {},
) {
  const events: string[] = [];
  const bg = fakeBackground(opts.overview ?? overview(), opts.handlers, events);
  const permissions = fakePermissions({ grant: opts.grant, origins: opts.granted, throws: opts.permissionThrows }, events);
  const tabs = fakeTabs();
  const downloads: { filename: string; text: string }[] = [];
  const view = withQueryClient(
    <OptionsApp
      send={bg.send}
      permissions={permissions.adapter}
      tabs={tabs.adapter}
      refreshMs={false}
      clock={() => NOW}
      locale="en-GB"
      timeZone="UTC"
      download={(filename, text) => downloads.push({ filename, text })}
      {...opts.props}
    />,
  );
  return { ...view, bg, permissions, tabs, events, downloads };
}
