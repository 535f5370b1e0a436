import { useMutation } from '@tanstack/react-query';
import { storageErrorMessage } from '../store/store';
import { strings as t } from './strings';

/**
 * The slot for importing the team's decisions from the CRM (built separately). The dashboard shows the
 * control only when the host passes `onImport`; the import writes to the store and the views follow live.
 */
export interface ImportFromCrmSlot {
  /** Runs the import; may report how many decisions it brought in. */
  onImport: () => Promise<{ imported: number } | void>;
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
          ? t.imported(run.data.imported)
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
    </div>
  );
}
