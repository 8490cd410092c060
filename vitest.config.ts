import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tamper and replay suites run real handshakes thousands of times; give them room
    // on the 2-core CI machine. Speed targets live in bench/, not here.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Vitest's default leaves one core free; on a 2-core machine that is a single worker and
    // the CPU-bound tamper files run one after another. Use both cores.
    maxWorkers: 2,
    // The default reporter, then one plain "N passed, N failed" line for CI.
    reporters: ['default', './test/helpers/plain_summary_reporter.ts'],
  },
});
