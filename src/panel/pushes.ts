import type { LeadRef } from '../domain/lead-ref';
import { PANEL_LEAD_CHANGED, PANEL_LEAD_REFRESHED, PANEL_SYNC_CHANGED, panelPushSchema, type PanelPush, type PanelState } from '../messaging/panel-protocol';

export type { PanelPush };

interface RuntimeLike {
  id: string;
  onMessage: {
    addListener(cb: (message: unknown, sender: { id?: string; tab?: unknown; url?: string }) => void): void;
    removeListener(cb: (message: unknown, sender: { id?: string; tab?: unknown; url?: string }) => void): void;
  };
}

/** Subscribes to the background's pushes (validated); returns the unsubscribe. */
export type OnPanelPush = (listener: (push: PanelPush) => void) => () => void;

/**
 * The background's pushes to panels, validated: only from our own extension's background (no tab: content
 * scripts and tabs' pages have one), and only in the shape of a push of `panelPushSchema`. Everything else
 * that `runtime.onMessage` delivers to extension pages (content scripts' reports, for one) is ignored.
 */
export function backgroundPushes(runtime: RuntimeLike): OnPanelPush {
  return (listener) => {
    const onMessage = (message: unknown, sender: { id?: string; tab?: unknown }) => {
      if (sender.id !== runtime.id || sender.tab) return;
      const push = panelPushSchema.safeParse(message);
      if (push.success) listener(push.data);
    };
    runtime.onMessage.addListener(onMessage);
    return () => runtime.onMessage.removeListener(onMessage);
  };
}

/**
 * The background's key of a lead (src/crm `leadKey`, which the panel does not bundle: it would bring every
 * CRM's page reader along); `pushes.test.ts` checks the two agree.
 */
export function leadKeyOf(ref: Pick<LeadRef, 'crm' | 'account' | 'host' | 'recordId'>): string {
  return `${ref.crm}:${ref.account ?? ref.host}:${ref.recordId}`;
}

/**
 * Whether a push is about what this state shows: its tab (or the panel does not know its tab yet), its
 * lead, or its saved decision.
 */
export function concerns(push: PanelPush, state: PanelState | undefined): boolean {
  switch (push.type) {
    case PANEL_LEAD_CHANGED:
      return !state || state.tabId === null || state.tabId === push.payload.tabId;
    case PANEL_SYNC_CHANGED:
      return Boolean(state?.saved && push.payload.dispositionIds.includes(state.saved.dispositionId));
    case PANEL_LEAD_REFRESHED:
      return Boolean(state?.ref && leadKeyOf(state.ref) === push.payload.leadKey);
  }
}

/**
 * The pushes seen lately, numbered. A state read (or an action's reply) that was under way when a push
 * about it arrived may predate the change: `since(mark, state)` says so, and the panel reads again. (A
 * push can overtake the reply it concerns: a decision may sync before the reply to "save" arrives.)
 */
export function pushLog(keep = 50) {
  let seq = 0;
  const recent: { seq: number; push: PanelPush }[] = [];
  return {
    note(push: PanelPush) {
      recent.push({ seq: ++seq, push });
      if (recent.length > keep) recent.shift();
    },
    /** The number of the last push seen; take it before sending a request. */
    mark: () => seq,
    /** Whether a push seen after `mark` concerns `state` (or pushes since were dropped from the log). */
    since(mark: number, state: PanelState): boolean {
      if (seq === mark) return false;
      if (recent.length === 0 || recent[0]!.seq > mark + 1) return true;
      return recent.some((r) => r.seq > mark && concerns(r.push, state));
    },
  };
}
export type PushLog = ReturnType<typeof pushLog>;
