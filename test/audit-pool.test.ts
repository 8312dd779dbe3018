import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { isEntryName } from '../src/cache/facts-store.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';

// Worker threads run the compiled package (npm test builds it first), so this runs the real bin.
function scanWithBin(jobs: number, ...more: string[]): { status: number | null; stdout: string } {
  const run = spawnSync(
    process.execPath,
    [repoPath('bin/dxt-audit.js'), 'scan', repoPath('fixtures/chains/bundles'), repoPath('fixtures/examples'), '--format', 'json', '--jobs', String(jobs), ...more],
    { encoding: 'utf8' },
  );
  return { status: run.status, stdout: run.stdout };
}

it('prints, on worker threads, the very report a single thread prints', () => {
  const inTurn = scanWithBin(1);
  const parallel = scanWithBin(2);
  const report = JSON.parse(parallel.stdout) as { bundles: unknown[]; combinations: unknown[] };
  expect(report.bundles.length).toBeGreaterThan(3);
  expect(report.combinations).toHaveLength(1);
  expect(parallel.stdout).toBe(inTurn.stdout);
  expect(parallel.status).toBe(inTurn.status);
});

it('shares one --cache between worker threads, cold and warm alike', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'dxt-audit-pool-cache-'));
  try {
    const inTurn = scanWithBin(1).stdout;
    expect(scanWithBin(2, '--cache-location', directory).stdout).toBe(inTurn);
    expect(readdirSync(directory).filter(isEntryName).length).toBeGreaterThan(3);
    expect(scanWithBin(2, '--cache-location', directory).stdout).toBe(inTurn);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

it('shows progress on stderr only when it is a terminal', async () => {
  const onTerminal = await runCli(['scan', repoPath('fixtures/chains/bundles')], { tty: true });
  expect(onTerminal.stderr).toContain('[1/3]');
  expect(onTerminal.stderr).toContain('[2/3]');
  const piped = await runCli(['scan', repoPath('fixtures/chains/bundles')]);
  expect(piped.stderr).toBe('');
});
