import { useMemo, type MouseEvent } from 'react';
import { ConfigSection } from './ConfigSection';
import { ConnectionsSection } from './ConnectionsSection';
import { defaultModules } from './hosts';
import '../ui/theme.css';
import './options.css';
import { crmList, REFRESH_MS, useOverview, useRefreshOverview, useReloadOverview } from './overview';
import { PlacementSection } from './PlacementSection';
import { QueueSection } from './QueueSection';
import { RepSection } from './RepSection';
import { strings as t } from './strings';
import { DASHBOARD_PATH, type HostModules, type OptionsSend, type PermissionsAdapter, type TabsAdapter } from './types';

export interface OptionsAppProps {
  send: OptionsSend;
  permissions: PermissionsAdapter;
  tabs: TabsAdapter;
  /** Which hosts each CRM's API needs (default: the CRM API modules in `src/crm`). */
  modules?: HostModules;
  redirectUri?: string;
  /** How often the sync queue is read again while the page is visible (ms); false: never. */
  refreshMs?: number | false;
  clock?: () => number;
  locale?: string;
  timeZone?: string;
  /** Saves an exported file; default: a Blob download. */
  download?: (filename: string, text: string) => void;
}

/**
 * The options page: the rep's name, where the panel shows, CRM connections (connect, test, disconnect, mapping), the team's
 * qualification settings, the sync queue, and the way to the team dashboard. Everything goes through
 * `send` (the background); tokens go in and never come back.
 */
export function OptionsApp({ send, permissions, tabs, modules = defaultModules, redirectUri, refreshMs = REFRESH_MS, clock = Date.now, locale, timeZone, download }: OptionsAppProps) {
  const overview = useOverview(send, refreshMs);
  const refresh = useRefreshOverview();
  const reload = useReloadOverview(send);
  // The queue's "next try" is read against the clock of the latest refresh.
  const updatedAt = overview.dataUpdatedAt;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- read the clock again on every refresh
  const now = useMemo(() => clock(), [clock, updatedAt]);
  const formatTime = useMemo(() => {
    const f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    return (ms: number) => (Number.isFinite(ms) ? f.format(ms) : t.none);
  }, [locale, timeZone]);
  const dashboardUrl = tabs.extensionUrl(DASHBOARD_PATH);

  function openDashboard(e: MouseEvent<HTMLAnchorElement>) {
    // A new tab of its own, from the options page (which may be embedded in the browser's extension settings).
    e.preventDefault();
    void tabs.create({ url: dashboardUrl });
  }

  let body;
  if (overview.isPending) {
    body = (
      <p role="status" aria-busy="true">
        {t.loading}
      </p>
    );
  } else if (overview.isError) {
    body = (
      <div role="alert" className="lq-error-summary">
        <p>{t.loadFailed(overview.error.message)}</p>
        <button type="button" className="lq-button" onClick={() => void overview.refetch()}>
          {t.tryAgain}
        </button>
      </div>
    );
  } else {
    const o = overview.data;
    const labels = new Map(crmList(o).map((c) => [c.id, c.label]));
    body = (
      <>
        <RepSection rep={o.rep} connections={o.connections} send={send} onSaved={() => void refresh()} />
        <PlacementSection placement={o.placement} send={send} onSaved={() => void refresh()} />
        <ConnectionsSection overview={o} send={send} permissions={permissions} modules={modules} redirectUri={redirectUri} formatTime={formatTime} onChanged={() => void refresh()} />
        <ConfigSection config={o.config} configProblem={o.configProblem} configSource={o.configSource} managedProblem={o.managedProblem} send={send} reload={reload} onSaved={() => void refresh()} download={download} />
        <QueueSection queue={o.queue} crmLabel={(crm) => labels.get(crm) ?? crm} send={send} now={now} formatTime={formatTime} onChanged={() => void refresh()} />
      </>
    );
  }

  return (
    <div className="lq-options">
      <header className="lq-options__header">
        <h1>{t.pageTitle}</h1>
      </header>
      <main className="lq-options__main">
        {body}
        <nav aria-labelledby="lq-dashboard-h" className="lq-section">
          <h2 id="lq-dashboard-h">{t.dashboardHeading}</h2>
          <p className="lq-hint">{t.dashboardIntro}</p>
          <p>
            <a href={dashboardUrl} target="_blank" rel="noopener" onClick={openDashboard} className="lq-link">
              {t.dashboardLink} <span className="lq-hint">{t.opensInTab}</span>
            </a>
          </p>
        </nav>
      </main>
    </div>
  );
}
