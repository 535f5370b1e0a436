/**
 * Who is who in a HubSpot portal: the user a token belongs to (`whoAmI`), and the names of the users
 * who created notes (HubSpot's owners). Never from a page or a note body: only from HubSpot's own answers.
 *
 * - Token metadata, `GET /oauth/v1/access-tokens/{token}` (`user_id`, `user` = the email, `hub_id`):
 *   https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/get-oauth-token-metadata
 *   and `PublicApiSpecs/Auth/Oauth/Rollouts/155908/v1/oauth.json` in
 *   https://github.com/HubSpot/HubSpot-public-api-spec-collection. HubSpot retires the v1 OAuth API on
 *   16 February 2027 (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide);
 *   its replacement, `POST /oauth/2026-03/token/introspect`, takes the app's `client_secret`
 *   (https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect),
 *   which a browser extension cannot keep secret: before that date this needs another source of the
 *   user (e.g. the sign-in's token answer relayed by a server of ours).
 * - Owners, `GET /crm/v3/owners` (paged, `limit`, `after`) and `GET /crm/v3/owners/{id}?idProperty=userId`
 *   (`id` is the owner id that `hubspot_owner_id` takes, `userId` the user's id; the owner id, not the
 *   user id, assigns a record): https://developers.hubspot.com/docs/api-reference/crm-crm-owners-v3/guide
 *   and `PublicApiSpecs/CRM/Crm Owners/Rollouts/146888/v3/crmOwners.json` (the `idProperty` enum).
 *
 * Private-app tokens (`pat-na1-…`, `pat-eu1-…`) have no user behind them: HubSpot's token endpoint
 * answers one with "The access token must have the correct format", and HubSpot's SDK maintainers tell
 * OAuth tokens from private-app tokens by the `pat-` prefix
 * (https://github.com/HubSpot/hubspot-api-nodejs/issues/530). So a `pat-` token is not sent there at
 * all (it would only put the token in a URL path); any other token is asked about, and a 400/401/403/404
 * answer means "not a user's token" (undefined), not a failed connection.
 *
 * Who created a note: `hs_created_by_user_id` (HubSpot's read-only "Created by user ID") or else
 * `hs_created_by` (activities' "Created by"). HubSpot's docs do not list notes' creator properties;
 * working integrations read both, and both are asked for since a read ignores properties an object
 * lacks (the object read's `properties` parameter in the v3 specs). Check on a real portal which one a
 * note created with an OAuth token carries, and whether a private-app note carries either (the stand-in
 * assumes neither). `hubspot_owner_id` is the note's owner, whom HubSpot shows as its creator on the timeline
 * (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide), but any API caller may set
 * it, so it names the creator only alongside the user id, never alone.
 */
import { CrmError, type Connection, type CrmUser, type ImportedNote } from '../api';
import { clip, isRecord, list, text } from '../read';
import type { HubSpotCall } from './http';
import { messages as t } from './messages';
import type { HubSpotObject } from './records';

/** The note properties that say who created a note (see above). */
export const CREATOR_PROPERTIES = ['hs_created_by_user_id', 'hs_created_by', 'hubspot_owner_id'] as const;

/** Pages of owners (100 each) read for names before giving up. */
const MAX_OWNER_PAGES = 20;
/** Token-info answers that mean "this token has no user behind it" rather than a failure. */
const NOT_A_USER_TOKEN = new Set([400, 401, 403, 404]);

/** A private-app (or service key) token: `pat-<region>-…`. No user stands behind it. */
export const isPrivateAppToken = (token: string) => /^pat-/i.test(token.trim());

export interface HubSpotOwner {
  /** The owner id (`hubspot_owner_id`). */
  id: string;
  userId?: string;
  name: string;
  email?: string;
}

const idOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' && /^\d+$/.test(v.trim()) ? v.trim() : undefined);

export function ownerOf(v: unknown): HubSpotOwner | undefined {
  if (!isRecord(v)) return undefined;
  const id = idOf(v.id);
  if (!id) return undefined;
  const email = text(v.email);
  const name = [text(v.firstName), text(v.lastName)].filter(Boolean).join(' ') || email || '';
  const userId = idOf(v.userId) ?? idOf(v.userIdIncludingInactive);
  return { id, name: clip(name, 200)!, ...(userId ? { userId } : {}), ...(email ? { email } : {}) };
}

/** How long a portal's owners list is reused by later module instances (one per read in the background). */
export const OWNERS_TTL_MS = 5 * 60_000;
/**
 * Owners lists by portal and token, shared by the module instances of one service worker: the background
 * makes a module for each lead read, and the team record read names note creators on every lead shown.
 * In memory only (a stopped worker reads them again); a failed read is not kept.
 */
const ownerDirectories = new Map<string, { at: number; list: Promise<HubSpotOwner[]> }>();

export function createUsers(call: HubSpotCall, connection: Connection, token: string, now: () => number = Date.now) {
  const directoryKey = `${connection.apiBase}\u0000${connection.account ?? ''}\u0000${token}`;

  /**
   * The user the token belongs to: token metadata, then that user's owner record. undefined for a
   * private-app token (no user behind it). A token of another portal than the connection's is refused.
   */
  async function whoAmI(): Promise<CrmUser | undefined> {
    if (connection.credentials.kind === 'token' && isPrivateAppToken(token)) return undefined;
    let info: unknown;
    try {
      ({ data: info } = await call('GET', `/oauth/v1/access-tokens/${encodeURIComponent(token)}`, undefined, false));
    } catch (e) {
      if (e instanceof CrmError && e.details.status !== undefined && NOT_A_USER_TOKEN.has(e.details.status)) return undefined;
      throw e;
    }
    const body = isRecord(info) ? info : {};
    const userId = idOf(body.user_id);
    if (!userId) return undefined;
    const hub = idOf(body.hub_id);
    if (hub && connection.account && hub !== connection.account) throw new CrmError('permanent', t.tokenPortalMismatch(hub, connection.account), { code: 'PORTAL_MISMATCH' });
    const email = clip(text(body.user), 320);
    let owner: HubSpotOwner | undefined;
    try {
      const { data } = await call('GET', `/crm/v3/owners/${encodeURIComponent(userId)}?idProperty=userId`, undefined, false);
      owner = ownerOf(data);
    } catch (e) {
      // No owner record (a user without a seat) or no owners scope: the user still is who they are.
      if (!(e instanceof CrmError && (e.details.status === 404 || e.details.status === 403))) throw e;
    }
    return { id: userId, name: clip(owner?.name || email || userId, 200)!, ...(email ? { email } : {}), ...(owner ? { ownerId: owner.id } : {}) };
  }

  /** Every active owner of the portal (read at most once per OWNERS_TTL_MS per portal and token). */
  function owners(): Promise<HubSpotOwner[]> {
    const cached = ownerDirectories.get(directoryKey);
    if (cached && now() - cached.at < OWNERS_TTL_MS) return cached.list;
    const reading = (async () => {
      const found: HubSpotOwner[] = [];
      let after: string | undefined;
      for (let page = 0; page < MAX_OWNER_PAGES; page++) {
        const query = new URLSearchParams({ limit: '100', ...(after ? { after } : {}) });
        const { data } = await call('GET', `/crm/v3/owners?${query}`, undefined, false);
        found.push(...list(isRecord(data) ? data.results : undefined).map(ownerOf).filter((o): o is HubSpotOwner => o !== undefined));
        const paging = isRecord(data) && isRecord(data.paging) && isRecord(data.paging.next) ? data.paging.next : undefined;
        after = paging && (typeof paging.after === 'string' || typeof paging.after === 'number') ? String(paging.after) : undefined;
        if (!after) break;
      }
      return found;
    })().catch((e: unknown) => {
      if (ownerDirectories.get(directoryKey)?.list === reading) ownerDirectories.delete(directoryKey);
      throw e;
    });
    ownerDirectories.set(directoryKey, { at: now(), list: reading });
    return reading;
  }

  /**
   * Who created each note (by note id), from HubSpot's creator properties, with (`withNames`) the
   * creator's name and owner id from the owners list. A note without a creator user id has no entry.
   * Names are left out when the owners cannot be read for a reason retrying cannot fix (no owners scope).
   * The note's own `hubspot_owner_id` is never used: whoever creates a note sets it, so it proves nothing
   * about who wrote it. The import leaves names out (the trust check compares user ids; a page of notes
   * then costs its search and its association read only).
   */
  async function creators(notes: readonly HubSpotObject[], withNames = true): Promise<Map<string, NonNullable<ImportedNote['createdBy']>>> {
    const out = new Map<string, NonNullable<ImportedNote['createdBy']>>();
    const creatorOf = (n: HubSpotObject) => idOf(n.properties.hs_created_by_user_id) ?? idOf(n.properties.hs_created_by);
    if (!notes.some(creatorOf)) return out;
    let people: HubSpotOwner[] = [];
    if (withNames) {
      try {
        people = await owners();
      } catch (e) {
        if (!(e instanceof CrmError && e.kind === 'permanent')) throw e;
      }
    }
    const byUser = new Map(people.flatMap((o) => (o.userId ? [[o.userId, o] as const] : [])));
    for (const n of notes) {
      const id = creatorOf(n);
      if (!id) continue;
      const owner = byUser.get(id);
      const ownerId = owner?.id;
      out.set(n.id, { id, ...(owner?.name ? { name: owner.name } : {}), ...(ownerId ? { ownerId } : {}) });
    }
    return out;
  }

  return { whoAmI, owners, creators };
}
