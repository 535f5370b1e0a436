import type { createClient } from '../messaging/client';
import type { popupProtocol } from '../messaging/options-protocol';

/** Sends the popup's own messages to the background (validated both ways); the options messages go through `OptionsSend`. */
export type PopupSend = ReturnType<typeof createClient<typeof popupProtocol>>;
