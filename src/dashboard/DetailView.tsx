import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { QualificationConfig } from '../domain/config';
import { outcomeLabel, type DispositionSnapshot } from '../domain/dispositions';
import { history, type DispositionHistory } from '../store/audit';
import { useFormat } from '../ui/panel/format';
import { RecommendationCard } from '../ui/panel/RecommendationCard';
import { ScoreBreakdown } from '../ui/panel/ScoreBreakdown';
import '../ui/theme.css';
import '../ui/panel/panel.css';
import { useDashboard } from './context';
import { decisionDetails, revisionChanges, timeline } from './history';
import { useLive } from './hooks';
import { strings as t } from './strings';
import { isolate } from '../domain/untrusted-text';
import type { Trust } from '../domain/team-record';
import { Untrusted } from '../ui/Untrusted';
import { recommendationLabel } from './DispositionTable';

export interface DetailViewProps {
  dispositionId: string;
  /** Shows "Back to the decisions" when given. */
  onBack?: () => void;
  /** Moves focus to the heading when the detail opens (not when it is embedded in the review). */
  focusOnOpen?: boolean;
  /** Heading level of the lead's name (2 in the decisions view, 3 inside the review). */
  level?: 2 | 3;
}

/** The checklist as the rep left it: every criterion of the framework, with state and evidence. */
export function ChecklistTable({ snapshot, config }: { snapshot: DispositionSnapshot; config: QualificationConfig }) {
  const fmt = useFormat();
  const framework = config.frameworks.find((f) => f.id === snapshot.framework.id);
  // The framework may have changed since: list what the config knows, plus any answer it no longer has.
  const ids = [...new Set([...(framework?.criteria.map((c) => c.id) ?? []), ...Object.keys(snapshot.checklist.answers)])];
  const label = (id: string) => framework?.criteria.find((c) => c.id === id)?.label ?? id;
  return (
    <table className="lqd-grid-table">
      <caption>{t.checklistOf(snapshot.framework.label, snapshot.framework.version)}</caption>
      <thead>
        <tr>
          <th scope="col">{t.checklist}</th>
          <th scope="col">{t.stateColumn}</th>
          <th scope="col">{t.evidenceColumn}</th>
        </tr>
      </thead>
      <tbody>
        {ids.map((id) => {
          const a = snapshot.checklist.answers[id];
          return (
            <tr key={id} data-state={a?.state ?? 'unknown'}>
              <th scope="row">{label(id)}</th>
              <td>
                <span className={`lqd-state lqd-state--${a?.state ?? 'unknown'}`}>{a ? t.criterionStates[a.state] : t.notAnswered}</span>
              </td>
              <td>
                {a?.evidence.trim() ? <q>{a.evidence.trim()}</q> : <span className="lqd-muted">{t.noEvidence}</span>}
                {a && <span className="lqd-sub">{t.answeredBy(a.by, fmt.dateTime(a.at))}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ChainStatus({ h }: { h: DispositionHistory }) {
  if (h.chain === null) return <p className="lqd-chain lqd-chain--none">{t.chainImported}</p>;
  const imported = h.revisions.length === 0 ? h.disposition?.imported : undefined;
  if (imported) {
    return h.chain.ok ? (
      <p role="status" className="lqd-chain lqd-chain--ok">
        {t.chainImportedOk(imported.blocks.length)}
      </p>
    ) : (
      <p role="alert" className="lqd-chain lqd-chain--broken">
        {t.chainBroken(h.chain.rev, h.chain.problem)}
      </p>
    );
  }
  return (
    <>
      {/* The check or warning sign comes from CSS: the sentence is the message. */}
      {h.chain.ok ? (
        <p role="status" className="lqd-chain lqd-chain--ok">
          {t.chainOk(h.revisions.length)}
        </p>
      ) : (
        <p role="alert" className="lqd-chain lqd-chain--broken">
          {t.chainBroken(h.chain.rev, h.chain.problem)}
        </p>
      )}
      {h.rowProblems.length > 0 && (
        <p role="alert" className="lqd-chain lqd-chain--broken">
          {t.rowMismatch(h.rowProblems.join(', '))}
        </p>
      )}
    </>
  );
}

/**
 * Where a revision or review came from when it was read from the CRM (another rep's or manager's
 * decision), and, unless verified, how far it can be trusted and why. The reasons are shown as
 * untrusted text: they quote what the CRM says (names, ids).
 */
export function FromCrm({ trust }: { trust: Trust }) {
  const state = t.trustStates[trust.state];
  const notes = trust.notes.map((n) => n.trim()).filter(Boolean);
  return (
    <p className={`lqd-trust lqd-trust--${trust.state}`}>
      <span className="lqd-tag">{t.fromCrm}</span>
      {trust.state !== 'verified' && (
        <>
          {' · '}
          {notes.length ? (
            <>
              <strong>{t.trustBecause(state)}</strong> <Untrusted text={notes.join(t.trustNotesSeparator)} />
            </>
          ) : (
            <strong>{t.trustNoReason(state)}</strong>
          )}
        </>
      )}
    </p>
  );
}

/** Revisions and reviews, oldest first: who changed what, when; who reviewed it and what they said. */
export function HistoryTimeline({ h, config, level = 2 }: { h: DispositionHistory; config: QualificationConfig; level?: 2 | 3 }) {
  const fmt = useFormat();
  const headingId = useId();
  const Sub = level === 2 ? 'h3' : 'h4';
  const team = h.disposition?.team;
  return (
    <section className="lqd-section" aria-labelledby={headingId}>
      <Sub id={headingId}>{t.history}</Sub>
      <p className="lqd-hint">{t.historyHint}</p>
      <ChainStatus h={h} />
      {h.revisions.length === 0 && h.disposition?.imported && (
        <ol className="lqd-timeline" aria-label={t.importedRevisions}>
          {h.disposition.imported.blocks.map((b) => (
            <li key={`imported-${b.rev}`} className="lqd-timeline__rev" data-rev={b.rev}>
              <p className="lqd-timeline__head">
                <time dateTime={b.at}>{t.revisionBy(b.rev, b.author.name, fmt.dateTime(b.at))}</time>
              </p>
              <p>{t.importedRevision(t.outcomes[b.outcome], b.reasonCode ? (config.reasonCodes.find((r) => r.code === b.reasonCode)?.label ?? b.reasonCode) : '', isolate(b.note))}</p>
              {team?.revs[b.rev] && <FromCrm trust={team.revs[b.rev]!.trust} />}
            </li>
          ))}
        </ol>
      )}
      <ol className="lqd-timeline">
        {timeline(h.revisions, h.reviews).map((e) =>
          e.kind === 'revision' ? (
            <li key={`rev-${e.revision.rev}`} className="lqd-timeline__rev" data-rev={e.revision.rev}>
              <p className="lqd-timeline__head">
                <time dateTime={e.at}>{t.revisionBy(e.revision.rev, e.revision.author.name, fmt.dateTime(e.at))}</time>
              </p>
              {team?.revs[e.revision.rev] && <FromCrm trust={team.revs[e.revision.rev]!.trust} />}
              {e.previous ? (
                (() => {
                  const changes = revisionChanges(e.previous, e.revision, config);
                  return changes.length ? (
                    <ul className="lqd-changes" aria-label={t.changes}>
                      {changes.map((c) => (
                        <li key={c.field}>{t.change(c.field, c.from, c.to)}</li>
                      ))}
                    </ul>
                  ) : (
                    <p className="lqd-muted">{t.nothingChanged}</p>
                  );
                })()
              ) : (
                <>
                  <p>
                    {t.firstDecision}: {outcomeLabel(e.revision.decision, config)}
                  </p>
                  {/* With later revisions, the first one's note is history (the latest note is shown above). */}
                  {h.revisions.length > 1 && e.revision.decision.note.trim() && (
                    <p className="lqd-note">
                      <Untrusted text={e.revision.decision.note.trim()} />
                    </p>
                  )}
                </>
              )}
            </li>
          ) : (
            <li key={`review-${e.review.id}`} className={`lqd-timeline__review lqd-timeline__review--${e.review.verdict}`}>
              <p className="lqd-timeline__head">
                <time dateTime={e.at}>{t.reviewBy(t.verdicts[e.review.verdict], isolate(e.review.reviewerName), fmt.dateTime(e.at))}</time>
              </p>
              {e.review.team && <FromCrm trust={e.review.team.trust} />}
              {e.review.comment.trim() && (
                <p>
                  <Untrusted text={e.review.comment.trim()} />
                </p>
              )}
            </li>
          ),
        )}
      </ol>
    </section>
  );
}

/** What the engine recommended against what the rep decided, and the config version it was decided under. */
function RecommendedVsOutcome({ row, configVersion }: { row: NonNullable<DispositionHistory['disposition']>; configVersion: number | undefined }) {
  return (
    <p className={`lqd-recommended${row.override ? ' lqd-recommended--override' : ''}`}>
      {row.recommended !== undefined && (
        <>
          {row.override ? (
            <strong>{t.recommendedOverridden(recommendationLabel(row.recommended), t.decidedAs[row.outcome])}</strong>
          ) : (
            t.recommendedFollowed(recommendationLabel(row.recommended))
          )}{' '}
        </>
      )}
      {configVersion !== undefined ? t.madeUnderConfig(configVersion) : t.madeBeforeVersions}
    </p>
  );
}

/** The decision and what it rests on: latest revision, snapshot, note, rep, CRM link. */
export function DecisionBody({ h, level = 2 }: { h: DispositionHistory & { disposition: NonNullable<DispositionHistory['disposition']> }; level?: 2 | 3 }) {
  const fmt = useFormat();
  const { config } = useDashboard();
  const row = h.disposition;
  const latest = h.revisions.at(-1);
  const Sub = level === 2 ? 'h3' : 'h4';
  const lead = latest?.snapshot.lead;
  const facts: [string, string | undefined][] = [
    [t.facts.title, lead?.title],
    [t.facts.email, lead?.email],
    [t.facts.source, row.source || undefined],
    [t.facts.campaign, row.campaign || undefined],
    [t.facts.mqlAt, row.mqlAt && fmt.dateTime(row.mqlAt)],
    [t.facts.firstContactAt, row.firstContactAt && fmt.dateTime(row.firstContactAt)],
    [t.facts.crmStatus, lead?.crmStatus],
  ];
  return (
    <>
      <section className="lqd-section" aria-label={t.decision}>
        <p className="lqd-decision">
          <span className={`lqd-outcome lqd-outcome--${row.outcome}`}>{latest ? outcomeLabel(latest.decision, config) : t.outcomes[row.outcome]}</span>
        </p>
        <p>
          {t.decidedBy(isolate(row.repName))}, <time dateTime={row.decidedAt}>{fmt.dateTime(row.decidedAt)}</time>
          {' · '}
          <span className={`lqd-sync lqd-sync--${row.sync}`}>{t.syncStates[row.sync]}</span>
          {row.syncMessage ? ` (${row.syncMessage})` : ''}
        </p>
        <RecommendedVsOutcome row={row} configVersion={row.configVersion ?? latest?.snapshot.configVersion} />
        {latest && decisionDetails(latest.decision, config).length > 0 && (
          <ul className="lqd-details">
            {decisionDetails(latest.decision, config).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
        <Sub>{t.note}</Sub>
        {latest?.decision.note.trim() ? <p className="lqd-note">
            <Untrusted text={latest.decision.note.trim()} />
          </p> : <p className="lqd-muted">{t.noNote}</p>}
        {row.url && (
          <p>
            <a href={row.url} target="_blank" rel="noopener noreferrer" className="lqd-link">
              {t.openInCrm} <span className="lqd-sub-inline">{t.opensInNewTab}</span>
            </a>
          </p>
        )}
      </section>
      <section className="lqd-section" aria-label={t.leadFacts}>
        <Sub>{t.leadFacts}</Sub>
        <dl className="lqd-facts">
          {facts
            .filter(([, v]) => v)
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
        </dl>
      </section>
      {latest && (
        <section className="lqd-section" aria-label={t.snapshot}>
          <Sub>{t.snapshot}</Sub>
          <p className="lqd-hint">{t.snapshotOf(latest.rev, fmt.dateTime(latest.at))}</p>
          <ChecklistTable snapshot={latest.snapshot} config={config} />
          <div className="lq-panel lqd-snapshot">
            <ScoreBreakdown score={latest.snapshot.score} />
            <RecommendationCard recommendation={latest.snapshot.recommendation} reasonCodes={config.reasonCodes} />
          </div>
        </section>
      )}
    </>
  );
}

export function DetailView({ dispositionId, onBack, focusOnOpen = true, level = 2 }: DetailViewProps) {
  const { db, config } = useDashboard();
  const live = useLive(() => history(db, dispositionId), [db, dispositionId]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const loaded = live.status !== 'loading';
  useEffect(() => {
    if (focusOnOpen && loaded) headingRef.current?.focus();
  }, [focusOnOpen, loaded, dispositionId]);
  const Heading = level === 2 ? 'h2' : 'h3';

  let body;
  let title: ReactNode = t.loading;
  if (live.status === 'error') body = <p role="alert">{live.message}</p>;
  else if (live.status === 'ok' && !live.data.disposition) {
    title = t.detailNotFound;
    body = null;
  } else if (live.status === 'ok' && live.data.disposition) {
    const h = live.data as DispositionHistory & { disposition: NonNullable<DispositionHistory['disposition']> };
    title = h.disposition.leadName ? <Untrusted text={h.disposition.leadName} /> : t.unnamedLead;
    body = (
      <>
        {h.disposition.company && (
          <p className="lqd-company">
            <Untrusted text={h.disposition.company} />
          </p>
        )}
        <DecisionBody h={h} level={level} />
        <HistoryTimeline h={h} config={config} level={level} />
      </>
    );
  }

  return (
    <article className="lqd-detail" aria-busy={live.status === 'loading'}>
      {onBack && (
        <button type="button" className="lq-button lqd-back" onClick={onBack}>
          <span aria-hidden="true">← </span>
          {t.backToList}
        </button>
      )}
      <Heading ref={headingRef} tabIndex={-1} className="lqd-detail__title">
        {title}
      </Heading>
      {body}
    </article>
  );
}
