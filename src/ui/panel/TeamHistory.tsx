import { useId } from 'react';
import { formatDuration } from '../../domain/sla';
import { Untrusted } from '../Untrusted';
import { useFormat } from './format';
import { strings as t } from './strings';

/** One line of the lead's team record (every rep's decisions, the managers' reviews), as the CRM holds it. */
export type TeamEntry =
  | { kind: 'decision'; noteId: string; dispositionId: string; rev: number; outcome: 'accept' | 'reject' | 'recycle'; label: string; subReason?: string; note: string; by: string; at: string; trust: TeamTrust }
  | { kind: 'review'; noteId: string; dispositionId: string; rev: number; verdict: 'agree' | 'disagree'; comment: string; label: string; by: string; at: string; trust: TeamTrust };

export interface TeamTrust {
  state: 'verified' | 'unconfirmed' | 'flagged';
  notes: string[];
}

export interface TeamView {
  entries: TeamEntry[];
  status?: string;
  readAt?: string;
  problem?: string;
}

/**
 * What the team already knows about this lead: who decided what, when, with which reason and note,
 * what the managers said, and the CRM's status now. Everything here came from the CRM: shown as text,
 * with a note where it could not be confirmed (or was flagged) rather than left out silently.
 */
export function TeamHistory({ team, now }: { team: TeamView; now: number }) {
  const fmt = useFormat();
  const id = useId();
  const age = team.readAt ? now - Date.parse(team.readAt) : undefined;
  const ageText = age === undefined ? undefined : age < 60_000 ? t.team.readJustNow : t.team.readAgo(formatDuration(age));
  const entries = [...team.entries].reverse();
  return (
    <section className="lq-section lq-team" aria-labelledby={id}>
      <h3 id={id}>{t.team.heading}</h3>
      <p className="lq-muted">
        {[team.status ? t.team.statusNow(team.status) : undefined, team.problem ? undefined : ageText].filter(Boolean).join(' · ')}
      </p>
      {team.problem && (
        <p className="lq-muted" role="status">
          {age !== undefined ? t.team.offline(formatDuration(Math.max(age, 60_000)), team.problem) : team.problem}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="lq-muted">{t.team.none}</p>
      ) : (
        <ol className="lq-team__list">
          {entries.map((e) => (
            <li key={e.noteId} className={`lq-team__entry lq-team__entry--${e.trust.state}`} data-kind={e.kind} data-trust={e.trust.state}>
              <p>
                {e.kind === 'decision' ? (
                  <Untrusted text={t.team.decision(e.label, e.by, fmt.dateTime(e.at))} />
                ) : (
                  <Untrusted text={t.team.review(e.by, e.verdict, e.label, fmt.dateTime(e.at))} />
                )}
                {e.rev > 1 && e.kind === 'decision' && <span className="lq-muted"> ({t.team.revision(e.rev)})</span>}
              </p>
              {e.kind === 'decision' && e.subReason && <p className="lq-muted"><Untrusted text={e.subReason} /></p>}
              {(e.kind === 'decision' ? e.note : e.comment).trim() && (
                <p className="lq-team__note">
                  <Untrusted text={(e.kind === 'decision' ? e.note : e.comment).trim()} />
                </p>
              )}
              {e.trust.state !== 'verified' && (
                <p className={`lq-team__trust lq-team__trust--${e.trust.state}`}>
                  <Untrusted text={e.trust.state === 'flagged' ? t.team.trust.flagged(e.trust.notes.join('; ')) : t.team.trust.unconfirmed(e.trust.notes.join('; '))} />
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
