/**
 * Sentences several CRM API modules share (`src/crm/<name>/api.ts`), in English (`CrmMessages`): network
 * failures, unreadable answers, batch limits. `name` is the CRM's product name ("HubSpot", "Salesforce").
 * What only one CRM says stays in its folder (`src/crm/<name>/messages.ts`), so adding a CRM touches
 * nothing here. The pages show them as they come ("Needs attention: …").
 */
export const crm = {
  unreachable: (name: string, why: string) => `${name} could not be reached (${why}).`,
  /** The `why` of `unreachable` after a timeout. */
  noAnswerWithin: (seconds: number) => `no answer within ${seconds} s`,
  answered: (name: string, status: number) => `${name} answered ${status}.`,
  notJson: (name: string, status: number) => `${name} answered ${status} with a body that is not JSON.`,
  batchTooLarge: (name: string, max: number, got: number) => `${name} takes at most ${max} write-backs per batch (got ${got}).`,
};

export type CrmMessages = typeof crm;
