import { defineConfig } from 'vitest/config';
import CountReporter from './test/support/count-reporter.js';
import { PACKAGE_TESTS } from './vitest.config.js';

// `npm run test:package`: the package as users get it (packed and installed, or installed by the GitHub
// Action from a copy of this repository). Slow, so apart from `npm test`; .ci/run runs both.
export default defineConfig({
  test: {
    include: [PACKAGE_TESTS],
    reporters: ['default', new CountReporter()],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
