import type { Author } from './dispositions';

/**
 * The author of a decision or review on one CRM's records: the CRM user its connection belongs to (as
 * the CRM says), else the name and email the rep gave once (only used where the CRM cannot say), else
 * nobody — then the product asks, it never signs with a placeholder.
 */
export function authorFrom(
  crm: string,
  user: { id: string; name: string; email?: string; ownerId?: string } | undefined,
  rep: { name: string; email: string } | undefined,
): Author | undefined {
  if (user) return { id: user.id, name: user.name || user.email || user.id, crm, ...(user.email ? { email: user.email } : {}), ...(user.ownerId ? { ownerId: user.ownerId } : {}) };
  return rep ? { id: `email:${rep.email.toLowerCase()}`, name: rep.name, email: rep.email } : undefined;
}

/** Stands for the rep in checklist answers given before anyone knows who they are; the save replaces it. */
export const UNIDENTIFIED_REP = '(rep not identified yet)';
