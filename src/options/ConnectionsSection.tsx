import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Overview } from '../messaging/options-protocol';
import { ConnectForm } from './ConnectForm';
import { ConnectionCard } from './ConnectionCard';
import { crmList } from './overview';
import { strings as t } from './strings';
import type { HostModules, OptionsSend, PermissionsAdapter } from './types';

export const GRANTED_KEY = ['options', 'granted-origins'] as const;

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
