/**
 * Runs before every unit, component and integration test file (vitest.config.ts `setupFiles`).
 * Testing Library's findBy and waitFor give up after 1 s by default: far too little on a busy machine.
 * Node-environment files have no DOM and never load Testing Library, so only DOM files configure it.
 */
import { WAIT_TIMEOUT_MS } from './timeouts';

if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/dom');
  configure({ asyncUtilTimeout: WAIT_TIMEOUT_MS });
  // user-event clicks the moment it has moved the pointer onto a button: the panel's clickjacking gate
  // would refuse that as "too soon after the pointer came in" (ADR 0015). Its own tests turn the dwell back on
  // (src/ui/panel/use-frame-visible.test.tsx); every other component test clicks as at once.
  const { gateTiming } = await import('../../src/ui/panel/use-frame-visible');
  gateTiming.pointerDwellMs = 0;
}
