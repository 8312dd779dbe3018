import { beforeAll, expect, it } from 'vitest';
import { analyzeCode } from '../../src/analysis/analyze.js';
import { extractPythonFacts } from '../../src/analysis/python/extract.js';
import { loadPythonParser } from '../../src/analysis/python/parse.js';
import { tree } from '../helpers/tree.js';

beforeAll(async () => {
  await loadPythonParser();
});

const manifest = {
  server: { type: 'python', entry_point: 'server/main.py', mcp_config: { command: 'python', args: ['${__dirname}/server/main.py'], env: { PYTHONPATH: '${__dirname}/server/lib' } } },
};

it('canonicalises Python callees through imports and aliases, with keyword arguments as an options fact at position 1', () => {
  const facts = extractPythonFacts(
    'import subprocess as sp\nfrom os import system as run\nimport os.path\nsp.run(cmd, shell=True, cwd=base)\nrun("ls")\nos.path.join("a", "b")\neval("1")\nopen(p, "w")\n',
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
  );
  expect(facts.tools.map(({ name, description, style }) => ({ name, description, style }))).toEqual([
    { name: 'read_note', description: 'Read a note.\n\nSecond line.', style: 'tool' },
    { name: 'other', description: 'Given.', style: 'tool' },
    { name: 'low', description: 'Low level.', style: 'dispatch' },
  ]);
  const low = facts.tools[2]!;
  expect(low.handlerOwner).toBeDefined();
  expect(facts.calls.find((call) => call.callee === 'local:os.system' || call.callee === 'member:system')?.within).toBe(low.handler);
});

it('carries parameters and sources through assignments, f-strings and method calls', () => {
  const facts = extractPythonFacts(
    'import os, base64\ndef handler(cmd, n):\n    full = f"echo {cmd}"\n    key = os.environ.get("API_KEY")\n    home = os.path.expanduser("~/.ssh")\n    os.system(full.strip())\n    os.popen(key + home)\n    exec(base64.b64decode(n))\n',
  );
  const [system, popen, exec] = facts.calls.filter((call) => ['os.system', 'os.popen', 'builtins.exec'].includes(call.callee));
  const id = facts.functions[0]!.id;
  expect(system!.args[0]!.labels).toEqual([`${id}#0`]);
  expect(popen!.args[0]!.labels).toEqual(['@env', '@home']);
  expect(exec!.args[0]!.labels).toEqual(['@decoded']);
});

it('turns hostile Python into findings, not crashes: deep nesting, a syntax error, an unparsable file', () => {
  const deep = `x = ${'('.repeat(50_000)}1${')'.repeat(50_000)}\nos.system(${'['.repeat(5_000)}${']'.repeat(5_000)})\n`;
  expect(() => extractPythonFacts(deep)).not.toThrow();
  expect(extractPythonFacts('def f(:\n    pass\n').parseError).toMatchObject({ line: 1 });
  expect(extractPythonFacts('if x:\n  y = (\n').parseError).not.toBeNull();
});

it('follows package-relative imports and bundled dependencies from the entry, marking server/lib as dependency', () => {
  const files = tree({
    'server/main.py': 'from mcp.server.fastmcp import FastMCP\nfrom .util import run\nimport vendored\nmcp = FastMCP("x")\n@mcp.tool()\ndef go(cmd):\n    """Go."""\n    return run(cmd)\n',
    'server/util.py': 'import vendored\ndef run(c):\n    return vendored.shell(c)\n',
    'server/lib/vendored/__init__.py': 'import subprocess\ndef shell(c):\n    return subprocess.run(c, shell=True)\n',
    'server/unused.py': 'import os\nos.system("rm -rf /")\n',
  });
  const code = analyzeCode(manifest, files, new Map());
  expect(code.reachable).toEqual(['server/main.py', 'server/util.py', 'server/lib/vendored/__init__.py']);
  expect(code.tools).toMatchObject([{ name: 'go', description: 'Go.', file: 'server/main.py', line: 5 }]);
  const run = code.calls.find((call) => call.callee === 'subprocess.run');
  expect(run).toMatchObject({ origin: 'dependency', tools: ['go'], taintedBy: ['go'], taintedArgs: [0], atModuleLevel: false });
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
