import { panelPushSchema } from '../messaging/panel-protocol';

interface RuntimeLike {
  id: string;
  onMessage: {
    addListener(cb: (message: unknown, sender: { id?: string; tab?: unknown; url?: string }) => void): void;
    removeListener(cb: (message: unknown, sender: { id?: string; tab?: unknown; url?: string }) => void): void;
  };
}

/**
 * The background's pushes to panels, validated: only from our own extension's background (no tab: content
 * scripts and tabs' pages have one), and only in the shape of `panel.leadChanged`. Everything else that
 * `runtime.onMessage` delivers to extension pages (content scripts' reports, for one) is ignored.
 */
export function backgroundPushes(runtime: RuntimeLike) {
  return (listener: (tabId: number) => void) => {
    const onMessage = (message: unknown, sender: { id?: string; tab?: unknown }) => {
      if (sender.id !== runtime.id || sender.tab) return;
      const push = panelPushSchema.safeParse(message);
      if (push.success) listener(push.data.payload.tabId);
    };
    runtime.onMessage.addListener(onMessage);
    return () => runtime.onMessage.removeListener(onMessage);
  };
}
