import type { LeadDomData } from '../crm/types';
import type { LeadRef } from '../domain/lead-ref';
import { crmPages, leadKey } from '../crm';
import type { QualificationConfig } from '../domain/config';
import { createRevision, snapshotLead, validateDecision, type Author, type Revision } from '../domain/dispositions';
import { emptyChecklist, setAnswer, type Checklist } from '../domain/frameworks';
import { leadProfileSchema, type LeadProfile } from '../domain/lead';
import { crmIdentity, disagreements, pageIdentity } from '../domain/lead-identity';
import { qualify } from '../domain/qualify';
import { ProtocolError } from '../messaging/envelope';
import type { PanelState } from '../messaging/panel-protocol';
import type { Handlers } from '../messaging/router';
import { type Store, storageErrorMessage } from '../store/store';
import { latestDispositionOf, revisionOf, revisionsOf, saveRevision, StaleRevisionError } from '../store/dispositions';
import { cachedLead, changeDraft, draftOf as storedDraft, recordLeadShown } from '../store/leads';
import type { DraftRecord, LeadRecord } from '../store/records';
import type { pageProtocol } from '../messaging/page-protocol';
import type { panelProtocol } from '../messaging/panel-protocol';
import { backgroundStrings as t } from '../i18n/background';
import { teamIsAhead, teamTip, teamViewOf } from './team-view';
import { UNIDENTIFIED_REP } from '../domain/identity';
import { earliestContact } from '../domain/calls';
import { callViewOf, createCallHandlers, noCalls } from './calls';

/**
 * What the background does for the panel and the content script: every lead's profile, the rep's work in
 * progress and the saved decisions live in the local store, so a killed service worker, a reload or a
 * closed tab loses nothing. Which lead each tab shows is kept in session storage (see `TabStore`).
 */

/** Which lead each CRM tab shows; must survive the service worker being stopped (storage.session). */
export interface TabStore {
  get(tabId: number): Promise<LeadRef | undefined>;
  set(tabId: number, ref: LeadRef): Promise<void>;
  delete(tabId: number): Promise<void>;
}

export function memoryTabStore(): TabStore {
  const tabs = new Map<number, LeadRef>();
  return {
    get: async (id) => tabs.get(id),
    set: async (id, ref) => void tabs.set(id, ref),
    delete: async (id) => void tabs.delete(id),
  };
}

export interface BackgroundDeps {
  db: Store;
  tabs: TabStore;
  now: () => number;
  config: () => Promise<QualificationConfig>;
  /** Who signs a decision on this CRM's records (`src/sync/identity.ts`); undefined = nobody known yet. */
  author: (crm: string) => Promise<Author | undefined>;
  /** Asks the CRM who the connection belongs to, if not asked yet (a save waits for it before giving up). */
  identify?: (crm: string) => Promise<void>;
  newId: () => string;
  /** Requeued entries are due now: wake the sync loop. */
  wakeSync?: () => void;
  /** Puts a disposition's failed or waiting CRM updates back in line. */
  retrySync?: (dispositionId: string) => Promise<unknown>;
  /** The lead a tab shows changed: tell that tab's panel (push). */
  onTabChanged?: (tabId: number) => void;
  /** A lead page was shown: refresh its profile from the CRM's API if connected (not awaited). */
  onLeadShown?: (ref: LeadRef) => void;
}

/**
 * A lead profile from what the page shows, over what was known (API reads add fields and activities).
 * `crmAnswered`: the CRM's API has answered for this lead (`fetchedAt`), so `previous` holds its word on who
 * the lead is, which the page cannot change (ADR 15): the page's reading is only compared with it.
 */
export function profileFrom(ref: LeadRef, dom: LeadDomData, previous?: LeadProfile, options: { crmAnswered?: boolean } = {}): LeadProfile {
  return leadProfileSchema.parse({
    ...previous,
    crm: ref.crm,
    recordId: ref.recordId,
    ...(options.crmAnswered && previous ? crmIdentity(previous, dom) : pageIdentity(dom, previous)),
    activities: previous?.activities ?? [],
  });
}

/** The CRM's name for people ("HubSpot"), for "from HubSpot" and the disagreement flags. */
const crmLabelOf = (crm: string) => crmPages.find((p) => p.id === crm)?.label ?? crm;

/** Where the panel's profile came from, and where the page disagrees with the CRM's API (once it answered). */
export function sourceOf(row: LeadRecord): NonNullable<PanelState['source']> {
  const flags = row.fetchedAt ? disagreements(row.profile, row.pageSaid) : [];
  return { fetchedAt: row.fetchedAt, problem: row.fetchError, crmLabel: crmLabelOf(row.ref.crm), ...(flags.length ? { disagreements: flags } : {}) };
}


function signAnswers(checklist: Checklist, name: string): Checklist {
  const answers = Object.fromEntries(Object.entries(checklist.answers).map(([id, a]) => [id, a.by === UNIDENTIFIED_REP ? { ...a, by: name } : a]));
  return { ...checklist, answers };
}

/** Which note each revision of the chain came from, and how far it is trusted. */
function teamChainTrust(team: NonNullable<LeadRecord['team']>, revisions: readonly Revision[]) {
  return revisions.map((r) => {
    const d = team.decisions.find((x) => x.dispositionId === r.dispositionId && x.rev === r.rev && x.hash === r.hash)!;
    return [r.rev, { noteId: d.noteId, trust: d.trust }] as const;
  });
}

/**
 * Leads never seen on this device that one tab may report in a minute (ADR 0015, finding 9): each makes a
 * lead row and a read from the CRM's API. A rep clicking through records stays far below it (the bench's 50
 * client-side navigations too); a page script stepping through record ids is held to it.
 */
export const NEW_LEADS_PER_TAB_PER_MINUTE = 100;

/** The request named another lead than the tab shows now: nothing was done (the issue names `leadKey`). */
export const leadSwitched = () => new ProtocolError('failed', t.panel.leadSwitched, [{ path: 'leadKey', message: t.panel.leadSwitchedField }]);

/** Store failures reach the panel as a clear message, never as a lost decision. */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    if (e instanceof StaleRevisionError) throw new ProtocolError('failed', e.message);
    throw new ProtocolError('failed', storageErrorMessage(e));
  }
}

export function createLeadSessions(deps: BackgroundDeps) {
  const { db } = deps;
  const iso = () => new Date(deps.now()).toISOString();

  async function leadOfTab(tabId: number | undefined): Promise<{ ref: LeadRef; key: string } | undefined> {
    const ref = tabId === undefined ? undefined : await deps.tabs.get(tabId);
    return ref && { ref, key: leadKey(ref) };
  }

  /**
   * The tab's lead, which must be the one the panel named (`named`: the lead it showed when the rep acted).
   * The page decides what the tab shows (pushState), so a request that reaches us after it moved on is
   * refused, never applied to the lead shown now (ADR 0015).
   */
  async function requireLead(tabId: number | undefined, named: string) {
    const lead = await leadOfTab(tabId);
    const row = lead && (await cachedLead(db, lead.key));
    if (!lead || !row) throw new ProtocolError('failed', t.panel.noLead);
    if (named !== lead.key) throw leadSwitched();
    return { ...lead, row };
  }

  /** When each tab last reported a lead this device had not seen, within the last minute (worker memory). */
  const newLeads = new Map<number, number[]>();
  function newLeadAllowed(tabId: number): boolean {
    const now = deps.now();
    const recent = (newLeads.get(tabId) ?? []).filter((at) => now - at < 60_000);
    const allowed = recent.length < NEW_LEADS_PER_TAB_PER_MINUTE;
    if (allowed) recent.push(now);
    newLeads.set(tabId, recent);
    return allowed;
  }

  const freshDraft = (key: string, config: QualificationConfig): DraftRecord => ({ key, checklist: emptyChecklist(config.defaultFrameworkId), askedQuestions: [], form: null, updatedAt: iso() });
  async function draftOf(key: string, config: QualificationConfig): Promise<DraftRecord> {
    return (await storedDraft(db, key)) ?? freshDraft(key, config);
  }

  /** `loaded`: the config this request already read (each `deps.config()` parses it), so it is read once. */
  async function updateDraft(tabId: number | undefined, named: string, change: (d: DraftRecord, config: QualificationConfig) => void, loaded?: QualificationConfig) {
    const { key } = await requireLead(tabId, named);
    const config = loaded ?? (await deps.config());
    await changeDraft(db, key, () => freshDraft(key, config), (draft) => change(draft, config), iso());
  }

  async function stateOf(tabId: number | undefined, loaded?: QualificationConfig): Promise<PanelState> {
    const config = loaded ?? (await deps.config());
    const lead = await leadOfTab(tabId);
    const row: LeadRecord | undefined = lead && (await cachedLead(db, lead.key));
    const author = lead ? await deps.author(lead.ref.crm) : undefined;
    const draft = lead && row ? await draftOf(lead.key, config) : undefined;
    const disposition = lead && row ? await latestDispositionOf(db, lead.key) : undefined;
    const last = disposition && (await revisionOf(db, disposition.id, disposition.rev));
    // Someone else's newer decision (from the CRM) is the lead's current one until this rep changes it.
    const team = teamTip(row?.team);
    const saved: PanelState['saved'] =
      team && teamIsAhead(team.tip, last)
        ? { dispositionId: team.tip.dispositionId, rev: team.tip.rev, decision: team.tip.revision!.decision, at: team.tip.summary.at, by: team.tip.summary.author.name, syncState: 'synced', source: 'team' }
        : disposition && last
          ? { dispositionId: last.dispositionId, rev: last.rev, decision: last.decision, at: last.at, by: last.author.name, syncState: disposition.sync === 'imported' ? 'synced' : disposition.sync, syncMessage: disposition.syncMessage, source: 'mine' }
          : null;
    return {
      tabId: tabId ?? null,
      ref: row ? row.ref : null,
      lead: row?.profile ?? null,
      source: row ? sourceOf(row) : null,
      checklist: draft?.checklist ?? emptyChecklist(config.defaultFrameworkId),
      askedQuestions: draft?.askedQuestions ?? [],
      draft: draft?.form ?? null,
      saved,
      config,
      author: author ? { name: author.name, source: author.crm ? 'crm' : 'typed' } : null,
      team: teamViewOf(row?.team),
      call: lead && row ? await callViewOf(db, lead.key, config) : noCalls(),
    };
  }

  // The panel frame's token and claim are the frame binding's (src/background/frame-binding.ts).
  const handlers: Handlers<Omit<typeof pageProtocol & typeof panelProtocol, 'page.panelFrame' | 'panel.claim'>> = {
    'page.leadShown': ({ ref, dom }, caller) =>
      guarded(async () => {
        const key = leadKey(ref);
        if (!(await cachedLead(db, key)) && !newLeadAllowed(caller.tabId!)) {
          // A page stepping through record ids (pushState) makes no more rows or API reads than the cap allows.
          await deps.tabs.delete(caller.tabId!);
          deps.onTabChanged?.(caller.tabId!);
          throw new ProtocolError('failed', t.panel.tooManyNewLeads);
        }
        // The page's reading is kept as it came (`pageSaid`); once the CRM's API has answered it no longer changes who the lead is.
        await recordLeadShown(db, key, ref, (previous, row) => profileFrom(ref, dom, previous, { crmAnswered: row?.fetchedAt !== undefined }), iso(), dom);
        await deps.tabs.set(caller.tabId!, ref);
        deps.onTabChanged?.(caller.tabId!);
        deps.onLeadShown?.(ref);
        return null;
      }),
    'page.leadLeft': async (_p, caller) => {
      await deps.tabs.delete(caller.tabId!);
      deps.onTabChanged?.(caller.tabId!);
      return null;
    },
    'panel.getState': (_p, caller) => guarded(() => stateOf(caller.tabId)),
    'panel.setFramework': ({ leadKey: named, frameworkId }, caller) =>
      guarded(async () => {
        const config = await deps.config();
        if (!config.frameworks.some((f) => f.id === frameworkId)) {
          throw new ProtocolError('invalid', t.panel.unknownFramework(frameworkId), [{ path: 'frameworkId', message: t.panel.unknownFrameworkField }]);
        }
        await updateDraft(caller.tabId, named, (d) => void (d.checklist = { ...d.checklist, frameworkId }), config);
        return stateOf(caller.tabId, config);
      }),
    'panel.setAnswer': ({ leadKey: named, criterionId, state, evidence }, caller) =>
      guarded(async () => {
        const config = await deps.config();
        const limit = config.limits.evidenceMaxChars;
        if (evidence.length > limit) {
          throw new ProtocolError('invalid', t.panel.evidenceTooLong(limit), [{ path: 'evidence', message: t.panel.evidenceTooLongField(limit, evidence.length) }]);
        }
        const { ref } = await requireLead(caller.tabId, named);
        // Who gave the answer; until the rep is known, a marker that the save replaces with their name.
        const by = (await deps.author(ref.crm))?.name ?? UNIDENTIFIED_REP;
        await updateDraft(caller.tabId, named, (d) => void (d.checklist = setAnswer(d.checklist, criterionId, { state, evidence, by, at: iso() })), config);
        return stateOf(caller.tabId, config);
      }),
    'panel.markAsked': ({ leadKey: named, questionId }, caller) =>
      guarded(async () => {
        const config = await deps.config();
        await updateDraft(caller.tabId, named, (d) => {
          if (!d.askedQuestions.includes(questionId)) d.askedQuestions = [...d.askedQuestions, questionId];
        }, config);
        return stateOf(caller.tabId, config);
      }),
    'panel.saveDraft': ({ leadKey: named, draft }, caller) =>
      guarded(async () => {
        // What the rep typed goes to the lead they typed it on, also when the tab has moved on since (the
        // panel flushes a pending draft when its lead changes): a draft is never sent anywhere, and a lead's
        // own draft is the one place its form belongs (ADR 0015). A lead this device never saw is refused.
        if ((await leadOfTab(caller.tabId))?.key === named) {
          await updateDraft(caller.tabId, named, (d) => void (d.form = draft));
          return null;
        }
        if (!(await cachedLead(db, named))) throw new ProtocolError('failed', t.panel.unknownLead);
        const config = await deps.config();
        await changeDraft(db, named, () => freshDraft(named, config), (d) => void (d.form = draft), iso());
        return null;
      }),
    'panel.saveDisposition': ({ leadKey: named, decision, today }, caller) =>
      guarded(async () => {
        const { ref, key, row } = await requireLead(caller.tabId, named);
        const config = await deps.config();
        const checked = validateDecision(decision, config, today);
        if (!checked.ok) throw new ProtocolError('invalid', t.panel.fieldsNeedAttention, checked.errors);
        const now = deps.now();
        const at = new Date(now).toISOString();
        const draft = await draftOf(key, config);
        // First contact is the earlier of the CRM's and this lead's first logged call (ADR 19).
        const loggedFirstContactAt = (await callViewOf(db, key, config)).firstContactAt;
        const profile = { ...row.profile, firstContactAt: earliestContact(row.profile.firstContactAt, loggedFirstContactAt) };
        // The snapshot is computed here, from the background's own state: the panel cannot dictate it.
        const q = qualify(row.profile, draft.checklist, config, now, { askedQuestions: draft.askedQuestions, decidedAt: at, loggedFirstContactAt });
        // The CRM may not have been asked yet who this browser is (a lead opened a moment ago): ask first.
        const author = (await deps.author(ref.crm)) ?? (await deps.identify?.(ref.crm).then(() => deps.author(ref.crm)));
        if (!author) throw new ProtocolError('failed', t.panel.whoAreYou);
        const existing = await latestDispositionOf(db, key);
        const local = existing ? (await revisionsOf(db, existing.id)).at(-1) : undefined;
        // Changing someone else's decision continues their chain: their revisions (from the CRM) come first.
        const team = teamTip(row.team);
        const base: Revision[] = team && teamIsAhead(team.tip, local) ? team.revisions : [];
        const previous = base.at(-1) ?? local;
        const checklist = signAnswers(draft.checklist, author.name);
        const revision = createRevision(previous, {
          dispositionId: previous?.dispositionId ?? deps.newId(),
          decision: checked.value,
          snapshot: {
            lead: snapshotLead(profile),
            score: q.score,
            checklist,
            recommendation: q.recommendation,
            framework: { id: q.framework.id, version: q.framework.version, label: q.framework.label },
            configVersion: config.version,
          },
          author,
          at,
        });
        const teamBase = base.length && team ? { revisions: base, team: { crm: ref.crm, revs: Object.fromEntries(teamChainTrust(row.team!, base)) } } : undefined;
        // Queued in the same transaction; the outbox wakes the sync loop when it commits.
        await saveRevision(db, { revision, leadKey: key, ref, config, now: at, teamBase });
        return stateOf(caller.tabId, config);
      }),
    // Call mode (src/background/calls.ts): the same lead pairing and draft rules as the handlers above.
    ...createCallHandlers(deps, { requireLead, freshDraft }),
    'panel.retrySync': ({ leadKey: named }, caller) =>
      guarded(async () => {
        const { key } = await requireLead(caller.tabId, named);
        const disposition = await latestDispositionOf(db, key);
        if (disposition) await deps.retrySync?.(disposition.id);
        deps.wakeSync?.();
        return stateOf(caller.tabId);
      }),
  };

  return { handlers, stateOf };
}
