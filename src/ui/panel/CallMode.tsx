import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { CALL_OUTCOMES, parseCallLine, type CallOutcome } from '../../domain/calls';
import type { Criterion } from '../../domain/config';
import { messageOf } from '../../domain/errors';
import { Untrusted } from '../Untrusted';
import { useFormat } from './format';
import { strings as t } from './strings';
import type { CallActions, CallDraftView, CallLineView, CallView, LoggedCallView } from './types';
import { useActionGate } from './use-frame-visible';

/** A duration as a call timer shows it: "0:07", "12:30", "1:02:03". */
export function clockText(totalSec: number): string {
  const sec = Math.max(0, Math.floor(totalSec));
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = String(sec % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

type Keys = Pick<globalThis.KeyboardEvent, 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'code'>;

/**
 * The panel's call key, Alt+Shift+C: starts a call, or during one opens "End call". By `code`, so it is the
 * same key on every layout and macOS's Option+Shift+C (which types “Ç”) works too.
 */
export function isCallShortcut(e: Keys): boolean {
  return e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyC';
}

/** Alt+Shift+1…9 in the call notes: the number of the criterion to tie the line to. */
export function criterionShortcut(e: Keys): number | undefined {
  if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey) return undefined;
  const m = /^Digit([1-9])$/.exec(e.code);
  return m ? Number(m[1]) : undefined;
}

/** The criteria a `#` being typed could mean (the whole list for a bare `#`). */
function suggestionsFor(text: string, criteria: readonly Criterion[]): Criterion[] | undefined {
  const m = /^#([\p{L}\p{N}_-]*)$/u.exec(text);
  if (!m) return undefined;
  const typed = m[1]!.toLowerCase();
  return criteria.filter((c) => !typed || c.id.toLowerCase().startsWith(typed) || c.label.toLowerCase().split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(typed)));
}

/** A call's running time, from its start on the background's clock: it re-renders itself once a second, nothing else. */
export function CallTimer({ startedAt, clock = Date.now }: { startedAt: string; clock?: () => number }) {
  const start = Date.parse(startedAt);
  const [now, setNow] = useState(clock);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    // Tick on the second boundary of the call's own time, so the display never skips or repeats a second.
    const tick = () => {
      const at = clock();
      setNow(at);
      timer = setTimeout(tick, 1000 - ((at - start) % 1000 || 0));
    };
    timer = setTimeout(tick, 1000 - ((clock() - start) % 1000 || 0));
    return () => clearTimeout(timer);
  }, [clock, start]);
  return (
    <span className="lq-call__timer" role="timer" aria-label={t.call.timerLabel}>
      {clockText(Number.isNaN(start) ? 0 : (now - start) / 1000)}
    </span>
  );
}

export interface CallSectionProps {
  call: CallView;
  /** The checklist's criteria, in order: `#tag`s and Alt+Shift+n name them. */
  criteria: readonly Criterion[];
  actions: CallActions;
  /** The CRM's name for people ("Demo CRM"), for the logged calls' sync lines. */
  crmLabel: string;
  headingId?: string;
  /** The clock for the timer (ms); default `Date.now`. */
  clock?: () => number;
  /** How long typing must pause before the unentered text is handed to `onPending`. Default 400 ms. */
  pendingDebounceMs?: number;
}

/** A line being added: shown at once, before the background has stored it. */
interface OptimisticLine {
  key: string;
  text: string;
  criterionLabel?: string;
}

/**
 * Call mode (issue 17 part 5): "Start call"; during the call a bar with the running time and "End call",
 * the notes box (Enter adds a line; a leading `#tag` or Alt+Shift+n ties it to a criterion) and the
 * call's lines; ending asks how the call went and logs it. Logged calls and the attempt count stay below.
 * Nothing above the notes changes height while the rep types: the tag chip, the suggestions (drawn over
 * what follows) and the lines (a fixed-height list) all keep their place.
 */
export function CallSection({ call, criteria, actions, crmLabel, headingId, clock, pendingDebounceMs = 400 }: CallSectionProps) {
  const id = useId();
  const heading = headingId ?? `${id}-heading`;
  const draft = call.draft;
  const [ending, setEnding] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);
  const startButton = useRef<HTMLButtonElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const notesBox = useRef<HTMLInputElement>(null);
  const endForm = useRef<HTMLFormElement>(null);
  /** Where focus goes once the state catches up: the notes after a start, the start button after a log. */
  const focusNext = useRef<'notes' | 'start' | 'outcome' | undefined>(undefined);

  const fail = (err: unknown) => setError(t.call.failed(messageOf(err)));
  const settle = (pending: void | Promise<unknown>, done?: () => void) => {
    setError(undefined);
    if (!pending || typeof pending.then !== 'function') {
      done?.();
      return Promise.resolve(true);
    }
    setBusy(true);
    return pending.then(
      () => {
        setBusy(false);
        done?.();
        return true;
      },
      (err: unknown) => {
        setBusy(false);
        fail(err);
        return false;
      },
    );
  };

  const start = () => {
    if (draft) return notesBox.current?.focus();
    focusNext.current = 'notes';
    void settle(actions.onStart());
  };
  const openEnd = () => {
    focusNext.current = 'outcome';
    setEnding(true);
  };

  // The state catching up with a start, a log or a discard moves focus where the rep's next key belongs.
  const [prevDraftId, setPrevDraftId] = useState(draft?.callId);
  if (draft?.callId !== prevDraftId) {
    setPrevDraftId(draft?.callId);
    setEnding(false);
  }
  useEffect(() => {
    const next = focusNext.current;
    if (next === 'notes' && draft) notesBox.current?.focus();
    else if (next === 'start' && !draft) startButton.current?.focus();
    else if (next === 'outcome' && ending) endForm.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
    else return;
    focusNext.current = undefined;
  }, [draft, ending]);

  // Alt+Shift+C anywhere in the panel: start the call, or end it.
  const shortcut = useRef<() => void>(undefined);
  useEffect(() => {
    shortcut.current = () => (draft ? (ending ? undefined : openEnd()) : start());
  });
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!isCallShortcut(e)) return;
      e.preventDefault();
      shortcut.current?.();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const errorLine = error && (
    <p role="alert" className="lq-error">
      {error}
    </p>
  );

  if (!draft) {
    return (
      <section className="lq-section lq-call" aria-labelledby={heading}>
        <div className="lq-section__head">
          <h3 id={heading} tabIndex={-1}>
            {t.call.heading}
          </h3>
          <button ref={startButton} type="button" className="lq-button lq-button--primary lq-button--small" aria-keyshortcuts="Alt+Shift+C" aria-describedby={`${id}-start-hint`} aria-disabled={busy || undefined} onClick={() => !busy && start()}>
            {t.call.start}
          </button>
          {call.attempts > 0 && <span className="lq-call__attempts">{t.call.attempts(call.attempts)}</span>}
        </div>
        <p id={`${id}-start-hint`} className="lq-hint">
          {t.call.startHint}
        </p>
        {errorLine}
        <LoggedCalls logged={call.logged} crmLabel={crmLabel} />
        <p className="lq-visually-hidden" role="status">
          {announce}
        </p>
      </section>
    );
  }

  return (
    <section className="lq-section lq-call lq-call--on" aria-labelledby={heading}>
      <div className="lq-section__head lq-call__bar">
        <h3 id={heading} tabIndex={-1}>
          <span className="lq-call__dot" aria-hidden="true" />
          {t.call.onCall}
        </h3>
        <CallTimer startedAt={draft.startedAt} clock={clock} />
        <button
          ref={endButton}
          type="button"
          className="lq-button lq-button--small lq-call__end"
          aria-expanded={ending}
          aria-controls={ending ? `${id}-end` : undefined}
          aria-keyshortcuts="Alt+Shift+C"
          title={t.call.endHint}
          onClick={() => (ending ? setEnding(false) : openEnd())}
        >
          {t.call.end}
        </button>
      </div>
      {errorLine}
      {ending && (
        <EndCallForm
          id={`${id}-end`}
          formRef={endForm}
          lineCount={draft.lines.length}
          busy={busy}
          onLog={(outcome, note) => {
            focusNext.current = 'start';
            return settle(actions.onEnd(draft.callId, outcome, note), () => setAnnounce(t.call.loggedNow(t.call.outcomes[outcome], t.call.attempts(call.attempts + 1))));
          }}
          onBack={() => {
            setEnding(false);
            notesBox.current?.focus();
          }}
          onDiscard={() => {
            focusNext.current = 'start';
            return settle(actions.onDiscard(draft.callId));
          }}
        />
      )}
      <CallNotes key={draft.callId} draft={draft} criteria={criteria} actions={actions} boxRef={notesBox} pendingDebounceMs={pendingDebounceMs} onAnnounce={setAnnounce} />
      <p className="lq-visually-hidden" role="status">
        {announce}
      </p>
    </section>
  );
}

interface CallNotesProps {
  draft: CallDraftView;
  criteria: readonly Criterion[];
  actions: CallActions;
  boxRef: React.RefObject<HTMLInputElement | null>;
  pendingDebounceMs: number;
  onAnnounce: (text: string) => void;
}

function CallNotes({ draft, criteria, actions, boxRef, pendingDebounceMs, onAnnounce }: CallNotesProps) {
  const id = useId();
  const fmt = useFormat();
  const [text, setText] = useState(draft.pending);
  // What the background holds as typed: follow it while the rep has not typed since (another panel, a reload).
  const [base, setBase] = useState(draft.pending);
  if (draft.pending !== base) {
    setBase(draft.pending);
    if (text === base) setText(draft.pending);
  }
  /** Tied by Alt+Shift+n (wins over a `#tag`). */
  const [tiedTo, setTiedTo] = useState<Criterion | undefined>();
  const [active, setActive] = useState(0);
  const [listClosed, setListClosed] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [optimistic, setOptimistic] = useState<OptimisticLine[]>([]);
  const list = useRef<HTMLOListElement>(null);
  const pendingTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const unsent = useRef<string | undefined>(undefined);

  const flushPending = () => {
    clearTimeout(pendingTimer.current);
    if (unsent.current === undefined) return;
    actions.onPending(draft.callId, unsent.current);
    unsent.current = undefined;
  };
  const typed = (value: string) => {
    setText(value);
    setError(undefined);
    setListClosed(false);
    setActive(0);
    unsent.current = value;
    clearTimeout(pendingTimer.current);
    pendingTimer.current = setTimeout(flushPending, pendingDebounceMs);
  };
  // Leaving (the call ended, the panel closes): what was typed still reaches the background.
  const flushRef = useRef(flushPending);
  useEffect(() => {
    flushRef.current = flushPending;
  });
  useEffect(() => {
    const flush = () => flushRef.current();
    addEventListener('pagehide', flush);
    return () => {
      removeEventListener('pagehide', flush);
      flush();
    };
  }, []);

  // The background reads the line again when it is added (its reading is the one stored): the same function.
  const preview = parseCallLine(text, criteria);
  const chip = tiedTo ?? criteria.find((c) => c.id === preview.criterionId);
  // An unknown tag is said once the rep has moved past it (not while the tag is still being typed).
  const unknownTag = !chip && preview.unknownTag && /^\s*#\S+\s/.test(text) ? preview.unknownTag : undefined;
  const suggestions = listClosed ? undefined : suggestionsFor(text, criteria);
  const listOpen = !!suggestions && suggestions.length > 0;
  const activeIndex = listOpen ? Math.min(active, suggestions.length - 1) : -1;

  const lineCount = draft.lines.length + optimistic.length;
  useLayoutEffect(() => {
    // The newest line in view, inside the list only: nothing else on the panel moves.
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [lineCount]);

  const pick = (c: Criterion) => {
    typed(`#${c.id} `);
    setListClosed(true);
  };
  const add = () => {
    const words = text.trim();
    if (!words) return;
    const criterionId = tiedTo?.id;
    const label = chip?.label;
    const key = `${Date.now()}-${Math.random()}`;
    const shown = preview.criterionId ? preview.text : words;
    setOptimistic((o) => [...o, { key, text: shown, criterionLabel: label }]);
    setText('');
    setTiedTo(undefined);
    // The background clears what was pending when it stores the line: nothing to send for it.
    clearTimeout(pendingTimer.current);
    unsent.current = undefined;
    const done = () => setOptimistic((o) => o.filter((l) => l.key !== key));
    const pending = actions.onAddLine(draft.callId, words, criterionId);
    const ok = () => {
      done();
      onAnnounce(label ? t.call.lineAddedTo(label) : t.call.lineAdded);
    };
    if (!pending || typeof pending.then !== 'function') return ok();
    pending.then(ok, (err: unknown) => {
      done();
      // Nothing typed is lost: the words come back to the box, with what they were tied to.
      setText((current) => (current ? current : words));
      if (criterionId) setTiedTo(criteria.find((c) => c.id === criterionId));
      setError(t.call.lineFailed(messageOf(err)));
    });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const n = criterionShortcut(e.nativeEvent);
    if (n !== undefined) {
      e.preventDefault();
      const c = criteria[n - 1];
      if (c) setTiedTo((current) => (current?.id === c.id ? undefined : c));
      return;
    }
    if (listOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setActive((activeIndex + step + suggestions.length) % suggestions.length);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && !e.nativeEvent.isComposing) {
        e.preventDefault();
        pick(suggestions[activeIndex]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setListClosed(true);
        return;
      }
    }
    if (e.key === 'Enter' && !e.nativeEvent.isComposing) {
      e.preventDefault();
      add();
    }
  };

  const hintId = `${id}-hint`;
  const listboxId = `${id}-criteria`;
  const optionId = (i: number) => `${id}-criterion-${i}`;
  return (
    <div className="lq-call__notes">
      <div className={`lq-call__entry${chip || unknownTag ? ' lq-call__entry--tagged' : ''}`}>
        <input
          ref={boxRef}
          type="text"
          role="combobox"
          className="lq-call__box"
          aria-label={t.call.notes}
          aria-describedby={hintId}
          aria-autocomplete="list"
          aria-expanded={listOpen}
          aria-controls={listOpen ? listboxId : undefined}
          aria-activedescendant={listOpen ? optionId(activeIndex) : undefined}
          aria-keyshortcuts={criteria.slice(0, 9).map((_, i) => `Alt+Shift+${i + 1}`).join(' ') || undefined}
          aria-invalid={error ? true : undefined}
          placeholder={t.call.notesPlaceholder(Math.min(criteria.length, 9))}
          maxLength={2000}
          autoComplete="off"
          value={text}
          onChange={(e) => typed(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={flushPending}
        />
        {/* Inside the box's right end: the criterion the line will be tied to (or a tag that names none). */}
        {chip ? (
          <button type="button" className="lq-chip lq-call__chip" aria-label={t.call.untag(chip.label)} onClick={() => (tiedTo ? setTiedTo(undefined) : typed(preview.text))}>
            {chip.label} <span aria-hidden="true">×</span>
          </button>
        ) : (
          unknownTag && <span className="lq-tag lq-tag--warn lq-call__chip">{t.call.notACriterion}</span>
        )}
        {listOpen && (
          <ul id={listboxId} role="listbox" aria-label={t.call.suggestions} className="lq-call__suggestions">
            {suggestions.map((c, i) => (
              <li
                key={c.id}
                id={optionId(i)}
                role="option"
                aria-selected={i === activeIndex}
                className="lq-call__suggestion"
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(c);
                }}
              >
                <span className="lq-key" aria-hidden="true">
                  {criteria.indexOf(c) + 1}
                </span>
                {c.label}
                <span className="lq-muted">{` #${c.id}`}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <p id={hintId} className="lq-visually-hidden">
        {t.call.notesHint(Math.min(criteria.length, 9))}
        {chip ? ` ${t.call.tagChip(chip.label)}` : unknownTag ? ` ${t.call.unknownTag(unknownTag)}` : ''}
      </p>
      {error && (
        <p role="alert" className="lq-error">
          {error}
        </p>
      )}
      {lineCount === 0 ? (
        <p className="lq-call__lines lq-call__lines--empty lq-muted">{t.call.noLines}</p>
      ) : (
        <ol ref={list} className="lq-call__lines" aria-label={t.call.lines}>
          {draft.lines.map((line) => (
            <CallLine
              key={line.id}
              line={line}
              time={fmt.time(line.at)}
              criteria={criteria}
              onRemove={() => void Promise.resolve(actions.onRemoveLine(draft.callId, line.id)).catch((err: unknown) => setError(t.call.failed(messageOf(err))))}
            />
          ))}
          {optimistic.map((line) => (
            <li key={line.key} className="lq-call__line lq-call__line--sending">
              <span className="lq-call__time" />
              {line.criterionLabel && <span className="lq-chip lq-chip--static">{line.criterionLabel}</span>}
              <span className="lq-call__text">
                <Untrusted text={line.text} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function CallLine({ line, time, criteria, onRemove }: { line: CallLineView; time: string; criteria: readonly Criterion[]; onRemove: () => void }) {
  const label = line.criterionLabel ?? (line.criterionId ? (criteria.find((c) => c.id === line.criterionId)?.label ?? line.criterionId) : undefined);
  return (
    <li className="lq-call__line" data-criterion={line.criterionId}>
      <time className="lq-call__time" dateTime={line.at}>
        {time}
      </time>
      {label && <span className="lq-chip lq-chip--static">{label}</span>}
      {line.unknownTag && <span className="lq-visually-hidden">{t.call.unknownTag(line.unknownTag)}</span>}
      <span className="lq-call__text">
        <Untrusted text={line.text} />
      </span>
      <button type="button" className="lq-call__remove" aria-label={t.call.removeLine(line.text)} onClick={onRemove}>
        <span aria-hidden="true">×</span>
      </button>
    </li>
  );
}

interface EndCallFormProps {
  id: string;
  formRef: React.RefObject<HTMLFormElement | null>;
  lineCount: number;
  busy: boolean;
  onLog: (outcome: CallOutcome, note?: string) => Promise<boolean>;
  onBack: () => void;
  onDiscard: () => Promise<boolean>;
}

function EndCallForm({ id, formRef, lineCount, busy, onLog, onBack, onDiscard }: EndCallFormProps) {
  const [outcome, setOutcome] = useState<CallOutcome | undefined>();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  // Logging writes to the CRM: like saving a decision, it waits until the panel is really in view, and a
  // pointer's click until the pointer has been in the panel a moment (ADR 15).
  const actionsRef = useRef<HTMLDivElement>(null);
  const logGate = useActionGate(actionsRef);
  const hidden = logGate.hidden;

  const legendId = `${id}-legend`;
  const errorId = `${id}-error`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || hidden) return;
    if (!outcome) {
      setMissing(true);
      formRef.current?.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    void onLog(outcome, note.trim() || undefined);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onBack();
    }
  };
  return (
    <form id={id} ref={formRef} className="lq-form lq-call__end-form" aria-labelledby={legendId} onSubmit={submit} onKeyDown={onKeyDown} noValidate>
      <fieldset className="lq-call__outcomes" aria-describedby={missing ? errorId : undefined} aria-invalid={missing || undefined}>
        <legend id={legendId}>{t.call.outcomeLegend}</legend>
        {missing && (
          <p id={errorId} className="lq-error">
            {t.call.chooseOutcome}
          </p>
        )}
        {CALL_OUTCOMES.map((o) => (
          <label key={o} className="lq-state lq-call__outcome">
            <input
              type="radio"
              name={`${id}-outcome`}
              value={o}
              checked={outcome === o}
              onChange={() => {
                setOutcome(o);
                setMissing(false);
              }}
            />
            <span>{t.call.outcomes[o]}</span>
          </label>
        ))}
      </fieldset>
      <div className="lq-field">
        <label htmlFor={`${id}-note`}>{t.call.note}</label>
        <input id={`${id}-note`} type="text" maxLength={2000} value={note} aria-describedby={`${id}-note-hint`} onChange={(e) => setNote(e.target.value)} />
        <p id={`${id}-note-hint`} className="lq-hint">
          {t.optional}
        </p>
      </div>
      <div ref={actionsRef} className="lq-actions">
        <button
          type="submit"
          className="lq-button lq-button--primary"
          aria-disabled={busy || hidden || undefined}
          aria-describedby={hidden ? `${id}-hidden` : logGate.tooSoon ? `${id}-soon` : undefined}
          onClick={(e) => logGate.allows(e)}
        >
          {busy ? t.call.logging : t.call.log}
        </button>
        <button type="button" className="lq-button" onClick={onBack}>
          {t.call.backToCall}
        </button>
        <button type="button" className="lq-button lq-call__discard-button" aria-expanded={confirmDiscard} onClick={() => setConfirmDiscard((c) => !c)}>
          {t.call.discard}
        </button>
      </div>
      {confirmDiscard && <DiscardConfirm id={id} lineCount={lineCount} busy={busy} onDiscard={onDiscard} onKeep={() => setConfirmDiscard(false)} />}
      {/* Below the buttons: saying why must not move them (ADR 15). */}
      {hidden && (
        <p id={`${id}-hidden`} className="lq-hint">
          {t.call.logWhileHidden}
        </p>
      )}
      {!hidden && logGate.tooSoon && (
        <p id={`${id}-soon`} className="lq-hint" role="status">
          {t.pointerTooSoon}
        </p>
      )}
    </form>
  );
}

/** "Discard this call?": its Yes destroys the call's notes, so it is gated like Log call (ADR 15). */
function DiscardConfirm({ id, lineCount, busy, onDiscard, onKeep }: { id: string; lineCount: number; busy: boolean; onDiscard: () => Promise<boolean>; onKeep: () => void }) {
  const rowRef = useRef<HTMLDivElement>(null);
  const gate = useActionGate(rowRef);
  return (
    <div className="lq-call__discard" role="group" aria-labelledby={`${id}-discard`}>
      <p id={`${id}-discard`}>{t.call.discardConfirm(lineCount)}</p>
      <div ref={rowRef} className="lq-actions">
        <button
          type="button"
          className="lq-button"
          aria-disabled={busy || gate.hidden || undefined}
          aria-describedby={gate.hidden ? `${id}-discard-hidden` : gate.tooSoon ? `${id}-discard-soon` : undefined}
          onClick={(e) => !busy && gate.allows(e) && void onDiscard()}
        >
          {t.call.discardYes}
        </button>
        <button type="button" className="lq-button" onClick={onKeep}>
          {t.call.discardNo}
        </button>
      </div>
      {gate.hidden && (
        <p id={`${id}-discard-hidden`} className="lq-hint">
          {t.call.discardWhileHidden}
        </p>
      )}
      {!gate.hidden && gate.tooSoon && (
        <p id={`${id}-discard-soon`} className="lq-hint" role="status">
          {t.pointerTooSoon}
        </p>
      )}
    </div>
  );
}

/** The calls logged on this lead, newest first, each with where its CRM copy stands. */
function LoggedCalls({ logged, crmLabel }: { logged: readonly LoggedCallView[]; crmLabel: string }) {
  const fmt = useFormat();
  if (logged.length === 0) return null;
  const newestFirst = [...logged].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return (
    <ul className="lq-call__logged" aria-label={t.call.logged}>
      {newestFirst.map((c) => (
        <li key={c.callId} className="lq-call__logged-item" data-outcome={c.outcome} data-sync={c.sync}>
          <span className="lq-call__logged-what">
            {`${t.call.outcomes[c.outcome] ?? c.outcome} · ${clockText(c.durationSec)} · ${t.call.lineCount(c.lineCount)} · ${fmt.dateTime(c.startedAt)}`}
          </span>{' '}
          <span className={`lq-call__sync lq-call__sync--${c.sync}`}>{syncLine(c, crmLabel)}</span>
        </li>
      ))}
    </ul>
  );
}

function syncLine(c: LoggedCallView, crmLabel: string): string {
  switch (c.sync) {
    case 'queued':
      return t.call.sync.queued;
    case 'synced':
      return t.call.sync.synced(crmLabel);
    case 'failed':
      return t.call.sync.failed(c.problem ?? t.needsAttentionUnknown);
    case 'unsupported':
      return t.call.sync.unsupported(crmLabel);
  }
}
