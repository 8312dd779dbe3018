import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { buildZip } from '../scripts/lib/zip-writer.js';
import { TOOL_VERSION } from '../src/version.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';

const EXAMPLE = repoPath('fixtures/examples/hello-world.dxt');
const TRAVERSAL = repoPath('fixtures/rules/archive-path-traversal/invalid.dxt');
const scratch = mkdtempSync(path.join(tmpdir(), 'dxt-audit-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('exit codes', () => {
  it('0 when nothing reaches the gate', async () => {
    const run = await runCli(['scan', EXAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Hello World (hello-world) 1.0.0');
    expect(run.stdout).toContain('gate high: passed');
  });

  it('1 when a finding reaches the gate, 0 when the gate is off', async () => {
    expect((await runCli(['scan', TRAVERSAL])).code).toBe(1);
    expect((await runCli(['scan', TRAVERSAL, '--fail-on', 'none'])).code).toBe(0);
    expect((await runCli(['scan', EXAMPLE, '--fail-on', 'info'])).code).toBe(1);
  });

  it('1, with a report, for a file that is not an archive at all', async () => {
    const run = await runCli(['scan', repoPath('fixtures/rules/archive-not-zip/invalid.dxt'), '--format', 'json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).bundles[0].complete).toBe(false);
  });

  it.each([
    [['scan', path.join(scratch, 'missing.dxt')], 'no such file or directory'],
    [['scan', EXAMPLE, '--no-such-flag'], "unknown option '--no-such-flag'"],
    [['scan', EXAMPLE, '--fail-on', 'severe'], "argument 'severe' is invalid"],
    [['scan', EXAMPLE, '--format', 'xml'], "argument 'xml' is invalid"],
    [['scan', EXAMPLE, '--max-entries', '-5'], 'expected a positive whole number'],
    [['scan', EXAMPLE, '--allow-host', 'not a host'], 'expected a host name or address'],
    [['scan'], 'give bundles or folders to scan, or --installed'],
    [['scan', repoPath('test')], 'no bundle in'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('2 for a usage error: %j', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('output', () => {
  it('prints the version and help', async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${TOOL_VERSION}\n` });
    const help = await runCli(['scan', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--format', '--output', '--fail-on', '--strict-manifest', '--allow-host', '--trust-cert', '--max-archive-bytes', '--max-total-bytes', '--max-entry-bytes', '--max-entries', '--max-ratio', '--max-code-bytes', 'Exit codes']) {
      expect(help.stdout).toContain(option);
    }
  });

  it('passes every --allow-host to the network rules', async () => {
    const network = repoPath('fixtures/rules/code-network/invalid');
    const severityOf = async (...allowed: string[]) => {
      const run = await runCli(['scan', network, '--format', 'json', '--fail-on', 'none', ...allowed.flatMap((host) => ['--allow-host', host])]);
      const report = JSON.parse(run.stdout) as { bundles: Array<{ findings: Array<{ message: string; severity: string }> }> };
      return report.bundles[0]!.findings.find((finding) => finding.message.includes('Endpoint api.weatherly.dev'))?.severity;
    };
    expect(await severityOf()).toBe('low');
    expect(await severityOf('api.other.dev', 'https://api.weatherly.dev/v2')).toBe('info');
  });

  it('trusts the roots given with --trust-cert, and refuses a file that holds no certificate', async () => {
    const signed = repoPath('fixtures/rules/signature-self-signed/valid.mcpb');
    const statusWith = async (...files: string[]) => {
      const run = await runCli(['scan', signed, '--format', 'json', ...files.flatMap((file) => ['--trust-cert', file])]);
      return (JSON.parse(run.stdout) as { bundles: Array<{ signature: string }> }).bundles[0]!.signature;
    };
    expect(await statusWith()).toBe('untrusted');
    expect(await statusWith(repoPath('fixtures/signatures/test-root-ca.pem'))).toBe('valid');
    const notPem = await runCli(['scan', signed, '--trust-cert', repoPath('fixtures/examples/hello-world.dxt')]);
    expect(notPem).toMatchObject({ code: 2, stdout: '' });
    expect(notPem.stderr).toContain('holds no PEM certificate');
    expect(await runCli(['scan', signed, '--trust-cert', repoPath('fixtures/signatures/missing.pem')])).toMatchObject({ code: 2 });
  });

  it('lists every rule with its category and severity', async () => {
    const run = await runCli(['rules']);
    for (const { meta } of RULES) expect(run.stdout).toMatch(new RegExp(`^${meta.id} +${meta.category} +${meta.severity} +\\S`, 'm'));
  });

  it('writes the report to --output and nothing to standard output', async () => {
    const file = path.join(scratch, 'report.json');
    const run = await runCli(['scan', EXAMPLE, '--format', 'json', '--output', file]);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(file, 'utf8')).bundles[0].id).toBe('hello-world');
  });

  it('colours only a terminal that has not asked for NO_COLOR or FORCE_COLOR=0', async () => {
    const ansi = /\u001b\[/;
    expect((await runCli(['scan', TRAVERSAL], { tty: true })).stdout).toMatch(ansi);
    expect((await runCli(['scan', TRAVERSAL], { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ansi);
    expect((await runCli(['scan', TRAVERSAL], { tty: true, env: { FORCE_COLOR: '0' } })).stdout).not.toMatch(ansi);
    expect((await runCli(['scan', TRAVERSAL], { tty: true, env: { FORCE_COLOR: '1' } })).stdout).toMatch(ansi);
    expect((await runCli(['scan', TRAVERSAL])).stdout).not.toMatch(ansi);
  });

  it('never prints bundle-controlled control or invisible characters raw', async () => {
    const hostile = path.join(scratch, 'hostile.dxt');
    const name = 'server/\u001b]0;pwned\u0007\u001b[2J\u202eevil\u200b.js';
    const manifest = JSON.stringify({ manifest_version: '0.3', name: 'x\u001b[31m\u202e', version: '1\u0085', description: 'd', author: { name: 'a' } });
    writeFileSync(hostile, buildZip([{ name: 'manifest.json', data: manifest }, { name: `../${name}`, data: 'x' }, { name, data: 'x' }, { name, data: 'y' }]));
    for (const format of ['text', 'json', 'markdown', 'html']) {
      const run = await runCli(['scan', hostile, '--format', format], { tty: true });
      expect(run.stdout).toContain('pwned');
      expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001a\u001c-\u001f\u007f-\u009f\u200b\u202e]/);
      // The only escapes left are our own colour codes.
      expect(run.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toContain('\u001b');
    }
  });
});
