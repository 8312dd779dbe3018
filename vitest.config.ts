import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The 1 GiB bomb and whole-pipeline tests do real work; none of them is timed.
    testTimeout: 60_000,
  },
});
