import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ConfigError, QualificationConfig } from '../../domain/config';
import { validateDecision, type DecisionInput, type Outcome } from '../../domain/dispositions';
import { messageOf } from '../../domain/errors';
import { addDays, useFormat } from './format';
import { strings as t } from './strings';
import type { OnSave } from './types';
import { lastInputWasPointer, useActionGate } from './use-frame-visible';

export type DispositionConfig = Pick<QualificationConfig, 'reasonCodes' | 'nextSteps' | 'limits' | 'thresholds'>;

export interface DispositionFormProps {
  kind: Outcome;
  config: DispositionConfig;
  /** The rep's calendar day, `YYYY-MM-DD`: dates are validated against it. */
  today: string;
  /** Values to start from: a saved draft, or the decision being changed. Used when its outcome is `kind`. */
  initial?: DecisionInput;
  /** Preselected reason code for a rejection (recommendation.suggestedReasonCode), if still active. */
  suggestedReasonCode?: string;
  /** Every edit, as the decision it would make (for drafts). */
  onChange?: (input: DecisionInput) => void;
  /** Only called with a decision that passed `validateDecision`. */
  onSave: OnSave;
  onCancel?: () => void;
  /** Move focus to the first field when the form appears (it was opened by the rep, not restored). */
  autoFocus?: boolean;
  /** Contact attempts logged on this lead (call mode): the starting value of a rejection's "Contact attempts". */
  suggestedAttempts?: number;
}

interface Fields {
  reasonCode: string;
  subReason: string;
  attempts: string;
  note: string;
  nextStepId: string;
  nextStepOn: string;
  recheckOn: string;
  trigger: string;
}
type FieldName = keyof Fields;

function initialFields(kind: Outcome, config: DispositionConfig, today: string, initial: DecisionInput | undefined, suggested: string | undefined, attempts: number | undefined): Fields {
  const active = (code: string | undefined) => (code && config.reasonCodes.some((r) => r.code === code && !r.retired) ? code : '');
  const f: Fields = {
    reasonCode: kind === 'reject' ? active(suggested) : '',
    subReason: '',
    attempts: attempts ? String(attempts) : '',
    note: '',
    nextStepId: '',
    nextStepOn: '',
    // The team's recycling rule as a starting point; the rep can change or clear it.
    recheckOn: addDays(today, config.thresholds.nurtureRecheckDays),
    trigger: '',
  };
  if (!initial || initial.outcome !== kind) return f;
  switch (initial.outcome) {
    case 'accept':
      return { ...f, nextStepId: initial.nextStepId ?? '', nextStepOn: initial.nextStepOn ?? '', note: initial.note ?? '' };
    case 'reject':
      return {
        ...f,
        reasonCode: initial.reasonCode ?? f.reasonCode,
        subReason: initial.subReason ?? '',
        attempts: initial.attempts === undefined ? f.attempts : String(initial.attempts),
        note: initial.note ?? '',
      };
    case 'recycle':
      return { ...f, recheckOn: initial.recheckOn ?? '', trigger: initial.trigger ?? '', note: initial.note ?? '' };
  }
}

/** The decision the fields describe, before validation. */
function toInput(kind: Outcome, f: Fields, config: DispositionConfig): DecisionInput {
  switch (kind) {
    case 'accept':
      return { outcome: 'accept', stage: 'sql', nextStepId: f.nextStepId, nextStepOn: f.nextStepOn, note: f.note };
    case 'reject': {
      const reason = config.reasonCodes.find((r) => r.code === f.reasonCode);
      const input: DecisionInput = { outcome: 'reject', reasonCode: f.reasonCode, note: f.note };
      if (reason && reason.subReasons.length > 0 && f.subReason) input.subReason = f.subReason;
      if (reason?.minAttempts !== undefined && f.attempts.trim() !== '') input.attempts = Number(f.attempts);
      return input;
    }
    case 'recycle':
      return { outcome: 'recycle', recheckOn: f.recheckOn, trigger: f.trigger, note: f.note };
  }
}

const headings: Record<Outcome, string> = { accept: t.acceptForm, reject: t.rejectForm, recycle: t.recycleForm };

export function DispositionForm({ kind, config, today, initial, suggestedReasonCode, onChange, onSave, onCancel, autoFocus, suggestedAttempts }: DispositionFormProps) {
  const fmt = useFormat();
  const id = useId();
  const [fields, setFields] = useState(() => initialFields(kind, config, today, initial, suggestedReasonCode, suggestedAttempts));
  const [errors, setErrors] = useState<ConfigError[]>([]);
  const [failedSubmits, setFailedSubmits] = useState(0);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | undefined>();
  const summary = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  // Saving works only while the browser says the buttons are in view and uncovered, and a pointer's click
  // only once the pointer has been in the panel for a moment (clickjacking, ADR 0015).
  const actions = useRef<HTMLDivElement>(null);
  const gate = useActionGate(actions);
  const hidden = gate.hidden;
  const heading = useRef<HTMLHeadingElement>(null);

  const focusOnMount = useRef(autoFocus);
  useEffect(() => {
    if (!focusOnMount.current) return;
    // Opened by a click: focus the heading, not a field, so a page that got that click cannot have "press
    // Enter" submit a complete form (a recycle form is complete as it opens). From the keyboard: the first field.
    if (lastInputWasPointer(form.current?.ownerDocument)) heading.current?.focus();
    else form.current?.querySelector<HTMLElement>('select, input, textarea')?.focus();
  }, []);

  // After a failed save, take the rep to the list of problems (announced by role="alert" too).
  useEffect(() => {
    if (failedSubmits > 0) summary.current?.focus();
  }, [failedSubmits]);

  const fieldId = (name: string) => `${id}-${name}`;
  const errorFor = (name: FieldName) => errors.find((e) => e.path === name)?.message;
  const update = (name: FieldName, value: string) => {
    const next = { ...fields, [name]: value };
    if (name === 'reasonCode') next.subReason = '';
    setFields(next);
    setSaveError(undefined);
    onChange?.(toInput(kind, next, config));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (saving || hidden) return;
    const result = validateDecision(toInput(kind, fields, config), config, today);
    if (!result.ok) {
      setErrors(result.errors);
      setFailedSubmits((n) => n + 1);
      return;
    }
    setErrors([]);
    setSaveError(undefined);
    const pending = onSave(result.value);
    if (pending && typeof pending.then === 'function') {
      setSaving(true);
      pending.then(
        () => setSaving(false),
        (err: unknown) => {
          setSaving(false);
          setSaveError(t.saveFailed(messageOf(err)));
        },
      );
    }
  };

  /** Label, control, hint and inline error, wired together with aria-describedby and aria-invalid. */
  const field = (name: FieldName, label: string, control: (p: ControlProps) => ReactNode, hint?: string) => {
    const error = errorFor(name);
    const hintId = `${fieldId(name)}-hint`;
    const errorId = `${fieldId(name)}-error`;
    const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`lq-field${error ? ' lq-field--invalid' : ''}`}>
        <label htmlFor={fieldId(name)}>{label}</label>
        {hint && (
          <p id={hintId} className="lq-hint">
            {hint}
          </p>
        )}
        {error && (
          <p id={errorId} className="lq-error">
            {error}
          </p>
        )}
        {control({
          id: fieldId(name),
          'aria-invalid': error ? true : undefined,
          'aria-describedby': describedBy,
          value: fields[name],
          onChange: (e) => update(name, e.target.value),
        })}
      </div>
    );
  };

  const noteHint = (min: number, optional: boolean) => {
    const parts = [optional ? t.optional : undefined, min > 1 ? t.noteMinHint(min) : undefined];
    if (fields.note.length > config.limits.noteMaxChars * 0.8) parts.push(t.characters(fmt.count(fields.note.length), fmt.count(config.limits.noteMaxChars)));
    return parts.filter(Boolean).join(' ') || undefined;
  };
  const note = (optional: boolean, min = 1) => field('note', t.note, (p) => <textarea rows={3} {...p} />, noteHint(min, optional));

  const reason = kind === 'reject' ? config.reasonCodes.find((r) => r.code === fields.reasonCode) : undefined;
  const shown = new Set<string>(
    kind === 'accept'
      ? ['nextStepId', 'nextStepOn', 'note']
      : kind === 'recycle'
        ? ['recheckOn', 'trigger', 'note']
        : ['reasonCode', 'note', ...(reason && reason.subReasons.length > 0 ? ['subReason'] : []), ...(reason?.minAttempts !== undefined ? ['attempts'] : [])],
  );

  let body: ReactNode;
  switch (kind) {
    case 'reject': {
      // A retired code stays listed only if it is the one already chosen (validation will say it is retired).
      const active = config.reasonCodes.filter((r) => !r.retired || r.code === fields.reasonCode);
      body = (
        <>
          {field(
            'reasonCode',
            t.reasonCode,
            (p) => (
              <select {...p}>
                <option value="">{t.chooseReason}</option>
                {active.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label}
                  </option>
                ))}
              </select>
            ),
            reason?.description || undefined,
          )}
          {reason &&
            reason.subReasons.length > 0 &&
            field('subReason', t.subReason, (p) => (
              <select {...p}>
                <option value="">{t.noSubReason}</option>
                {reason.subReasons.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            ))}
          {reason?.minAttempts !== undefined &&
            field('attempts', t.attempts, (p) => <input type="number" inputMode="numeric" min={0} step={1} {...p} />, t.attemptsHint(reason.minAttempts))}
          {note(false, reason?.minNoteChars ?? 1)}
        </>
      );
      break;
    }
    case 'accept':
      body = (
        <>
          {field('nextStepId', t.nextStep, (p) => (
            <select {...p}>
              <option value="">{t.chooseNextStep}</option>
              {config.nextSteps.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          ))}
          {field('nextStepOn', t.nextStepOn, (p) => <input type="date" min={today} {...p} />)}
          {note(true)}
        </>
      );
      break;
    case 'recycle':
      body = (
        <>
          {field('recheckOn', t.recheckOn, (p) => <input type="date" min={addDays(today, 1)} {...p} />, t.recheckHint)}
          {field('trigger', t.recheckTrigger, (p) => <input type="text" maxLength={300} placeholder={t.triggerPlaceholder} {...p} />)}
          {note(true)}
        </>
      );
      break;
  }

  const headingId = `${id}-heading`;
  return (
    <form ref={form} className="lq-form" aria-labelledby={headingId} onSubmit={submit} noValidate data-kind={kind}>
      <h4 id={headingId} ref={heading} tabIndex={-1}>
        {headings[kind]}
      </h4>
      {errors.length > 0 && (
        <div ref={summary} role="alert" tabIndex={-1} className="lq-error-summary" aria-labelledby={`${id}-summary-title`}>
          <p id={`${id}-summary-title`} className="lq-error-summary__title">
            {t.errorSummary(errors.length)}
          </p>
          <ul>
            {errors.map((e, i) => (
              <li key={i}>
                {shown.has(e.path) ? (
                  <a
                    href={`#${fieldId(e.path)}`}
                    onClick={(ev) => {
                      ev.preventDefault();
                      document.getElementById(fieldId(e.path))?.focus();
                    }}
                  >
                    {e.message}
                  </a>
                ) : (
                  e.message
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {body}
      {saveError && (
        <p role="alert" className="lq-error">
          {saveError}
        </p>
      )}
      <div ref={actions} className="lq-actions">
        <button
          type="submit"
          className="lq-button lq-button--primary"
          aria-disabled={saving || hidden || undefined}
          aria-describedby={hidden ? `${id}-hidden` : gate.tooSoon ? `${id}-soon` : undefined}
          onClick={(e) => gate.allows(e)}
        >
          {saving ? t.saving : t.save}
        </button>
        {onCancel && (
          <button type="button" className="lq-button" onClick={onCancel}>
            {t.cancel}
          </button>
        )}
      </div>
      {/* Below the buttons: saying why must not move them (moved out of view, they would pause again, and so on). */}
      {hidden && (
        <p id={`${id}-hidden`} className="lq-hint">
          {t.saveWhileHidden}
        </p>
      )}
      {!hidden && gate.tooSoon && (
        <p id={`${id}-soon`} className="lq-hint" role="status">
          {t.pointerTooSoon}
        </p>
      )}
    </form>
  );
}

interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  value: string;
  onChange: (e: { target: { value: string } }) => void;
}
