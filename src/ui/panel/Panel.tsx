import { useEffect, useId, useRef, useState, type MouseEvent } from 'react';
import type { QualificationConfig } from '../../domain/config';
import type { Decision, DecisionInput, Outcome } from '../../domain/dispositions';
import type { Checklist as ChecklistData } from '../../domain/frameworks';
import type { LeadProfile } from '../../domain/lead';
import type { Qualification } from '../../domain/qualify';
import { CallSection } from './CallMode';
import { Checklist } from './Checklist';
import { Discovery } from './Discovery';
import { DispositionForm } from './DispositionForm';
import { FormatProvider } from './format';
import { LeadHeader, type LeadSource } from './LeadHeader';
import '../theme.css';
import './panel.css';
import { RecommendationCard } from './RecommendationCard';
import { SavedDecision } from './SavedDecision';
import { TeamHistory, type TeamView } from './TeamHistory';
import { ScoreBreakdown } from './ScoreBreakdown';
import { strings as t } from './strings';
import type { CallActions, CallView, OnAnswer, OnSave, SavedDecisionInfo } from './types';

export interface PanelProps {
  lead: LeadProfile;
  /** `qualify(lead, checklist, config, now)`: everything computed about the lead. */
  qualification: Qualification;
  checklist: ChecklistData;
  config: QualificationConfig;
  /** The rep's calendar day, `YYYY-MM-DD` (decision dates are checked against it). */
  today: string;
  /** The clock (ms): SLA timers count against it. */
  now: number;
  /** The decision stored for this lead, if any, with its sync state. */
  saved?: SavedDecisionInfo;
  /** An unsaved decision to restore (opens its form). */
  draft?: DecisionInput;
  onFrameworkChange: (frameworkId: string) => void;
  onAnswer: OnAnswer;
  onSave: OnSave;
  /** Every edit of the open decision form; `undefined` once a decision was handed to `onSave` and stored. */
  onDraftChange?: (draft: DecisionInput | undefined) => void;
  /** A discovery question was marked as asked. */
  onAsked?: (questionId: string) => void;
  /** Date formatting; default `en-GB` and the runtime's time zone. */
  locale?: string;
  timeZone?: string;
  /** How many discovery questions to show (default 3). */
  questionLimit?: number;
  /** Offers "Retry sync" when the saved decision needs attention. */
  onRetrySync?: () => void;
  /** Why the profile shows only what the page shows (the CRM's API could not be read). */
  sourceNote?: string;
  /** Whose reading the header shows (the CRM's API or the page), and where they disagree. */
  leadSource?: LeadSource;
  /** The lead's team record from the CRM (every rep's decisions, reviews, status now). */
  team?: TeamView;
  /** Who decisions are signed as; null = nobody known yet (the panel asks before a save). */
  author?: { name: string; source: 'crm' | 'typed' } | null;
  /** Opens the place where the rep gives their name (the options page). */
  onIdentify?: () => void;
  /** Call mode (issue 17 part 5): the call in progress, the calls logged, the attempts. Absent: no call controls. */
  call?: CallView;
  callActions?: CallActions;
  /** The CRM's name for people ("Demo CRM"), for the logged calls' sync lines. */
  crmLabel?: string;
  /** The call timer's clock (ms); default `Date.now`. */
  clock?: () => number;
  /**
   * Told whether the rep is deciding (a disposition form is open): the host then qualifies with
   * `phase: 'decision'` (ADR 18), so the form sits under the decision-time recommendation.
   */
  onDecidingChange?: (deciding: boolean) => void;
}

/**
 * The lead qualification side panel: presentational only. Data in through props, the rep's actions out
 * through callbacks; the host (entrypoints/panel) talks to the background.
 */
export function Panel(props: PanelProps) {
  const { lead, locale, timeZone, now } = props;
  return (
    <FormatProvider locale={locale} timeZone={timeZone} now={now}>
      {/* A different lead starts from a clean slate: no evidence or form text carried across records. */}
      <PanelBody key={`${lead.crm}:${lead.recordId}`} {...props} />
    </FormatProvider>
  );
}

const decisionKinds: { kind: Outcome; label: string }[] = [
  { kind: 'accept', label: t.accept },
  { kind: 'reject', label: t.reject },
  { kind: 'recycle', label: t.recycle },
];

function PanelBody({
  onRetrySync,
  sourceNote,
  leadSource,
  team,
  author,
  onIdentify,
  lead,
  qualification: q,
  checklist,
  config,
  today,
  now,
  saved,
  draft,
  onFrameworkChange,
  onAnswer,
  onSave,
  onDraftChange,
  onAsked,
  questionLimit,
  call,
  callActions,
  crmLabel,
  clock,
  onDecidingChange,
}: PanelProps) {
  const id = useId();
  const ids = {
    recommendation: `${id}-recommendation`,
    decision: `${id}-decision`,
    discovery: `${id}-discovery`,
    checklist: `${id}-checklist`,
    score: `${id}-score`,
    form: `${id}-decision-form`,
    call: `${id}-call`,
  };

  const [open, setOpen] = useState<Outcome | undefined>(saved ? undefined : draft?.outcome);
  const [focusForm, setFocusForm] = useState(false);
  const [drafts, setDrafts] = useState<Partial<Record<Outcome, DecisionInput>>>(() => (draft ? { [draft.outcome]: draft } : {}));
  const [touched, setTouched] = useState(false);
  const [revising, setRevising] = useState(false);
  const decisionHeading = useRef<HTMLHeadingElement>(null);

  // A draft that arrives after the first render (loaded from storage) is restored if the rep has not started.
  const [prevDraft, setPrevDraft] = useState(draft);
  if (draft !== prevDraft) {
    setPrevDraft(draft);
    if (draft && !touched && !saved) {
      setDrafts((d) => ({ ...d, [draft.outcome]: draft }));
      setOpen(draft.outcome);
    }
  }
  // A newly stored decision closes the form and is shown instead; focus follows so it is announced in context.
  const [prevSavedAt, setPrevSavedAt] = useState(saved?.at);
  if (saved?.at !== prevSavedAt) {
    setPrevSavedAt(saved?.at);
    if (saved) {
      setOpen(undefined);
      setRevising(false);
      setDrafts({});
      setTouched(false);
    }
  }
  const savedAt = saved?.at;
  const savedAtOnMount = useRef(savedAt);
  useEffect(() => {
    if (savedAt && savedAt !== savedAtOnMount.current) decisionHeading.current?.focus();
  }, [savedAt]);

  const toggle = (kind: Outcome) => {
    setOpen((o) => (o === kind ? undefined : kind));
    setFocusForm(true);
  };
  const changeDraft = (input: DecisionInput) => {
    setTouched(true);
    setDrafts((d) => ({ ...d, [input.outcome]: input }));
    onDraftChange?.(input);
  };
  const save = (decision: Decision) => {
    const pending = onSave(decision);
    if (pending && typeof pending.then === 'function') {
      return pending.then((value) => {
        onDraftChange?.(undefined);
        return value;
      });
    }
    onDraftChange?.(undefined);
    return pending;
  };
  const revise = () => {
    setRevising(true);
    if (saved) setDrafts((d) => ({ [saved.decision.outcome]: saved.decision, ...d }));
  };

  const jump = (target: string) => (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    document.getElementById(target)?.focus();
  };
  const nav: [string, string][] = [
    [`${ids.recommendation}-toggle`, t.recommendation],
    [ids.decision, t.decision],
    [ids.discovery, t.discovery],
    [ids.checklist, t.checklist],
    [ids.score, t.score],
  ];

  const showSaved = saved && !revising;
  const deciding = !!open && !showSaved;
  useEffect(() => {
    onDecidingChange?.(deciding);
  }, [deciding, onDecidingChange]);
  // On a call the rep needs the notes, the questions and the checklist on one screen (issue 17 part 6):
  // they come first and compact; the rest follows. Keyed blocks, so switching keeps each one's state.
  const onCall = !!call?.draft && !!callActions;
  const callSection = call && callActions && (
    <CallSection
      key="call"
      call={call}
      criteria={q.framework.criteria}
      actions={callActions}
      crmLabel={crmLabel ?? lead.crm}
      headingId={ids.call}
      clock={clock}
    />
  );
  const draftId = call?.draft?.callId;
  // On a call an answer box's words become a call line tied to the question's criterion.
  const quickAnswer =
    callActions && draftId ? (_questionId: string, criterionId: string, text: string) => Promise.resolve(callActions.onAddLine(draftId, text, criterionId)) : undefined;
  const discovery = (
    <Discovery
      key="discovery"
      questions={q.questions}
      checklist={checklist}
      limit={questionLimit}
      evidenceMaxChars={config.limits.evidenceMaxChars}
      onAnswer={onAnswer}
      onAsked={onAsked}
      headingId={ids.discovery}
      onQuickAnswer={onCall ? quickAnswer : undefined}
    />
  );
  const checklistSection = (
    <Checklist
      key="checklist"
      frameworks={config.frameworks}
      framework={q.framework}
      checklist={checklist}
      progress={q.progress}
      evidenceMaxChars={config.limits.evidenceMaxChars}
      onFrameworkChange={onFrameworkChange}
      onAnswer={onAnswer}
      headingId={ids.checklist}
      compact={onCall}
    />
  );
  const teamSection = team && <TeamHistory key="team" team={team} now={now} />;
  const score = <ScoreBreakdown key="score" score={q.score} headingId={ids.score} />;
  const decisionSection = (
    <section key="decision" className="lq-section" aria-labelledby={ids.decision}>
      <h3 id={ids.decision} ref={decisionHeading} tabIndex={-1}>
        {t.decision}
      </h3>
      {author === null && (
        <div className="lq-identify" role="note">
          <p>{t.whoAreYou}</p>
          {onIdentify && (
            <button type="button" className="lq-button" onClick={onIdentify}>
              {t.openOptions}
            </button>
          )}
        </div>
      )}
      {showSaved ? (
        <SavedDecision saved={saved} config={config} onRevise={revise} onRetrySync={onRetrySync} />
      ) : (
        <>
          <div className="lq-decide" role="group" aria-labelledby={ids.decision}>
            {decisionKinds.map(({ kind, label }) => (
              <button
                key={kind}
                id={`${id}-btn-${kind}`}
                type="button"
                className={`lq-button lq-button--${kind}`}
                aria-expanded={open === kind}
                aria-controls={open === kind ? ids.form : undefined}
                onClick={() => toggle(kind)}
              >
                {label}
              </button>
            ))}
          </div>
          {open && (
            <div id={ids.form}>
              <DispositionForm
                key={open}
                kind={open}
                config={config}
                today={today}
                initial={drafts[open]}
                suggestedReasonCode={q.recommendation.suggestedReasonCode}
                suggestedAttempts={call?.attempts}
                autoFocus={focusForm}
                onChange={changeDraft}
                onSave={save}
                onCancel={() => {
                  setOpen(undefined);
                  if (revising) {
                    setRevising(false);
                    decisionHeading.current?.focus();
                  } else {
                    document.getElementById(`${id}-btn-${open}`)?.focus();
                  }
                }}
              />
            </div>
          )}
        </>
      )}
    </section>
  );
  const blocks = onCall ? [callSection, discovery, checklistSection, decisionSection, teamSection, score] : [callSection, teamSection, decisionSection, discovery, checklistSection, score];
  return (
    <aside className={`lq-panel${onCall ? ' lq-panel--on-call' : ''}`} aria-label={t.panelLabel}>
      <LeadHeader lead={lead} source={leadSource} sla={q.sla} now={now} dueSoonShare={config.sla.dueSoonShare} compact={onCall} />
      {sourceNote && <p className="lq-muted lq-source-note">{sourceNote}</p>}
      {!onCall && (
        <nav className="lq-nav" aria-label={t.navLabel}>
          <ul>
            {nav.map(([target, label]) => (
              <li key={target}>
                <a href={`#${target}`} onClick={jump(target)}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <RecommendationCard recommendation={q.recommendation} reasonCodes={config.reasonCodes} call={q.call} headingId={ids.recommendation} compact toggleId={`${ids.recommendation}-toggle`} />
      {blocks}
    </aside>
  );
}
