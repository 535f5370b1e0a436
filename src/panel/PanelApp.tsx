import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DecisionInput } from '../domain/dispositions';
import { setAnswer } from '../domain/frameworks';
import { qualify } from '../domain/qualify';
import type { createClient } from '../messaging/client';
import { ProtocolError } from '../messaging/envelope';
import type { PanelState, panelProtocol } from '../messaging/panel-protocol';
import { Panel, type CallActions } from '../ui/panel';
import { strings as t } from '../ui/panel/strings';
import { UNIDENTIFIED_REP } from '../domain/identity';
import { concerns, leadKeyOf, pushLog, type OnPanelPush, type PushLog } from './pushes';
import type { WorkerLink } from './worker-link';

/** Sends panel messages to the background (validated both ways). */
export type PanelSend = ReturnType<typeof createClient<typeof panelProtocol>>;

const STATE_KEY = ['panel-state'] as const;
const CLAIM_KEY = ['panel-claim'] as const;
const DRAFT_DEBOUNCE_MS = 400;
/** Claims tried again after one that got no answer, and the wait before the first of them (doubled after). */
const CLAIM_RETRIES = 2;
const CLAIM_RETRY_MS = 300;
/** No answer (or a failure on the way), as opposed to the background's refusal of the request. */
const transient = (e: unknown) => !(e instanceof ProtocolError) || e.code === 'failed';
/** Reads of the state in a row when pushes keep saying the one just read is out of date. */
const MAX_READS = 3;

/** The rep's calendar day in their own time zone, `YYYY-MM-DD`. */
export function localDay(now: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).format(now);
}

function Shell({ title, children, busy }: { title: string; children?: React.ReactNode; busy?: boolean }) {
  return (
    <aside aria-label={t.panelLabel} aria-busy={busy || undefined} className="lq-panel">
      <h2>{title}</h2>
      {children}
    </aside>
  );
}

/** Subscribes to the background's pushes (src/panel/pushes.ts `backgroundPushes`); returns the unsubscribe. */
export type { OnPanelPush };

/**
 * The panel page's host: reads the tab's lead state from the background with TanStack Query, computes the
 * qualification locally (pure domain code), and sends the rep's actions back. The background answers every
 * action with the new state, which replaces the cached one. It never polls: the background pushes what
 * changed (the tab's lead, a decision's sync, a profile read) and the panel re-reads its state when a push
 * concerns it. While it shows something that waits on the background it holds a port (`workerLink`), so
 * a stopped service worker is started again at once.
 */
export function PanelApp({
  send,
  clock = Date.now,
  timeZone,
  onPush,
  workerLink,
  openOptions,
  claim,
  noLead,
}: {
  send: PanelSend;
  clock?: () => number;
  timeZone?: string;
  onPush?: OnPanelPush;
  workerLink?: WorkerLink;
  /** Opens the options page (where a rep the CRM cannot name gives their name). */
  openOptions?: () => void;
  /**
   * Presents this frame's one-time token (`panel.claim`, ADR 0015) before anything else; false: the
   * background refused the frame (not the one our content script opened), and the panel asks nothing more.
   */
  claim?: () => Promise<boolean>;
  /**
   * Shown while the background names no lead for this panel: the browser's side panel beside a tab without
   * one (ADR 0020). Absent (the panel in a CRM page): "Reading the lead…", as its content script reports it.
   */
  noLead?: React.ReactNode;
}) {
  const queryClient = useQueryClient();
  const [log] = useState(pushLog);
  // Which lead to show is the background's call, never the panel URL's: the panel stays in place from lead
  // to lead, and the CRM may re-attach (and so reload) it at any time. The content script tells the
  // background it left a lead before anything else, and each change is pushed here at once.
  useEffect(
    () =>
      onPush?.((push) => {
        log.note(push);
        // After a failed read, any word from the background is a reason to try again.
        const failed = queryClient.getQueryState(STATE_KEY)?.status === 'error';
        if (failed || concerns(push, queryClient.getQueryData<PanelState>(STATE_KEY))) void queryClient.invalidateQueries({ queryKey: STATE_KEY });
      }),
    [onPush, queryClient, log],
  );
  // Once per document, but a claim that got no answer (the worker starting, the message lost) is tried again:
  // the background binds a document once and says yes to the same document again (ADR 0015). A refusal is an
  // answer (`false`) and is not retried: the token is used up, or was never ours.
  const claimed = useQuery({
    queryKey: CLAIM_KEY,
    queryFn: () => claim!(),
    enabled: claim !== undefined,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: (failures, error) => failures < CLAIM_RETRIES && transient(error),
    retryDelay: (failures) => CLAIM_RETRY_MS * 2 ** failures,
  });
  const state = useQuery({
    enabled: claim === undefined || claimed.data === true,
    queryKey: STATE_KEY,
    queryFn: async () => {
      for (let reads = 1; ; reads++) {
        const mark = log.mark();
        const s = await send('panel.getState', {});
        if (reads >= MAX_READS || !log.since(mark, s)) return s;
      }
    },
  });
  const waiting = waitsOnBackground(state.data);
  useEffect(() => {
    workerLink?.setWaiting(waiting);
  }, [workerLink, waiting]);
  useEffect(() => () => workerLink?.setWaiting(false), [workerLink]);
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), 30_000);
    return () => clearInterval(timer);
  }, [clock]);

  if (claim && claimed.isError) {
    return (
      <Shell title={t.panelLabel}>
        <p role="alert">{t.noAnswer(claimed.error.message)}</p>
      </Shell>
    );
  }
  if (claim && claimed.data === false) {
    return (
      <Shell title={t.panelLabel}>
        <p role="status">{t.notOurFrame}</p>
      </Shell>
    );
  }
  if (state.isPending) return <Shell title={t.loadingPanel} busy />;
  if (state.isError) {
    return (
      <Shell title={t.panelLabel}>
        <p role="alert">{t.noAnswer(state.error.message)}</p>
      </Shell>
    );
  }
  if (!isShown(state.data)) return noLead !== undefined && !state.data.ref ? <Shell title={t.panelLabel}>{noLead}</Shell> : <Shell title={t.readingLead} busy />;
  return (
    <LoadedPanel
      state={state.data}
      send={send}
      now={now}
      timeZone={timeZone}
      log={log}
      openOptions={openOptions}
      update={(change) => queryClient.setQueryData<PanelState>(STATE_KEY, (s) => (s ? change(s) : s))}
      resync={() => void queryClient.invalidateQueries({ queryKey: STATE_KEY })}
    />
  );
}

/**
 * The background refused a request because its tab shows another lead by now (the page navigated between
 * the rep's action and its arrival: src/background/sessions.ts `leadSwitched`, ADR 0015). Nothing was done.
 */
export function isLeadSwitch(e: unknown): e is ProtocolError {
  return e instanceof ProtocolError && e.issues.some((i) => i.path === 'leadKey');
}

function isShown(state: PanelState | undefined): state is PanelState & { lead: NonNullable<PanelState['lead']> } {
  return Boolean(state?.lead && state.ref);
}

/** A decision waits for the CRM, or the profile for its read from the CRM's API. */
function waitsOnBackground(state: PanelState | undefined): boolean {
  return isShown(state) && (state.saved?.syncState === 'saved_locally' || !state.source?.fetchedAt);
}

interface LoadedPanelProps {
  state: PanelState;
  send: PanelSend;
  now: number;
  timeZone?: string;
  /** The pushes seen: an answer that a push overtook is read again. */
  log: PushLog;
  /** Changes the cached state (optimistic updates, and the background's answers). */
  update: (change: (s: PanelState) => PanelState) => void;
  /** Drops optimistic changes by reading the background's state again. */
  resync: () => void;
  openOptions?: () => void;
}

function LoadedPanel({ state, send, now, timeZone, log, update, resync, openOptions }: LoadedPanelProps) {
  /** Takes the background's answer to a request sent at `mark`; reads again if a push about it came since. */
  const onState = (s: PanelState, mark: number) => {
    update(() => s);
    if (log.since(mark, s)) resync();
  };
  const lead = state.lead!;
  // While a disposition form is open the rep is deciding: the decision-time rules apply (ADR 18).
  const [deciding, setDeciding] = useState(false);
  const onDecidingChange = useCallback((d: boolean) => setDeciding(d), []);
  const loggedFirstContactAt = state.call?.firstContactAt;
  const qualification = useMemo(
    () =>
      qualify(lead, state.checklist, state.config, now, {
        askedQuestions: state.askedQuestions,
        decidedAt: state.saved?.at,
        loggedFirstContactAt,
        ...(deciding ? { phase: 'decision' as const } : {}),
      }),
    [lead, state.checklist, state.config, state.askedQuestions, state.saved?.at, now, loggedFirstContactAt, deciding],
  );
  // Every change names the lead shown here: the background refuses it if the tab shows another one by then.
  const key = leadKeyOf(state.ref!);
  /** Why the last action did nothing (the page switched leads under it); shown until dismissed or the next success. */
  const [notice, setNotice] = useState<string | undefined>();
  const refused = (e: unknown) => {
    if (isLeadSwitch(e)) setNotice(e.message);
    resync();
  };
  const act = useMutation({
    mutationFn: async (run: () => Promise<PanelState>) => {
      const mark = log.mark();
      return { s: await run(), mark };
    },
    onSuccess: ({ s, mark }) => {
      setNotice(undefined);
      onState(s, mark);
    },
    onError: (e) => refused(e),
  });
  // The disposition form as typed, for the lead it was typed on, until the debounce sends it. A change of
  // lead (or the panel closing) sends it at once, to that lead: never the next lead's draft.
  const pendingDraft = useRef<{ leadKey: string; draft: Record<string, unknown> } | undefined>(undefined);
  const draftTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  }, [send]);
  const flushDraft = useCallback(() => {
    clearTimeout(draftTimer.current);
    const pending = pendingDraft.current;
    pendingDraft.current = undefined;
    if (pending) void sendRef.current('panel.saveDraft', pending).catch(() => undefined);
  }, []);
  useEffect(() => flushDraft, [key, flushDraft]);
  const today = localDay(now, timeZone);
  /** A call action's request: a refusal because the lead switched is said as for the other actions. */
  const onLead = <T,>(request: Promise<T>) =>
    request.catch((e: unknown) => {
      if (isLeadSwitch(e)) refused(e);
      throw e;
    });

  // Call mode (ADR 19): each answer updates the cached state at once; the checklist's new evidence and the
  // counts (attempts, first contact) are then read again from the background, whose word they are.
  const changeCall = (change: (c: PanelState['call']) => PanelState['call']) => update((s) => ({ ...s, call: change(s.call) }));
  const callActions: CallActions = {
    onStart: async () => {
      const { draft } = await onLead(send('panel.startCall', { leadKey: key }));
      changeCall((c) => ({ ...c, draft }));
    },
    onAddLine: async (callId, text, criterionId) => {
      const { line } = await onLead(send('panel.addCallLine', { leadKey: key, callId, text, ...(criterionId ? { criterionId } : {}) }));
      changeCall((c) => (c.draft?.callId === callId ? { ...c, draft: { ...c.draft, lines: [...c.draft.lines.filter((l) => l.id !== line.id), line], pending: '' } } : c));
      if (line.criterionId) resync();
    },
    onRemoveLine: async (callId, lineId) => {
      changeCall((c) => (c.draft?.callId === callId ? { ...c, draft: { ...c.draft, lines: c.draft.lines.filter((l) => l.id !== lineId) } } : c));
      await send('panel.removeCallLine', { leadKey: key, callId, lineId }).catch((e: unknown) => {
        refused(e);
        throw e;
      });
    },
    onPending: (callId, text) => void send('panel.setCallPending', { leadKey: key, callId, text }).catch(() => undefined),
    onEnd: async (callId, outcome, note) => {
      const { logged } = await onLead(send('panel.endCall', { leadKey: key, callId, outcome, ...(note ? { note } : {}) }));
      changeCall((c) => ({ ...c, draft: null, logged: [logged, ...c.logged.filter((l) => l.callId !== logged.callId)], attempts: c.attempts + 1 }));
      resync();
    },
    onDiscard: async (callId) => {
      await onLead(send('panel.discardCall', { leadKey: key, callId }));
      changeCall((c) => (c.draft?.callId === callId ? { ...c, draft: null } : c));
    },
  };

  return (
    <>
      {notice && (
        <div role="alert" className="lq-identify lq-notice">
          <p>{notice}</p>
          <button type="button" className="lq-button lq-button--small" onClick={() => setNotice(undefined)}>
            {t.dismiss}
          </button>
        </div>
      )}
      <Panel
        lead={lead}
        qualification={qualification}
        checklist={state.checklist}
        config={state.config}
        today={today}
        now={now}
        timeZone={timeZone}
        saved={state.saved ? { decision: state.saved.decision, at: state.saved.at, syncState: state.saved.syncState, syncMessage: state.saved.syncMessage, by: state.saved.by, source: state.saved.source } : undefined}
        team={state.team ?? undefined}
        author={state.author}
        onIdentify={openOptions}
        call={state.call}
        callActions={callActions}
        crmLabel={state.source?.crmLabel}
        onDecidingChange={onDecidingChange}
        draft={(state.draft ?? undefined) as DecisionInput | undefined}
        onFrameworkChange={(frameworkId) => act.mutate(() => send('panel.setFramework', { leadKey: key, frameworkId }))}
        onAnswer={(criterionId, answer) => {
          // Show the answer at once; the background's reply (or a re-read on error) settles it.
          update((s) => ({ ...s, checklist: setAnswer(s.checklist, criterionId, { ...answer, by: s.author?.name ?? UNIDENTIFIED_REP, at: new Date(now).toISOString() }) }));
          act.mutate(() => send('panel.setAnswer', { leadKey: key, criterionId, ...answer }));
        }}
        onAsked={(questionId) => act.mutate(() => send('panel.markAsked', { leadKey: key, questionId }))}
        onRetrySync={() => act.mutate(() => send('panel.retrySync', { leadKey: key }))}
        sourceNote={state.source?.problem}
        leadSource={state.source ? { fromCrm: !!state.source.fetchedAt, crmLabel: state.source.crmLabel ?? lead.crm, disagreements: state.source.disagreements } : undefined}
        onDraftChange={(draft) => {
          // Drafts live in the background, not in page storage, so closing the tab loses nothing typed.
          clearTimeout(draftTimer.current);
          pendingDraft.current = draft ? { leadKey: key, draft: draft as Record<string, unknown> } : undefined;
          if (draft) draftTimer.current = setTimeout(flushDraft, DRAFT_DEBOUNCE_MS);
        }}
        onSave={async (decision) => {
          clearTimeout(draftTimer.current);
          pendingDraft.current = undefined;
          const mark = log.mark();
          try {
            onState(await send('panel.saveDisposition', { leadKey: key, decision, today }), mark);
            setNotice(undefined);
          } catch (e) {
            if (isLeadSwitch(e)) {
              // Nothing was saved: the decision stays this lead's draft, to check and save on it again.
              void send('panel.saveDraft', { leadKey: key, draft: decision as Record<string, unknown> }).catch(() => undefined);
              refused(e);
            }
            throw e;
          }
        }}
      />
    </>
  );
}
