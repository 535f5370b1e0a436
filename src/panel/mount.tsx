import type { ComponentProps } from 'react';
import { browser } from 'wxt/browser';
import { PANEL_PORT } from '../messaging/panel-protocol';
import { mountPage } from '../ui/mount';
import { FramedInPage } from '../ui/panel/use-frame-visible';
import { PanelApp } from './PanelApp';
import { workerLink } from './worker-link';

type PanelProps = Omit<ComponentProps<typeof PanelApp>, 'workerLink' | 'openOptions'>;

/**
 * The panel page's wiring, one for both places it shows: the frame our content script docks in the CRM
 * page (entrypoints/panel, `framedInPage`: the clickjacking gate on) and the browser's own side panel
 * (entrypoints/sidepanel, ADR 0020: browser UI, the gate stands aside). Each entrypoint passes how it sends
 * and where its pushes come from.
 */
export function mountPanel({ framedInPage, ...props }: PanelProps & { framedInPage: boolean }) {
  const link = workerLink({
    connect: () => {
      const port = browser.runtime.connect({ name: PANEL_PORT });
      // The worker stopping ends the port: expected, so read the error Chrome would otherwise log as unchecked.
      port.onDisconnect.addListener(() => void browser.runtime.lastError);
      return port;
    },
  });
  mountPage(
    <FramedInPage.Provider value={framedInPage}>
      <PanelApp {...props} workerLink={link} openOptions={() => void browser.runtime.openOptionsPage()} />
    </FramedInPage.Provider>,
    { retry: 1, refetchOnWindowFocus: false },
  );
}
