/**
 * Reading our tasks back from Salesforce: every one, page by page, for the dashboard's import
 * (`importNotes`), and one lead's with its status now, for the panel's history (`readHistory`). Who made
 * a task comes from the platform (`CreatedById`, `CreatedBy.Name`: set from the session that created it,
 * read-only), never from its text.
 *
 * - Task.Description is a long text area and cannot be filtered in SOQL: the subject (our prefix and the
 *   key's `lq`) narrows the tasks down, the body (`lqblock`) decides:
 *   https://developer.salesforce.com/docs/atlas.en-us.236.0.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_fieldexpression.htm
 * - Audit fields (`CreatedById`, `CreatedDate`, `LastModifiedDate`, read-only, system-set) and the
 *   child-to-parent `CreatedBy.Name`, answered as a nested record:
 *   https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm
 *   https://developer.salesforce.com/docs/platform/api-rest/guide/dome-query.md
 * - `since`: `LastModifiedDate >= <dateTime>`, the literal unquoted (`./soql.ts`):
 *   https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-dateformats.md
 * - One lead's history in one query: a parent-to-child subquery on the child relationship's plural name
 *   (`Lead.Tasks`, the tasks whose WhoId is the lead), with its own WHERE and ORDER BY; the child rows
 *   come back nested as a query result of their own (`null` without any), which may need query-more:
 *   https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-relationships-query-using.md
 *   https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_relationships_query_results.htm
 *
 * Not done: Salesforce archives closed tasks after a year (365 days by default), and `query` leaves
 * archived ones out; only `queryAll` returns them (along with deleted ones, to filter on `IsDeleted`).
 * So decisions older than the archive age are missing from imports and histories for now.
 */
import { NOTE_MARKER } from '../../domain/note-format';
import { CrmError, type ImportedNote, type LeadHistoryRead } from '../api';
import { isRecord, list, text } from '../read';
import { DATA_PATH, isQueryPath, nextPath, type SalesforceHttp } from './http';
import { messages as t } from './messages';
import { isoOf } from './profile';
import { id18, isFieldName, soqlDateTime, soqlString } from './soql';
import { TASK_SUBJECT_PREFIX } from './task-text';

/** Rows per `importNotes` page (`Sforce-Query-Options: batchSize`, 200–2,000). */
const IMPORT_BATCH_SIZE = 200;
/** What an import or a history reads of a task: the text, the lead, and who made it and when. */
export const TASK_FIELDS = 'Id, WhoId, Subject, Description, CreatedDate, CreatedById, CreatedBy.Name, LastModifiedDate';
/** Our tasks, as far as SOQL can tell (the body check decides). */
export const OUR_TASKS = `Subject LIKE ${soqlString(`${TASK_SUBJECT_PREFIX}%lq%`)}`;
const OLDEST_FIRST = 'ORDER BY CreatedDate ASC, Id ASC';

/** A task row as an imported note, when its body carries our block; `leadId` when the row has no WhoId. */
export function noteOf(task: Record<string, unknown>, leadId = ''): ImportedNote | undefined {
  const id = text(task.Id);
  const body = typeof task.Description === 'string' ? task.Description : '';
  if (!id || !body.includes(NOTE_MARKER)) return undefined;
  const creator = id18(task.CreatedById);
  const name = isRecord(task.CreatedBy) ? text(task.CreatedBy.Name) : undefined;
  return {
    noteId: id,
    recordId: text(task.WhoId) ?? leadId,
    body,
    at: isoOf(task.CreatedDate) ?? '',
    ...(creator ? { createdBy: { id: creator, ...(name ? { name } : {}) } } : {}),
  };
}

const notesOf = (records: unknown, leadId?: string) =>
  list(records)
    .filter(isRecord)
    .map((r) => noteOf(r, leadId))
    .filter((n): n is ImportedNote => n !== undefined);

export function createNoteReads(http: SalesforceHttp, options: { importBatchSize?: number } = {}) {
  const { call } = http;

  const pageAt = async (path: string, headers: Record<string, string> = {}) => (await call('GET', path, { headers })).data;

  /** Our tasks, oldest first, a page per call; `since` (ISO) adds `LastModifiedDate >= since` (to the second, rounded down). */
  async function importNotes(cursor: string | undefined, { since }: { since?: string } = {}): Promise<{ notes: ImportedNote[]; cursor?: string }> {
    if (cursor !== undefined && !isQueryPath(cursor)) throw new CrmError('permanent', t.badCursor, { code: 'BAD_CURSOR' });
    const sinceLiteral = since === undefined ? undefined : soqlDateTime(since);
    if (since !== undefined && !sinceLiteral) throw new CrmError('permanent', t.badSince(since), { code: 'BAD_SINCE' });
    // A cursor carries its query (and its `since`) on Salesforce's side.
    const soql = `SELECT ${TASK_FIELDS} FROM Task WHERE ${OUR_TASKS}${sinceLiteral ? ` AND LastModifiedDate >= ${sinceLiteral}` : ''} ${OLDEST_FIRST}`;
    let data: unknown;
    try {
      data = await pageAt(cursor ?? `${DATA_PATH}/query?q=${encodeURIComponent(soql)}`, { 'sforce-query-options': `batchSize=${options.importBatchSize ?? IMPORT_BATCH_SIZE}` });
    } catch (e) {
      // The import's place expired on Salesforce's side: it has to start again.
      if (e instanceof CrmError && e.details.code === 'INVALID_QUERY_LOCATOR') throw new CrmError('permanent', t.cursorExpired, e.details);
      throw e;
    }
    return { notes: notesOf(isRecord(data) ? data.records : undefined), cursor: nextPath(data) };
  }

  /**
   * One lead's tasks with our block (anyone's), oldest first, and its `statusField` now: one query with a
   * `Tasks` subquery, plus query-more for a long history. A status field the org does not have (a team's
   * mapping gone stale) costs one more query without it: the history still shows. Throws `CrmError`;
   * a lead that is gone (deleted, or never in this org) is permanent `NOT_FOUND`.
   */
  async function readHistory(leadId: string, statusField: string): Promise<LeadHistoryRead> {
    const status = isFieldName(statusField) && statusField.toLowerCase() !== 'id' ? statusField : undefined;
    const query = (withStatus: boolean) =>
      `SELECT Id${withStatus && status ? `, ${status}` : ''}, (SELECT ${TASK_FIELDS} FROM Tasks WHERE ${OUR_TASKS} ${OLDEST_FIRST}) FROM Lead WHERE Id = ${soqlString(leadId)}`;
    const path = (soql: string) => `${DATA_PATH}/query?q=${encodeURIComponent(soql)}`;
    let data: unknown;
    try {
      data = await pageAt(path(query(true)));
    } catch (e) {
      if (!(status && e instanceof CrmError && e.details.code === 'INVALID_FIELD')) throw e;
      data = await pageAt(path(query(false)));
    }
    const lead = list(isRecord(data) ? data.records : undefined).find(isRecord);
    if (!lead) throw new CrmError('permanent', t.leadGone, { code: 'NOT_FOUND' });
    const notes: ImportedNote[] = [];
    let tasks: unknown = lead.Tasks; // null when the lead has no such task
    for (;;) {
      notes.push(...notesOf(isRecord(tasks) ? tasks.records : undefined, leadId));
      const next = nextPath(tasks);
      if (!next) break;
      tasks = await pageAt(next);
    }
    // Salesforce answers with the field's own spelling (`Status`), whatever case the mapping wrote it in.
    const now = status ? Object.entries(lead).find(([k]) => k.toLowerCase() === status.toLowerCase())?.[1] : undefined;
    return { notes, ...(typeof now === 'string' ? { status: now } : {}) };
  }

  return { importNotes, readHistory };
}
