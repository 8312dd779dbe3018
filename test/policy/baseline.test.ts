import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';
import { tempFolder } from '../helpers/temp.js';

// Baselines: a known finding stops failing the gate, anything new still does, and the file never
// holds a message, an excerpt or any part of a secret.

const CALENDAR = repoPath('fixtures/chains/bundles/team-calendar');
const SHELL = repoPath('fixtures/chains/bundles/shell-runner');
const SECRETS = repoPath('fixtures/rules/file-secret/invalid.dxt');

function baselinePath(): string {
  return path.join(tempFolder('baseline'), 'baseline.json');
}

describe('--write-baseline and --baseline', () => {
  it('pass the gate on what the baseline holds, and mark every finding and chain', async () => {
    const file = baselinePath();
    const first = await runCli(['scan', CALENDAR, SHELL, '--write-baseline', file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/gate high: failed/i);
    const again = await runCli(['scan', CALENDAR, SHELL, '--baseline', file, '--format', 'json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as Report;
    const risks = [...report.bundles.flatMap((bundle) => bundle.findings), ...report.combinations];
    expect(report.combinations.length).toBe(1);
    expect(risks.every((risk) => risk.baselineState === 'unchanged')).toBe(true);
    expect(report.summary.baseline).toEqual({ file, new: 0, unchanged: risks.length, absent: 0 });
  });

  it('fail the gate on a finding that is not in the baseline, and count what is gone', async () => {
    const file = baselinePath();
    await runCli(['scan', CALENDAR, '--write-baseline', file]);
    const run = await runCli(['scan', SHELL, '--baseline', file, '--format', 'json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.bundles[0]!.findings.find((finding) => finding.ruleId === 'code-shell-exec')?.baselineState).toBe('new');
    const written = JSON.parse(readFileSync(file, 'utf8')) as { findings: unknown[] };
    expect(report.summary.baseline).toMatchObject({ new: report.bundles[0]!.findings.length, unchanged: 0, absent: written.findings.length });
  });

  it('match on the fingerprint alone: the same rule, bundle and file with another fingerprint is new', async () => {
    const file = baselinePath();
    await runCli(['scan', SHELL, '--write-baseline', file]);
    const known = JSON.parse(readFileSync(file, 'utf8')) as { findings: Array<{ fingerprint: string; ruleId: string }> };
    // As when the finding got worse or a second copy appeared (test/engine/fingerprint.test.ts).
    const edited = known.findings.map((entry) => (entry.ruleId === 'code-shell-exec' ? { ...entry, fingerprint: '0'.repeat(32) } : entry));
    writeFileSync(file, JSON.stringify({ ...known, findings: edited }));
    expect((await runCli(['scan', SHELL, '--baseline', file])).code).toBe(1);
  });

  it('hold fingerprints, ids, files and severities only: no message, evidence or secret', async () => {
    const file = baselinePath();
    await runCli(['scan', SECRETS, '--write-baseline', file]);
    const text = readFileSync(file, 'utf8');
    const baseline = JSON.parse(text) as { dxtAuditBaseline: number; findings: Array<Record<string, string>> };
    expect(baseline.dxtAuditBaseline).toBe(1);
    expect(baseline.findings.filter((entry) => entry.ruleId === 'file-secret').length).toBeGreaterThan(10);
    for (const entry of baseline.findings) expect(Object.keys(entry).sort()).toEqual(['bundle', 'file', 'fingerprint', 'ruleId', 'severity']);
    for (const secretStart of ['AIza', 'ghp_', 'sk-ant-', 'xoxb-', 'AKIA', 'PRIVATE KEY', '_authToken']) expect(text).not.toContain(secretStart);
  });

  it('exit 2 when the baseline cannot be written', async () => {
    const unwritable = await runCli(['scan', SHELL, '--write-baseline', path.join(baselinePath(), 'no-such-folder', 'baseline.json')]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toMatch(/cannot write/);
  });

  it('reject a file that is not a baseline, as a usage error', async () => {
    const file = baselinePath();
    writeFileSync(file, JSON.stringify({ findings: [] }));
    const run = await runCli(['scan', SHELL, '--baseline', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a dxt-audit baseline/);
  });
});
