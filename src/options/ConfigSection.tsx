import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { parseConfig, type QualificationConfig } from '../domain/config';
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
  /** `managed`: `config` is the organisation's policy config, in force and read-only here (ADR 0016). */
  configSource?: 'local' | 'managed';
  /** The policy sets a config that does not validate; the local one is in force and editable. */
  managedProblem?: string;
  send: OptionsSend;
  /** Reads the overview again and returns it (after a reset, to refill the editor). */
  reload: () => Promise<Pick<Overview, 'config'>>;
  onSaved?: () => void;
  /** Saves a file; default: a Blob download. */
  download?: (filename: string, text: string) => void;
}

const where = (p: JsonParse) => (!p.ok && p.line !== undefined && p.column !== undefined ? t.at(p.line, p.column) : '');

/** An imported file that is older than the config in force, waiting for the manager's yes. */
interface OlderImport {
  file: string;
  text: string;
  version: number;
}

/** Controls that stay in the page but cannot be used while the policy's config is in force. */
const offStyle = { color: 'var(--lq-muted)', cursor: 'not-allowed' } as const;
const plainFieldset = { border: 0, padding: 0, margin: 0, minWidth: 0 } as const;

/**
 * The team configuration as JSON (import, export, edit, save) with a few common settings as fields. The
 * text is the one source of truth on this page: saving sends it, and a failed save keeps it as typed.
 * Export and import carry the config's `version`: the file is named after it, and importing an older one
 * asks first. While the organisation's policy config is in force, the section shows it read-only.
 */
export function ConfigSection({ config, configProblem, configSource = 'local', managedProblem, send, reload, onSaved, download = downloadText }: ConfigSectionProps) {
  const ids = useId();
  const managed = configSource === 'managed';
  const [text, setText] = useState(() => prettyJson(config));
  const [feedback, setFeedback] = useState<Feedback>();
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [olderImport, setOlderImport] = useState<OlderImport>();
  const parsed = useMemo(() => parseJsonText(text), [text]);
  const busy = feedback?.kind === 'busy';
  const cancelResetRef = useRef<HTMLButtonElement>(null);
  const resetRef = useRef<HTMLButtonElement>(null);
  const cancelImportRef = useRef<HTMLButtonElement>(null);
  const inForce = useMemo(() => prettyJson(config), [config]);
  // The policy's config is shown as it is now; when the policy goes, the local config comes back
  // (state adjusted while rendering, from the props last shown).
  const [shown, setShown] = useState({ managed, inForce });
  if (shown.managed !== managed || (managed && shown.inForce !== inForce)) {
    setShown({ managed, inForce });
    setText(inForce);
    if (managed) {
      setConfirmingReset(false);
      setOlderImport(undefined);
    }
  }

  useEffect(() => {
    if (confirmingReset) cancelResetRef.current?.focus();
  }, [confirmingReset]);
  useEffect(() => {
    if (olderImport) cancelImportRef.current?.focus();
  }, [olderImport]);

  async function save() {
    if (busy || managed) return;
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
    if (managed) return;
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

  /** Downloads the editor's settings as they would be saved (defaults filled in, so the file carries its version). */
  function exportJson() {
    if (!parsed.ok) {
      setFeedback({ kind: 'error', message: t.exportNotJson });
      return;
    }
    const checked = parseConfig(parsed.value);
    if (!checked.ok) {
      setFeedback({ kind: 'error', message: t.exportInvalid(checked.errors.length), issues: checked.errors.slice(0, 50) });
      return;
    }
    const file = t.exportFile(checked.value.version);
    download(file, prettyJson(checked.value));
    setFeedback({ kind: 'ok', message: t.exported(file) });
  }

  function loadImport(file: string, imported: string, version: number) {
    setOlderImport(undefined);
    setText(imported);
    setFeedback({ kind: 'ok', message: t.imported(file, version) });
  }

  async function importJson(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setOlderImport(undefined);
    try {
      if (managed) return;
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
      // Checked here, as the background will check it, so a wrong file never replaces the editor's text.
      const checked = parseConfig(result.value);
      if (!checked.ok) {
        setFeedback({ kind: 'error', message: t.importInvalid(file.name, checked.errors.length), issues: checked.errors.slice(0, 50) });
        return;
      }
      const version = checked.value.version;
      if (version < config.version) {
        setFeedback(undefined);
        setOlderImport({ file: file.name, text: prettyJson(result.value), version });
        return;
      }
      loadImport(file.name, prettyJson(result.value), version);
    } finally {
      // The same file can be chosen again after fixing it.
      input.value = '';
    }
  }

  const managedNote = `${ids}-managed`;
  return (
    <section aria-labelledby={`${ids}-h`} className="lq-section">
      <h2 id={`${ids}-h`}>{t.configHeading}</h2>
      <p className="lq-hint">{t.configIntro}</p>
      {managed && (
        <div className="lq-warning" role="note" aria-labelledby={`${managedNote}-h`} aria-describedby={managedNote}>
          <p id={`${managedNote}-h`}>
            <strong>{t.managedHeading}</strong>
          </p>
          <p id={managedNote}>{t.managedWhy}</p>
        </div>
      )}
      {managedProblem && !managed && <p className="lq-warning">{t.managedProblem(managedProblem)}</p>}
      {configProblem && !managed && <p className="lq-warning">{t.configProblem(configProblem)}</p>}
      <p className="lq-hint">{t.configVersion(config.version)}</p>
      <div className="lq-field">
        <label htmlFor={`${ids}-json`}>{t.configEditor}</label>
        <p id={`${ids}-json-hint`} className="lq-hint">
          {managed ? t.managedEditorHint : t.configEditorHint}
        </p>
        <textarea
          id={`${ids}-json`}
          className="lq-json"
          rows={22}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          value={text}
          readOnly={managed}
          onChange={(e) => !managed && setText(e.target.value)}
          aria-describedby={managed ? `${ids}-json-hint ${managedNote}` : `${ids}-json-hint`}
          aria-invalid={feedback?.kind === 'error' || undefined}
        />
      </div>
      <div className="lq-actions">
        <button
          type="button"
          className="lq-button lq-button--primary"
          disabled={managed}
          aria-describedby={managed ? managedNote : undefined}
          aria-disabled={busy || undefined}
          onClick={() => void save()}
        >
          {t.saveConfig}
        </button>
        <button type="button" className="lq-button" onClick={exportJson}>
          {t.exportJson}
        </button>
        <label className="lq-button lq-file" style={managed ? offStyle : undefined}>
          {t.importJson}
          <input
            type="file"
            accept="application/json,.json"
            disabled={managed}
            style={managed ? offStyle : undefined}
            onChange={(e) => void importJson(e)}
            aria-describedby={managed ? managedNote : `${ids}-import-hint`}
          />
        </label>
        {!confirmingReset && (
          <button
            type="button"
            className="lq-button"
            ref={resetRef}
            disabled={managed}
            aria-describedby={managed ? managedNote : undefined}
            aria-disabled={busy || undefined}
            onClick={() => !busy && !managed && setConfirmingReset(true)}
          >
            {t.resetConfig}
          </button>
        )}
      </div>
      {!managed && (
        <p id={`${ids}-import-hint`} className="lq-hint">
          {t.importHint}
        </p>
      )}
      {olderImport && (
        <div className="lq-confirm" role="group" aria-labelledby={`${ids}-older`}>
          <p id={`${ids}-older`}>{t.importOlder(olderImport.file, olderImport.version, config.version)}</p>
          <div className="lq-actions">
            <button type="button" className="lq-button" onClick={() => loadImport(olderImport.file, olderImport.text, olderImport.version)}>
              {t.importOlderYes(olderImport.version)}
            </button>
            <button
              type="button"
              className="lq-button"
              ref={cancelImportRef}
              onClick={() => {
                setOlderImport(undefined);
                setFeedback({ kind: 'ok', message: t.importKept });
              }}
            >
              {t.cancel}
            </button>
          </div>
        </div>
      )}
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
      {managed ? (
        <fieldset disabled aria-describedby={managedNote} style={plainFieldset}>
          <QuickEdit value={parsed.ok ? parsed.value : undefined} onChange={() => undefined} />
        </fieldset>
      ) : (
        <QuickEdit value={parsed.ok ? parsed.value : undefined} onChange={(next) => setText(prettyJson(next))} />
      )}
    </section>
  );
}
