import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Report } from '../../src/report.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';

// The "done means": a calendar reader, a shell runner and a harmless bundle make exactly one
// chain; installed with the shell runner disabled they make none; and no secret from Claude
// Desktop's settings or config reaches any output.

const BUNDLES = repoPath('fixtures/chains/bundles');
const CLAUDE_DIR = repoPath('fixtures/chains/claude-dir');
const SECRETS = ['FIXTURE-SECRET-calendar-7f3a9c2e', 'FIXTURE-SECRET-shell-41d8e0b6', 'FIXTURE-SECRET-weather-c0ffee11'];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'dxt-audit-installed-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function jsonOf(args: string[]): Promise<{ code: number; report: Report }> {
  const run = await runCli(['scan', ...args, '--format', 'json']);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

it('finds exactly one chain in a folder of a calendar reader, a shell runner and a harmless bundle', async () => {
  const { code, report } = await jsonOf([BUNDLES]);
  expect(report.bundles.map((bundle) => bundle.id)).toEqual(['shell-runner', 'team-calendar', 'unit-converter']);
  expect(report.combinations).toEqual([
    expect.objectContaining({
      severity: 'critical',
      bundles: ['team-calendar', 'shell-runner'],
      source: { bundle: 'team-calendar', tool: 'list_events', tools: ['list_events'], content: 'calendar events', location: { file: 'server/index.js', line: 7, column: 26 } },
      sink: { bundle: 'shell-runner', tool: 'run_command', tools: ['run_command'], power: 'command-execution', location: { file: 'server/index.js', line: 8, column: 18 } },
    }),
  ]);
  expect(report.combinations[0]!.message).toBe(
    'Calendar events read by "Team Calendar" tool "list_events" can steer "Shell Runner" tool "run_command", which runs commands on this machine: nothing but the model stands between the two.',
  );
  expect(report.summary.failed).toBe(true);
  expect(code).toBe(1);
});

it('fails the gate on a chain alone', async () => {
  // Without the shell runner's own critical finding in the gate's reach, the chain still fails it.
  const { report } = await jsonOf([path.join(BUNDLES, 'team-calendar'), path.join(BUNDLES, 'shell-runner'), '--fail-on', 'critical']);
  expect(report.combinations).toHaveLength(1);
  expect(report.summary.failed).toBe(true);
});

it('prints the chains section and the per-extension table in text, worst first', async () => {
  const { stdout } = await runCli(['scan', BUNDLES]);
  const chains = stdout.indexOf('Chains across extensions (1)');
  const table = stdout.indexOf('Extensions, worst first');
  expect(chains).toBeGreaterThan(0);
  expect(table).toBeGreaterThan(chains);
  const rows = stdout.slice(table).split('\n').slice(2, 5).map((row) => row.trim().split(/\s{2,}/)[0]);
  expect(rows).toEqual(['Shell Runner', 'Team Calendar', 'Unit Converter']);
});

it('lists a disabled installed extension without combining it, and inventories hand-configured servers', async () => {
  const { report } = await jsonOf(['--claude-dir', CLAUDE_DIR]);
  expect(report.combinations).toEqual([]);
  const byId = Object.fromEntries(report.bundles.map((bundle) => [bundle.id, bundle]));
  expect(byId['shell-runner']!.installation).toEqual({
    kind: 'extension',
    enabled: false,
    grantedPaths: [],
    registry: { version: '1.0.0', source: 'local', signatureStatus: 'unsigned', hash: '41d8' },
  });
  expect(byId['team-calendar']!.installation).toMatchObject({ enabled: true });
  expect(byId['weather']!.findings).toEqual([
    expect.objectContaining({ ruleId: 'manifest-runtime-fetch', category: 'supply-chain', location: { file: 'claude_desktop_config.json', pointer: '/mcpServers/weather/args/1' } }),
  ]);
  expect(byId['notes']).toMatchObject({ findings: [], complete: false, installation: { kind: 'configured-server' } });
  expect(report.installed).toEqual({ dataDirectories: [CLAUDE_DIR], problems: [] });
});

it('combines the two once the shell runner is enabled', async () => {
  const copy = path.join(scratch, 'enabled');
  await cp(CLAUDE_DIR, copy, { recursive: true });
  const settings = path.join(copy, 'Claude Extensions Settings', 'local.dxt.fixtures.shell-runner.json');
  await writeFile(settings, (await readFile(settings, 'utf8')).replace('"isEnabled": false', '"isEnabled": true'));
  const { report } = await jsonOf(['--installed', '--claude-dir', copy]);
  expect(report.combinations.map((combination) => combination.bundles)).toEqual([['team-calendar', 'shell-runner']]);
});

it('pairs a bundle given on the command line with the installed extensions', async () => {
  const { report } = await jsonOf([path.join(BUNDLES, 'shell-runner'), '--claude-dir', CLAUDE_DIR]);
  // The installed shell runner is disabled; the one given to scan is judged as about to be installed.
  expect(report.combinations.map((combination) => combination.bundles)).toEqual([['team-calendar', 'shell-runner']]);
});

it.each(['text', 'json'])('keeps every secret of the settings and config files out of %s output', async (format) => {
  const run = await runCli(['scan', '--claude-dir', CLAUDE_DIR, BUNDLES, '--format', format]);
  expect(run.stdout.length).toBeGreaterThan(1000);
  for (const secret of SECRETS) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
    // Not even a recognisable piece of it.
    expect(run.stdout).not.toContain(secret.slice(-8));
  }
});

it('is a usage error when there is no Claude Desktop data folder, never an empty clean report', async () => {
  const run = await runCli(['scan', '--installed'], { host: { platform: 'linux', home: path.join(scratch, 'nobody') } });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('no Claude Desktop data folder found');
  expect((await runCli(['scan'])).code).toBe(2);
});
