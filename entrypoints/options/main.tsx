import { browser } from 'wxt/browser';
import { OptionsApp } from '../../src/options/OptionsApp';
import { extensionTabs, mountPage, pageClient } from '../../src/ui/mount';

mountPage(
  <OptionsApp
    send={pageClient()}
    permissions={{ request: (p) => browser.permissions.request(p), getAll: () => browser.permissions.getAll() }}
    tabs={extensionTabs}
    redirectUri={browser.identity?.getRedirectURL()}
  />,
);
