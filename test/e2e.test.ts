import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  return scanIsolatedWith([], target, ...args);
}

/** `nodeFlags`: flags of the node that runs the command (a smaller heap). */
function scanIsolatedWith(nodeFlags: string[], target: string, ...args: string[]) {
  const dirs = ['cwd', 'home', 'tmp'].map((name) => mkdtempSync(path.join(sandbox, `${name}-`)));
  const [cwd, home, tmp] = dirs as [string, string, string];
  const run = spawnSync(process.execPath, [...nodeFlags, repoPath('bin/dxt-audit.js'), 'scan', target, ...args], {
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

it('reports code too large to parse in memory, and code past --max-code-bytes, instead of running out of memory', () => {
  // 9 MiB of `a;` would take Babel about 1.4 GB of heap; the command runs here with 256 MB.
  const bundle = path.join(sandbox, 'dense');
  mkdirSync(path.join(bundle, 'server'), { recursive: true });
  writeFileSync(path.join(bundle, 'manifest.json'), JSON.stringify({ manifest_version: '0.2', name: 'dense', version: '1.0.0', description: 'd', author: { name: 'a' }, server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['server/index.js'] } } }));
  writeFileSync(path.join(bundle, 'server/index.js'), "require('./dense.js');\nrequire('./after.js');\n");
  writeFileSync(path.join(bundle, 'server/dense.js'), 'a;'.repeat(9 * 512 * 1024 + 1));
  writeFileSync(path.join(bundle, 'server/after.js'), "require('child_process').exec(process.argv[2]);\n");
  const problems = (run: ReturnType<typeof scanIsolated>) => {
    expect(run.stderr).not.toMatch(/heap out of memory/);
    const [report] = JSON.parse(run.stdout).bundles;
    expect(report.complete).toBe(false);
    return report.findings.filter((finding: { ruleId: string }) => finding.ruleId === 'code-parse-error').map((finding: { message: string }) => finding.message);
  };
  const limited = scanIsolatedWith(['--max-old-space-size=256'], bundle, '--format', 'json');
  expect(problems(limited)).toEqual([expect.stringMatching(/^"server\/dense\.js" could not be parsed \(file too large to parse \(9437186 characters; files over 8388608 are not parsed\)\)/)]);
  // Past the budget, the rest of what the server loads is reported unread (findings in file order).
  const budgeted = scanIsolatedWith(['--max-old-space-size=256'], bundle, '--format', 'json', '--max-code-bytes', '1000');
  expect(problems(budgeted)).toEqual([
    expect.stringMatching(/^"server\/after\.js" could not be parsed \(not read: with it, the code the server loads passes 1000 bytes \(--max-code-bytes\)\)/),
    expect.stringMatching(/^"server\/dense\.js" could not be parsed \(not read: /),
  ]);
  expect(budgeted.leftBehind).toEqual([]);
});
