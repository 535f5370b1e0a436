import { browser } from 'wxt/browser';
import { PopupApp } from '../../src/popup/PopupApp';
import { extensionTabs, mountPage, pageClient } from '../../src/ui/mount';

mountPage(<PopupApp send={pageClient()} tabs={extensionTabs} openOptions={() => browser.runtime.openOptionsPage()} />);
