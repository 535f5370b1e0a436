import type { LeadProfile } from '../../domain/lead';
import type { Disagreement } from '../../domain/lead-identity';
import { formatDuration, type SlaState, type SlaTimer } from '../../domain/sla';
import { isolate } from '../../domain/untrusted-text';
import { useFormat } from './format';
import { strings as t } from './strings';
import { Untrusted } from '../Untrusted';

/** Whose reading the header shows (ADR 15): the CRM's API once it answered, else the page's. */
export interface LeadSource {
  /** The CRM's API has answered for this lead: its name, company, title, email and status are shown. */
  fromCrm: boolean;
  /** The CRM's name for people ("HubSpot"). */
  crmLabel: string;
  /** Where the page shows something else than the CRM's API (whose value is shown). */
  disagreements?: Disagreement[];
}

export interface LeadHeaderProps {
  lead: Pick<LeadProfile, 'name' | 'company' | 'title' | 'crmStatus'> & Partial<Pick<LeadProfile, 'recordId'>>;
  /** Where the name and facts come from; absent: not said (e.g. a preview). */
  source?: LeadSource;
  sla: { speedToLead?: SlaTimer; disposition?: SlaTimer };
  /** The clock (ms). Open timers are recomputed against it, so a ticking clock needs no new qualification. */
  now: number;
  /** Share of a window that counts as "due soon" (config.sla.dueSoonShare). */
  dueSoonShare: number;
  /** On a call: the same facts in fewer lines (issue 17 part 6). */
  compact?: boolean;
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

/** "Name: the page shows “Eve”, HubSpot says “Maria” — using HubSpot’s." Both values are the CRM page's or the CRM's: isolated. */
function disagreementText(d: Disagreement, crm: string): string {
  const field = t.identityField[d.field];
  return d.crm === undefined ? t.pageDisagreesEmpty(field, isolate(d.page), crm) : t.pageDisagrees(field, isolate(d.page), crm, isolate(d.crm));
}

export function LeadHeader({ lead, source, sla, now, dueSoonShare, compact }: LeadHeaderProps) {
  const facts: [string, string | undefined][] = [
    [t.title, lead.title],
    [t.company, lead.company],
    [t.crmStatus, lead.crmStatus],
  ];
  const flags = source?.disagreements ?? [];
  return (
    <header className={`lq-header${compact ? ' lq-header--compact' : ''}`}>
      <div className="lq-header__top">
        <h2 className="lq-header__name">{lead.name?.trim() ? <Untrusted text={lead.name} /> : t.unnamedLead}</h2>
        {(lead.recordId || source) && (
          <p className="lq-meta lq-header__record">
            {lead.recordId && (
              <>
                {t.recordId} <Untrusted className="lq-header__record-id" text={lead.recordId} />
              </>
            )}
            {lead.recordId && source && ' · '}
            {source && (source.fromCrm ? t.fromCrm(source.crmLabel) : t.fromPage)}
          </p>
        )}
      </div>
      {source && flags.length > 0 && (
        <div role="group" aria-label={t.disagreementsLabel(source.crmLabel)} className="lq-cautions lq-header__disagreements">
          <ul className="lq-reasons">
            {flags.map((d) => (
              <li key={d.field}>{disagreementText(d, source.crmLabel)}</li>
            ))}
          </ul>
        </div>
      )}
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
