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
  /**
   * On a call (issue 17 part 6): one row per criterion (its number for Alt+Shift+n in the call notes, its
   * name, its four states as a grid under one header), so the whole checklist fits beside the call notes.
   * The evidence is written through the call notes then, and the framework stays as the call began; the
   * full rows and the framework choice come back after the call.
   */
  compact?: boolean;
}

/** The keys that set a criterion's state while its states have focus: 1 Unknown … 4 Disconfirmed. */
export const STATE_KEYS: Readonly<Record<string, CriterionState>> = Object.fromEntries(criterionStates.map((s, i) => [String(i + 1), s]));
const STATE_KEY_LIST = Object.keys(STATE_KEYS).join(' ');

/** A key press that is a state shortcut: a bare digit 1–4 (no modifier, not typed into a text field). */
export function stateForKey(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>): CriterionState | undefined {
  if (e.altKey || e.ctrlKey || e.metaKey) return undefined;
  return STATE_KEYS[e.key];
}

export function Checklist({ frameworks, framework, checklist, progress, evidenceMaxChars, onFrameworkChange, onAnswer, headingId, compact }: ChecklistProps) {
  const id = useId();
  const selectId = `${id}-framework`;
  const descriptionId = `${id}-framework-description`;
  const keysHintId = `${id}-keys`;
  if (compact) {
    return (
      <section className="lq-section lq-checklist--compact" aria-labelledby={headingId ?? `${id}-heading`}>
        <div className="lq-section__head">
          <h3 id={headingId ?? `${id}-heading`} tabIndex={-1}>
            {t.checklist}
          </h3>
          <p className="lq-progress" aria-live="polite">
            {progress.summary}
          </p>
        </div>
        <p id={keysHintId} className="lq-hint">
          {t.stateKeysHint}
        </p>
        {/* A grid: the states named once above their columns; each row's radios carry the same names. */}
        <div className="lq-matrix__head" aria-hidden="true">
          {criterionStates.map((s) => (
            <span key={s}>{t.states[s]}</span>
          ))}
        </div>
        <ul className="lq-criteria lq-matrix">
          {framework.criteria.map((c, i) => (
            <CompactCriterionRow key={c.id} n={i + 1} criterion={c} answer={checklist.answers[c.id]} keysHintId={keysHintId} onAnswer={onAnswer} />
          ))}
        </ul>
      </section>
    );
  }
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
      <p id={keysHintId} className="lq-hint">
        {t.stateKeysHint}
      </p>
      <ul className="lq-criteria">
        {framework.criteria.map((c) => (
          <CriterionRow key={c.id} criterion={c} answer={checklist.answers[c.id]} maxChars={evidenceMaxChars} keysHintId={keysHintId} onAnswer={onAnswer} />
        ))}
      </ul>
    </section>
  );
}

/**
 * A criterion's four states as a radio group: arrows move between them (the browser's own radio keys),
 * and 1–4 pick one directly. Digits are taken only here, where no text is typed, and with no modifier, so
 * they never fight typing or the browser's and screen readers' own keys (ADR 18 addendum).
 */
function StateRadios({ criterion, state, name, describedBy, onChoose, grid }: { criterion: Criterion; state: CriterionState; name: string; describedBy: string; onChoose: (s: CriterionState) => void; grid?: boolean }) {
  const labelId = `${name}-label`;
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = stateForKey(e);
    if (!next) return;
    e.preventDefault();
    if (next !== state) onChoose(next);
    // Focus follows the state picked, as the arrow keys do.
    e.currentTarget.querySelector<HTMLInputElement>(`input[value="${next}"]`)?.focus();
  };
  return (
    <div role="radiogroup" aria-labelledby={labelId} aria-describedby={describedBy} aria-keyshortcuts={STATE_KEY_LIST} className="lq-states" data-criterion={criterion.id} onKeyDown={onKeyDown}>
      {criterionStates.map((s) => (
        <label key={s} className={grid ? `lq-matrix__cell lq-matrix__cell--${s}` : `lq-state lq-state--${s}`}>
          <input type="radio" name={`${name}-state`} value={s} checked={state === s} onChange={() => onChoose(s)} />
          <span className={grid ? 'lq-visually-hidden' : undefined}>{t.states[s]}</span>
        </label>
      ))}
    </div>
  );
}

interface CompactCriterionRowProps {
  /** Its place in the checklist: Alt+Shift+n ties a call note to it. */
  n: number;
  criterion: Criterion;
  answer: CriterionAnswer | undefined;
  keysHintId: string;
  onAnswer: OnAnswer;
}

function CompactCriterionRow({ n, criterion, answer, keysHintId, onAnswer }: CompactCriterionRowProps) {
  const id = useId();
  const state: CriterionState = answer?.state ?? 'unknown';
  const hintId = `${id}-hint`;
  return (
    <li className="lq-criterion lq-criterion--compact" data-state={state}>
      <div className="lq-criterion__head">
        <kbd className="lq-key" aria-hidden="true" title={t.criterionKey(n)}>
          {n}
        </kbd>
        <h4 id={`${id}-label`} className="lq-criterion__label">
          {criterion.label}
        </h4>
        <span id={hintId} className="lq-visually-hidden">
          {t.confirmedWhen(criterion.confirmedWhen)}
        </span>
      </div>
      <StateRadios grid criterion={criterion} state={state} name={id} describedBy={`${hintId} ${keysHintId}`} onChoose={(s) => onAnswer(criterion.id, { state: s, evidence: answer?.evidence ?? '' })} />
    </li>
  );
}

interface CriterionRowProps {
  criterion: Criterion;
  answer: CriterionAnswer | undefined;
  maxChars: number;
  keysHintId: string;
  onAnswer: OnAnswer;
}

function CriterionRow({ criterion, answer, maxChars, keysHintId, onAnswer }: CriterionRowProps) {
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
      <StateRadios criterion={criterion} state={state} name={id} describedBy={`${hintId} ${keysHintId}`} onChoose={choose} />
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
