import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildZeroBomb } from '../scripts/lib/zip-writer.js';
import { repoPath } from './helpers/fixtures.js';

// The built command as a user runs it (`npm test` builds first). The scan runs in an empty working
// directory with empty HOME and TMPDIR, which must still be empty afterwards: nothing is extracted.
const sandbox = mkdtempSync(path.join(tmpdir(), 'dxt-audit-e2e-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

function scanIsolated(target: string, ...args: string[]) {
  const dirs = ['cwd', 'home', 'tmp'].map((name) => mkdtempSync(path.join(sandbox, `${name}-`)));
  const [cwd, home, tmp] = dirs as [string, string, string];
  const run = spawnSync(process.execPath, [repoPath('bin/dxt-audit.js'), 'scan', target, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: home, TMPDIR: tmp },
    encoding: 'utf8',
  });
  return { ...run, leftBehind: dirs.flatMap((dir) => readdirSync(dir)) };
}

it('scans the quick-start example cleanly', () => {
  const run = scanIsolated(repoPath('fixtures/examples/hello-world.dxt'));
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Hello World (hello-world) 1.0.0');
  expect(run.stderr).toBe('');
  expect(run.leftBehind).toEqual([]);
});

it.each([
  'fixtures/rules/archive-path-traversal/invalid.dxt',
  'fixtures/rules/archive-absolute-path/invalid.dxt',
  'fixtures/rules/archive-symlink/invalid.dxt',
  'fixtures/rules/archive-duplicate-entry/invalid.dxt',
  'fixtures/rules/archive-corrupt-entry/invalid.dxt',
])('reports %s with exit 1 and writes no file', (fixture) => {
  const run = scanIsolated(repoPath(fixture), '--format', 'json');
  expect(run.status).toBe(1);
  expect(JSON.parse(run.stdout).summary.failed).toBe(true);
  expect(run.leftBehind).toEqual([]);
});

it('reports a 1 GiB zero bomb without inflating it', () => {
  const bomb = path.join(sandbox, 'bomb.dxt');
  writeFileSync(bomb, buildZeroBomb(1024 * 1024 * 1024));
  const run = scanIsolated(bomb, '--format', 'json');
  expect(run.status).toBe(1);
  const [bundle] = JSON.parse(run.stdout).bundles;
  expect(bundle.complete).toBe(false);
  expect(bundle.findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain('archive-limit-exceeded');
  expect(run.leftBehind).toEqual([]);
});
