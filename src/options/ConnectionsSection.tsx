import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type InputHTMLAttributes } from 'react';
import type { ReasonCode } from '../domain/config';
import type { RequestOf } from '../messaging/envelope';
import type { Overview, optionsProtocol } from '../messaging/options-protocol';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { grantedFor, hostOfPattern, hostsFor, signInHosts } from './hosts';
import { MappingForm } from './MappingForm';
import { crmList } from './overview';
import { strings as t } from './strings';
import type { HostModules, OptionsSend, PermissionsAdapter } from './types';

type Available = Overview['available'][number];
type PublicConnection = Overview['connections'][number];

export const GRANTED_KEY = ['options', 'granted-origins'] as const;

const unique = (list: string[]) => [...new Set(list)];

function isHttpUrl(value: string, httpsOnly: boolean): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (!httpsOnly && url.protocol === 'http:');
  } catch {
    return false;
  }
}

export interface ConnectionsSectionProps {
  overview: Pick<Overview, 'available' | 'connections' | 'config'>;
  send: OptionsSend;
  permissions: PermissionsAdapter;
  modules: HostModules;
  /** `browser.identity.getRedirectURL()`, shown as the callback URL an OAuth app must allow. */
  redirectUri?: string;
  formatTime: (ms: number) => string;
  /** Something changed in the background: read the overview again. */
  onChanged: () => void;
}

/** CRM connections: each CRM's state, granted hosts, test/disconnect and mapping; then connecting in 3 steps. */
export function ConnectionsSection({ overview, send, permissions, modules, redirectUri, formatTime, onChanged }: ConnectionsSectionProps) {
  const ids = useId();
  const granted = useQuery({ queryKey: GRANTED_KEY, queryFn: async () => (await permissions.getAll()).origins ?? [] });
  const firstOpen = overview.available.find((a) => !overview.connections.some((c) => c.crm === a.id && c.state === 'connected'));
  const [selected, setSelected] = useState(firstOpen?.id ?? overview.available[0]?.id ?? '');
  const [focusRequest, setFocusRequest] = useState(0);
  const changed = () => {
    onChanged();
    void granted.refetch();
  };
  const choose = (crm: string) => {
    setSelected(crm);
    setFocusRequest((n) => n + 1);
  };

  return (
    <section aria-labelledby={`${ids}-h`} className="lq-section">
      <h2 id={`${ids}-h`}>{t.connectionsHeading}</h2>
      <ul className="lq-cards">
        {crmList(overview).map((crm) => (
          <li key={crm.id}>
            <ConnectionCard
              crm={crm}
              connectable={overview.available.some((a) => a.id === crm.id)}
              connection={overview.connections.find((c) => c.crm === crm.id)}
              granted={granted.data}
              reasonCodes={overview.config.reasonCodes}
              send={send}
              permissions={permissions}
              modules={modules}
              formatTime={formatTime}
              onConnectHere={() => choose(crm.id)}
              onChanged={changed}
            />
          </li>
        ))}
      </ul>
      <ConnectForm
        available={overview.available}
        selected={selected}
        onSelect={setSelected}
        focusRequest={focusRequest}
        send={send}
        permissions={permissions}
        modules={modules}
        redirectUri={redirectUri}
        onConnected={changed}
      />
    </section>
  );
}

interface ConnectionCardProps {
  crm: { id: string; label: string };
  connectable: boolean;
  connection: PublicConnection | undefined;
  granted: string[] | undefined;
  reasonCodes: readonly ReasonCode[];
  send: OptionsSend;
  permissions: PermissionsAdapter;
  modules: HostModules;
  formatTime: (ms: number) => string;
  onConnectHere: () => void;
  onChanged: () => void;
}

function ConnectionCard({ crm, connectable, connection, granted, reasonCodes, send, permissions, modules, formatTime, onConnectHere, onChanged }: ConnectionCardProps) {
  const ids = useId();
  const [feedback, setFeedback] = useState<Feedback>();
  const [confirming, setConfirming] = useState(false);
  const [mappingOpen, setMappingOpen] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const disconnectRef = useRef<HTMLButtonElement>(null);
  const state = connection?.state ?? 'none';
  const busy = feedback?.kind === 'busy';

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  async function run(busyMessage: string, action: () => Promise<string>) {
    if (busy) return;
    setFeedback({ kind: 'busy', message: busyMessage });
    try {
      setFeedback({ kind: 'ok', message: await action() });
    } catch (e) {
      setFeedback(errorFeedback(e));
    }
    onChanged();
  }

  const needed = connection ? safeHosts(modules, crm.id, connection.apiBase) : [];
  const apiUrl = connection ? safeUrl(connection.apiBase) : undefined;
  const hosts = connection && granted ? grantedFor(granted, needed, connection.apiBase) : [];

  function grantAccess() {
    // Called straight from the click: the browser asks only during a user gesture.
    let asked: Promise<boolean>;
    try {
      asked = permissions.request({ origins: needed });
    } catch (e) {
      setFeedback({ kind: 'error', message: t.permissionFailed(e instanceof Error ? e.message : String(e)) });
      return;
    }
    void run(t.saving, async () => {
      if (!(await asked)) throw new Error(t.permissionRefused(needed.map(hostOfPattern).join(', ')));
      return t.accessGranted;
    });
  }

  return (
    <article className="lq-card" aria-labelledby={`${ids}-h`} data-state={state}>
      <h3 id={`${ids}-h`}>{crm.label}</h3>
      <p className={`lq-conn-state lq-conn-state--${state}`}>
        {state === 'connected' ? t.stateConnected(connection!.label) : state === 'expired' ? t.stateExpired : t.stateNotConnected}
      </p>
      {connection && (
        <>
          <p className="lq-hint">
            {t.connectedSince(formatTime(Date.parse(connection.connectedAt)))} · {connection.auth === 'token' ? t.authToken : t.authOauth}
          </p>
          <h4 id={`${ids}-hosts`}>{t.grantedHosts}</h4>
          {granted === undefined ? (
            <p className="lq-hint">{t.checkingHosts}</p>
          ) : hosts.length > 0 ? (
            <ul aria-labelledby={`${ids}-hosts`} className="lq-hosts">
              {hosts.map((h) => (
                <li key={h}>
                  <code>{h}</code>
                </li>
              ))}
            </ul>
          ) : (
            <>
              <p className="lq-warning">{t.noGrantedHosts(apiUrl?.host ?? connection.apiBase)}</p>
              {needed.length > 0 && (
                <button type="button" className="lq-button" onClick={grantAccess}>
                  {t.grantAccess(crm.label)}
                </button>
              )}
            </>
          )}
        </>
      )}
      <div className="lq-actions">
        {connection && (
          <button type="button" className="lq-button" aria-disabled={busy || undefined} onClick={() => void run(t.testing, async () => t.testOk((await send('options.testConnection', { crm: crm.id })).label))}>
            {t.testConnection}
          </button>
        )}
        {connectable && state !== 'connected' && (
          <button type="button" className={`lq-button${state === 'expired' ? ' lq-button--primary' : ''}`} onClick={onConnectHere}>
            {state === 'expired' ? t.reconnect(crm.label) : t.connectThis(crm.label)}
          </button>
        )}
        {connection && !confirming && (
          <button type="button" className="lq-button" ref={disconnectRef} aria-disabled={busy || undefined} onClick={() => !busy && setConfirming(true)}>
            {t.disconnect}
          </button>
        )}
        {connection && (
          <button type="button" className="lq-button" aria-expanded={mappingOpen} aria-controls={`${ids}-mapping`} onClick={() => setMappingOpen((o) => !o)}>
            {t.editMapping(crm.label)}
          </button>
        )}
      </div>
      {connection && confirming && (
        <div className="lq-confirm" role="group" aria-labelledby={`${ids}-confirm`}>
          <p id={`${ids}-confirm`}>{t.disconnectConfirm(crm.label)}</p>
          <div className="lq-actions">
            <button
              type="button"
              className="lq-button lq-button--danger"
              onClick={() => {
                setConfirming(false);
                void run(t.saving, async () => {
                  await send('options.disconnect', { crm: crm.id });
                  return t.disconnected(crm.label);
                });
              }}
            >
              {t.disconnectYes}
            </button>
            <button
              type="button"
              className="lq-button"
              ref={cancelRef}
              onClick={() => {
                setConfirming(false);
                // Back to where the person was, once the button is there again.
                setTimeout(() => disconnectRef.current?.focus(), 0);
              }}
            >
              {t.cancel}
            </button>
          </div>
        </div>
      )}
      <FeedbackView feedback={feedback} />
      {connection && mappingOpen && (
        <div id={`${ids}-mapping`}>
          <MappingForm
            key={`${connection.crm}:${connection.connectedAt}`}
            crm={crm.id}
            crmLabel={crm.label}
            mapping={connection.mapping}
            reasonCodes={reasonCodes}
            send={send}
            onSaved={onChanged}
          />
        </div>
      )}
    </article>
  );
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function safeHosts(modules: HostModules, crm: string, apiBase: string): string[] {
  try {
    return hostsFor(modules, crm, apiBase);
  } catch {
    return [];
  }
}

interface ConnectFormProps {
  available: readonly Available[];
  selected: string;
  onSelect: (crm: string) => void;
  /** Changes when a card's "Connect"/"Reconnect" asked for this form: focus moves to step 2. */
  focusRequest: number;
  send: OptionsSend;
  permissions: PermissionsAdapter;
  modules: HostModules;
  redirectUri?: string;
  onConnected: () => void;
}

type ConnectErrors = Partial<Record<'token' | 'apiBase' | 'loginHost' | 'clientId', string>>;
type ConnectRequest = RequestOf<typeof optionsProtocol, 'options.connect'>;

const DEFAULT_LOGIN_HOST = 'https://login.salesforce.com';

/** Connect in three steps: choose the CRM, give the credentials, Connect (host access is asked for first). */
function ConnectForm({ available, selected, onSelect, focusRequest, send, permissions, modules, redirectUri, onConnected }: ConnectFormProps) {
  const ids = useId();
  const [token, setToken] = useState('');
  const [apiBase, setApiBase] = useState('');
  const [loginHost, setLoginHost] = useState(DEFAULT_LOGIN_HOST);
  const [clientId, setClientId] = useState('');
  const [errors, setErrors] = useState<ConnectErrors>({});
  const [feedback, setFeedback] = useState<Feedback>();
  const firstFieldRef = useRef<HTMLInputElement>(null);
  const crm = available.find((a) => a.id === selected);
  const busy = feedback?.kind === 'busy';

  useEffect(() => {
    if (focusRequest > 0) firstFieldRef.current?.focus();
  }, [focusRequest]);

  if (available.length === 0) {
    return (
      <section aria-labelledby={`${ids}-h`} className="lq-connect">
        <h3 id={`${ids}-h`}>{t.connectHeading}</h3>
        <p>{t.noCrms}</p>
      </section>
    );
  }

  /** What to send and which hosts to ask for, or field errors. Synchronous: it runs before the permission request. */
  function prepare(c: Available): { request: ConnectRequest; origins: string[] } | ConnectErrors {
    const e: ConnectErrors = {};
    if (c.connectWith === 'token') {
      const base = c.defaultApiBase ?? apiBase.trim();
      if (!token.trim()) e.token = t.tokenRequired;
      if (!c.defaultApiBase && !isHttpUrl(base, false)) e.apiBase = t.apiBaseInvalid;
      if (Object.keys(e).length) return e;
      return {
        request: { auth: 'token', crm: c.id, token: token.trim(), ...(c.defaultApiBase ? {} : { apiBase: base }) },
        origins: hostsFor(modules, c.id, base),
      };
    }
    const host = loginHost.trim();
    if (!isHttpUrl(host, true)) e.loginHost = t.loginHostInvalid;
    if (!clientId.trim()) e.clientId = t.clientIdRequired;
    if (Object.keys(e).length) return e;
    return {
      request: { auth: 'oauth', crm: c.id, loginHost: host, clientId: clientId.trim() },
      origins: unique([...signInHosts(modules, c.id, host), ...(c.defaultApiBase ? hostsFor(modules, c.id, c.defaultApiBase) : [])]),
    };
  }

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!crm || busy) return;
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(crm);
    } catch (err) {
      setFeedback(errorFeedback(err));
      return;
    }
    if (!('request' in prepared)) {
      setErrors(prepared);
      setFeedback(undefined);
      const first = Object.keys(prepared)[0];
      if (first) document.getElementById(`${ids}-${first}`)?.focus();
      return;
    }
    setErrors({});
    // First, synchronously within the click: the browser only asks for permissions during a user gesture.
    let asked: Promise<boolean>;
    try {
      asked = permissions.request({ origins: prepared.origins });
    } catch (err) {
      setFeedback({ kind: 'error', message: t.permissionFailed(err instanceof Error ? err.message : String(err)) });
      return;
    }
    setFeedback({ kind: 'busy', message: t.connecting(crm.label) });
    void finish(crm, prepared.request, prepared.origins, asked);
  }

  async function finish(c: Available, request: ConnectRequest, origins: string[], asked: Promise<boolean>) {
    let granted: boolean;
    try {
      granted = await asked;
    } catch (err) {
      setFeedback({ kind: 'error', message: t.permissionFailed(err instanceof Error ? err.message : String(err)) });
      return;
    }
    if (!granted) {
      setFeedback({ kind: 'error', message: t.permissionRefused(origins.map(hostOfPattern).join(', ')) });
      return;
    }
    try {
      const connection = await send('options.connect', request);
      // The token has done its job here; the background keeps it.
      setToken('');
      setFeedback({ kind: 'ok', message: t.connected(connection.label) });
    } catch (err) {
      setFeedback(errorFeedback(err));
    }
    onConnected();
  }

  const input = (name: keyof ConnectErrors, label: string, hint: string | undefined, props: InputHTMLAttributes<HTMLInputElement>, first = false) => (
    <div className="lq-field">
      <label htmlFor={`${ids}-${name}`}>{label}</label>
      <input
        id={`${ids}-${name}`}
        ref={first ? firstFieldRef : undefined}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={[hint ? `${ids}-${name}-hint` : '', errors[name] ? `${ids}-${name}-err` : ''].filter(Boolean).join(' ') || undefined}
        {...props}
      />
      {hint && (
        <p id={`${ids}-${name}-hint`} className="lq-hint">
          {hint}
        </p>
      )}
      {errors[name] && (
        <p id={`${ids}-${name}-err`} className="lq-error">
          {errors[name]}
        </p>
      )}
    </div>
  );

  return (
    <section aria-labelledby={`${ids}-h`} className="lq-connect">
      <h3 id={`${ids}-h`}>{t.connectHeading}</h3>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t.step1}</legend>
          <div className="lq-choices">
            {available.map((a) => (
              <label key={a.id} className="lq-choice">
                <input
                  type="radio"
                  name={`${ids}-crm`}
                  value={a.id}
                  checked={selected === a.id}
                  onChange={() => {
                    onSelect(a.id);
                    setErrors({});
                    setFeedback(undefined);
                  }}
                />
                {a.label}
              </label>
            ))}
          </div>
        </fieldset>
        {crm && (
          <fieldset>
            <legend>{crm.connectWith === 'token' ? t.step2Token : t.step2Oauth}</legend>
            {crm.connectWith === 'token' ? (
              <>
                {input('token', t.token, t.tokenHint, { type: 'password', autoComplete: 'off', spellCheck: false, maxLength: 4000, value: token, onChange: (e) => setToken(e.target.value) }, true)}
                {!crm.defaultApiBase && input('apiBase', t.apiBase, t.apiBaseHint, { type: 'url', inputMode: 'url', spellCheck: false, value: apiBase, onChange: (e) => setApiBase(e.target.value) })}
              </>
            ) : (
              <>
                {input('loginHost', t.loginHost, t.loginHostHint, { type: 'url', inputMode: 'url', spellCheck: false, value: loginHost, onChange: (e) => setLoginHost(e.target.value) }, true)}
                {input('clientId', t.clientId, redirectUri ? `${t.clientIdHint} ${t.redirectHint(redirectUri)}` : t.clientIdHint, {
                  type: 'text',
                  autoComplete: 'off',
                  spellCheck: false,
                  maxLength: 400,
                  value: clientId,
                  onChange: (e) => setClientId(e.target.value),
                })}
              </>
            )}
          </fieldset>
        )}
        {crm && (
          <fieldset>
            <legend>{t.step3}</legend>
            <button type="submit" className="lq-button lq-button--primary" aria-disabled={busy || undefined}>
              {crm.connectWith === 'token' ? t.connectButton(crm.label) : t.signInButton(crm.label)}
            </button>
          </fieldset>
        )}
      </form>
      <FeedbackView feedback={feedback} focusOnError />
    </section>
  );
}
