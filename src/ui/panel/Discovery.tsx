import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { CriterionState } from '../../domain/config';
import { stateOf, type Checklist as ChecklistData } from '../../domain/frameworks';
import type { SuggestedQuestion } from '../../domain/questions';
import { useFormat } from './format';
import { strings as t } from './strings';
import type { OnAnswer } from './types';
import { messageOf } from '../../domain/errors';

export interface DiscoveryProps {
  /** qualification.questions, most useful first. */
  questions: readonly SuggestedQuestion[];
  /** The current answers: a recorded answer is added to the criterion's existing evidence. */
  checklist: ChecklistData;
  /** How many questions to show. Default 3. */
  limit?: number;
  /** config.limits.evidenceMaxChars */
  evidenceMaxChars: number;
  onAnswer: OnAnswer;
  /** Told when the rep marks a question as asked (the host may pass it to qualify's askedQuestions). */
  onAsked?: (questionId: string) => void;
  headingId?: string;
  /**
   * On a call (issue 17 part 6): each question shows an answer box at once; Enter hands the words to
   * `onQuickAnswer` (the panel makes them a call note tied to the criterion, which adds them to its
   * evidence) and marks the question asked. The criterion's state is left to the rep (the checklist below).
   */
  onQuickAnswer?: (questionId: string, criterionId: string, text: string) => void | Promise<unknown>;
}

/** States a recorded answer can set; "unknown" is what it was before the question. */
const answerStates: CriterionState[] = ['partly', 'confirmed', 'disconfirmed'];

/**
 * The questions on screen: the top `limit` of the current ranking, except that a question the rep has
 * opened ("Asked") stays where it was, with its answer, even when the ranking moves it down (an asked
 * question ranks after unasked ones): on a call the list must not move under the rep's hands.
 */
function stableSelection(questions: readonly SuggestedQuestion[], limit: number, pinned: ReadonlySet<string>, previous: readonly string[]): SuggestedQuestion[] {
  const byId = new Map(questions.map((q) => [q.question.id, q]));
  // Questions about criteria all confirmed have nothing left to learn: not offered (one open stays).
  const open = questions.filter((q) => !q.settled);
  const top = new Set(open.slice(0, limit).map((q) => q.question.id));
  const keep = (id: string) => byId.has(id) && (pinned.has(id) || top.has(id));
  const kept = new Set(previous.filter(keep));
  // The next questions by the current ranking, for the places that free up (and any left over).
  const fresh = open.filter((q) => !kept.has(q.question.id));
  const shown: SuggestedQuestion[] = [];
  for (const id of previous) {
    if (kept.has(id)) shown.push(byId.get(id)!);
    else if (shown.length < limit && fresh.length) shown.push(fresh.shift()!);
  }
  while (shown.length < limit && fresh.length) shown.push(fresh.shift()!);
  return shown;
}

export function Discovery({ questions, checklist, limit = 3, evidenceMaxChars, onAnswer, onAsked, headingId, onQuickAnswer }: DiscoveryProps) {
  const id = useId();
  const [pinned, setPinned] = useState<ReadonlySet<string>>(() => new Set());
  // What was on screen last time (state, adjusted while rendering: React's pattern for derived state).
  const [previous, setPrevious] = useState<readonly string[]>([]);
  const shown = stableSelection(questions, limit, pinned, previous);
  const ids = shown.map((q) => q.question.id);
  if (ids.join('\n') !== previous.join('\n')) setPrevious(ids);
  const pin = (questionId: string) => setPinned((p) => (p.has(questionId) ? p : new Set([...p, questionId])));
  return (
    <section className={`lq-section${onQuickAnswer ? ' lq-discovery--compact' : ''}`} aria-labelledby={headingId ?? `${id}-heading`}>
      <h3 id={headingId ?? `${id}-heading`} tabIndex={-1}>
        {t.discovery}
      </h3>
      {shown.length === 0 ? (
        <p className="lq-muted">{questions.length > 0 ? t.discoverySettled : t.discoveryEmpty}</p>
      ) : (
        <ol className="lq-questions">
          {shown.map((q) =>
            onQuickAnswer ? (
              <QuickQuestion
                key={q.question.id}
                suggestion={q}
                checklist={checklist}
                onQuickAnswer={(questionId, criterionId, text) => {
                  pin(questionId);
                  if (!q.asked) onAsked?.(questionId);
                  return onQuickAnswer(questionId, criterionId, text);
                }}
              />
            ) : (
            <QuestionItem
              key={q.question.id}
              suggestion={q}
              checklist={checklist}
              evidenceMaxChars={evidenceMaxChars}
              onAnswer={onAnswer}
              onAsked={(questionId) => {
                pin(questionId);
                onAsked?.(questionId);
              }}
            />
            ),
          )}
        </ol>
      )}
    </section>
  );
}

/** A question on a call: its text, what it helps with, and an answer box (Enter adds the words). */
function QuickQuestion({ suggestion, checklist, onQuickAnswer }: { suggestion: SuggestedQuestion; checklist: ChecklistData; onQuickAnswer: (questionId: string, criterionId: string, text: string) => void | Promise<unknown> }) {
  const id = useId();
  const { question, criteria } = suggestion;
  const criterion = criteria.find((c) => stateOf(checklist, c.id) === suggestion.openness) ?? criteria[0];
  const [text, setText] = useState('');
  const [answered, setAnswered] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const textId = `${id}-question`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    e.preventDefault();
    const words = text.trim();
    if (!words || !criterion) return;
    const pending = onQuickAnswer(question.id, criterion.id, words);
    setText('');
    setError(undefined);
    setAnswered(true);
    // Nothing typed is lost: the words come back to the box if they could not be noted.
    pending?.catch((err: unknown) => {
      setText((current) => current || words);
      setError(t.call.lineFailed(messageOf(err)));
    });
  };
  return (
    <li className="lq-question lq-question--compact" data-openness={suggestion.openness}>
      <p id={textId} className="lq-question__text">
        {question.text}
      </p>
      <div className="lq-question__answer-row">
        <input
          type="text"
          className="lq-question__box"
          aria-label={t.answerBox(question.text)}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          aria-invalid={error ? true : undefined}
          placeholder={t.answer}
          maxLength={2000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <span className="lq-hint lq-question__criteria">
          {criteria.map((c) => c.label).join(', ')}
          {(suggestion.asked || answered) && (
            <>
              {' '}
              <span className="lq-tag">{t.alreadyAsked}</span>
            </>
          )}
        </span>
      </div>
      <span id={hintId} className="lq-visually-hidden">
        {criterion ? t.answerBoxHint(criterion.label) : ''}
      </span>
      {error && (
        <p id={errorId} className="lq-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

interface QuestionItemProps {
  suggestion: SuggestedQuestion;
  checklist: ChecklistData;
  evidenceMaxChars: number;
  onAnswer: OnAnswer;
  onAsked?: (questionId: string) => void;
}

function QuestionItem({ suggestion, checklist, evidenceMaxChars, onAnswer, onAsked }: QuestionItemProps) {
  const fmt = useFormat();
  const id = useId();
  const { question, criteria } = suggestion;
  const askedButton = useRef<HTMLButtonElement>(null);
  const mostOpen = criteria.find((c) => stateOf(checklist, c.id) === suggestion.openness) ?? criteria[0];

  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [criterionId, setCriterionId] = useState(mostOpen?.id ?? '');
  const [state, setState] = useState<CriterionState>('partly');
  const [error, setError] = useState<string | undefined>();
  /** What the rep wrote down for this question in this session (it went to the criterion's evidence). */
  const [recorded, setRecorded] = useState<{ words: string; criterion: string; state: CriterionState } | undefined>();

  const textId = `${id}-question`;
  const formId = `${id}-form`;
  const answerId = `${id}-answer`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const criterion = criteria.find((c) => c.id === criterionId) ?? mostOpen;

  const close = () => {
    setOpen(false);
    setError(undefined);
    askedButton.current?.focus();
  };
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const words = text.trim();
    if (!words) return setError(t.answerRequired);
    if (!criterion) return;
    const existing = checklist.answers[criterion.id]?.evidence.trim() ?? '';
    const evidence = existing ? `${existing}\n${words}` : words;
    if (evidence.length > evidenceMaxChars) {
      return setError(t.evidenceTooLong(fmt.count(evidence.length), fmt.count(evidenceMaxChars)));
    }
    onAnswer(criterion.id, { state, evidence });
    setRecorded({ words, criterion: criterion.label, state });
    setText('');
    close();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  const onAnswerKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <li className="lq-question" data-openness={suggestion.openness}>
      <p id={textId} className="lq-question__text">
        {question.text}
      </p>
      <p className="lq-hint">
        {t.helpsWith(criteria.map((c) => c.label).join(', '))}
        {(suggestion.asked || recorded) && (
          <>
            {' '}
            <span className="lq-tag">{t.alreadyAsked}</span>
          </>
        )}
      </p>
      {recorded && (
        <p className="lq-question__answer">
          {t.recordedAnswer(recorded.criterion, t.states[recorded.state])} <q>{recorded.words}</q>
        </p>
      )}
      <button
        ref={askedButton}
        type="button"
        className="lq-button lq-button--small"
        aria-expanded={open}
        aria-controls={open ? formId : undefined}
        aria-describedby={textId}
        onClick={() => {
          if (open) return close();
          setOpen(true);
          onAsked?.(question.id);
        }}
      >
        {t.asked}
      </button>
      {open && (
        <form id={formId} className="lq-answer" aria-label={t.askedLabel(question.text)} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
          <div className="lq-field">
            <label htmlFor={answerId}>{t.answer}</label>
            <textarea
              id={answerId}
              rows={2}
              autoFocus
              value={text}
              aria-describedby={error ? `${hintId} ${errorId}` : hintId}
              aria-invalid={error ? true : undefined}
              placeholder={t.evidencePlaceholder}
              onChange={(e) => {
                setText(e.target.value);
                setError(undefined);
              }}
              onKeyDown={onAnswerKeyDown}
            />
            <p id={hintId} className="lq-hint">
              {t.answerHint}
            </p>
            {error && (
              <p id={errorId} className="lq-error">
                {error}
              </p>
            )}
          </div>
          <div className="lq-row">
            <div className="lq-field">
              <label htmlFor={`${id}-criterion`}>{t.criterion}</label>
              <select id={`${id}-criterion`} value={criterion?.id ?? ''} onChange={(e) => setCriterionId(e.target.value)}>
                {criteria.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="lq-field">
              <label htmlFor={`${id}-state`}>{t.markAs}</label>
              <select id={`${id}-state`} value={state} onChange={(e) => setState(e.target.value as CriterionState)}>
                {answerStates.map((s) => (
                  <option key={s} value={s}>
                    {t.states[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {criterion && <p className="lq-hint">{t.confirmedWhen(criterion.confirmedWhen)}</p>}
          <div className="lq-actions">
            <button type="submit" className="lq-button lq-button--primary">
              {t.saveAnswer}
            </button>
            <button type="button" className="lq-button" onClick={close}>
              {t.cancel}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
