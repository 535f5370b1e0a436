/**
 * Salesforce task text: the subject and description a rep reads in Salesforce, bounded to the Task
 * fields' sizes (Subject ≤255 characters, Description a 32,000-character long text area), with the key
 * and our structured block kept intact.
 *
 * - Task fields: https://developer.salesforce.com/docs/atlas.en-us.200.0.object_reference.meta/object_reference/sforce_api_objects_openactivity.htm
 */
import { NOTE_MARKER } from '../../domain/note-format';

export const TASK_SUBJECT_MAX = 255;
/** Task.Description is a long text area of 32,000 characters. */
export const TASK_DESCRIPTION_MAX = 32_000;
/** Every task we create starts with this; imports and duplicate checks search for it. */
export const TASK_SUBJECT_PREFIX = 'Lead qualification';

/** Cuts at most `n` UTF-16 units from the start without splitting a surrogate pair. */
function head(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  const code = s.charCodeAt(n - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/** The last `n` UTF-16 units without splitting a surrogate pair. */
function tail(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  const code = s.charCodeAt(s.length - n);
  return s.slice(code >= 0xdc00 && code <= 0xdfff ? s.length - n + 1 : s.length - n);
}

/** One line, at most 255 characters, starting with our prefix and holding the key (duplicate checks search for both). */
export function taskSubject(subject: string, key: string): string {
  const line = subject.replace(/\s+/g, ' ').trim();
  const prefixed = line.startsWith(TASK_SUBJECT_PREFIX) ? line : `${TASK_SUBJECT_PREFIX}: ${line}`;
  if (prefixed.length <= TASK_SUBJECT_MAX && prefixed.includes(key)) return prefixed;
  const suffix = ` (${key})`;
  const rest = prefixed.split(suffix).join('').split(key).join('').trim();
  const room = TASK_SUBJECT_MAX - suffix.length;
  return `${rest.length <= room ? rest : `${head(rest, room - 1)}…`}${suffix}`;
}

const SHORTENED = '[The readable part was shortened to fit Salesforce’s 32,000-character task description; the extension keeps the full note.]';
const CUT = '[This description was cut to fit Salesforce’s 32,000-character task description; the extension keeps the full note.]';

/**
 * The task description for a note body, at most `max` characters. The key and the structured block at
 * the end stay intact: when too long, the human-readable part is shortened (and says so). Only a block
 * that alone does not fit gets cut in the middle, keeping the key and the block's last line.
 */
export function taskDescription(body: string, key: string, max = TASK_DESCRIPTION_MAX): string {
  const full = body.includes(key) ? body : `(${key})\n${body}`;
  if (full.length <= max) return full;
  const blockAt = full.lastIndexOf(`--- ${NOTE_MARKER}`);
  if (blockAt > 0) {
    const end = `\n…\n\n${SHORTENED}\n\n${full.slice(blockAt)}`;
    const shortened = head(full.slice(0, blockAt).trimEnd(), max - end.length) + end;
    if (end.length <= max && shortened.includes(key)) return shortened;
  }
  // The notice only where there is room for it: the key always comes first.
  const start = max >= CUT.length + key.length + 200 ? `${CUT}\n(${key})\n` : `(${key})\n`;
  const room = Math.max(0, max - start.length - 3);
  return head(`${start}${head(full, Math.floor(room / 2))}\n…\n${tail(full, room - Math.floor(room / 2))}`, max);
}
