import { pageProtocol } from '../messaging/page-protocol';
import { optionsProtocol, popupProtocol } from '../messaging/options-protocol';
import { panelProtocol } from '../messaging/panel-protocol';

/** Everything the background answers: one protocol, assembled from its halves. */
export const backgroundProtocol = { ...pageProtocol, ...panelProtocol, ...optionsProtocol, ...popupProtocol };
export type BackgroundProtocol = typeof backgroundProtocol;
