import { defineConfig } from 'vitest/config';
import CountReporter from './test/support/count-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', new CountReporter()],
    // The 1 GiB bomb and whole-pipeline tests do real work; none of them is timed.
    testTimeout: 60_000,
  },
});
