import { useId, useState, type FormEvent } from 'react';
import { DEFAULT_REP } from '../store/settings';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { strings as t } from './strings';
import type { OptionsSend } from './types';

export interface RepSectionProps {
  rep: { id: string; name: string };
  send: OptionsSend;
  onSaved?: () => void;
}

/** The rep's name and ID, written into every decision they make (`options.setRep`). */
export function RepSection({ rep, send, onSaved }: RepSectionProps) {
  const ids = useId();
  const isDefault = rep.id === DEFAULT_REP.id && rep.name === DEFAULT_REP.name;
  const [name, setName] = useState(isDefault ? '' : rep.name);
  const [repId, setRepId] = useState(isDefault ? '' : rep.id);
  const [errors, setErrors] = useState<{ name?: string; id?: string }>({});
  const [feedback, setFeedback] = useState<Feedback>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (feedback?.kind === 'busy') return;
    const next = { name: name.trim() ? undefined : t.repNameRequired, id: repId.trim() ? undefined : t.repIdRequired };
    setErrors(next);
    if (next.name || next.id) {
      setFeedback(undefined);
      return;
    }
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      await send('options.setRep', { id: repId.trim(), name: name.trim() });
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
      {isDefault && <p className="lq-hint">{t.repNotSet}</p>}
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
            <label htmlFor={`${ids}-id`}>{t.repId}</label>
            <input
              id={`${ids}-id`}
              type="text"
              autoComplete="username"
              maxLength={200}
              value={repId}
              onChange={(e) => setRepId(e.target.value)}
              aria-invalid={errors.id ? true : undefined}
              aria-describedby={`${ids}-id-hint${errors.id ? ` ${ids}-id-err` : ''}`}
            />
            <p id={`${ids}-id-hint`} className="lq-hint">
              {t.repIdHint}
            </p>
            {errors.id && (
              <p id={`${ids}-id-err`} className="lq-error">
                {errors.id}
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
