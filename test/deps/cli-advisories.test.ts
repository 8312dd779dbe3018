import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli.js';
import type { Report } from '../../src/report.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';

// --advisories FILE on the command line: read relative to the working directory, validated whole
// before anything is scanned (exit 2 with the reason), and its entries matched like built-in ones.

describe('--advisories', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dxt-audit-cli-advisories-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = repoPath('fixtures/rules/deps-known-advisory/valid');
  const entry = {
    id: 'ACME-2026-7',
    aliases: ['CVE-2026-7777'],
    package: 'mcp-remote',
    ecosystem: 'npm',
    affected: '0.1.16',
    fixed: '0.1.17',
    severity: 'critical',
    kind: 'vulnerability',
    summary: 'A team-found problem.',
    reference: 'https://security.example/ACME-2026-7',
  };

  it('adds the file entries to the built-in table, and the gate counts them', async () => {
    writeFileSync(path.join(dir, 'team.json'), JSON.stringify({ advisories: [entry] }));
    const clean = await runCli(['scan', bundle, '--format', 'json']);
    expect(clean.code).toBe(EXIT.clean);
    const run = await runCli(['scan', bundle, '--format', 'json', '--advisories', 'team.json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(EXIT.gateFailed);
    const findings = (JSON.parse(run.stdout) as Report).bundles[0]!.findings.filter((finding) => finding.ruleId === 'deps-known-advisory');
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['critical', 'Bundled package "mcp-remote" 0.1.16 is affected by ACME-2026-7 (CVE-2026-7777), fixed in 0.1.17: A team-found problem.'],
    ]);
  });

  it('refuses a file that is missing, not JSON or not valid, before scanning anything (exit 2)', async () => {
    writeFileSync(path.join(dir, 'broken.json'), '{"advisories": [');
    writeFileSync(path.join(dir, 'invalid.json'), JSON.stringify({ advisories: [{ ...entry, affected: 'sometimes' }] }));
    for (const [file, message] of [
      ['missing.json', 'dxt-audit: cannot read the advisories file missing.json'],
      ['broken.json', 'dxt-audit: the advisories file broken.json is not valid JSON'],
      ['invalid.json', 'dxt-audit: the advisories file invalid.json is not valid: /advisories/0 (ACME-2026-7) affected "sometimes" is not a semver range'],
    ]) {
      const run = await runCli(['scan', bundle, '--advisories', file!], { cwd: dir });
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr).toContain(message);
      expect(run.stdout).toBe('');
    }
  });
});
