import { leadKey } from '../crm';
import type { LeadRef } from '../domain/lead-ref';
import { CHANNEL } from '../messaging/envelope';
import { MAX_PUSH_IDS, PANEL_LEAD_CHANGED, PANEL_LEAD_REFRESHED, PANEL_PORT, PANEL_SYNC_CHANGED } from '../messaging/panel-protocol';
import type { Caller, SenderInfo } from '../messaging/sender';
import type { createLeadRefresher } from '../sync/lead-refresh';
import type { PanelBinding } from './frame-binding';

type LeadRefresher = ReturnType<typeof createLeadRefresher>;

/**
 * The background's side of the panel's live view: pushes that tell panels what changed (ids only; a panel
 * it concerns re-reads its state with `panel.getState`), and the ports panels hold while they wait on the
 * background (see `PANEL_PORT`).
 */

/** Broadcasts a message to the extension's pages (`runtime.sendMessage`). */
export type Broadcast = (message: unknown) => Promise<unknown>;

export function panelPushes(broadcast: Broadcast) {
  // No panel open is the usual case: "no receiving end" is not an error here.
  const push = (type: string, payload: unknown) => void broadcast({ channel: CHANNEL, type, payload }).catch(() => undefined);
  return {
    /** The lead shown in a tab changed (or was left). */
    leadChanged: (tabId: number) => push(PANEL_LEAD_CHANGED, { tabId }),
    /** These dispositions' sync state changed (the sync engine's `onChange`). */
    syncChanged: (dispositionIds: string[]) => {
      for (let i = 0; i < dispositionIds.length; i += MAX_PUSH_IDS) push(PANEL_SYNC_CHANGED, { dispositionIds: dispositionIds.slice(i, i + MAX_PUSH_IDS) });
    },
    /** The read of a lead's profile from its CRM finished or failed. */
    leadRefreshed: (key: string) => push(PANEL_LEAD_REFRESHED, { leadKey: key }),
  };
}

/** A lead refresher whose every read, once settled (done or failed), is reported with the lead's key. */
export function reportingRefreshes(refresher: LeadRefresher, onSettled: (leadKey: string) => void): LeadRefresher {
  const reported = new WeakSet<Promise<void>>();
  return {
    ...refresher,
    refresh(ref: LeadRef, options?: { force?: boolean }) {
      const read = refresher.refresh(ref, options);
      // Calls for one lead share a read: report it once.
      if (!reported.has(read)) {
        reported.add(read);
        void read.then(
          () => onSettled(leadKey(ref)),
          () => onSettled(leadKey(ref)),
        );
      }
      return read;
    },
  };
}

/** The parts of `runtime.Port` the background uses. */
export interface IncomingPort {
  name: string;
  sender?: SenderInfo;
  disconnect(): void;
}

/**
 * Accepts the ports panels hold (nothing is read from them: their ending is what the panel watches). The
 * sender is checked as for messages (`identifySender`): a port from anything but our panel page in a CRM
 * tab, or under another name, is closed at once; one from a panel frame that is not its tab's bound panel
 * (`binding`, ADR 0015) as soon as that is known.
 */
export function acceptPanelPorts(
  onConnect: { addListener(cb: (port: IncomingPort) => void): void },
  identify: (sender: SenderInfo) => Caller | null,
  binding: PanelBinding,
) {
  onConnect.addListener((port) => {
    const caller = port.name === PANEL_PORT && port.sender ? identify(port.sender) : null;
    if (caller?.role !== 'panel') {
      port.disconnect();
      return;
    }
    void binding.accepts(caller).then(
      (bound) => bound || port.disconnect(),
      () => port.disconnect(),
    );
  });
}
