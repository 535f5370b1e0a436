import { browser } from 'wxt/browser';
import { createClient } from '../../src/messaging/client';
import { popupProtocol } from '../../src/messaging/options-protocol';
import { PopupApp } from '../../src/popup/PopupApp';
import { extensionTabs, mountPage, pageClient } from '../../src/ui/mount';

const popupClient = createClient(popupProtocol, (message) => browser.runtime.sendMessage(message));

mountPage(<PopupApp send={pageClient()} popupSend={popupClient} tabs={extensionTabs} openOptions={() => browser.runtime.openOptionsPage()} />);
