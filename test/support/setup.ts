/**
 * Runs before every unit, component and integration test file (vitest.config.ts `setupFiles`).
 * Testing Library's findBy and waitFor give up after 1 s by default: far too little on a busy machine.
 * Node-environment files have no DOM and never load Testing Library, so only DOM files configure it.
 */
import { WAIT_TIMEOUT_MS } from './timeouts';

if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/dom');
  configure({ asyncUtilTimeout: WAIT_TIMEOUT_MS });
}
