import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DecisionInput } from '../domain/dispositions';
import { setAnswer } from '../domain/frameworks';
import { qualify } from '../domain/qualify';
import type { createClient } from '../messaging/client';
import type { PanelState, panelProtocol } from '../messaging/panel-protocol';
import { Panel } from '../ui/panel';
import { strings as t } from '../ui/panel/strings';

/** Sends panel messages to the background (validated both ways). */
export type PanelSend = ReturnType<typeof createClient<typeof panelProtocol>>;

const STATE_KEY = ['panel-state'] as const;
/** While the page has not reported the lead yet, ask again this often. */
const WAIT_FOR_LEAD_MS = 200;
const DRAFT_DEBOUNCE_MS = 400;
/** While a decision waits for the CRM (or the profile for its API read), look again this often. */
const WATCH_SYNC_MS = 2_000;

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

/**
 * The panel page's host: reads the tab's lead state from the background with TanStack Query, computes the
 * qualification locally (pure domain code), and sends the rep's actions back. The background answers every
 * action with the new state, which replaces the cached one.
 */
/** Subscribes to the background's "lead changed in tab N" pushes; returns the unsubscribe. */
export type OnLeadChanged = (listener: (tabId: number) => void) => () => void;

export function PanelApp({
  send,
  clock = Date.now,
  timeZone,
  onLeadChanged,
}: {
  send: PanelSend;
  clock?: () => number;
  timeZone?: string;
  onLeadChanged?: OnLeadChanged;
}) {
  const queryClient = useQueryClient();
  // Which lead to show is the background's call, never the panel URL's: the panel stays in place from lead
  // to lead, and the CRM may re-attach (and so reload) it at any time. The content script tells the
  // background it left a lead before anything else, and each change is pushed here at once.
  const tabId = useRef<number | null>(null);
  useEffect(
    () =>
      onLeadChanged?.((changedTab) => {
        if (tabId.current !== null && changedTab !== tabId.current) return;
        void queryClient.invalidateQueries({ queryKey: STATE_KEY });
      }),
    [onLeadChanged, queryClient],
  );
  const state = useQuery({
    queryKey: STATE_KEY,
    queryFn: () => send('panel.getState', {}),
    refetchInterval: (q) => {
      const s = q.state.data;
      if (!isShown(s)) return WAIT_FOR_LEAD_MS;
      return s?.saved?.syncState === 'saved_locally' || !s?.source?.fetchedAt ? WATCH_SYNC_MS : false;
    },
  });
  const ownTab = state.data?.tabId ?? null;
  useEffect(() => {
    tabId.current = ownTab;
  }, [ownTab]);
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), 30_000);
    return () => clearInterval(timer);
  }, [clock]);

  if (state.isPending) return <Shell title={t.loadingPanel} busy />;
  if (state.isError) {
    return (
      <Shell title={t.panelLabel}>
        <p role="alert">{t.noAnswer(state.error.message)}</p>
      </Shell>
    );
  }
  if (!isShown(state.data)) return <Shell title={t.readingLead} busy />;
  return (
    <LoadedPanel
      state={state.data}
      send={send}
      now={now}
      timeZone={timeZone}
      update={(change) => queryClient.setQueryData<PanelState>(STATE_KEY, (s) => (s ? change(s) : s))}
      resync={() => void queryClient.invalidateQueries({ queryKey: STATE_KEY })}
    />
  );
}

function isShown(state: PanelState | undefined): state is PanelState & { lead: NonNullable<PanelState['lead']> } {
  return Boolean(state?.lead && state.ref);
}

interface LoadedPanelProps {
  state: PanelState;
  send: PanelSend;
  now: number;
  timeZone?: string;
  /** Changes the cached state (optimistic updates, and the background's answers). */
  update: (change: (s: PanelState) => PanelState) => void;
  /** Drops optimistic changes by reading the background's state again. */
  resync: () => void;
}

function LoadedPanel({ state, send, now, timeZone, update, resync }: LoadedPanelProps) {
  const onState = (s: PanelState) => update(() => s);
  const lead = state.lead!;
  const qualification = useMemo(
    () => qualify(lead, state.checklist, state.config, now, { askedQuestions: state.askedQuestions, decidedAt: state.saved?.at }),
    [lead, state.checklist, state.config, state.askedQuestions, state.saved?.at, now],
  );
  const act = useMutation({ mutationFn: (run: () => Promise<PanelState>) => run(), onSuccess: onState, onError: resync });
  const draftTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(draftTimer.current), []);
  const today = localDay(now, timeZone);

  return (
    <Panel
      lead={lead}
      qualification={qualification}
      checklist={state.checklist}
      config={state.config}
      today={today}
      now={now}
      timeZone={timeZone}
      saved={state.saved ? { decision: state.saved.decision, at: state.saved.at, syncState: state.saved.syncState, syncMessage: state.saved.syncMessage } : undefined}
      draft={(state.draft ?? undefined) as DecisionInput | undefined}
      onFrameworkChange={(frameworkId) => act.mutate(() => send('panel.setFramework', { frameworkId }))}
      onAnswer={(criterionId, answer) => {
        // Show the answer at once; the background's reply (or a re-read on error) settles it.
        update((s) => ({ ...s, checklist: setAnswer(s.checklist, criterionId, { ...answer, by: s.rep.name, at: new Date(now).toISOString() }) }));
        act.mutate(() => send('panel.setAnswer', { criterionId, ...answer }));
      }}
      onAsked={(questionId) => act.mutate(() => send('panel.markAsked', { questionId }))}
      onRetrySync={() => act.mutate(() => send('panel.retrySync', {}))}
      sourceNote={state.source?.problem}
      onDraftChange={(draft) => {
        // Drafts live in the background, not in page storage, so closing the tab loses nothing typed.
        clearTimeout(draftTimer.current);
        if (!draft) return;
        draftTimer.current = setTimeout(() => void send('panel.saveDraft', { draft: draft as Record<string, unknown> }).catch(() => undefined), DRAFT_DEBOUNCE_MS);
      }}
      onSave={async (decision) => {
        clearTimeout(draftTimer.current);
        onState(await send('panel.saveDisposition', { decision, today }));
      }}
    />
  );
}
