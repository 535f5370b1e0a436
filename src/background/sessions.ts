import type { LeadRef, LeadDomData } from '../crm/types';
import { leadKey } from '../crm';
import type { QualificationConfig } from '../domain/config';
import { createRevision, snapshotLead, validateDecision, type Revision } from '../domain/dispositions';
import { emptyChecklist, setAnswer, type Checklist } from '../domain/frameworks';
import { leadProfileSchema, type LeadProfile } from '../domain/lead';
import { qualify } from '../domain/qualify';
import { ProtocolError } from '../messaging/envelope';
import type { PanelState, SavedDecision } from '../messaging/panel-protocol';
import type { Handlers } from '../messaging/router';
import type { BackgroundProtocol } from './protocol';

/**
 * What the background keeps per lead while a rep works it: the profile as last read, the checklist,
 * questions asked, the unsaved form, and the saved revisions. In memory for now; the store issue puts the
 * same shape in Dexie, so handlers do not change.
 */
export interface LeadSession {
  ref: LeadRef;
  lead: LeadProfile;
  checklist: Checklist;
  askedQuestions: string[];
  draft: Record<string, unknown> | null;
  revisions: Revision[];
  syncState: SavedDecision['syncState'];
  syncMessage?: string;
}

export interface BackgroundDeps {
  now: () => number;
  config: () => QualificationConfig;
  rep: () => { id: string; name: string };
  newId: () => string;
}

/** A lead profile from what the page shows; API reads (store/sync issue) add fields and activities. */
function profileFrom(ref: LeadRef, dom: LeadDomData, previous?: LeadProfile): LeadProfile {
  return leadProfileSchema.parse({
    ...previous,
    crm: ref.crm,
    recordId: ref.recordId,
    name: dom.name ?? previous?.name,
    company: dom.company ?? previous?.company,
    title: dom.title ?? previous?.title,
    email: dom.email ?? previous?.email,
    crmStatus: dom.status ?? previous?.crmStatus,
    activities: previous?.activities ?? [],
  });
}

export function createLeadSessions(deps: BackgroundDeps) {
  /** The lead each CRM tab shows, set by that tab's content script. */
  const tabs = new Map<number, LeadRef>();
  const sessions = new Map<string, LeadSession>();

  const sessionOfTab = (tabId: number | undefined): LeadSession | undefined => {
    const ref = tabId === undefined ? undefined : tabs.get(tabId);
    return ref && sessions.get(leadKey(ref));
  };
  const requireSession = (tabId: number | undefined): LeadSession => {
    const s = sessionOfTab(tabId);
    if (!s) throw new ProtocolError('failed', 'This tab does not show a lead any more. Reload the page.');
    return s;
  };

  function stateOf(tabId: number | undefined): PanelState {
    const config = deps.config();
    const s = sessionOfTab(tabId);
    const last = s?.revisions.at(-1);
    return {
      ref: s?.ref ?? null,
      lead: s?.lead ?? null,
      checklist: s?.checklist ?? emptyChecklist(config.defaultFrameworkId),
      askedQuestions: s?.askedQuestions ?? [],
      draft: s?.draft ?? null,
      saved: last
        ? { dispositionId: last.dispositionId, rev: last.rev, decision: last.decision, at: last.at, by: last.author.name, syncState: s!.syncState, syncMessage: s!.syncMessage }
        : null,
      config,
      rep: deps.rep(),
    };
  }

  const handlers: Handlers<BackgroundProtocol> = {
    'page.leadShown': ({ ref, dom }, caller) => {
      const key = leadKey(ref);
      const existing = sessions.get(key);
      sessions.set(
        key,
        existing
          ? { ...existing, ref, lead: profileFrom(ref, dom, existing.lead) }
          : { ref, lead: profileFrom(ref, dom), checklist: emptyChecklist(deps.config().defaultFrameworkId), askedQuestions: [], draft: null, revisions: [], syncState: 'saved_locally' },
      );
      tabs.set(caller.tabId!, ref);
      return null;
    },
    'page.leadLeft': (_p, caller) => {
      tabs.delete(caller.tabId!);
      return null;
    },
    'panel.getState': (_p, caller) => stateOf(caller.tabId),
    'panel.setFramework': ({ frameworkId }, caller) => {
      const s = requireSession(caller.tabId);
      if (!deps.config().frameworks.some((f) => f.id === frameworkId)) {
        throw new ProtocolError('invalid', `“${frameworkId}” is not a framework of this team.`, [{ path: 'frameworkId', message: 'Unknown framework' }]);
      }
      s.checklist = { ...s.checklist, frameworkId };
      return stateOf(caller.tabId);
    },
    'panel.setAnswer': ({ criterionId, state, evidence }, caller) => {
      const s = requireSession(caller.tabId);
      const limit = deps.config().limits.evidenceMaxChars;
      if (evidence.length > limit) {
        throw new ProtocolError('invalid', `Evidence is limited to ${limit} characters.`, [{ path: 'evidence', message: `At most ${limit} characters (now ${evidence.length}).` }]);
      }
      s.checklist = setAnswer(s.checklist, criterionId, { state, evidence, by: deps.rep().name, at: new Date(deps.now()).toISOString() });
      return stateOf(caller.tabId);
    },
    'panel.markAsked': ({ questionId }, caller) => {
      const s = requireSession(caller.tabId);
      if (!s.askedQuestions.includes(questionId)) s.askedQuestions = [...s.askedQuestions, questionId];
      return stateOf(caller.tabId);
    },
    'panel.saveDraft': ({ draft }, caller) => {
      requireSession(caller.tabId).draft = draft;
      return null;
    },
    'panel.saveDisposition': ({ decision, today }, caller) => {
      const s = requireSession(caller.tabId);
      const config = deps.config();
      const checked = validateDecision(decision, config, today);
      if (!checked.ok) throw new ProtocolError('invalid', 'Some fields need attention.', checked.errors);
      const now = deps.now();
      const at = new Date(now).toISOString();
      // The snapshot is computed here, from the background's own state: the panel cannot dictate it.
      const q = qualify(s.lead, s.checklist, config, now, { askedQuestions: s.askedQuestions, decidedAt: at });
      const previous = s.revisions.at(-1);
      const author = deps.rep();
      s.revisions.push(
        createRevision(previous, {
          dispositionId: previous?.dispositionId ?? deps.newId(),
          decision: checked.value,
          snapshot: {
            lead: snapshotLead(s.lead),
            score: q.score,
            checklist: s.checklist,
            recommendation: q.recommendation,
            framework: { id: q.framework.id, version: q.framework.version, label: q.framework.label },
          },
          author,
          at,
        }),
      );
      s.draft = null;
      s.syncState = 'saved_locally';
      s.syncMessage = undefined;
      return stateOf(caller.tabId);
    },
  };

  return { handlers, sessions, tabs, stateOf };
}
