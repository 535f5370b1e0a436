/**
 * HubSpot note bodies. HubSpot stores notes as HTML (`hs_note_body`, at most 65,536 characters): plain
 * text goes in escaped, one `<p>` per line, and comes back out as the same text, so the structured block
 * survives the round trip.
 *
 * - Notes (`hs_note_body` ≤65,536 characters):
 *   https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide
 */
import { NOTE_MARKER } from '../../domain/note-format';

/** `hs_note_body` holds at most 65,536 characters (of HTML). */
export const NOTE_BODY_MAX = 65_536;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const paragraphs = (lines: readonly string[]) => lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');

/**
 * The note's lines: the subject first (it carries the key, so the note is findable even if the block had
 * to be cut), replacing the body's own first line when the subject merely adds the key to it.
 */
function noteLines(subject: string, body: string): string[] {
  const lines = body.split(/\r?\n/);
  const first = lines[0]?.trim() ?? '';
  if (first && subject.startsWith(first)) lines[0] = subject;
  else lines.unshift(subject);
  return lines;
}

const SHORTENED = 'The readable part was shortened to fit HubSpot’s note size; the extension keeps the full note.';
const CUT = 'This note was cut to fit HubSpot’s note size; the extension keeps the full note.';

/**
 * The HTML note for a write-back, at most `max` characters. Escaping makes HTML longer than the text, so
 * when it does not fit the readable lines go first (the subject and the structured block stay); only a
 * block that alone is too long gets cut, and then the subject still holds the key.
 */
export function noteHtml(subject: string, body: string, max = NOTE_BODY_MAX): string {
  const lines = noteLines(subject, body);
  const full = paragraphs(lines);
  if (full.length <= max) return full;

  const blockAt = lines.findIndex((l, i) => i > 0 && l.includes(NOTE_MARKER));
  const block = blockAt > 0 ? lines.slice(blockAt) : [];
  const readable = lines.slice(1, blockAt > 0 ? blockAt : lines.length);
  const fixed = paragraphs([lines[0]!, SHORTENED, ...block]);
  if (fixed.length <= max) {
    let room = max - fixed.length;
    const kept: string[] = [];
    for (const line of readable) {
      const size = paragraphs([line]).length;
      if (size > room) break;
      kept.push(line);
      room -= size;
    }
    return paragraphs([lines[0]!, ...kept, SHORTENED, ...block]);
  }
  return cutToFit([lines[0]!, CUT], [...readable, ...block].join('\n'), max);
}

/** The head paragraphs plus the longest prefix of `rest` that fits in `max` (binary search). */
function cutToFit(head: string[], rest: string, max: number): string {
  const render = (n: number) => paragraphs([...head, ...rest.slice(0, n).split('\n')]);
  let lo = 0;
  let hi = rest.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (render(mid).length <= max) lo = mid;
    else hi = mid - 1;
  }
  return render(lo).length <= max ? render(lo) : paragraphs(head).slice(0, max);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A note's HTML as plain text: block ends and `<br>` become line breaks, other tags go, entities are
 * decoded once. String work only: the service worker has no DOM, and nothing is ever rendered.
 */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeEntities(withBreaks).replace(/\n$/, '');
}
