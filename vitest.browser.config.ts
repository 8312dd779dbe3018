import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the HTML report opened in headless Chromium (test/browser/). Kept apart
// from `npm test`, which needs no browser; .ci/run installs Debian's chromium and runs both.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
