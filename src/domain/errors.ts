/** What something thrown says, for a sentence people read: an `Error`'s message, anything else as text. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
