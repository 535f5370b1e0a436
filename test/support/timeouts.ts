/**
 * Every test timeout in one place. They are hang guards, never expectations: a test waits for a
 * condition (waitFor, findBy*, expect.poll, Playwright's auto-wait), and these only decide how long it
 * may wait before it is called stuck. So they are generous: the suite must pass on a 2-core machine with
 * both cores busy. How fast something is belongs to `npm run bench`, not to a test.
 */

/** Unit, component and integration tests (vitest.config.ts): one test, and one hook. */
export const TEST_TIMEOUT_MS = 60_000;
export const HOOK_TIMEOUT_MS = 60_000;

/**
 * One wait for a condition: Testing Library's findBy and waitFor (`asyncUtilTimeout`, set in
 * ./setup.ts), `expect.poll`, and `vi.waitFor` (pass `WAIT`: its own default is 1 s, and vitest has no
 * setting for it).
 */
export const WAIT_TIMEOUT_MS = 15_000;
export const WAIT = { timeout: WAIT_TIMEOUT_MS, interval: 50 } as const;

/** End-to-end tests in real Chromium (vitest.e2e.config.ts, and Playwright's default in the harness). */
export const E2E_TEST_TIMEOUT_MS = 180_000;
export const E2E_HOOK_TIMEOUT_MS = 180_000;
export const E2E_WAIT_TIMEOUT_MS = 30_000;
