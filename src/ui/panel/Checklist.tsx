import { useId, useState, type KeyboardEvent } from 'react';
import { criterionStates, type Criterion, type CriterionState, type Framework } from '../../domain/config';
import type { Checklist as ChecklistData, CriterionAnswer, Progress } from '../../domain/frameworks';
import { useFormat } from './format';
import { strings as t } from './strings';
import type { OnAnswer } from './types';

export interface ChecklistProps {
  /** The frameworks the team offers (config.frameworks). */
  frameworks: readonly Framework[];
  /** The framework in use (qualification.framework: the checklist's, or the default if that one is gone). */
  framework: Framework;
  checklist: ChecklistData;
  progress: Progress;
  /** config.limits.evidenceMaxChars */
  evidenceMaxChars: number;
  onFrameworkChange: (frameworkId: string) => void;
  /** Called when a state is picked, and with the evidence when its field loses focus (or Ctrl/⌘+Enter). */
  onAnswer: OnAnswer;
  /** Id for the section heading, so the panel's navigation can link to it. */
  headingId?: string;
}

export function Checklist({ frameworks, framework, checklist, progress, evidenceMaxChars, onFrameworkChange, onAnswer, headingId }: ChecklistProps) {
  const id = useId();
  const selectId = `${id}-framework`;
  const descriptionId = `${id}-framework-description`;
  return (
    <section className="lq-section" aria-labelledby={headingId ?? `${id}-heading`}>
      <h3 id={headingId ?? `${id}-heading`} tabIndex={-1}>
        {t.checklist}
      </h3>
      <div className="lq-field">
        <label htmlFor={selectId}>{t.framework}</label>
        <select
          id={selectId}
          value={framework.id}
          aria-describedby={framework.description ? descriptionId : undefined}
          onChange={(e) => onFrameworkChange(e.target.value)}
        >
          {frameworks.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
        {framework.description && (
          <p id={descriptionId} className="lq-hint">
            {framework.description}
          </p>
        )}
      </div>
      <p className="lq-progress" aria-live="polite">
        {progress.summary}
      </p>
      <ul className="lq-criteria">
        {framework.criteria.map((c) => (
          <CriterionRow key={c.id} criterion={c} answer={checklist.answers[c.id]} maxChars={evidenceMaxChars} onAnswer={onAnswer} />
        ))}
      </ul>
    </section>
  );
}

interface CriterionRowProps {
  criterion: Criterion;
  answer: CriterionAnswer | undefined;
  maxChars: number;
  onAnswer: OnAnswer;
}

function CriterionRow({ criterion, answer, maxChars, onAnswer }: CriterionRowProps) {
  const fmt = useFormat();
  const id = useId();
  const state: CriterionState = answer?.state ?? 'unknown';
  const saved = answer?.evidence ?? '';

  // Local text, so a re-render never throws away what the rep is typing. `base` is the saved evidence
  // the text started from: when the saved value changes and the rep has not edited, follow it.
  const [text, setText] = useState(saved);
  const [base, setBase] = useState(saved);
  if (saved !== base) {
    setBase(saved);
    if (text === base) setText(saved);
  }

  const tooLong = text.length > maxChars;
  const nearLimit = text.length > maxChars * 0.8;
  const labelId = `${id}-label`;
  const hintId = `${id}-hint`;
  const evidenceId = `${id}-evidence`;
  const countId = `${id}-count`;
  const errorId = `${id}-error`;

  const choose = (next: CriterionState) => onAnswer(criterion.id, { state: next, evidence: tooLong ? saved : text });
  const commit = () => {
    if (text !== saved && !tooLong) onAnswer(criterion.id, { state, evidence: text });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      commit();
    }
  };

  const describedBy = [nearLimit ? countId : undefined, tooLong ? errorId : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <li className="lq-criterion" data-state={state}>
      <h4 id={labelId} className="lq-criterion__label">
        {criterion.label}
      </h4>
      <p id={hintId} className="lq-hint">
        {t.confirmedWhen(criterion.confirmedWhen)}
      </p>
      <div role="radiogroup" aria-labelledby={labelId} aria-describedby={hintId} className="lq-states">
        {criterionStates.map((s) => (
          <label key={s} className={`lq-state lq-state--${s}`}>
            <input type="radio" name={`${id}-state`} value={s} checked={state === s} onChange={() => choose(s)} />
            <span>{t.states[s]}</span>
          </label>
        ))}
      </div>
      {answer && <p className="lq-meta">{t.answeredBy(answer.by, fmt.dateTime(answer.at))}</p>}
      <div className="lq-field">
        <label htmlFor={evidenceId} className="lq-label--small">
          {t.evidence}
        </label>
        <textarea
          id={evidenceId}
          aria-label={t.evidenceLabel(criterion.label)}
          aria-describedby={describedBy}
          aria-invalid={tooLong || undefined}
          rows={2}
          value={text}
          placeholder={t.evidencePlaceholder}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={onKeyDown}
        />
        {nearLimit && (
          <p id={countId} className="lq-hint">
            {t.characters(fmt.count(text.length), fmt.count(maxChars))}
          </p>
        )}
        {tooLong && (
          <p id={errorId} className="lq-error">
            {t.evidenceTooLong(fmt.count(text.length), fmt.count(maxChars))}
          </p>
        )}
      </div>
    </li>
  );
}
