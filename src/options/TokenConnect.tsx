import { ConnectField } from './ConnectField';
import { isHttpUrl, type ConnectErrors, type ConnectFieldsProps, type ConnectMethod } from './connect-method';
import { hostsFor } from './hosts';
import { strings as t } from './strings';

/** Step 2 for a token CRM: the access token, and the API address unless the CRM has a fixed one. */
function TokenFields({ crm, field, firstFieldRef }: ConnectFieldsProps) {
  return (
    <>
      <ConnectField {...field('token')} inputRef={firstFieldRef} label={t.token} hint={t.tokenHint} type="password" autoComplete="off" spellCheck={false} maxLength={4000} />
      {!crm.defaultApiBase && <ConnectField {...field('apiBase')} label={t.apiBase} hint={t.apiBaseHint} type="url" inputMode="url" spellCheck={false} />}
    </>
  );
}

/** Connecting with a pasted access token (HubSpot private app, the demo CRM). */
export const tokenConnect: ConnectMethod = {
  legend: () => t.step2Token,
  submitLabel: (crmLabel) => t.connectButton(crmLabel),
  Fields: TokenFields,
  prepare(c, { token, apiBase }, modules) {
    const e: ConnectErrors = {};
    const base = c.defaultApiBase ?? apiBase.trim();
    if (!token.trim()) e.token = t.tokenRequired;
    if (!c.defaultApiBase && !isHttpUrl(base, false)) e.apiBase = t.apiBaseInvalid;
    if (Object.keys(e).length) return e;
    return {
      request: { auth: 'token', crm: c.id, token: token.trim(), ...(c.defaultApiBase ? {} : { apiBase: base }) },
      origins: hostsFor(modules, c.id, base),
    };
  },
};
