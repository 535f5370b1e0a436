import type { LeadProfile } from '../domain/lead';
import type { PageReading } from '../domain/lead-identity';
import type { LeadRef } from '../domain/lead-ref';
import type { DraftRecord, LeadRecord } from './records';
import { tablesOf, type Store } from './store';

/**
 * The lead cache and the rep's drafts. A lead's profile is what the page showed, merged with what the
 * CRM's API returned (once the API has answered, its word on who the lead is wins: see
 * src/domain/lead-identity.ts); the panel works offline from it. A draft is the rep's work in progress on
 * a lead (checklist, questions asked, the unsaved form), autosaved on every change.
 */

export function cachedLead(store: Store, key: string): Promise<LeadRecord | undefined> {
  const db = tablesOf(store);
  return db.leads.get(key);
}

/**
 * Stores what the page shows of a lead, over what was known (`profileOf` gets the cached profile and row,
 * whose `fetchedAt` says whether the CRM's API has answered). `pageSaid`: the page's own reading, kept
 * beside the profile so it can be compared with the API's.
 */
export function recordLeadShown(
  store: Store,
  key: string,
  ref: LeadRef,
  profileOf: (previous?: LeadProfile, row?: LeadRecord) => LeadProfile,
  at: string,
  pageSaid?: PageReading,
): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', db.leads, async () => {
    const existing = await db.leads.get(key);
    await db.leads.put({ ...existing, key, ref, profile: profileOf(existing?.profile, existing), ...(pageSaid ? { pageSaid } : {}), updatedAt: at });
  });
}

/**
 * Stores an API read of a lead, merged with the cached row in one transaction (the page may have written
 * in between). `merge` returns the new profile, or the reason the read cannot be used.
 */
export function recordLeadFetched(
  store: Store,
  key: string,
  ref: LeadRef,
  merge: (cached?: LeadRecord) => { profile: LeadProfile } | { problem: string },
  at: string,
): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', db.leads, async () => {
    const row = await db.leads.get(key);
    const merged = merge(row);
    if ('problem' in merged) {
      await db.leads.update(key, { fetchError: merged.problem });
      return;
    }
    // The team record (read in parallel from the CRM's notes) and the page's reading stay: only the profile is new.
    await db.leads.put({ key, ref: row?.ref ?? ref, profile: merged.profile, fetchedAt: at, fetchError: undefined, pageSaid: row?.pageSaid, team: row?.team, updatedAt: at });
  });
}

/** Why the last API read failed (the panel shows it beside the page's reading). */
export async function recordLeadFetchError(store: Store, key: string, problem: string): Promise<void> {
  const db = tablesOf(store);
  await db.leads.update(key, { fetchError: problem });
}

export function draftOf(store: Store, key: string): Promise<DraftRecord | undefined> {
  const db = tablesOf(store);
  return db.drafts.get(key);
}

/** Reads, changes and writes a draft in one transaction (`fresh` makes one when there is none). */
export function changeDraft(store: Store, key: string, fresh: () => DraftRecord, change: (draft: DraftRecord) => void, at: string): Promise<void> {
  const db = tablesOf(store);
  return db.transaction('rw', db.drafts, async () => {
    const draft = (await db.drafts.get(key)) ?? fresh();
    change(draft);
    draft.updatedAt = at;
    await db.drafts.put(draft);
  });
}
