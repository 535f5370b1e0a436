import { useId, useState, type FormEvent } from 'react';
import type { Mapping } from '../crm/api';
import type { ReasonCode } from '../domain/config';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { strings as t } from './strings';
import type { OptionsSend } from './types';

export interface MappingFormProps {
  crm: string;
  crmLabel: string;
  mapping: Mapping;
  /** The team's reason codes (from the config): one CRM value each. */
  reasonCodes: readonly Pick<ReasonCode, 'code' | 'label' | 'retired'>[];
  send: OptionsSend;
  onSaved?: () => void;
}

type StatusKey = keyof Mapping['status'];
const STATUS_KEYS: readonly StatusKey[] = ['accept', 'reject', 'recycle'];
const statusLabel: Record<StatusKey, string> = { accept: t.statusAccept, reject: t.statusReject, recycle: t.statusRecycle };

/**
 * How decisions appear in one CRM: the status field and its value per outcome, the reason field, and the
 * CRM's value for each of the team's reason codes (`options.setMapping`).
 */
export function MappingForm({ crm, crmLabel, mapping, reasonCodes, send, onSaved }: MappingFormProps) {
  const ids = useId();
  const [statusField, setStatusField] = useState(mapping.statusField);
  const [status, setStatus] = useState<Mapping['status']>(mapping.status);
  const [reasonField, setReasonField] = useState(mapping.reasonField);
  const [reasons, setReasons] = useState<Record<string, string>>(mapping.reasons);
  const [errors, setErrors] = useState<Partial<Record<'statusField' | StatusKey, string>>>({});
  const [feedback, setFeedback] = useState<Feedback>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (feedback?.kind === 'busy') return;
    const next: typeof errors = {};
    if (!statusField.trim()) next.statusField = t.valueRequired(t.statusField);
    for (const k of STATUS_KEYS) if (!status[k].trim()) next[k] = t.valueRequired(statusLabel[k]);
    setErrors(next);
    if (Object.keys(next).length) {
      setFeedback(undefined);
      return;
    }
    // Empty values are left out: the CRM then gets the reason's label. Codes the config no longer has are kept.
    const cleaned = Object.fromEntries(Object.entries(reasons).map(([code, v]) => [code, v.trim()] as const).filter(([, v]) => v !== ''));
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      await send('options.setMapping', {
        crm,
        mapping: {
          statusField: statusField.trim(),
          status: { accept: status.accept.trim(), reject: status.reject.trim(), recycle: status.recycle.trim() },
          reasonField: reasonField.trim(),
          reasons: cleaned,
        },
      });
      setFeedback({ kind: 'ok', message: t.mappingSaved });
      onSaved?.();
    } catch (err) {
      setFeedback(errorFeedback(err));
    }
  }

  const field = (key: 'statusField' | StatusKey, label: string, value: string, onChange: (v: string) => void) => (
    <div className="lq-field" key={key}>
      <label htmlFor={`${ids}-${key}`}>{label}</label>
      <input
        id={`${ids}-${key}`}
        type="text"
        maxLength={100}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={errors[key] ? true : undefined}
        aria-describedby={errors[key] ? `${ids}-${key}-err` : undefined}
      />
      {errors[key] && (
        <p id={`${ids}-${key}-err`} className="lq-error">
          {errors[key]}
        </p>
      )}
    </div>
  );

  return (
    <form onSubmit={submit} noValidate className="lq-mapping" aria-labelledby={`${ids}-h`}>
      <h4 id={`${ids}-h`}>{t.mappingHeading(crmLabel)}</h4>
      <p className="lq-hint">{t.mappingIntro}</p>
      {field('statusField', t.statusField, statusField, setStatusField)}
      <fieldset>
        <legend>{t.statusValues}</legend>
        <div className="lq-row">{STATUS_KEYS.map((k) => field(k, statusLabel[k], status[k], (v) => setStatus((s) => ({ ...s, [k]: v }))))}</div>
      </fieldset>
      <div className="lq-field">
        <label htmlFor={`${ids}-reasonField`}>{t.reasonField}</label>
        <input id={`${ids}-reasonField`} type="text" maxLength={100} value={reasonField} onChange={(e) => setReasonField(e.target.value)} aria-describedby={`${ids}-reasonField-hint`} />
        <p id={`${ids}-reasonField-hint`} className="lq-hint">
          {t.reasonFieldHint}
        </p>
      </div>
      <fieldset aria-describedby={`${ids}-reasons-hint`}>
        <legend>{t.reasonValues}</legend>
        <p id={`${ids}-reasons-hint`} className="lq-hint">
          {t.reasonValuesHint}
        </p>
        <div className="lq-grid">
          {reasonCodes.map((r) => (
            <div className="lq-field" key={r.code}>
              <label htmlFor={`${ids}-r-${r.code}`}>
                {t.reasonValue(r.label, r.code)}
                {r.retired ? t.retiredSuffix : ''}
              </label>
              <input
                id={`${ids}-r-${r.code}`}
                type="text"
                maxLength={255}
                placeholder={r.label}
                value={reasons[r.code] ?? ''}
                onChange={(e) => setReasons((all) => ({ ...all, [r.code]: e.target.value }))}
              />
            </div>
          ))}
        </div>
      </fieldset>
      <div className="lq-actions">
        <button type="submit" className="lq-button lq-button--primary" aria-disabled={feedback?.kind === 'busy' || undefined}>
          {t.saveMapping}
        </button>
      </div>
      <FeedbackView feedback={feedback} />
    </form>
  );
}
