/** JSON helpers for the settings editor: parsing with a line and column, pretty printing, downloading. */
import { messageOf } from '../domain/errors';

export type JsonParse = { ok: true; value: unknown } | { ok: false; reason: string; line?: number; column?: number };

/** Line and column (both from 1) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * `JSON.parse` that never throws. Engines word their errors differently: newer Chrome says
 * "(line 3 column 1)", Node says "at position 11"; both become a line and a column when present.
 */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const raw = messageOf(e);
    const lc = /\(line (\d+) column (\d+)\)/.exec(raw);
    const position = /at position (\d+)/.exec(raw);
    const reason = raw
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/\s*in JSON at position \d+/, '')
      .replace(/^JSON\.parse: /, '')
      .trim();
    if (lc) return { ok: false, reason, line: Number(lc[1]), column: Number(lc[2]) };
    if (position) return { ok: false, reason, ...lineColumn(text, Number(position[1])) };
    return { ok: false, reason };
  }
}

export function prettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Saves `text` as a file through a temporary `<a download>` (no extension permission needed). */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once click() returns; a moment later the blob can go.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
