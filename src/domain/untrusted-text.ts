/**
 * Text from outside the extension (a CRM page, a CRM's notes, other reps' names) can carry Unicode
 * direction controls that make it look like something else: an Accepted decision's note written as
 * U+202E + reversed text reads "reject - no budget"; an RLO in a name reorders the date beside it.
 * Shown text keeps its characters but makes the controls visible, and is isolated from its neighbours:
 * `<bdi dir="auto">` where it stands alone (src/ui/Untrusted.tsx), First Strong Isolate … Pop
 * Directional Isolate where it is part of a sentence.
 */

/** Embeddings, overrides, isolates and marks (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM). */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** The text with every direction control shown as its code point, e.g. `[U+202E]`. */
export function showControls(text: string): string {
  return text.replace(DIRECTION_CONTROLS, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** The text for a place inside a sentence: controls shown, and isolated (FSI … PDI) from its neighbours. */
export function isolate(text: string): string {
  return `\u2068${showControls(text)}\u2069`;
}
