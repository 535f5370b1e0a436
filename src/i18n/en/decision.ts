/**
 * The checks of a decision before it is saved (`src/domain/dispositions.ts` validateDecision) and of its
 * history (verifyChain, shown as "History broken at revision n: …"), in English (`DecisionMessages`).
 */
export const decision = {
  chooseOutcome: 'Choose accept, reject or recycle.',
  sentence: (message: string) => `${message}.`,
  notBefore: (what: string, allowToday: boolean) => `${what} must be ${allowToday ? 'today or later' : 'after today'}.`,
  withinAYear: (what: string) => `${what} must be within a year.`,
  theNextStep: 'The next step',
  theRecheckDate: 'The re-check date',
  noteTooLong: (length: string, max: string) => `The note has ${length} characters; the limit is ${max}. Shorten it: your text is kept.`,
  chooseNextStep: 'Choose the next step.',
  unknownNextStep: (id: string) => `“${id}” is not a next step this team uses.`,
  pickNextStepDate: 'Pick the date of the next step.',
  chooseReason: 'Choose a reason code.',
  inactiveReason: (code: string) => `“${code}” is not an active reason code.`,
  addNote: 'Add a note: what did the prospect say?',
  noteTooShort: (reason: string, min: number, now: number) => `“${reason}” needs a note of at least ${min} characters (now ${now}).`,
  unknownSubReason: (subReason: string, reason: string) => `“${subReason}” is not a sub-reason of “${reason}”.`,
  tooFewAttempts: (reason: string, min: number, logged: number) => `“${reason}” needs at least ${min} contact attempts (logged: ${logged}).`,
  recheckRequired: 'Pick a re-check date or describe what should trigger a re-check.',

  // History checks (verifyChain)
  chain: {
    expectedRevision: (expected: number, found: number) => `expected revision ${expected}, found ${found}`,
    otherDisposition: 'belongs to another disposition',
    unlinked: 'does not link to the previous revision',
    changed: 'content changed after it was saved',
  },
};

export type DecisionMessages = typeof decision;
