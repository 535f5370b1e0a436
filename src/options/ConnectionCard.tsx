import { useEffect, useId, useRef, useState } from 'react';
import type { ReasonCode } from '../domain/config';
import type { Overview } from '../messaging/options-protocol';
import { errorFeedback, FeedbackView, type Feedback } from './Feedback';
import { grantedFor, hostsFor } from './hosts';
import { MappingForm } from './MappingForm';
import { permissionRefused, requestHosts } from './permission-request';
import { strings as t } from './strings';
import type { HostModules, OptionsSend, PermissionsAdapter } from './types';

type PublicConnection = Overview['connections'][number];

export interface ConnectionCardProps {
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

/** One CRM's card: its state, the hosts granted for its API, test, connect here, disconnect and mapping. */
export function ConnectionCard({ crm, connectable, connection, granted, reasonCodes, send, permissions, modules, formatTime, onConnectHere, onChanged }: ConnectionCardProps) {
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
    const request = requestHosts(permissions, needed);
    if ('failed' in request) {
      setFeedback(request.failed);
      return;
    }
    void run(t.saving, async () => {
      if (!(await request.asked)) throw new Error(permissionRefused(needed));
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
