/**
 * Faults on the way to the CRM, with the built extension in real Chromium (issue 15), for HubSpot and
 * Salesforce (stand-ins at their real API hosts, ADR 11) and the demo CRM (the demo build on
 * scripts/demo-crm/server.ts):
 *
 * 1. The service worker is stopped mid-write: the note/task create reaches the CRM and is applied, then
 *    Chromium stops the worker (CDP `ServiceWorker.stopAllWorkers`) before the answer arrives. The
 *    restarted worker resumes and the CRM ends with one note/task for the decision's key and the status
 *    set. HubSpot's stand-in lags its search index (`searchLagMs`), as HubSpot's does.
 * 2. 429 with `Retry-After: 5` on the first write while the rep saves two more decisions: no request to
 *    the CRM starts inside the wait, the panels say "Waiting for …’s rate limit (n s)", then every decision
 *    arrives once.
 * 3. Offline: `context.setOffline(true)` (the worker's `navigator.onLine` turns false) and the CRM's
 *    route fails every request (Playwright fulfils routed requests from Node even when offline). Two
 *    decisions are saved, tried, nothing reaches the CRM; back online, each arrives once.
 *
 * Every request the extension makes to a CRM host passes a Playwright route that records when it
 * arrived. Host access to the HubSpot/Salesforce API hosts is granted as a rep grants it (see
 * `grantHostAccess`): without it, Chrome would hide `Retry-After` from the worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, FrameLocator, Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionIdOf, runDemo, type RunningDemo } from '../../scripts/demo/run';
import { E2E_WAIT_TIMEOUT_MS } from '../support/timeouts';
import { startHubSpotStandIn, type HubSpotStandIn } from '../stand-ins/hubspot';
import { startSalesforceStandIn, type SalesforceStandIn } from '../stand-ins/salesforce';
import { CRM_HOSTS, forwardRequest, giveRepName, grantHostAccess, launchExtension, panelFrame, sendAsExtensionPage, ROOT, stopServiceWorkers, salesforceSignIn, storeConnection } from './harness';

const RETRY_AFTER_S = 5;

/** One request the extension sent to a CRM host, as the route saw it. */
interface Seen {
  at: number;
  method: string;
  path: string;
  /** The CRM's answer (undefined while in flight, 0 when the browser never got one). */
  status?: number;
  answeredAt?: number;
}

/** A route handler that takes over one request; it returns true when it did. */
type Hook = (route: Route, seen: Seen, forward: () => ReturnType<typeof forwardRequest>) => Promise<boolean>;

interface OutboxRow {
  key: string;
  state: string;
  unsure: boolean;
  attempts: number;
  lastError?: string;
  ref: { recordId: string };
}

/** What the three scenarios need from one CRM. */
interface Crm {
  /** As the extension names it in "Waiting for <label>’s rate limit". */
  label: string;
  context: BrowserContext;
  extensionId: string;
  /** Six undecided leads: one for the worker stop, three for the 429, two for offline. */
  leads: string[];
  /** The lead's page with its panel, once the CRM's API read of the lead is answered. */
  open(leadId: string): Promise<{ page: Page; panel: Locator }>;
  isNoteCreate(seen: Seen): boolean;
  isWrite(seen: Seen): boolean;
  /** The next write to the CRM is answered 429 with `Retry-After: 5`, applying nothing. */
  answer429Next(): void;
  /** Notes (tasks) in the CRM that carry this idempotency key. */
  itemsWithKey(key: string): number;
  /** Notes (tasks) in the CRM on this lead. */
  itemsOn(leadId: string): number;
  status(leadId: string): string | undefined;
  rejected: string;
  requests: Seen[];
  hook?: Hook;
  /** The CRM cannot be reached: its route fails every request as an offline network does. */
  offline?: boolean;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Routes `pattern` (a CRM API host) to `base`, recording every request and giving `crm.hook` first go. */
async function routeCrm(context: BrowserContext, pattern: string, base: string, crm: Pick<Crm, 'requests' | 'hook' | 'offline'>) {
  await context.route(pattern, async (route) => {
    const req = route.request();
    const seen: Seen = { at: Date.now(), method: req.method(), path: new URL(req.url()).pathname };
    crm.requests.push(seen);
    if (crm.offline) {
      seen.status = 0;
      return route.abort('internetdisconnected');
    }
    const forward = () => forwardRequest(route, base);
    const hook = crm.hook;
    if (hook && (await hook(route, seen, forward))) return;
    try {
      const answer = await forward();
      seen.status = answer.status;
      seen.answeredAt = Date.now();
      await route.fulfill(answer);
    } catch {
      // The stand-in dropped it, or the worker that asked is gone.
      seen.status ??= 0;
      await route.abort('connectionreset').catch(() => undefined);
    }
  });
}

/** The extension's outbox, read from its IndexedDB on an extension page that runs no app code. */
async function outboxOf(crm: Crm): Promise<OutboxRow[]> {
  const page = await crm.context.newPage();
  try {
    await page.goto(`chrome-extension://${crm.extensionId}/manifest.json`);
    return await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('lead-qualifier');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      try {
        return await new Promise<OutboxRow[]>((resolve, reject) => {
          const g = db.transaction('outbox').objectStore('outbox').getAll();
          g.onsuccess = () => resolve(g.result as OutboxRow[]);
          g.onerror = () => reject(g.error);
        });
      } finally {
        db.close();
      }
    });
  } finally {
    await page.close();
  }
}

/** Opens the reject form with a reason and a note, ready to save. */
async function prepareReject(panel: Locator, note: string) {
  await panel.getByRole('button', { name: 'Reject', exact: true }).click();
  await panel.getByRole('combobox', { name: 'Reason code' }).selectOption('bad_timing');
  await panel.getByRole('textbox', { name: 'Note' }).fill(note);
}
const save = (panel: Locator) => panel.getByRole('button', { name: 'Save disposition' }).click();

/** Waits until the CRM has the lead's read answered and nothing is in flight. */
async function readSettled(crm: Crm, leadId: string) {
  await expect.poll(() => crm.requests.some((r) => r.method === 'GET' && r.path.includes(leadId) && r.status !== undefined) && crm.requests.every((r) => r.status !== undefined)).toBe(true);
}

/** The last requests the CRM saw, for a failure message. */
const trail = (crm: Crm) =>
  crm.requests
    .slice(-16)
    .map((r) => `${r.method} ${r.path} → ${r.status ?? '…'}`)
    .join(', ');

/**
 * The decisions on `leadIds` are in the CRM exactly once each, with the status set, and the outbox holds
 * one delivered entry per lead: 0 lost, 0 duplicates.
 */
async function expectDeliveredOnce(crm: Crm, leadIds: string[]) {
  const entries = (await outboxOf(crm)).filter((e) => leadIds.includes(e.ref.recordId));
  expect(entries.map((e) => e.ref.recordId).sort()).toEqual([...leadIds].sort());
  for (const e of entries) {
    expect(e, `outbox entry of ${e.ref.recordId}`).toMatchObject({ state: 'done', unsure: false });
    expect(crm.itemsWithKey(e.key), `notes/tasks carrying ${e.key} (lead ${e.ref.recordId}); requests: ${trail(crm)}`).toBe(1);
    expect(crm.itemsOn(e.ref.recordId), `notes/tasks on lead ${e.ref.recordId}`).toBe(1);
    expect(crm.status(e.ref.recordId)).toBe(crm.rejected);
  }
}

/** The three fault scenarios against one CRM. `setup` starts the CRM and the browser. */
function faultScenarios(name: string, setup: () => Promise<{ crm: Crm; teardown: () => Promise<void> }>) {
  describe(`sync faults: ${name}`, () => {
    let crm: Crm;
    let teardown: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ crm, teardown } = await setup());
    });
    afterAll(async () => {
      await teardown?.();
    });

    it('the worker is stopped after the CRM applied the note/task create: the restarted worker finishes it, once', async () => {
      const leadId = crm.leads[0]!;
      const { page, panel } = await crm.open(leadId);
      await readSettled(crm, leadId);
      // A mark in this worker's memory: a restarted worker does not have it.
      const worker = crm.context.serviceWorkers()[0]!;
      await worker.evaluate(() => void ((globalThis as { lifetimeMark?: number }).lifetimeMark = 1));

      const applied = deferred<number>();
      crm.hook = async (route, seen, forward) => {
        if (!crm.isNoteCreate(seen)) return false;
        crm.hook = undefined;
        const answer = await forward(); // the CRM applies it…
        seen.status = 0; // …and the worker never hears back
        await stopServiceWorkers(crm.context, page);
        await route.abort('connectionreset').catch(() => undefined);
        applied.resolve(answer.status);
        return true;
      };
      await prepareReject(panel, 'Stopped mid-write; must arrive once.');
      await save(panel);
      expect(await applied.promise).toBeLessThan(300);
      expect(crm.itemsOn(leadId)).toBe(1);

      // The panel's port ends with the worker; its reconnect starts a new one, which resumes from the outbox.
      await panel.getByText('Synced to CRM').waitFor();
      await expect(worker.evaluate(() => (globalThis as { lifetimeMark?: number }).lifetimeMark)).resolves.toBeUndefined();
      await expectDeliveredOnce(crm, [leadId]);
      // The attempt the worker died in, and the restarted worker's, which checked the CRM first.
      expect((await outboxOf(crm)).find((o) => o.ref.recordId === leadId)?.attempts).toBeGreaterThanOrEqual(2);
      await page.close();
    });

    it('429 with Retry-After while the rep keeps deciding: nothing is sent inside the wait, then each decision once', async () => {
      const [a, b, c] = crm.leads.slice(1, 4) as [string, string, string];
      const opened = [];
      for (const id of [a, b, c]) {
        opened.push(await crm.open(id));
        await readSettled(crm, id);
      }
      const [pa, pb, pc] = opened as [(typeof opened)[0], (typeof opened)[0], (typeof opened)[0]];
      await prepareReject(pb.panel, 'Saved during the rate-limit wait (1).');
      await prepareReject(pc.panel, 'Saved during the rate-limit wait (2).');

      crm.answer429Next();
      const from = crm.requests.length;
      await prepareReject(pa.panel, 'The first write is answered 429.');
      await save(pa.panel);
      await expect.poll(() => crm.requests.slice(from).find((r) => r.status === 429)?.answeredAt).toBeDefined();
      const limited = crm.requests.slice(from).find((r) => r.status === 429)!;
      expect(crm.isWrite(limited)).toBe(true);
      // The rep saves two more decisions while the CRM's wait runs.
      await save(pb.panel);
      await save(pc.panel);
      // Each panel says why it waits: "Waiting for HubSpot’s rate limit (5 s…" (then the CRM's own words).
      const waiting = new RegExp(`Waiting for ${crm.label}’s rate limit \\(\\d+ s\\b`);
      const told = [pa, pb, pc].map((p) => p.panel.getByText(waiting).waitFor().then(() => true, () => false));

      for (const p of [pa, pb, pc]) await p.panel.getByText('Synced to CRM').waitFor();
      const after = crm.requests.slice(crm.requests.indexOf(limited) + 1);
      const inside = after.filter((r) => r.at < limited.answeredAt! + RETRY_AFTER_S * 1000);
      expect(inside.map((r) => `${r.method} ${r.path} +${r.at - limited.answeredAt!} ms`), 'requests inside the Retry-After wait').toEqual([]);
      expect(after.length).toBeGreaterThan(0);
      expect(await Promise.all(told), 'panels showing the rate-limit wait (first decision, then the two saved during it)').toEqual([true, true, true]);
      await expectDeliveredOnce(crm, [a, b, c]);
      for (const p of opened) await p.page.close();
    });

    it('decisions saved offline wait on the device and arrive once after coming back online', async () => {
      const [d, e] = crm.leads.slice(4, 6) as [string, string];
      const pd = await crm.open(d);
      await readSettled(crm, d);
      const pe = await crm.open(e);
      await readSettled(crm, e);
      await prepareReject(pd.panel, 'Saved offline (1).');
      await prepareReject(pe.panel, 'Saved offline (2).');

      const from = crm.requests.length;
      // The browser goes offline: the worker's navigator.onLine turns false. Playwright still hands a
      // routed request to its route (and fulfils it from Node), so the CRM's route fails them as the
      // network would.
      await crm.context.setOffline(true);
      crm.offline = true;
      try {
        await save(pd.panel);
        await save(pe.panel);
        for (const p of [pd, pe]) await p.panel.getByText(/^Saved on this device/).waitFor();
        // The worker tried each, could not reach the CRM, and keeps them for a retry.
        await expect
          .poll(async () => (await outboxOf(crm)).filter((o) => [d, e].includes(o.ref.recordId)).map((o) => ({ state: o.state, tried: o.attempts > 0, why: o.lastError })), { interval: 250 })
          .toEqual([d, e].map(() => ({ state: 'pending', tried: true, why: expect.stringMatching(/^Will retry: .*could not be reached/) })));
        expect(crm.requests.length).toBeGreaterThan(from);
        expect(crm.requests.slice(from).filter((r) => r.status !== 0)).toEqual([]);
        expect(crm.itemsOn(d) + crm.itemsOn(e)).toBe(0);
      } finally {
        crm.offline = false;
        await crm.context.setOffline(false);
      }
      for (const p of [pd, pe]) await p.panel.getByText('Synced to CRM').waitFor();
      await expectDeliveredOnce(crm, [d, e]);
      await pd.page.close();
      await pe.page.close();
    });
  });
}

const asExtensionPage = sendAsExtensionPage;

const panelOf = (page: Page): FrameLocator => panelFrame(page);

faultScenarios('HubSpot (stand-in at api.hubapi.com, search lagging 3 s)', async () => {
  const hs: HubSpotStandIn = await startHubSpotStandIn({ searchLagMs: 3_000 });
  const h = await launchExtension();
  const requests: Seen[] = [];
  const leads = Array.from({ length: 6 }, (_, i) =>
    hs.addContact({ firstname: 'Maria', lastname: 'Garcia', email: `maria.${i}@umbrella.example`, company: 'Umbrella Analytics', numemployees: '100-500', industry: 'COMPUTER_SOFTWARE', hs_lead_status: 'NEW' }),
  );
  const notesWith = (pred: (n: HubSpotStandIn['notes'][number]) => boolean) => hs.notes.filter((n) => !n.archived && pred(n)).length;
  const crm: Crm = {
    label: 'HubSpot',
    context: h.context,
    extensionId: h.extensionId,
    leads,
    requests,
    async open(id) {
      const page = await h.open(`${CRM_HOSTS.hubspot.origin}/contacts/${hs.portalId}/record/0-1/${id}`);
      const panel = panelOf(page).getByRole('complementary', { name: 'Lead qualification' });
      await panel.getByRole('heading', { level: 2, name: 'Maria Garcia' }).waitFor();
      return { page, panel };
    },
    isNoteCreate: (s) => s.method === 'POST' && /\/crm\/v3\/objects\/(notes|0-46)\/batch\/create$/.test(s.path),
    isWrite: (s) => s.method === 'POST' && /\/batch\/(create|update)$/.test(s.path),
    answer429Next: () => hs.inject({ match: { method: 'POST', path: /\/batch\/(create|update)$/ }, fault: { kind: 'status', status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) } } }),
    itemsWithKey: (key) => notesWith((n) => n.body.includes(key)),
    itemsOn: (id) => notesWith((n) => n.associations.some((a) => a.objectType === 'contacts' && a.id === id)),
    status: (id) => hs.contacts.get(id)?.hs_lead_status ?? undefined,
    rejected: 'UNQUALIFIED',
  };
  await routeCrm(h.context, 'https://api.hubapi.com/**', hs.url, crm);

  // Connect as the rep does on the options page: the API host is granted (no prompt: see grantHostAccess),
  // then Connect asks for it within the click and sends the token.
  await grantHostAccess(h.context, h.extensionId, ['https://api.hubapi.com/*']);
  const options = await h.context.newPage();
  await options.goto(`chrome-extension://${h.extensionId}/options.html`);
  await options.getByRole('radio', { name: 'HubSpot' }).check();
  await options.getByLabel('Private-app access token').fill(hs.token);
  await options.getByRole('button', { name: 'Connect to HubSpot' }).click();
  await options.getByText(`Connected to HubSpot portal ${hs.portalId}.`).waitFor();
  // A private-app token has no user behind it: the page says so, and the rep gives a name once.
  await options.getByText(`HubSpot portal ${hs.portalId} does not say which user this connection belongs to (a private-app token has no user behind it).`).waitFor();
  await options.close();
  await giveRepName(h);
  await expect(h.serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { permissions: { contains(p: object): Promise<boolean> } } }).chrome.permissions.contains({ origins: ['https://api.hubapi.com/*'] }))).resolves.toBe(true);
  return {
    crm,
    teardown: async () => {
      await h.close();
      await hs.close();
    },
  };
});

faultScenarios('Salesforce (stand-in at acme.my.salesforce.com and login.salesforce.com)', async () => {
  const ORG = 'https://acme.my.salesforce.com';
  const sf: SalesforceStandIn = await startSalesforceStandIn();
  const h = await launchExtension();
  const requests: Seen[] = [];
  const leads = Array.from({ length: 6 }, (_, i) =>
    sf.addLead({ FirstName: 'Jane', LastName: 'Doe', Salutation: 'Ms.', Company: 'Initech', Title: 'VP Operations', Email: `jane.${i}@initech.example`, NumberOfEmployees: 800, Industry: 'Technology', Status: 'Open - Not Contacted' }),
  );
  const tasksWith = (pred: (t: SalesforceStandIn['tasks'][number]) => boolean) => sf.tasks.filter((t) => t.IsDeleted !== true && pred(t)).length;
  const crm: Crm = {
    label: 'Salesforce',
    context: h.context,
    extensionId: h.extensionId,
    leads,
    requests,
    async open(id) {
      const page = await h.open(`${CRM_HOSTS.salesforce.origin}/lightning/r/Lead/${id}/view`);
      const panel = panelOf(page).getByRole('complementary', { name: 'Lead qualification' });
      await panel.getByRole('heading', { level: 2, name: 'Ms. Jane Doe' }).waitFor();
      return { page, panel };
    },
    isNoteCreate: (s) => s.method === 'POST' && s.path.endsWith('/composite/sobjects'),
    isWrite: (s) => (s.method === 'POST' || s.method === 'PATCH') && s.path.endsWith('/composite/sobjects'),
    answer429Next: () => sf.inject({ match: { path: /\/composite\/sobjects$/ }, fault: { kind: 'status', status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) } } }),
    itemsWithKey: (key) => tasksWith((t) => String(t.Subject).includes(key)),
    itemsOn: (id) => tasksWith((t) => t.WhoId === id),
    status: (id) => (sf.leads.get(id)?.Status as string | undefined) ?? undefined,
    rejected: 'Closed - Not Converted',
  };
  await routeCrm(h.context, `${ORG}/**`, sf.url, crm);
  await routeCrm(h.context, 'https://login.salesforce.com/**', sf.url, crm);

  // Sign-in runs in launchWebAuthFlow's window, which automation cannot reach (ADR 11): the hosts are
  // granted and requested as the options page's Sign in does, and the connection a sign-in makes is stored.
  await grantHostAccess(h.context, h.extensionId, [`${ORG}/*`, 'https://login.salesforce.com/*', 'https://test.salesforce.com/*'], { request: true });
  const connection = salesforceSignIn(ORG, sf.credentials());
  await storeConnection(h, 'salesforce', connection);
  expect((await asExtensionPage(h, 'options.getOverview', {})).ok).toBe(true);
  return {
    crm,
    teardown: async () => {
      await h.close();
      await sf.close();
    },
  };
});

faultScenarios('demo CRM (demo build, scripts/demo-crm/server.ts)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lead-qualifier-faults-e2e-'));
  let demo: RunningDemo | undefined;
  try {
    demo = await runDemo({ headless: true, reset: true, port: 0, skipBuild: true, dataDir, root: ROOT, log: () => undefined });
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const d = demo;
  d.context.setDefaultTimeout(E2E_WAIT_TIMEOUT_MS);
  const requests: Seen[] = [];
  const notesWith = (pred: (n: RunningDemo['crm']['db']['notes'][number]) => boolean) => d.crm.db.notes.filter(pred).length;
  const crm: Crm = {
    label: 'Demo CRM',
    context: d.context,
    extensionId: await extensionIdOf(d.context),
    // Undecided seed leads without notes (not L-1001: runDemo showed it before these routes existed).
    leads: ['L-1002', 'L-1003', 'L-1004', 'L-1005', 'L-1006', 'L-1009'],
    requests,
    async open(id) {
      const page = await d.context.newPage();
      await page.goto(`${d.crmUrl}/leads/${id}`);
      const panel = panelOf(page).getByRole('complementary', { name: 'Lead qualification' });
      await panel.getByRole('meter', { name: 'Lead score' }).waitFor();
      return { page, panel };
    },
    isNoteCreate: (s) => s.method === 'POST' && /^\/api\/v1\/leads\/[\w-]+\/notes$/.test(s.path),
    isWrite: (s) => s.method === 'PATCH' || s.method === 'POST',
    answer429Next() {
      const previous = crm.hook;
      crm.hook = async (route, seen, forward) => {
        if (!crm.isWrite(seen)) return previous ? previous(route, seen, forward) : false;
        crm.hook = previous;
        seen.status = 429;
        seen.answeredAt = Date.now();
        await route.fulfill({ status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) }, contentType: 'application/json', body: JSON.stringify({ status: 'error', category: 'RATE_LIMIT', message: 'Too many requests.' }) });
        return true;
      };
    },
    itemsWithKey: (key) => notesWith((n) => n.idempotencyKey === key || n.body.includes(key)),
    itemsOn: (id) => notesWith((n) => n.leadId === id),
    status: (id) => d.crm.db.leads.find((l) => l.id === id)?.status,
    rejected: 'Unqualified',
  };
  await routeCrm(d.context, `${d.crmUrl}/api/**`, d.crmUrl, crm);
  return {
    crm,
    teardown: async () => {
      await d.shutdown();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
