import { crmList, REFRESH_MS, useOverview } from '../options/overview';
import { DASHBOARD_PATH, type OptionsSend, type TabsAdapter } from '../options/types';
import type { FormatOptions } from '../ui/panel/format';
import '../ui/theme.css';
import { MyReviews } from './MyReviews';
import './popup.css';
import { strings as t } from './strings';
import type { PopupSend } from './types';

export interface PopupAppProps {
  send: OptionsSend;
  /** The popup's own messages ("Reviews of my decisions"). */
  popupSend: PopupSend;
  tabs: TabsAdapter;
  /** `browser.runtime.openOptionsPage()`. */
  openOptions: () => Promise<unknown>;
  /** How often to read the counts again while open (ms); false: never. */
  refreshMs?: number | false;
  /** Closes the popup once a page is open (default `window.close()`). */
  close?: () => void;
  /** Dates as the rep reads them (tests pin the locale and time zone). */
  format?: FormatOptions;
}

/**
 * The toolbar popup: what waits to sync, how the CRMs are connected, the managers' reviews of the rep's
 * decisions, and the way to the dashboard and options.
 */
export function PopupApp({ send, popupSend, tabs, openOptions, refreshMs = REFRESH_MS, close = () => window.close(), format }: PopupAppProps) {
  const overview = useOverview(send, refreshMs);
  const o = overview.data;
  const connected = (o?.connections ?? []).filter((c) => c.state === 'connected').map((c) => ({ crm: c.crm, label: c.label }));

  return (
    <main className="lq-popup" aria-labelledby="lq-popup-h">
      <h1 id="lq-popup-h">{t.title}</h1>
      {overview.isPending ? (
        <p role="status" aria-busy="true">
          {t.loading}
        </p>
      ) : overview.isError ? (
        <p role="alert" className="lq-popup__error">
          {t.loadFailed(overview.error.message)}
        </p>
      ) : (
        <>
          <section aria-labelledby="lq-popup-sync">
            <h2 id="lq-popup-sync">{t.syncHeading}</h2>
            <p role="status" className={o!.queue.counts.failed > 0 ? 'lq-popup__attention' : undefined}>
              {t.syncSummary(o!.queue.counts.pending, o!.queue.counts.failed, o!.queue.counts.done)}
            </p>
          </section>
          <section aria-labelledby="lq-popup-crms">
            <h2 id="lq-popup-crms">{t.connectionsHeading}</h2>
            {crmList(o!).length === 0 ? (
              <p>{t.noCrms}</p>
            ) : (
              <ul className="lq-popup__crms">
                {crmList(o!).map((crm) => {
                  const c = o!.connections.find((x) => x.crm === crm.id);
                  const state = !c ? t.notConnected : c.state === 'expired' ? t.expired : t.connected(c.label);
                  return (
                    <li key={crm.id} data-state={c?.state ?? 'none'}>
                      {t.crmState(crm.label, state)}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </>
      )}
      <MyReviews popupSend={popupSend} send={send} tabs={tabs} connected={connected} close={close} format={format} />
      <div className="lq-popup__actions">
        <button type="button" className="lq-button lq-button--primary lq-popup__button" onClick={() => void tabs.create({ url: tabs.extensionUrl(DASHBOARD_PATH) }).then(close)}>
          {t.openDashboard}
        </button>
        <button type="button" className="lq-button lq-popup__button" onClick={() => void openOptions().then(close)}>
          {t.options}
        </button>
      </div>
    </main>
  );
}
