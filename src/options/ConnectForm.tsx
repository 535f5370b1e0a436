import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Available, ConnectErrors, ConnectFieldName, ConnectMethod, ConnectRequest, ConnectValues, FieldProps } from './connect-method';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { DEFAULT_LOGIN_HOST, oauthConnect } from './OAuthConnect';
import { permissionFailed, permissionRefused, requestHosts } from './permission-request';
import { strings as t } from './strings';
import { tokenConnect } from './TokenConnect';
import type { HostModules, OptionsSend, PermissionsAdapter } from './types';

const METHODS: Record<Available['connectWith'], ConnectMethod> = { token: tokenConnect, oauth: oauthConnect };

export interface ConnectFormProps {
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

/** Connect in three steps: choose the CRM, give the credentials, Connect (host access is asked for first). */
export function ConnectForm({ available, selected, onSelect, focusRequest, send, permissions, modules, redirectUri, onConnected }: ConnectFormProps) {
  const ids = useId();
  const [values, setValues] = useState<ConnectValues>({ token: '', apiBase: '', loginHost: DEFAULT_LOGIN_HOST, clientId: '' });
  const [errors, setErrors] = useState<ConnectErrors>({});
  const [feedback, setFeedback] = useState<Feedback>();
  const firstFieldRef = useRef<HTMLInputElement>(null);
  const crm = available.find((a) => a.id === selected);
  const method = crm ? METHODS[crm.connectWith] : undefined;
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

  function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!crm || !method || busy) return;
    let prepared: ReturnType<ConnectMethod['prepare']>;
    try {
      prepared = method.prepare(crm, values, modules);
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
    const request = requestHosts(permissions, prepared.origins);
    if ('failed' in request) {
      setFeedback(request.failed);
      return;
    }
    setFeedback({ kind: 'busy', message: t.connecting(crm.label) });
    void finish(prepared.request, prepared.origins, request.asked);
  }

  async function finish(request: ConnectRequest, origins: string[], asked: Promise<boolean>) {
    let granted: boolean;
    try {
      granted = await asked;
    } catch (err) {
      setFeedback(permissionFailed(err));
      return;
    }
    if (!granted) {
      setFeedback({ kind: 'error', message: permissionRefused(origins) });
      return;
    }
    try {
      const connection = await send('options.connect', request);
      // The token has done its job here; the background keeps it.
      setValues((v) => ({ ...v, token: '' }));
      setFeedback({ kind: 'ok', message: t.connected(connection.label) });
    } catch (err) {
      setFeedback(errorFeedback(err));
    }
    onConnected();
  }

  const field = (name: ConnectFieldName): FieldProps => ({
    id: `${ids}-${name}`,
    value: values[name],
    onChange: (e) => setValues((v) => ({ ...v, [name]: e.target.value })),
    error: errors[name],
  });

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
        {crm && method && (
          <fieldset>
            <legend>{method.legend()}</legend>
            <method.Fields crm={crm} field={field} firstFieldRef={firstFieldRef} redirectUri={redirectUri} />
          </fieldset>
        )}
        {crm && method && (
          <fieldset>
            <legend>{t.step3}</legend>
            <button type="submit" className="lq-button lq-button--primary" aria-disabled={busy || undefined}>
              {method.submitLabel(crm.label)}
            </button>
          </fieldset>
        )}
      </form>
      <FeedbackView feedback={feedback} focusOnError />
    </section>
  );
}
