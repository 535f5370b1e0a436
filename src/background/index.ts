import { browser } from 'wxt/browser';
import { contentScriptMatches, leadKey } from '../crm';
import { crmApiModule } from '../crm/apis';
import type { LeadRef } from '../domain/lead-ref';
import { matchesPattern } from '../crm/match-pattern';
import { leadRefSchema } from '../messaging/page-protocol';
import { PANEL_COLLAPSED_KEY } from '../messaging/names';
import { createRouter } from '../messaging/router';
import { identifySender } from '../messaging/sender';
import { openStore } from '../store/store';
import { onEnqueued } from '../store/outbox';
import { loadConfig } from '../store/settings';
import { authorFor, createIdentityChecker } from '../sync/identity';
import { createTeamHistoryReader } from '../sync/team-history';
import { connectionStore } from '../sync/connections';
import { createCrmFetch } from '../sync/crm-fetch';
import { createSyncEngine } from '../sync/engine';
import { createLeadRefresher } from '../sync/lead-refresh';
import { createMyReviewsService } from './my-reviews';
import { createOptionsService } from './options';
import { createFrameBinding, sessionFrameStore } from './frame-binding';
import { acceptPanelPorts, panelPushes, reportingRefreshes } from './panel-link';
import { createPanelFold } from './panel-fold';
import { createPanelCommand, createPlacement, sidePanelApis, sidePanelBinding } from './side-panel';
import { backgroundProtocol } from './protocol';
import { createLeadSessions, type TabStore } from './sessions';
import { createTeamConfig } from './team-config';
import { backgroundStrings as t } from '../i18n/background';

const SYNC_ALARM = 'sync';
/** Chrome fires alarms at most every 30 s; shorter waits use a timer while the worker is alive. */
const ALARM_MIN_MS = 30_000;

/** Which lead each tab shows, in session storage: it survives the worker being stopped, not a restart. */
function sessionTabStore(): TabStore {
  const k = (tabId: number) => `tab:${tabId}`;
  return {
    async get(tabId) {
      const value = (await browser.storage.session.get(k(tabId)))[k(tabId)];
      const parsed = leadRefSchema.safeParse(value);
      return parsed.success ? parsed.data : undefined;
    },
    set: (tabId, ref) => browser.storage.session.set({ [k(tabId)]: ref }),
    delete: (tabId) => browser.storage.session.remove(k(tabId)),
  };
}

/**
 * Starts the background: one router for every message (senders identified before anything runs), the
 * local store, and the sync loop, woken by a save, an alarm, coming back online and worker start-up.
 */
export function startBackground(options: { includeDemo: boolean }) {
  const self = { id: browser.runtime.id, origin: browser.runtime.getURL('/').replace(/\/$/, '') };
  const crmPatterns = contentScriptMatches(options.includeDemo);
  const isCrmPage = (url: URL) => crmPatterns.some((p) => matchesPattern(p, url));
  const db = openStore();
  const connections = connectionStore(db);
  const fetcher: typeof fetch = (input, init) => fetch(input, init);
  // The organisation's policy config (storage.managed) wins over the local one (ADR 0016).
  const teamConfig = createTeamConfig({ db, managed: () => browser.storage.managed, onError: (e) => console.warn('Reading the policy configuration failed.', e) });
  teamConfig.follow(browser.storage.onChanged);
  void teamConfig.refresh();
  const config = async () => {
    await teamConfig.settled();
    return (await loadConfig(db)).config;
  };

  const push = panelPushes((message) => browser.runtime.sendMessage(message));
  // Every request to a CRM, whoever makes it, takes its turn in that connection's one limiter.
  const crmFetch = createCrmFetch({ fetch: fetcher, now: Date.now });
  const engine = createSyncEngine({
    db,
    connections,
    modules: crmApiModule,
    loadConfig: config,
    fetch: fetcher,
    crmFetch,
    now: Date.now,
    onChange: push.syncChanged,
    // A logged call's sync state changed: its lead's panel re-reads its state (ADR 19).
    onCallsChanged: (refs) => refs.forEach((ref) => push.leadRefreshed(leadKey(ref))),
  });
  const identities = createIdentityChecker({ db, connections, modules: crmApiModule, fetch: fetcher, crmFetch, now: Date.now });
  const teamHistory = createTeamHistoryReader({ db, connections, modules: crmApiModule, fetch: fetcher, crmFetch, now: Date.now, onRead: (ref) => push.leadRefreshed(leadKey(ref)) });
  const refresher = reportingRefreshes(createLeadRefresher({ db, connections, modules: crmApiModule, fetch: fetcher, crmFetch, now: Date.now }), push.leadRefreshed);

  let timer: ReturnType<typeof setTimeout> | undefined;
  async function schedule() {
    const next = await engine.nextDueAt();
    clearTimeout(timer);
    if (next === undefined) {
      await browser.alarms.clear(SYNC_ALARM);
      return;
    }
    const wait = Math.max(0, next - Date.now());
    if (wait < ALARM_MIN_MS) timer = setTimeout(wake, wait);
    // The alarm is the backstop: it wakes a stopped worker, which resumes from the outbox.
    await browser.alarms.create(SYNC_ALARM, { when: Date.now() + Math.max(wait, ALARM_MIN_MS) });
  }
  function wake() {
    void engine
      .run()
      .catch((e: unknown) => console.warn('Sync run failed; it will run again.', e))
      .then(schedule);
  }

  /** Demo builds connect themselves to the demo CRM the first time one of its leads is shown. */
  async function autoConnect(ref: LeadRef) {
    const module = crmApiModule(ref.crm);
    if (!options.includeDemo || !module?.autoConnect || (await connections.get(ref.crm))) return;
    const connection = module.autoConnect(ref, new Date().toISOString());
    if (!connection) return;
    await connections.put(connection);
    await engine.retry({ crm: ref.crm });
    wake();
  }

  const tabs = sessionTabStore();
  const sessions = createLeadSessions({
    db,
    tabs,
    now: Date.now,
    config,
    author: (crm) => authorFor({ db, connections }, crm),
    identify: (crm) => identities.check(crm),
    newId: () => crypto.randomUUID(),
    wakeSync: wake,
    retrySync: (dispositionId) => engine.retry({ dispositionId }),
    onTabChanged: push.leadChanged,
    onLeadShown: (ref) => {
      void autoConnect(ref)
        .then(() => Promise.all([refresher.refresh(ref), identities.check(ref.crm).then(() => teamHistory.read(ref))]))
        .catch((e: unknown) => console.warn(`Reading ${leadKey(ref)} from the CRM failed.`, e));
    },
  });
  // Where the panel shows: in the CRM page or the browser's side panel (ADR 0020).
  const sidePanels = sidePanelApis(browser);
  // Firefox's event page has `localStorage`, read synchronously when the shortcut is pressed; Chrome's worker has none.
  const mirror = typeof localStorage === 'undefined' ? undefined : localStorage;
  const placement = createPlacement({ local: browser.storage.local, apis: sidePanels, mirror, onError: (e) => console.warn('Applying the panel placement failed.', e) });
  placement.follow(browser.storage.onChanged);
  void placement.start();
  const identity = browser.identity as typeof browser.identity | undefined;
  const optionsService = createOptionsService({
    db,
    connections,
    engine,
    wake,
    refresher,
    crmFetch,
    includeDemo: options.includeDemo,
    teamConfig,
    placement,
    signIn: identity && {
      launchWebAuthFlow: (url) => identity.launchWebAuthFlow({ url, interactive: true }),
      get redirectUri() {
        return identity.getRedirectURL();
      },
    },
  });
  const myReviews = createMyReviewsService({ db, connections, config });
  // Only the frame our content script made is the tab's panel (ADR 0015); a new page in the tab forgets its lead.
  const frames = createFrameBinding({
    store: sessionFrameStore(browser.storage.session),
    now: Date.now,
    onNewDocument: async (tabId) => {
      await tabs.delete(tabId);
      push.leadChanged(tabId);
    },
    settings: async () => ({
      placement: placement.current() ?? (await placement.read()),
      collapsed: (await browser.storage.local.get(PANEL_COLLAPSED_KEY))[PANEL_COLLAPSED_KEY] === true,
    }),
  });
  // The browser's side panel is no frame of a page: it is accepted as the page of ours it is (ADR 0020).
  const panels = sidePanelBinding(frames);
  const route = createRouter(backgroundProtocol, { ...sessions.handlers, ...frames.handlers, ...optionsService.handlers, ...myReviews.handlers });

  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void panels
      .admit(message, identifySender(sender, self, isCrmPage, message))
      .catch(() => null)
      .then((caller) => route(message, caller))
      .then(sendResponse);
    return true; // the reply comes asynchronously
  });
  // Panels hold a port while they wait on us; a stopped worker ends it, and the panel's reconnect starts us.
  acceptPanelPorts(browser.runtime.onConnect, (sender) => identifySender(sender, self, isCrmPage), panels);
  browser.tabs.onRemoved.addListener((tabId) => {
    void browser.storage.session.remove(`tab:${tabId}`);
    void frames.forget(tabId).catch(() => undefined);
  });
  // The shortcut flips the fold state in extension storage; content scripts follow it (no message to them).
  const togglePanelFold = createPanelFold({ local: browser.storage.local, showsLead: async (tabId) => (await tabs.get(tabId)) !== undefined });
  // In side-panel mode the shortcut opens the side panel, called before anything is awaited (the key
  // press's user gesture ends there); in the page mode it folds as above.
  const onPanelCommand = createPanelCommand({
    placement,
    apis: sidePanels,
    fold: togglePanelFold,
    onOpenFailed: (tabId, e) => {
      console.warn('The side panel did not open.', e);
      void browser.action.setTitle({ title: t.sidePanel.openFailed, ...(tabId !== undefined ? { tabId } : {}) }).catch(() => undefined);
    },
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command !== 'toggle-panel' || !tab) return;
    void onPanelCommand(tab).catch(() => undefined);
  });
  // Chrome forgets the side panel's enabled state when it quits: this starts the worker with the browser,
  // and its start-up (`placement.start`) sets it again before a shortcut could open it in the page mode.
  browser.runtime.onStartup.addListener(() => undefined);
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) wake();
  });
  globalThis.addEventListener?.('online', wake);
  // Whatever enqueues in this worker (a decision, a review) wakes the loop once its transaction commits.
  onEnqueued(wake);
  // Worker start-up (browser start, install, or woken after being stopped): resume the outbox.
  wake();
  return { sessions, engine, db };
}
