import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditTarget } from '../src/audit-job.js';
import { threadsThatPay } from '../src/audit-pool.js';
import { isEntryName } from '../src/cache/entries.js';
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

describe('the --jobs default', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'dxt-audit-pool-weights-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const archive = (name: string, bytes: number): AuditTarget => {
    const file = path.join(scratch, name);
    writeFileSync(file, '');
    truncateSync(file, bytes);
    return { path: file, kind: 'archive' };
  };

  it('audits in turn what threads would not pay for: one bundle, small ones, one core', async () => {
    expect(await threadsThatPay([archive('only.mcpb', 50_000_000)], 8)).toBe(1);
    expect(await threadsThatPay([archive('big.mcpb', 50_000_000), archive('small.mcpb', 1_500_000)], 8)).toBe(1);
    expect(await threadsThatPay([archive('a.mcpb', 3_000_000), archive('b.mcpb', 3_000_000)], 1)).toBe(1);
    const chains = ['shell-runner', 'team-calendar', 'unit-converter'].map((name): AuditTarget => ({ path: repoPath(`fixtures/chains/bundles/${name}`), kind: 'directory' }));
    expect(await threadsThatPay(chains, 8)).toBe(1);
  });

  it('uses a thread per core, at most one per bundle, when the bundles besides the largest weigh 2 MB', async () => {
    expect(await threadsThatPay([archive('c.mcpb', 3_000_000), archive('d.mcpb', 2_000_000)], 8)).toBe(2);
    expect(await threadsThatPay([archive('e.mcpb', 3_000_000), archive('f.mcpb', 1_000_000), archive('g.mcpb', 1_000_000), archive('h.mcpb', 1_000_000)], 2)).toBe(2);
  });

  it('weighs a folder by its file count', async () => {
    const folder = path.join(scratch, 'unpacked');
    mkdirSync(path.join(folder, 'node_modules'), { recursive: true });
    for (let index = 0; index < 1300; index++) writeFileSync(path.join(folder, 'node_modules', `${index}.js`), '');
    expect(await threadsThatPay([archive('i.mcpb', 9_000_000), { path: folder, kind: 'directory' }], 2)).toBe(2);
    rmSync(path.join(folder, 'node_modules'), { recursive: true });
    expect(await threadsThatPay([archive('j.mcpb', 9_000_000), { path: folder, kind: 'directory' }], 2)).toBe(1);
  });
});
