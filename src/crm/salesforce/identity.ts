/**
 * Who a Salesforce session belongs to (`CrmApi.whoAmI`): the User the access token was issued to, by
 * Salesforce's own account, so decisions are signed with a name the org knows.
 *
 * - The UserInfo endpoint (OpenID Connect; `user_id`, `organization_id`, `name`, `email`,
 *   `preferred_username`), for the token's user only. Salesforce documents it on the login host
 *   (`login.salesforce.com` / `test.salesforce.com`); the instance and My Domain hosts serve the same
 *   identity service (the identity URL example in the docs is on `MyDomainName.my.salesforce.com`), and
 *   `testConnection` already reads it there, so the token never goes to another host:
 *   https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_using_userinfo_endpoint.htm
 *   https://developer.salesforce.com/docs/platform/mobile-sdk/guide/oauth-using-identity-urls.html
 * - Its scopes: the identity service wants `openid` / `id` / `profile`-type scopes, and our sign-in asks
 *   for `api refresh_token` only (`./oauth.ts`); a connected app configured without them gets a refusal.
 *   Then the Connect REST API's `chatter/users/me` (User Detail: `id`, `name`, `email`, `username`), which
 *   the `api` scope covers ("api … also includes chatter_api"):
 *   https://developer.salesforce.com/docs/atlas.en-us.188.0.chatterapi.meta/chatterapi/connect_resources_users_UserProfileInformation.htm
 *   https://developer.salesforce.com/docs/atlas.en-us.230.0.chatterapi.meta/chatterapi/connect_responses_user_detail.htm
 *   https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_tokens_scopes.htm
 *
 * Not confirmed in the docs we could search: how the identity service words a refusal for missing scopes
 * (any refusal that is not about the session counts as "cannot say here"), and whether `chatter/users/me`
 * answers in an org with Chatter turned off (if it does not, `whoAmI` says it cannot tell).
 */
import { CrmError, type CrmUser } from '../api';
import { isRecord, text } from '../read';
import { DATA_PATH, type SalesforceHttp } from './http';
import { id18 } from './soql';

/** A User id (key prefix `005`), 18 characters, or undefined. */
const userId = (raw: unknown) => {
  const id = id18(raw);
  return id?.startsWith('005') ? id : undefined;
};

const userOf = (id: string | undefined, name: unknown, email: unknown, username?: unknown): CrmUser | undefined => {
  if (!id) return undefined;
  const mail = text(email);
  return { id, name: (text(name) ?? text(username) ?? id).slice(0, 200), ...(mail ? { email: mail.slice(0, 320) } : {}) };
};

/** The UserInfo answer's user (`user_id`, `name`, `email`). */
export const userOfUserinfo = (data: unknown): CrmUser | undefined =>
  isRecord(data) ? userOf(userId(data.user_id), data.name, data.email, data.preferred_username) : undefined;

/** A Connect REST API User Detail's user (`id`, `name`, `email`). */
export const userOfChatter = (data: unknown): CrmUser | undefined => (isRecord(data) ? userOf(userId(data.id), data.name ?? data.displayName, data.email, data.username) : undefined);

/**
 * The token's user: UserInfo first, then `chatter/users/me`. A dead session (after one refresh) throws
 * `auth`, an outage `transient`; when Salesforce refuses both reads otherwise, undefined (it cannot say).
 */
export async function whoAmI(http: SalesforceHttp): Promise<CrmUser | undefined> {
  const readUser = async (path: string, read: (data: unknown) => CrmUser | undefined) => {
    try {
      return read((await http.call('GET', path)).data);
    } catch (e) {
      // The identity service answers a token it will not serve with a plain 403, whatever the reason.
      if (e instanceof CrmError && e.kind === 'permanent') return undefined;
      throw e;
    }
  };
  return (await readUser('/services/oauth2/userinfo', userOfUserinfo)) ?? (await readUser(`${DATA_PATH}/chatter/users/me`, userOfChatter));
}
