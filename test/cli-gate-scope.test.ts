import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/report.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';

// `scan new.mcpb --installed --gate-scope named`: would installing this bundle be safe? The installed
// fixture holds a (disabled) shell runner with a critical finding and a calendar reader, plus
// hand-configured servers; only the named bundle and the chains it forms decide the exit code.

const BUNDLES = repoPath('fixtures/chains/bundles');
const CLAUDE_DIR = repoPath('fixtures/chains/claude-dir');

let withShellEnabled: string;
beforeAll(async () => {
  withShellEnabled = await mkdtemp(path.join(os.tmpdir(), 'dxt-audit-gate-scope-'));
  await cp(CLAUDE_DIR, withShellEnabled, { recursive: true });
  const settings = path.join(withShellEnabled, 'Claude Extensions Settings', 'local.dxt.fixtures.shell-runner.json');
  await writeFile(settings, (await readFile(settings, 'utf8')).replace('"isEnabled": false', '"isEnabled": true'));
});
afterAll(async () => {
  await rm(withShellEnabled, { recursive: true, force: true });
});

async function scan(...args: string[]): Promise<{ code: number; report: Report }> {
  const run = await runCli(['scan', ...args, '--format', 'json']);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

describe('--gate-scope named', () => {
  it('reports what is installed without letting it fail the gate', async () => {
    const args = [path.join(BUNDLES, 'unit-converter'), '--claude-dir', CLAUDE_DIR];
    const everything = await scan(...args);
    expect(everything).toMatchObject({ code: 1, report: { summary: { failed: true } } });
    expect(everything.report.summary).not.toHaveProperty('gateScope');
    const named = await scan(...args, '--gate-scope', 'named');
    expect(named.code).toBe(0);
    expect(named.report.summary).toMatchObject({ failed: false, gateScope: 'named' });
    expect(named.report.bundles.map((bundle) => bundle.id)).toEqual(everything.report.bundles.map((bundle) => bundle.id));
    expect(named.report.bundles.find((bundle) => bundle.id === 'shell-runner')!.level).toBe('critical');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(repoPath('schema/report.schema.json'), 'utf8')));
    expect(validate(named.report), JSON.stringify(validate.errors)).toBe(true);
  });

  it('fails on what the named bundle holds', async () => {
    expect((await scan(path.join(BUNDLES, 'shell-runner'), '--claude-dir', CLAUDE_DIR, '--gate-scope', 'named')).code).toBe(1);
  });

  it('fails on a chain the named bundle forms with what is installed, not on one between installed extensions', async () => {
    // Its own finding made low by the policy, the named shell runner fails the gate only through the
    // chain from the installed calendar reader (the installed shell runner is disabled).
    const policy = path.join(withShellEnabled, 'policy.json');
    await writeFile(policy, JSON.stringify({ rules: { 'code-shell-exec': 'low' } }));
    const formed = await scan(path.join(BUNDLES, 'shell-runner'), '--claude-dir', CLAUDE_DIR, '--config', policy, '--gate-scope', 'named', '--fail-on', 'critical');
    expect(formed.report.bundles.filter((bundle) => bundle.installation === undefined).map((bundle) => bundle.level)).toEqual(['low']);
    expect(formed.report.combinations.map((chain) => [chain.bundles, chain.severity])).toEqual([[['team-calendar', 'shell-runner'], 'critical']]);
    expect(formed.code).toBe(1);
    const between = await scan(path.join(BUNDLES, 'unit-converter'), '--claude-dir', withShellEnabled, '--gate-scope', 'named');
    expect(between.report.combinations.map((chain) => chain.bundles)).toEqual([['team-calendar', 'shell-runner']]);
    expect(between.code).toBe(0);
  });

  it('is a usage error with nothing named, since nothing would decide the gate', async () => {
    const run = await runCli(['scan', '--claude-dir', CLAUDE_DIR, '--gate-scope', 'named']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toContain('--gate-scope named');
  });

  it('changes nothing without --installed: every bundle scanned is named', async () => {
    expect((await scan(BUNDLES, '--gate-scope', 'named')).code).toBe(1);
  });
});
