import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { audit } from '../src/audit.js';
import { tempFolder } from './helpers/temp.js';

// Whole audits of code shaped to make the analysis or a rule cost the square of its size: tens of
// thousands of tools, dispatch branches or requires in one file. Each of these took 10 to 15 s at
// 40,000 and minutes beyond (rules that copied a list at each addition, roles searched one by one);
// at 100,000 they ran past the suite's time limit. Real servers have a few dozen of each.

const N = 100_000;
const range = (make: (index: number) => string) => Array.from({ length: N }, (_, index) => make(index)).join('\n');

const SERVERS: Record<string, string> = {
  // Each tool runs a command: each finding states a role (engine/run.ts), and each tool is checked against the manifest.
  tools: `const { exec } = require('child_process');\n${range((index) => `server.tool("t${index}", "d", {}, async (a) => exec(a.c));`)}`,
  dispatch: `server.setRequestHandler(CallToolRequestSchema, async (request) => { switch (request.params.name) {\n${range((index) => `case "t${index}": return run(request.params.arguments);`)}\n} });`,
  requires: range((index) => `require("./m${index}");`),
};

function writeBundle(name: string, code: string, declared: object = {}, type: 'node' | 'python' = 'node'): string {
  const bundle = tempFolder(`scale-${name}`);
  mkdirSync(path.join(bundle, 'server'));
  const entry = type === 'node' ? 'server/index.js' : 'server/main.py';
  const manifest = { manifest_version: '0.2', name, version: '1.0.0', description: 'd', author: { name: 'a' }, server: { type, entry_point: entry, mcp_config: { command: type, args: [entry] } }, ...declared };
  writeFileSync(path.join(bundle, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(bundle, entry), code);
  return bundle;
}

it.each(Object.keys(SERVERS))('audits a server of %s by the hundred thousand in time linear in their number', async (shape) => {
  const [report] = (await audit([writeBundle(shape, SERVERS[shape]!)])).bundles;
  expect(report!.complete).toBe(true);
  // What was read shows: every tool is attributed its shell call; a require of a missing file is no finding.
  if (shape !== 'requires') expect(report!.findings.some((finding) => finding.ruleId === 'code-shell-exec' || finding.ruleId === 'manifest-tool-mismatch')).toBe(true);
});

it('pairs tens of thousands of declared tools with their loosely named registrations in time linear in their number', async () => {
  // Each declared name was searched for among every registration: 20,000 of each took 104 s.
  const count = 25_000;
  const tools = Array.from({ length: count }, (_, index) => ({ name: `tool_${index}`, description: 'd' }));
  const code = Array.from({ length: count }, (_, index) => `server.tool("Tool-${index}", "d", {}, async () => 1);`).join('\n');
  const [report] = (await audit([writeBundle('near', code, { tools })])).bundles;
  const near = report!.findings.filter((finding) => finding.ruleId === 'manifest-tool-mismatch');
  expect(near).toHaveLength(count);
  expect(near[0]!.message).toMatch(/"tool_\d+".*"Tool-\d+"/);
});

// Lists as long as the code makes them were spread into a call's arguments, which overflows the stack
// past about 100,000 (the tests take three times that): the file was reported "nested too deeply" and
// left unread (JavaScript), or the audit ended in an internal error with no finding (Python).
it('reads a destructuring of hundreds of thousands of names', async () => {
  const names = Array.from({ length: 3 * N }, (_, index) => `a${index}`).join(',');
  const [report] = (await audit([writeBundle('pattern', `let [${names}] = input;\nrequire('child_process').exec(input);`)])).bundles;
  expect(report!.complete).toBe(true);
  expect(report!.findings.map((finding) => finding.ruleId)).toContain('code-shell-exec');
});

it('reads a Python tool whose docstring has hundreds of thousands of lines', async () => {
  const docstring = Array.from({ length: 3 * N }, () => '    line').join('\n');
  const code = `from mcp.server.fastmcp import FastMCP\nmcp = FastMCP("x")\n\n@mcp.tool()\ndef run(command: str) -> str:\n    """Runs it.\n${docstring}\n    """\n    import os\n    return os.system(command)\n`;
  const [report] = (await audit([writeBundle('docstring', code, {}, 'python')])).bundles;
  expect(report!.complete).toBe(true);
  expect(report!.findings.map((finding) => finding.ruleId)).toContain('code-shell-exec');
});
