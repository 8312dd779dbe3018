import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';

describe('dxt-audit explain', () => {
  it('prints the rule page, the same text as docs/rules/<id>.md, and exits 0', async () => {
    const run = await runCli(['explain', 'code-shell-exec']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(readFileSync(repoPath('docs/rules/code-shell-exec.md'), 'utf8'));
    expect(run.stdout).toMatch(/^# code-shell-exec\n/);
    expect(run.stdout).toContain('## Why it matters');
    expect(run.stdout).toContain('### `invalid-dispatch`: must trigger');
  });

  it('prints every rule (ids are case-insensitive)', async () => {
    for (const { meta } of RULES) {
      const run = await runCli(['explain', meta.id.toUpperCase()]);
      expect(run.code, meta.id).toBe(0);
      expect(run.stdout.startsWith(`# ${meta.id}\n`), meta.id).toBe(true);
    }
  });

  it('rejects an unknown rule with exit 2 and the closest ids', async () => {
    const run = await runCli(['explain', 'code-shel-exec']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('dxt-audit: no rule "code-shel-exec"; did you mean code-shell-exec? (run `dxt-audit rules` for the list)\n');
  });

  it('names no rule when nothing is close, and still exits 2', async () => {
    const run = await runCli(['explain', 'qqqqqq']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).not.toContain('did you mean');
  });

  it('escapes what it echoes back', async () => {
    const run = await runCli(['explain', 'x\u001b[31m']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('\u001b');
  });

  it('is a usage error without a rule id', async () => {
    expect((await runCli(['explain'])).code).toBe(2);
  });

  it('is listed in --help, and `rules` points to it on a terminal only', async () => {
    expect((await runCli(['--help'])).stdout).toMatch(/^ {2}explain <rule> +print a rule's documentation/m);
    expect((await runCli(['rules'], { tty: true })).stdout).toContain('dxt-audit explain <rule>');
    expect((await runCli(['rules'])).stdout).not.toContain('explain');
  });
});
