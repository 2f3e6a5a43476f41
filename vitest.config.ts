import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // An upper bound for a hung test, not a speed target: the heaviest integration tests take ~8 s
    // alone and were seen at over 60 s on a 2-core machine running other suites beside them.
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['./test/support/readable-errors.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
