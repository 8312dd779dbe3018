import { expect, it } from 'vitest';
import rule from '../../rules/code-dynamic-code.js';
import type { Trigger } from '../../src/analysis/model/triggers.js';
import { runRuleOnCode } from '../helpers/bundle.js';
import { callSite } from '../helpers/facts.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is critical when a tool argument is evaluated as code', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid');
  expect(findingWith(bundle, 'code-dynamic-code', 'new Function() evaluates code built from the input of tool "calculate"')).toMatchObject({
    severity: 'critical',
    category: 'dynamic-code',
    tool: 'calculate',
    location: { file: 'server/index.js', line: 7 },
  });
  expect(bundle.capabilities).toContain('dynamic-code');
});

it('is critical when a tool argument names the module to load', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-loader');
  expect(findingWith(bundle, 'code-dynamic-code', 'require() loads a module named by the input of tool "run_plugin"')).toMatchObject({
    severity: 'critical',
    tool: 'run_plugin',
  });
});

it('ignores JSON.parse, literal imports, package.json loaded by a computed path, timers given functions and the global-object idiom in dependencies', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/valid');
  expect(findingsOf(bundle, 'code-dynamic-code')).toEqual([]);
});

it('is critical when code received from the network is run', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-fetched');
  expect(findingWith(bundle, 'code-dynamic-code', 'new Function() runs code received from the network')).toMatchObject({
    severity: 'critical',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 9 },
  });
});

it('is critical when a decoded payload is run, and low inside a dependency function nothing reaches', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-decoded');
  expect(findingWith(bundle, 'code-dynamic-code', 'vm.runInThisContext() runs a payload decoded from base64, hex or char codes')).toMatchObject({
    severity: 'critical',
    location: { file: 'server/index.js', line: 6 },
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'eval() runs a payload decoded')).toMatchObject({
    severity: 'low',
    origin: 'dependency',
    location: { file: 'server/node_modules/stats-helper/index.js', line: 3 },
  });
});

it('attributes eval in a low-level Python call_tool branch to that tool only, and flags exec of a base64 payload', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-python');
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.eval() evaluates code built from the input of tool "calculate": the model can run any Python in the server.')).toMatchObject({
    severity: 'critical',
    tool: 'calculate',
    location: { file: 'server/main.py', line: 23 },
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.exec() runs a payload decoded from base64')).toMatchObject({ severity: 'critical', location: { line: 8 } });
  expect(findingsOf(bundle, 'code-dynamic-code').some((finding) => finding.message.includes('"echo"'))).toBe(false);
});

it('judges Python deserialisers as evaluators: pickle and an unsafe YAML Loader from tool input critical, a cache file medium', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-python-deserialise');
  expect(findingWith(bundle, 'code-dynamic-code', 'pickle.loads() deserialises pickle data from the input of tool "restore_session": a crafted payload runs any Python in the server.')).toMatchObject({
    severity: 'critical',
    category: 'dynamic-code',
    tool: 'restore_session',
    location: { file: 'server/main.py', line: 18, column: 12 },
    evidence: 'pickle.loads(base64.b64decode(blob))',
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'yaml.load() deserialises YAML data from the input of tool "load_config"')).toMatchObject({ severity: 'critical', tool: 'load_config', location: { line: 24 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'importlib.import_module() loads a module named by the input of tool "run_plugin"')).toMatchObject({ severity: 'critical', tool: 'run_plugin', location: { line: 30 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'pickle.load() deserialises pickle data computed at run time')).toMatchObject({ severity: 'medium', location: { line: 36 } });
  // No Loader: the unsafe default before PyYAML 5.1.
  expect(findingWith(bundle, 'code-dynamic-code', 'yaml.load() deserialises YAML data computed at run time')).toMatchObject({ severity: 'medium', location: { line: 40 } });
  // `exec(marshal.loads(zlib.decompress(base64.b64decode(…))))`: one finding, at the exec.
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.exec() runs a payload decoded from base64')).toMatchObject({ severity: 'critical', location: { line: 43, column: 1 } });
  // Made where nothing is loaded yet: what they will be given runs code.
  expect(findingWith(bundle, 'code-dynamic-code', 'ruamel.yaml.YAML() makes a YAML loader that builds any Python object (typ="unsafe"): every document it loads can run code in the server.')).toMatchObject({ severity: 'medium', location: { line: 50 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'logging.config.listen() serves a socket on this machine and applies the logging configurations sent to it, with no verify function')).toMatchObject({ severity: 'medium', location: { line: 57 } });
  expect(findingsOf(bundle, 'code-dynamic-code')).toHaveLength(8);
});

it('ignores safe YAML loaders (by keyword, positional, imported or the bundle\'s own), JSON, pickling out and literal imports', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/valid-python-yaml');
  expect(findingsOf(bundle, 'code-dynamic-code')).toEqual([]);
});

// Listener triggers are filled by reachability; until then these cases are built by hand.
it('judges a listener\'s request reaching eval by whom the listener lets in', () => {
  const evaluate = (listener: Trigger) => callSite({ callee: 'eval', args: [{ labels: ['2#0'] }], excerpt: 'eval(frame.code)', triggers: [listener], inputFrom: [listener], taintedArgs: [0] });
  expect(runRuleOnCode(rule, { calls: [evaluate({ kind: 'listener', name: 'WebSocketServer', bind: 'all' })] })[0]).toMatchObject({
    severity: 'critical',
    message: 'eval() evaluates code built from a request to a network listener (WebSocketServer, all interfaces): anyone who can reach this machine over the network can run any JavaScript in the server.',
    trigger: { kind: 'listener', name: 'WebSocketServer', bind: 'all' },
  });
  expect(runRuleOnCode(rule, { calls: [evaluate({ kind: 'listener', name: 'WebSocketServer', bind: 'loopback' })] })[0]!.severity).toBe('high');
  expect(runRuleOnCode(rule, { calls: [evaluate({ kind: 'listener', name: 'WebSocketServer', bind: 'loopback', checked: true })] })[0]!.severity).toBe('medium');
});

it('reads vm2 scripts, node-serialize and Module\'s own compiler as evaluation', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-node-sandbox');
  expect(findingWith(bundle, 'code-dynamic-code', 'new vm2.VMScript() evaluates code built from the input of tool "calculate"')).toMatchObject({ severity: 'critical', location: { line: 11 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'node-serialize.unserialize() deserialises node-serialize data from the input of tool "restore": a crafted payload runs any JavaScript in the server.')).toMatchObject({ severity: 'critical', location: { line: 16 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'plugin._compile() evaluates code built from the input of tool "plugin"')).toMatchObject({ severity: 'critical', location: { line: 22 } });
  // A vm2 sandbox's run(), on an instance held in a variable or made in place.
  expect(findingWith(bundle, 'code-dynamic-code', 'vm2.NodeVM.run() evaluates code built from the input of tool "calculate"')).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'vm2.VM.run() evaluates code built from the input of tool "sandboxed"')).toMatchObject({ severity: 'critical', location: { line: 27 } });
  expect(findingWith(bundle, 'code-dynamic-code', "vm.runInNewContext() evaluates a constant string")).toMatchObject({ severity: 'low', location: { line: 33 } });
  expect(findingsOf(bundle, 'code-dynamic-code')).toHaveLength(6);
});

it('is low for the contents of a file evaluated (a version file), medium when anything else is mixed in', () => {
  const exec = (labels: string[]) => callSite({ callee: 'builtins.exec', file: 'server/setup.py', origin: 'first-party', args: [{ labels }] });
  expect(runRuleOnCode(rule, { calls: [exec(['@file'])] })[0]).toMatchObject({
    severity: 'low',
    message: 'builtins.exec() evaluates the contents of a file: it runs whatever that file holds (a version file, a bundled script).',
  });
  expect(runRuleOnCode(rule, { calls: [exec(['@file', '@bundle-dir'])] })[0]!.severity).toBe('low');
  expect(runRuleOnCode(rule, { calls: [exec(['@file', '@env'])] })[0]!.severity).toBe('medium');
  expect(runRuleOnCode(rule, { calls: [exec(['@env'])] })[0]!.severity).toBe('medium');
});

it("reads Python's interactive interpreter and sub-interpreters as evaluation, and a code object's runcode as the compile step's", async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-python-interpreter');
  expect(findingWith(bundle, 'code-dynamic-code', 'code.InteractiveConsole.push() evaluates code built from the input of tool "repl"')).toMatchObject({ severity: 'critical', location: { line: 13 } });
  expect(findingWith(bundle, 'code-dynamic-code', '_xxsubinterpreters.run_string() evaluates code built from the input of tool "isolated"')).toMatchObject({ severity: 'critical', location: { line: 21 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'code.compile_command() evaluates code built from the input of tool "check_syntax"')).toMatchObject({ severity: 'critical', location: { line: 28 } });
  expect(findingsOf(bundle, 'code-dynamic-code')).toHaveLength(3);
});

it('reads a worker thread started from a string, and safe-eval, as evaluation', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-node-worker');
  expect(findingWith(bundle, 'code-dynamic-code', 'new worker_threads.Worker() evaluates code built from the input of tool "transform"')).toMatchObject({ severity: 'critical', location: { line: 10 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'safe-eval() evaluates code built from the input of tool "score"')).toMatchObject({ severity: 'critical', location: { line: 16 } });
  // Without eval: true, the first argument names the worker's file.
  const worker = (options: Record<string, boolean | string>) =>
    callSite({ callee: 'new worker_threads.Worker', args: [{ labels: ['7#0'] }, { labels: [], properties: options }], taintedBy: ['transform'], taintedArgs: [0] });
  expect(runRuleOnCode(rule, { calls: [worker({ eval: false })] })).toEqual([]);
  expect(runRuleOnCode(rule, { calls: [worker({ eval: true })] })[0]).toMatchObject({ severity: 'critical' });
});

it('reads exec and eval handed to an executor, functools.partial or a thread as calls of them', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-python-executor');
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.exec() evaluates code built from the input of tool "run_cell"')).toMatchObject({
    severity: 'critical',
    location: { line: 15 },
    evidence: 'loop.run_in_executor(None, exec, source)',
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.eval() evaluates code built from the input of tool "evaluate"')).toMatchObject({ severity: 'critical', location: { line: 22 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.exec() evaluates code built from the input of tool "run_later"')).toMatchObject({ severity: 'critical', location: { line: 29 } });
});

it('reports script the model writes run in a browser page at medium, naming the tool, with puppeteer, playwright and the DevTools protocol', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-browser-page');
  expect(findingWith(bundle, 'code-dynamic-code', 'puppeteer.Page.evaluate() runs script built from the input of tool "page_script" in a browser page')).toMatchObject({
    severity: 'medium',
    tool: 'page_script',
    location: { file: 'server/index.js', line: 12 },
    trigger: { kind: 'tool', name: 'page_script' },
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'puppeteer.Page.$$eval() runs script built from the input of tool "count_items"')).toMatchObject({ severity: 'medium', location: { line: 18 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'puppeteer.Page.waitForFunction() runs script built from the input of tool "count_items"')).toMatchObject({ location: { line: 19 } });
  // `Runtime.evaluate({ expression })` in a module that only imports chrome-remote-interface.
  expect(findingWith(bundle, 'code-dynamic-code', 'chrome-remote-interface.Runtime.evaluate() runs script built from the input of tool "devtools_eval"')).toMatchObject({
    severity: 'medium',
    location: { file: 'server/devtools.js', line: 7 },
  });
  // HTML written into the tab: its scripts run there.
  expect(findingWith(bundle, 'code-dynamic-code', 'puppeteer.Page.setContent() runs script built from the input of tool "show_html"')).toMatchObject({ severity: 'medium', location: { line: 31 } });
  expect(findingsOf(bundle, 'code-dynamic-code')).toHaveLength(5);
});

it('reads playwright for Python too, and leaves a script written in the code with input as its argument', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-python-browser-page');
  expect(findingWith(bundle, 'code-dynamic-code', 'playwright.Page.evaluate() runs script built from the input of tool "run_in_page"')).toMatchObject({ severity: 'medium', location: { line: 15 } });
  expect(findingWith(bundle, 'code-dynamic-code', 'playwright.Page.add_init_script() runs script built from the input of tool "preload"')).toMatchObject({ severity: 'medium', location: { line: 21 } });
  expect(findingsOf(bundle, 'code-dynamic-code')).toHaveLength(2);
});

it('ranks page script from a listener by its bind, and computed page script low', () => {
  const page = (labels: string[], taintedArgs: number[], triggers?: Partial<Trigger>[]) =>
    callSite({ callee: 'puppeteer.Page.evaluate', args: [{ labels }], taintedBy: taintedArgs.length > 0 && triggers === undefined ? ['run'] : [], taintedArgs, ...(triggers === undefined ? {} : { inputFrom: triggers as Trigger[], triggers: triggers as Trigger[] }) });
  const listener = { kind: 'listener', name: 'express POST /run', bind: 'all' } as Partial<Trigger>;
  expect(runRuleOnCode(rule, { calls: [page(['@request'], [0], [listener])] })[0]).toMatchObject({ message: expect.stringContaining('runs script built from a request to a network listener'), severity: 'high' });
  expect(runRuleOnCode(rule, { calls: [page(['@env'], [])] })[0]).toMatchObject({ message: expect.stringContaining('runs script computed at run time in a browser page'), severity: 'low' });
  expect(runRuleOnCode(rule, { calls: [page(['@network'], [])] })[0]).toMatchObject({ message: expect.stringContaining('runs script computed at run time'), severity: 'medium' });
  // Input given beside a written function is data: nothing to report.
  const data = callSite({ callee: 'puppeteer.Page.evaluate', args: [{ labels: [], function: true }, { labels: ['7#0'] }], taintedBy: ['read'], taintedArgs: [1] });
  expect(runRuleOnCode(rule, { calls: [data] })).toEqual([]);
});
