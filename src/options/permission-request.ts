import { messageOf } from '../domain/errors';
import type { Feedback } from './Feedback';
import { hostOfPattern } from './hosts';
import { strings as t } from './strings';
import type { PermissionsAdapter } from './types';

/** A permission request that threw, or whose promise was rejected, as the page says it. */
export function permissionFailed(e: unknown): Feedback {
  return { kind: 'error', message: t.permissionFailed(messageOf(e)) };
}

/** The sentence for host access the person did not grant. */
export function permissionRefused(origins: readonly string[]): string {
  return t.permissionRefused(origins.map(hostOfPattern).join(', '));
}

/**
 * Asks the browser for host access. Call it straight from the click, before anything is awaited: the
 * browser asks only during a user gesture. A request that throws comes back as the feedback to show.
 */
export function requestHosts(permissions: PermissionsAdapter, origins: string[]): { asked: Promise<boolean> } | { failed: Feedback } {
  try {
    return { asked: permissions.request({ origins }) };
  } catch (e) {
    return { failed: permissionFailed(e) };
  }
}
