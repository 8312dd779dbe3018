import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import CountReporter from './test/support/count-reporter.js';

/** Tests that pack, install or build the package in a scratch folder: `npm run test:package` (vitest.package.config.ts), not `npm test`. */
export const PACKAGE_TESTS = 'test/package/**/*.test.ts';

/** Tests that replace a module (vi.mock): each runs alone, with modules of its own. */
const ISOLATED_TESTS = ['test/cli-internal-error.test.ts', 'test/compiler-tuning.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', new CountReporter()],
    // The 1 GiB bomb and whole-pipeline tests do real work; none of them is timed.
    testTimeout: 60_000,
    // Vitest keeps a core for itself by default; with modules shared it has little to do, and on two cores that default halves the speed.
    maxWorkers: availableParallelism(),
    // Test files share each worker's modules instead of loading the whole analyser again for every file
    // (more than half of a one-worker run): no module keeps state between audits. Isolation is decided
    // per pool, so the tests that need it run on threads, isolated.
    isolate: false,
    poolOptions: { threads: { isolate: true } },
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: [PACKAGE_TESTS, ...ISOLATED_TESTS] } },
      { extends: true, test: { name: 'isolated', include: ISOLATED_TESTS, pool: 'threads' } },
    ],
  },
});
