import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { QualificationConfig } from '../domain/config';
import type { Overview } from '../messaging/options-protocol';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { downloadText, parseJsonText, prettyJson, type JsonParse } from './json';
import { QuickEdit } from './QuickEdit';
import { strings as t } from './strings';
import type { OptionsSend } from './types';

/** Larger files are not settings files (the background refuses messages over 512 KB anyway). */
const MAX_IMPORT_BYTES = 1024 * 1024;

export interface ConfigSectionProps {
  config: QualificationConfig;
  /** The stored config did not validate and the defaults are in use (from the background). */
  configProblem?: string;
  send: OptionsSend;
  /** Reads the overview again and returns it (after a reset, to refill the editor). */
  reload: () => Promise<Pick<Overview, 'config'>>;
  onSaved?: () => void;
  /** Saves a file; default: a Blob download. */
  download?: (filename: string, text: string) => void;
}

const where = (p: JsonParse) => (!p.ok && p.line !== undefined && p.column !== undefined ? t.at(p.line, p.column) : '');

/**
 * The team configuration as JSON (import, export, edit, save) with a few common settings as fields. The
 * text is the one source of truth on this page: saving sends it, and a failed save keeps it as typed.
 */
export function ConfigSection({ config, configProblem, send, reload, onSaved, download = downloadText }: ConfigSectionProps) {
  const ids = useId();
  const [text, setText] = useState(() => prettyJson(config));
  const [feedback, setFeedback] = useState<Feedback>();
  const [confirmingReset, setConfirmingReset] = useState(false);
  const parsed = useMemo(() => parseJsonText(text), [text]);
  const busy = feedback?.kind === 'busy';
  const cancelResetRef = useRef<HTMLButtonElement>(null);
  const resetRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirmingReset) cancelResetRef.current?.focus();
  }, [confirmingReset]);

  async function save() {
    if (busy) return;
    if (!parsed.ok) {
      setFeedback({ kind: 'error', message: t.configNotJson(parsed.reason, where(parsed)) });
      return;
    }
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      await send('options.saveConfig', { config: parsed.value });
      setFeedback({ kind: 'ok', message: t.configSaved });
      onSaved?.();
    } catch (e) {
      // Nothing typed is lost: the text stays as it is, with the field-named problems listed.
      setFeedback(errorFeedback(e));
    }
  }

  async function reset() {
    setConfirmingReset(false);
    setFeedback({ kind: 'busy', message: t.saving });
    try {
      await send('options.resetConfig', {});
      const fresh = await reload();
      setText(prettyJson(fresh.config));
      setFeedback({ kind: 'ok', message: t.resetDone });
      onSaved?.();
    } catch (e) {
      setFeedback(errorFeedback(e));
    }
  }

  function exportJson() {
    if (!parsed.ok) {
      setFeedback({ kind: 'error', message: t.exportNotJson });
      return;
    }
    download(t.exportFile, prettyJson(parsed.value));
    setFeedback({ kind: 'ok', message: t.exported(t.exportFile) });
  }

  async function importJson(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    try {
      if (file.size > MAX_IMPORT_BYTES) {
        setFeedback({ kind: 'error', message: t.importTooLarge(file.name) });
        return;
      }
      let content: string;
      try {
        content = await file.text();
      } catch {
        setFeedback({ kind: 'error', message: t.importUnreadable(file.name) });
        return;
      }
      const result = parseJsonText(content);
      if (!result.ok) {
        setFeedback({ kind: 'error', message: t.importNotJson(file.name, result.reason, where(result)) });
        return;
      }
      setText(prettyJson(result.value));
      setFeedback({ kind: 'ok', message: t.imported(file.name) });
    } finally {
      // The same file can be chosen again after fixing it.
      input.value = '';
    }
  }

  return (
    <section aria-labelledby={`${ids}-h`} className="lq-section">
      <h2 id={`${ids}-h`}>{t.configHeading}</h2>
      <p className="lq-hint">{t.configIntro}</p>
      {configProblem && <p className="lq-warning">{t.configProblem(configProblem)}</p>}
      <div className="lq-field">
        <label htmlFor={`${ids}-json`}>{t.configEditor}</label>
        <p id={`${ids}-json-hint`} className="lq-hint">
          {t.configEditorHint}
        </p>
        <textarea
          id={`${ids}-json`}
          className="lq-json"
          rows={22}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-describedby={`${ids}-json-hint`}
          aria-invalid={feedback?.kind === 'error' || undefined}
        />
      </div>
      <div className="lq-actions">
        <button type="button" className="lq-button lq-button--primary" aria-disabled={busy || undefined} onClick={() => void save()}>
          {t.saveConfig}
        </button>
        <button type="button" className="lq-button" onClick={exportJson}>
          {t.exportJson}
        </button>
        <label className="lq-button lq-file">
          {t.importJson}
          <input type="file" accept="application/json,.json" onChange={(e) => void importJson(e)} aria-describedby={`${ids}-import-hint`} />
        </label>
        {!confirmingReset && (
          <button type="button" className="lq-button" ref={resetRef} aria-disabled={busy || undefined} onClick={() => !busy && setConfirmingReset(true)}>
            {t.resetConfig}
          </button>
        )}
      </div>
      <p id={`${ids}-import-hint`} className="lq-hint">
        {t.importHint}
      </p>
      {confirmingReset && (
        <div className="lq-confirm" role="group" aria-labelledby={`${ids}-reset`}>
          <p id={`${ids}-reset`}>{t.resetConfirm}</p>
          <div className="lq-actions">
            <button type="button" className="lq-button lq-button--danger" onClick={() => void reset()}>
              {t.resetYes}
            </button>
            <button
              type="button"
              className="lq-button"
              ref={cancelResetRef}
              onClick={() => {
                setConfirmingReset(false);
                setTimeout(() => resetRef.current?.focus(), 0);
              }}
            >
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      <FeedbackView feedback={feedback} focusOnError />
      <QuickEdit value={parsed.ok ? parsed.value : undefined} onChange={(next) => setText(prettyJson(next))} />
    </section>
  );
}
