import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // one temp folder per run, removed at the end (test/helpers/tmp-root.ts)
    globalSetup: ['test/helpers/tmp-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Jupyter kernels and Chromium are heavy on a 2-core machine: run test files two at a time.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
