import { useId, useState } from 'react';
import type { Overview, QueueItem } from '../messaging/options-protocol';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { strings as t } from './strings';
import type { OptionsSend } from './types';

export interface QueueSectionProps {
  queue: Overview['queue'];
  /** CRM id → name for people. */
  crmLabel: (crm: string) => string;
  send: OptionsSend;
  now: number;
  formatTime: (ms: number) => string;
  onChanged: () => void;
}

function stateText(item: QueueItem): string {
  if (item.state === 'pending' && item.lastError) return t.itemState.retrying;
  return t.itemState[item.state];
}

/** The outbox as people see it: counts, each recent decision's delivery, and retries. */
export function QueueSection({ queue, crmLabel, send, now, formatTime, onChanged }: QueueSectionProps) {
  const ids = useId();
  const [feedback, setFeedback] = useState<Feedback>();
  const busy = feedback?.kind === 'busy';

  async function run(action: () => Promise<string>) {
    if (busy) return;
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      setFeedback({ kind: 'ok', message: await action() });
    } catch (e) {
      setFeedback(errorFeedback(e));
    }
    onChanged();
  }
  const retry = (filter: { key?: string }) => run(async () => t.requeued((await send('options.retry', filter)).requeued));

  const next = (item: QueueItem) => (item.state !== 'pending' ? t.none : item.nextAt <= now ? t.nextNow : formatTime(item.nextAt));

  return (
    <section aria-labelledby={`${ids}-h`} className="lq-section">
      <h2 id={`${ids}-h`}>{t.queueHeading}</h2>
      <dl className="lq-counts">
        <div className="lq-count">
          <dt>{t.countPending}</dt>
          <dd>{queue.counts.pending}</dd>
        </div>
        <div className={`lq-count${queue.counts.failed > 0 ? ' lq-count--bad' : ''}`}>
          <dt>{t.countFailed}</dt>
          <dd>{queue.counts.failed}</dd>
        </div>
        <div className="lq-count">
          <dt>{t.countDone}</dt>
          <dd>{queue.counts.done}</dd>
        </div>
      </dl>
      <div className="lq-actions">
        <button type="button" className="lq-button lq-button--primary" aria-disabled={busy || undefined} onClick={() => void run(async () => (await send('options.syncNow', {}), t.syncStarted))}>
          {t.syncNow}
        </button>
        {queue.counts.failed > 0 && (
          <button type="button" className="lq-button" aria-disabled={busy || undefined} onClick={() => void retry({})}>
            {t.retryAll}
          </button>
        )}
      </div>
      <FeedbackView feedback={feedback} />
      <p className="lq-hint">{t.refreshHint}</p>
      {queue.items.length === 0 ? (
        <p>{t.queueEmpty}</p>
      ) : (
        <div className="lq-table-wrap" role="group" aria-labelledby={`${ids}-caption`} tabIndex={0}>
          <table className="lq-table">
            <caption id={`${ids}-caption`}>{t.queueCaption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.colLead}</th>
                <th scope="col">{t.colCrm}</th>
                <th scope="col">{t.colRev}</th>
                <th scope="col">{t.colState}</th>
                <th scope="col">{t.colAttempts}</th>
                <th scope="col">{t.colNext}</th>
                <th scope="col">{t.colError}</th>
                <th scope="col">{t.colAction}</th>
              </tr>
            </thead>
            <tbody>
              {queue.items.map((item) => (
                <tr key={item.key} data-state={item.state}>
                  <th scope="row">{item.leadName}</th>
                  <td>{crmLabel(item.crm)}</td>
                  <td>{item.rev}</td>
                  <td>
                    <span className={`lq-pill lq-pill--${item.state}`}>{stateText(item)}</span>
                  </td>
                  <td>{item.attempts}</td>
                  <td>{next(item)}</td>
                  <td className="lq-error-text">{item.lastError ?? t.none}</td>
                  <td>
                    {item.state === 'failed' && (
                      <button type="button" className="lq-button lq-button--small" aria-label={t.retryItem(item.leadName, item.rev)} aria-disabled={busy || undefined} onClick={() => void retry({ key: item.key })}>
                        {t.retry}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
