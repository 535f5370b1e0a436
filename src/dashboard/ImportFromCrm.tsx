import { useMutation } from '@tanstack/react-query';
import { storageErrorMessage } from '../store/store';
import { Untrusted } from '../ui/Untrusted';
import type { ImportSummary } from './import-from-crm';
import { strings as t } from './strings';

/**
 * The slot for importing the team's decisions from the CRM (built separately). The dashboard shows the
 * control only when the host passes `onImport`; the import writes to the store and the views follow live.
 */
export interface ImportFromCrmSlot {
  /** Runs the import; may report what it brought in. */
  onImport: () => Promise<ImportSummary | void>;
  /** Button text; default "Import from CRM". */
  label?: string;
}

export function ImportFromCrm({ slot }: { slot: ImportFromCrmSlot }) {
  const run = useMutation({ mutationFn: () => slot.onImport() });
  const message = run.isPending
    ? t.importing
    : run.isError
      ? t.importFailed(run.error instanceof Error && run.error.name === 'Error' ? run.error.message : storageErrorMessage(run.error))
      : run.isSuccess
        ? run.data
          ? t.imported(run.data)
          : t.importDone
        : '';
  return (
    <div className="lqd-import">
      <button type="button" className="lq-button" onClick={() => run.mutate()} disabled={run.isPending}>
        {slot.label ?? t.importFromCrm}
      </button>
      <span role="status" className="lqd-import__status">
        {message}
      </span>
      {run.data ? run.data.refusedNotes.length > 0 && (
        <details className="lqd-import__refused">
          <summary>{t.refusedTitle(run.data.refused)}</summary>
          <ul>
            {run.data.refusedNotes.map((r) => (
              <li key={`${r.crm}-${r.noteId}`}>
                <Untrusted text={t.refusedNote(r.crm, r.noteId, r.rev, r.why.join('; '))} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
