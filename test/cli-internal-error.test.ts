import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';
import { tempFolder } from './helpers/temp.js';

vi.mock('../src/manifest/read.js', () => ({
  readManifest: () => {
    throw new Error('simulated bug');
  },
}));

it('exits 3 and marks the bundle incomplete when dxt-audit itself fails', async () => {
  const run = await runCli(['scan', repoPath('fixtures/examples/hello-world.dxt'), '--format', 'json']);
  expect(run.code).toBe(3);
  const [bundle] = JSON.parse(run.stdout).bundles;
  expect(bundle).toMatchObject({ complete: false, incompleteReasons: ['internal error while auditing: simulated bug'] });
});

it('exits 3 even when it wrote the baseline asked for: a partial audit never passes', async () => {
  const baseline = path.join(tempFolder('internal'), 'baseline.json');
  expect((await runCli(['scan', repoPath('fixtures/examples/hello-world.dxt'), '--write-baseline', baseline])).code).toBe(3);
  expect(existsSync(baseline)).toBe(true);
});
