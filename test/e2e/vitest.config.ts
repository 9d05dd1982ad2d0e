import { defineConfig } from 'vitest/config';

// Browser tests: one file at a time (2 cores, one Chromium), generous timeouts for a cold start.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
