import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is critical when a tool argument reaches a shell, through promisify', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid');
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.exec() runs a shell command built from the input of tool "run_command"')).toMatchObject({
    severity: 'critical',
    category: 'shell-exec',
    tool: 'run_command',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 10, column: 28 },
    evidence: 'execAsync(command, { timeout: 30000 })',
  });
  expect(bundle.capabilities).toContain('shell');
  expect(bundle.connectorClass).toBe('execution');
});

it('follows a dispatch branch into another module and names the tool that reaches the shell', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-dispatch');
  const [finding, ...others] = findingsOf(bundle, 'code-shell-exec');
  expect(others).toEqual([]);
  expect(finding).toMatchObject({ severity: 'critical', tool: 'kubectl_get', location: { file: 'server/tools/kubectl.js', line: 4 } });
  expect(finding!.message).toContain('input of tool "kubectl_get"');
  expect(finding!.message).not.toContain('ping');
});

it('reports a constant command at medium, with the command and the tool', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-constant');
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() runs "git status --short" in tool "git_status"')).toMatchObject({
    severity: 'medium',
    tool: 'git_status',
  });
});

it('ignores RegExp exec and process code in files the server never loads', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
  expect(bundle.complete).toBe(true);
});

it('reports a Python tool argument reaching subprocess.run(shell=True) as critical, and an argv list as high', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python');
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() runs a shell command built from the input of tool "run_command"')).toMatchObject({
    severity: 'critical',
    tool: 'run_command',
    origin: 'first-party',
    location: { file: 'server/main.py', line: 12, column: 14 },
  });
  // Followed through `from tools.git import git_log` into another module; the program is the constant "git".
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() starts "git" with arguments taken from the input of tool "git_history"')).toMatchObject({
    severity: 'high',
    tool: 'git_history',
    location: { file: 'server/tools/git.py', line: 5 },
  });
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(2);
  expect(bundle.complete).toBe(true);
});

it('ignores shutil.which, a string naming subprocess, and an unimported dependency in a Python server', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-python');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
});

it('keeps a Python command from tool input run without a shell at high, and a shell or sh -c at critical', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-argv');
  // `subprocess.run(command)` with no shell=True: no shell parses the value, so it is argument choice, not injection.
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() starts a program with arguments taken from the input of tool "run"')).toMatchObject({
    severity: 'high',
    tool: 'run',
    location: { file: 'server/main.py', line: 13, column: 12 },
  });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() starts a program with arguments taken from the input of tool "run_words"')).toMatchObject({ severity: 'high', location: { line: 19 } });
  expect(findingWith(bundle, 'code-shell-exec', 'asyncio.create_subprocess_shell() runs a shell command built from the input of tool "run_async"')).toMatchObject({ severity: 'critical', location: { line: 25 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() runs a shell command built from the input of tool "run_wrapped"')).toMatchObject({ severity: 'critical', location: { line: 32 } });
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(4);
});

it('follows Python keyword arguments to the parameter of that name, not to the next position', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-keyword');
  // `run_in("/srv/project", cmd=command)`: the command lands on `cmd`, which the shell line is built from.
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(1);
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() runs a shell command built from the input of tool "build"')).toMatchObject({
    severity: 'critical',
    tool: 'build',
    location: { file: 'server/main.py', line: 10 },
  });
  // `verbose=loud` only picks a flag: "status" reaches the call but its input does not.
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run()').message).not.toContain('"status"');
});
