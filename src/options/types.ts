import type { CrmApiModule } from '../crm/api';
import type { createClient } from '../messaging/client';
import type { z } from 'zod';
import type { optionsProtocol, publicConnectionSchema } from '../messaging/options-protocol';

/** Sends options messages to the background (validated both ways). */
export type OptionsSend = ReturnType<typeof createClient<typeof optionsProtocol>>;

/**
 * The part of `browser.permissions` the page uses; tests pass a fake. `request` must be called
 * synchronously inside the click (the user gesture), before anything is awaited.
 */
export interface PermissionsAdapter {
  request(permissions: { origins: string[] }): Promise<boolean>;
  getAll(): Promise<{ origins?: string[] }>;
}

/** Opening extension pages in a tab (`browser.tabs.create` + `browser.runtime.getURL`). */
export interface TabsAdapter {
  create(props: { url: string }): Promise<unknown>;
  extensionUrl(path: string): string;
}

/** Looks up a CRM's API module, for the host permissions to ask for (default: `crmApiModule`). */
export type HostModules = (crm: string) => Pick<CrmApiModule, 'hostPermissions'> | undefined;

export const DASHBOARD_PATH = '/dashboard.html';

/** A connection as the options page sees it (no credentials). */
export type PublicConnectionView = z.infer<typeof publicConnectionSchema>;
