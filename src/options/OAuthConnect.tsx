import { ConnectField } from './ConnectField';
import { isHttpUrl, type ConnectErrors, type ConnectFieldsProps, type ConnectMethod } from './connect-method';
import { hostsFor, signInHosts } from './hosts';
import { strings as t } from './strings';

export const DEFAULT_LOGIN_HOST = 'https://login.salesforce.com';

const unique = (list: string[]) => [...new Set(list)];

/** Step 2 for an OAuth CRM: the login host and the connected app's client ID (with the callback URL to allow). */
function OAuthFields({ field, firstFieldRef, redirectUri }: ConnectFieldsProps) {
  return (
    <>
      <ConnectField {...field('loginHost')} inputRef={firstFieldRef} label={t.loginHost} hint={t.loginHostHint} type="url" inputMode="url" spellCheck={false} />
      <ConnectField
        {...field('clientId')}
        label={t.clientId}
        hint={redirectUri ? `${t.clientIdHint} ${t.redirectHint(redirectUri)}` : t.clientIdHint}
        type="text"
        autoComplete="off"
        spellCheck={false}
        maxLength={400}
      />
    </>
  );
}

/** Signing in with OAuth (Salesforce): the sign-in hosts, and the API's when the CRM has a fixed one, are asked for first. */
export const oauthConnect: ConnectMethod = {
  legend: () => t.step2Oauth,
  submitLabel: (crmLabel) => t.signInButton(crmLabel),
  Fields: OAuthFields,
  prepare(c, { loginHost, clientId }, modules) {
    const e: ConnectErrors = {};
    const host = loginHost.trim();
    if (!isHttpUrl(host, true)) e.loginHost = t.loginHostInvalid;
    if (!clientId.trim()) e.clientId = t.clientIdRequired;
    if (Object.keys(e).length) return e;
    return {
      request: { auth: 'oauth', crm: c.id, loginHost: host, clientId: clientId.trim() },
      origins: unique([...signInHosts(modules, c.id, host), ...(c.defaultApiBase ? hostsFor(modules, c.id, c.defaultApiBase) : [])]),
    };
  },
};
