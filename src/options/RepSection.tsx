import { useId, useState, type FormEvent } from 'react';
import type { PublicConnectionView } from './types';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { strings as t } from './strings';
import type { OptionsSend } from './types';
import { Untrusted } from '../ui/Untrusted';

export interface RepSectionProps {
  /** The name and email the rep gave, if any. */
  rep: { name: string; email: string } | null;
  /** Each connection says (or not) which CRM user it belongs to. */
  connections: readonly PublicConnectionView[];
  send: OptionsSend;
  onSaved?: () => void;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Who signs decisions: per connected CRM, the user the CRM says the connection belongs to. Only where a
 * CRM cannot say (or none is connected) does the rep's own name and email count: asked for here, once,
 * with the reason (`options.setRep`).
 */
export function RepSection({ rep, connections, send, onSaved }: RepSectionProps) {
  const ids = useId();
  const [name, setName] = useState(rep?.name ?? '');
  const [email, setEmail] = useState(rep?.email ?? '');
  const [errors, setErrors] = useState<{ name?: string; email?: string }>({});
  const [feedback, setFeedback] = useState<Feedback>();
  const needed = connections.length === 0 || connections.some((c) => !c.user);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (feedback?.kind === 'busy') return;
    const next = { name: name.trim() ? undefined : t.repNameRequired, email: EMAIL.test(email.trim()) ? undefined : t.repEmailRequired };
    setErrors(next);
    if (next.name || next.email) {
      setFeedback(undefined);
      return;
    }
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      await send('options.setRep', { name: name.trim(), email: email.trim() });
      setFeedback({ kind: 'ok', message: t.repSaved });
      onSaved?.();
    } catch (err) {
      setFeedback(errorFeedback(err));
    }
  }

  return (
    <section aria-labelledby={`${ids}-h`} className="lq-section">
      <h2 id={`${ids}-h`}>{t.repHeading}</h2>
      <p className="lq-hint">{t.repIntro}</p>
      <ul className="lq-identities">
        {connections.map((c) => (
          <li key={c.crm} data-crm={c.crm}>
            {c.user ? <Untrusted text={t.repSignedInAs(c.label, c.user.name, c.user.email)} /> : c.userCheckedAt ? t.repCrmCannotSay(c.label) : t.repNotAsked(c.label)}
          </li>
        ))}
      </ul>
      <p className="lq-hint">{connections.length === 0 ? t.repNoConnection : t.repWhy}</p>
      {needed && !rep && <p className="lq-hint">{t.repNotSet}</p>}
      <form onSubmit={submit} noValidate>
        <div className="lq-row">
          <div className="lq-field">
            <label htmlFor={`${ids}-name`}>{t.repName}</label>
            <input
              id={`${ids}-name`}
              type="text"
              autoComplete="name"
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? `${ids}-name-err` : undefined}
            />
            {errors.name && (
              <p id={`${ids}-name-err`} className="lq-error">
                {errors.name}
              </p>
            )}
          </div>
          <div className="lq-field">
            <label htmlFor={`${ids}-email`}>{t.repEmail}</label>
            <input
              id={`${ids}-email`}
              type="email"
              autoComplete="email"
              maxLength={320}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={`${ids}-email-hint${errors.email ? ` ${ids}-email-err` : ''}`}
            />
            <p id={`${ids}-email-hint`} className="lq-hint">
              {t.repEmailHint}
            </p>
            {errors.email && (
              <p id={`${ids}-email-err`} className="lq-error">
                {errors.email}
              </p>
            )}
          </div>
        </div>
        <div className="lq-actions">
          <button type="submit" className="lq-button lq-button--primary" aria-disabled={feedback?.kind === 'busy' || undefined}>
            {t.repSave}
          </button>
        </div>
      </form>
      <FeedbackView feedback={feedback} />
    </section>
  );
}
