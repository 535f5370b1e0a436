import { defineConfig } from 'vitest/config';
import { E2E_HOOK_TIMEOUT_MS, E2E_TEST_TIMEOUT_MS, E2E_WAIT_TIMEOUT_MS } from './test/support/timeouts';

// End-to-end tests: the built extension (.output/chrome-mv3) in real Chromium. `npm run test:e2e` builds
// first. One browser at a time: files run one after another.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    // Hang guards, not expectations (test/support/timeouts.ts); Playwright's own default is set in the harness.
    testTimeout: E2E_TEST_TIMEOUT_MS,
    hookTimeout: E2E_HOOK_TIMEOUT_MS,
    expect: { poll: { timeout: E2E_WAIT_TIMEOUT_MS } },
    teardownTimeout: 30_000,
    restoreMocks: true,
  },
});
