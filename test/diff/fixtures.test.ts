import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip } from '../../scripts/lib/zip-writer.js';
import type { DiffReport } from '../../src/diff/report.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';

// The fixture pairs under fixtures/diff/<case>/{old,new}, through the command line: what each update
// adds, and the exit code the gate gives it.

const pair = (name: string) => [repoPath(`fixtures/diff/${name}/old`), repoPath(`fixtures/diff/${name}/new`)];
const CASES = ['bcc-added', 'new-undeclared-host', 'new-tool-shell', 'cosmetic'] as const;
const scratch = mkdtempSync(path.join(tmpdir(), 'dxt-audit-diff-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const diffs = new Map<string, DiffReport>();
beforeAll(async () => {
  for (const name of CASES) {
    const run = await runCli(['diff', ...pair(name), '--format', 'json', '--fail-on', 'none']);
    expect(run.code, run.stderr).toBe(0);
    diffs.set(name, JSON.parse(run.stdout) as DiffReport);
  }
});

const diffOf = (name: (typeof CASES)[number]) => diffs.get(name)!;

describe('bcc-added: the postmark-mcp 1.0.16 update', () => {
  it('adds one critical finding, the hidden Bcc, and keeps what was there', () => {
    const diff = diffOf('bcc-added');
    expect(diff.added).toHaveLength(1);
    expect(diff.added[0]).toMatchObject({ ruleId: 'code-exfiltration', category: 'exfiltration', severity: 'critical', tool: 'send_email' });
    expect(diff.added[0]!.message).toContain('phan@giftshop.club');
    expect(diff).toMatchObject({ removed: [], changed: [], unchanged: 1 });
    expect(diff.old).toMatchObject({ id: 'postmark-mail', version: '1.0.15', sha256: null, complete: true });
    expect(diff.new).toMatchObject({ id: 'postmark-mail', version: '1.0.16', level: 'critical' });
  });

  it('fails the default gate (exit 1), and passes with the gate off', async () => {
    expect((await runCli(['diff', ...pair('bcc-added')])).code).toBe(1);
    expect((await runCli(['diff', ...pair('bcc-added'), '--fail-on', 'none'])).code).toBe(0);
  });

  it('exits 0 the other way round: an update that only removes findings passes any gate', async () => {
    const [older, newer] = pair('bcc-added');
    const run = await runCli(['diff', newer!, older!, '--fail-on', 'info', '--format', 'json']);
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout) as DiffReport;
    expect(diff.removed.map((finding) => finding.ruleId)).toEqual(['code-exfiltration']);
    expect(diff.added).toEqual([]);
  });
});

describe('bcc-added, packed as .mcpb archives', () => {
  it('finds the same, with both hashes', async () => {
    const pack = (folder: string, name: string) => {
      const files = ['manifest.json', 'server/index.js'];
      const file = path.join(scratch, name);
      writeFileSync(file, buildZip(files.map((entry) => ({ name: entry, data: readFileSync(path.join(folder, entry)) }))));
      return file;
    };
    const [older, newer] = pair('bcc-added');
    const run = await runCli(['diff', pack(older!, 'old.mcpb'), pack(newer!, 'new.mcpb'), '--format', 'json']);
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout) as DiffReport;
    expect(diff.added.map((finding) => finding.ruleId)).toEqual(['code-exfiltration']);
    expect([diff.old.sha256, diff.new.sha256]).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/), expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(diff.drift.filter((item) => item.aspect === 'signature')).toEqual([]);
  });
});

describe('new-undeclared-host', () => {
  it('adds the host as a low finding and as drift, marked undeclared', () => {
    const diff = diffOf('new-undeclared-host');
    expect(diff.added.map((finding) => [finding.ruleId, finding.severity, finding.tool])).toEqual([['code-network', 'low', 'forecast']]);
    expect(diff.drift).toContainEqual({ aspect: 'host', change: 'added', subject: 'metrics.wx-telemetry.net', after: 'not declared by the manifest' });
    expect(diff.drift.filter((item) => item.aspect === 'host')).toHaveLength(1);
  });

  it('fails a low gate only: the host is low', async () => {
    expect((await runCli(['diff', ...pair('new-undeclared-host')])).code).toBe(0);
    expect((await runCli(['diff', ...pair('new-undeclared-host'), '--fail-on', 'low'])).code).toBe(1);
  });

  it('no longer adds a finding for a host --allow-host allows, but still lists the host', async () => {
    const run = await runCli(['diff', ...pair('new-undeclared-host'), '--allow-host', 'wx-telemetry.net', '--format', 'json', '--fail-on', 'low']);
    expect(run.code).toBe(0);
    const diff = JSON.parse(run.stdout) as DiffReport;
    expect(diff.added.map((finding) => finding.severity)).toEqual(['info']);
    expect(diff.drift).toContainEqual({ aspect: 'host', change: 'added', subject: 'metrics.wx-telemetry.net', after: 'declared' });
  });
});

describe('new-tool-shell', () => {
  it('adds the shell finding, the tool and the shell capability', () => {
    const diff = diffOf('new-tool-shell');
    expect(diff.added.map((finding) => [finding.ruleId, finding.category, finding.severity, finding.tool])).toEqual([['code-shell-exec', 'shell-exec', 'critical', 'run_command']]);
    expect(diff.drift).toEqual([
      { aspect: 'capability', change: 'added', subject: 'shell' },
      { aspect: 'tool', change: 'added', subject: 'run_command', after: 'Run a command in the project folder' },
    ]);
  });
});

describe('cosmetic: comments, formatting, quote style and a version bump', () => {
  it('reports nothing added, removed, changed or drifted, and matches every finding', () => {
    const diff = diffOf('cosmetic');
    expect(diff).toMatchObject({ added: [], removed: [], changed: [], drift: [], unchanged: 3 });
    expect([diff.old.version, diff.new.version]).toEqual(['3.2.0', '3.2.1']);
  });

  it('passes even the strictest gate', async () => {
    const run = await runCli(['diff', ...pair('cosmetic'), '--fail-on', 'info']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('This update adds nothing dxt-audit can see.');
  });
});

describe('signer-swapped: the same archive, signed by another publisher', () => {
  it('reports the changed signer and adds no finding, then a verified signature that went untrusted', async () => {
    const before = repoPath('fixtures/rules/signature-invalid/valid.mcpb');
    const after = repoPath('fixtures/signatures/other-publisher.mcpb');
    const trusted = ['--trust-cert', repoPath('fixtures/signatures/test-root-ca.pem')];
    const run = await runCli(['diff', before, after, '--format', 'json', ...trusted]);
    expect(run.code, run.stderr).toBe(0);
    const diff = JSON.parse(run.stdout) as DiffReport;
    expect(diff.added).toEqual([]);
    expect(diff.drift).toEqual([
      expect.objectContaining({ aspect: 'signer', change: 'changed', before: expect.stringContaining('CN=Example Publisher'), after: expect.stringContaining('CN=Another Publisher') }),
    ]);
    const spliced = await runCli(['diff', before, repoPath('fixtures/rules/signature-invalid/invalid.mcpb'), '--format', 'json', ...trusted]);
    expect(spliced.code).toBe(1);
    const worse = JSON.parse(spliced.stdout) as DiffReport;
    expect(worse.added.map((finding) => finding.ruleId)).toContain('signature-invalid');
    expect(worse.drift).toContainEqual(expect.objectContaining({ aspect: 'signature', before: 'valid', after: 'invalid' }));
  });
});

describe('formats', () => {
  it('markdown opens with what the update adds, for a pull-request comment', async () => {
    const run = await runCli(['diff', ...pair('new-tool-shell'), '--format', 'markdown']);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^\*\*dxt-audit [\d.]+\*\* · project-helper 0\.4\.0 → 0\.5\.0 · gate high: \*\*FAILED\*\*/);
    expect(run.stdout).toContain('**This update adds:** 1 new finding (1 critical); capability shell; tool run_command.');
    expect(run.stdout).toContain('### Added findings (1)');
    expect(run.stdout).toContain('- **critical** child_process.exec() runs a shell command');
  });

  it('markdown of a cosmetic update says it adds nothing', async () => {
    const run = await runCli(['diff', ...pair('cosmetic'), '--format', 'markdown']);
    expect(run.stdout).toContain('**This update adds nothing dxt-audit can see**');
    expect(run.stdout).not.toContain('### Added findings');
  });

  it('SARIF holds the added findings only, marked new, and validates as the scan SARIF does', async () => {
    const run = await runCli(['diff', ...pair('bcc-added'), '--format', 'sarif']);
    const log = JSON.parse(run.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; baselineState?: string; level: string }>; invocations: Array<{ properties: { failed: boolean } }> }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]!.results.map((result) => [result.ruleId, result.baselineState, result.level])).toEqual([['code-exfiltration', 'new', 'error']]);
    expect(log.runs[0]!.invocations[0]!.properties.failed).toBe(true);
  });

  it('writes to --output, nothing to standard output, with the same exit code', async () => {
    const file = path.join(scratch, 'diff.json');
    const run = await runCli(['diff', ...pair('bcc-added'), '--format', 'json', '--output', file]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect((JSON.parse(readFileSync(file, 'utf8')) as DiffReport).summary).toMatchObject({ failed: true, added: 1, gate: 'high' });
  });

  it('is the same, byte for byte, on a second run', async () => {
    const first = await runCli(['diff', ...pair('new-tool-shell'), '--format', 'json']);
    const second = await runCli(['diff', ...pair('new-tool-shell'), '--format', 'json']);
    expect(second.stdout).toBe(first.stdout);
  });
});

describe('usage', () => {
  it.each([
    [['diff', repoPath('fixtures/diff/cosmetic/old')], "missing required argument 'new'"],
    [['diff', repoPath('fixtures/diff/cosmetic/old'), path.join(scratch, 'missing.dxt')], 'no such file or directory'],
    [['diff', repoPath('fixtures/diff/cosmetic'), repoPath('fixtures/diff/cosmetic/new')], 'holds 2 bundles'],
    [['diff', ...pair('cosmetic'), '--fail-on', 'severe'], "argument 'severe' is invalid"],
  ])('exits 2 for %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('documents the command, its options and its exit codes in --help', async () => {
    const help = await runCli(['diff', '--help']);
    expect(help.code).toBe(0);
    for (const text of ['OLD', 'NEW', '--format', '--output', '--fail-on', '--config', '--allow-host', '--trust-cert', '--strict-manifest', '--max-entries', 'Exit codes']) {
      expect(help.stdout).toContain(text);
    }
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}diff \[options\] <old> <new>/m);
  });
});
