/**
 * The message protocol's own checks of what the options page sends (`src/messaging/options-protocol.ts`),
 * in English (`ProtocolMessages`). Separate from `background` because every page that sends messages
 * carries the protocol.
 */
export const protocol = {
  tokenRequired: 'Paste the token.',
  clientIdRequired: 'Enter the connected app’s consumer key.',
  nameRequired: 'Enter your name.',
  emailRequired: 'Enter your work email, e.g. ana@example.com.',
};

export type ProtocolMessages = typeof protocol;
