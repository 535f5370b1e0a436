import type { LeadProfile } from '../../domain/lead';
import { formatDuration, type SlaState, type SlaTimer } from '../../domain/sla';
import { useFormat } from './format';
import { strings as t } from './strings';
import { Untrusted } from '../Untrusted';

export interface LeadHeaderProps {
  lead: Pick<LeadProfile, 'name' | 'company' | 'title' | 'crmStatus'>;
  sla: { speedToLead?: SlaTimer; disposition?: SlaTimer };
  /** The clock (ms). Open timers are recomputed against it, so a ticking clock needs no new qualification. */
  now: number;
  /** Share of a window that counts as "due soon" (config.sla.dueSoonShare). */
  dueSoonShare: number;
}

type Tone = 'ok' | 'warn' | 'bad';

interface TimerView {
  text: string;
  tone: Tone;
  dueSoon: boolean;
}

/** What a timer says now: "12 min left", "Breached 2 h ago", "Met" or "Missed by 5 min". */
export function describeTimer(timer: SlaTimer, now: number, dueSoonShare: number): TimerView {
  if (timer.completedAt) {
    return timer.met
      ? { text: t.slaMet, tone: 'ok', dueSoon: false }
      : { text: t.slaMissedBy(formatDuration(-timer.remainingMs)), tone: 'bad', dueSoon: false };
  }
  // Same rules as the domain's timer (exactly at the deadline is on time), against the current clock.
  const remaining = Date.parse(timer.deadline) - now;
  const state: SlaState = remaining < 0 ? 'breached' : remaining <= dueSoonShare * timer.windowMs ? 'due_soon' : 'on_track';
  if (state === 'breached') return { text: t.slaBreachedAgo(formatDuration(-remaining)), tone: 'bad', dueSoon: false };
  return { text: t.slaLeft(formatDuration(remaining)), tone: state === 'due_soon' ? 'warn' : 'ok', dueSoon: state === 'due_soon' };
}

function Timer({ label, timer, now, dueSoonShare }: { label: string; timer: SlaTimer; now: number; dueSoonShare: number }) {
  const fmt = useFormat();
  const view = describeTimer(timer, now, dueSoonShare);
  return (
    <div className={`lq-sla lq-sla--${view.tone}`} data-kind={timer.kind}>
      <dt>{label}</dt>
      <dd>
        <span className="lq-sla__text">{view.text}</span>
        {view.dueSoon && (
          <>
            {' '}
            <span className="lq-tag lq-tag--warn">{t.slaDueSoon}</span>
          </>
        )}
        {!timer.completedAt && (
          <>
            {' '}
            <span className="lq-muted lq-sla__deadline">{t.slaDeadline(fmt.dateTime(timer.deadline))}</span>
          </>
        )}
      </dd>
    </div>
  );
}

export function LeadHeader({ lead, sla, now, dueSoonShare }: LeadHeaderProps) {
  const facts: [string, string | undefined][] = [
    [t.title, lead.title],
    [t.company, lead.company],
    [t.crmStatus, lead.crmStatus],
  ];
  return (
    <header className="lq-header">
      <h2 className="lq-header__name">{lead.name?.trim() ? <Untrusted text={lead.name} /> : t.unnamedLead}</h2>
      <dl className="lq-facts">
        {facts
          .filter((f): f is [string, string] => !!f[1])
          .map(([label, value]) => (
            <div key={label} className="lq-fact">
              <dt>{label}</dt>
              <dd>
                <Untrusted text={value} />
              </dd>
            </div>
          ))}
      </dl>
      {(sla.speedToLead || sla.disposition) && (
        <div role="group" aria-label={t.slaLabel}>
          <dl className="lq-slas">
            {sla.speedToLead && <Timer label={t.slaSpeedToLead} timer={sla.speedToLead} now={now} dueSoonShare={dueSoonShare} />}
            {sla.disposition && <Timer label={t.slaDisposition} timer={sla.disposition} now={now} dueSoonShare={dueSoonShare} />}
          </dl>
        </div>
      )}
    </header>
  );
}
