import { describe, expect, it } from 'vitest';
import rule from '../../rules/manifest-tool-mismatch.js';
import type { CodeFacts } from '../../src/analysis/model/code-facts.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-tool-mismatch';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('reports undeclared tools (medium when they reach what no declared tool does), missing ones, near names and prompts', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(6);
    expect(findingWith(bundle, RULE, 'Tool "run_backup" is registered in the code but not declared')).toMatchObject({
      severity: 'medium',
      category: 'tool-mismatch',
      tool: 'run_backup',
      location: { file: 'server/index.js', line: 16, column: 1 },
      message: 'Tool "run_backup" is registered in the code but not declared in the manifest\'s tools; it runs programs (child_process.execFile()), which no declared tool does.',
    });
    expect(findingWith(bundle, RULE, 'Tool "ping"')).toMatchObject({
      severity: 'low',
      tool: 'ping',
      location: { file: 'server/index.js', line: 21 },
      message: 'Tool "ping" is registered in the code but not declared in the manifest\'s tools.',
    });
    expect(findingWith(bundle, RULE, 'Tool "archive_notes" is declared in the manifest but not found in the code dxt-audit can read')).toMatchObject({
      severity: 'low',
      location: { file: 'manifest.json', pointer: '/tools/2' },
    });
    const near = findingWith(bundle, RULE, 'Tool "Search-Notes" is declared in the manifest, but the code registers "search_notes" (server/index.js:13)');
    expect(near).toMatchObject({ severity: 'low', location: { file: 'manifest.json', pointer: '/tools/1' } });
    expect(findingsOf(bundle, RULE).filter((finding) => finding.message.includes('search_notes'))).toEqual([near]);
    expect(findingWith(bundle, RULE, 'Prompt "summarize" is declared in the manifest but not found')).toMatchObject({ severity: 'low', location: { pointer: '/prompts/0' } });
    const prompt = findingWith(bundle, RULE, 'Prompt "debug" is registered in the code but not declared in the manifest\'s prompts.');
    expect(prompt).toMatchObject({ severity: 'low', location: { file: 'server/index.js', line: 23 } });
    expect(prompt.tool).toBeUndefined();
  });

  it('reports a tool registered only under a setting or a client capability as conditional, one step lower', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-conditional`);
    expect(findingsOf(bundle, RULE)).toHaveLength(2);
    expect(findingWith(bundle, RULE, 'Tool "shell" is registered only when process.env.ENABLE_SHELL === \'true\', and is not declared')).toMatchObject({
      severity: 'low',
      tool: 'shell',
      location: { file: 'server/index.js', line: 11, column: 3 },
    });
    expect(findingWith(bundle, RULE, 'Tool "ask_model" is registered only when clientCapabilities?.sampling, and is not declared')).toMatchObject({
      severity: 'info',
      location: { file: 'server/index.js', line: 18 },
    });
  });

  it('turns undeclared tools and prompts into info when the manifest says more are generated', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-generated`);
    expect(findingsOf(bundle, RULE).map((finding) => [finding.severity, finding.message])).toEqual([
      ['info', 'Tool "write_note" is registered in the code and not listed in the manifest, which says more tools are generated at run time (tools_generated).'],
      ['info', 'Prompt "daily" is registered in the code and not listed in the manifest, which says more prompts are generated at run time (prompts_generated).'],
    ]);
  });

  it('reads a low-level server: listed and dispatched tools, and the prompts a ListPrompts handler answers with', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-dispatch`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'Tool "upload_log"')).toMatchObject({
      severity: 'medium',
      tool: 'upload_log',
      location: { file: 'server/index.js', line: 22 },
      message: 'Tool "upload_log" is registered in the code but not declared in the manifest\'s tools; it reaches the network (fetch()), which no declared tool does.',
    });
    expect(findingWith(bundle, RULE, 'Tool "close_ticket" is declared')).toMatchObject({ severity: 'low', location: { pointer: '/tools/1' } });
    expect(findingWith(bundle, RULE, 'Prompt "triage" is registered')).toMatchObject({ severity: 'low', location: { file: 'server/index.js', line: 14, column: 13 } });
  });

  it('says why declared tools may be there when the code registers names computed at run time, in one finding', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-dynamic`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({
        severity: 'info',
        location: { file: 'manifest.json', pointer: '/tools' },
        message:
          '2 tools declared in the manifest are not found in the code dxt-audit can read, but the code registers tools under names computed at run time (server/index.js:7): "list_events", "create_event".',
      }),
    ]);
  });

  it('groups more than five undeclared tools of one severity, keeping the one that reaches a sink apart', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-many`);
    const findings = findingsOf(bundle, RULE);
    expect(findings).toHaveLength(2);
    expect(findingWith(bundle, RULE, 'Tool "fetch_url"')).toMatchObject({ severity: 'medium', tool: 'fetch_url' });
    const group = findingWith(bundle, RULE, '6 tools registered in the code are not declared in the manifest\'s tools: "add", "subtract", "multiply", "divide", "upper" and 1 more.');
    expect(group).toMatchObject({ severity: 'low', location: { file: 'server/index.js', line: 8 } });
    // Every tool it names is listed; `tool` is the first of them, as for any finding about several tools.
    expect(group).toMatchObject({ tool: 'add', tools: ['add', 'divide', 'lower', 'multiply', 'subtract', 'upper'] });
  });

  it('reads FastMCP tools and prompts, conditional ones and near names', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-python`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    expect(findingWith(bundle, RULE, 'Tool "sync_notes"')).toMatchObject({
      severity: 'medium',
      tool: 'sync_notes',
      location: { file: 'server/main.py', line: 16 },
      message: 'Tool "sync_notes" is registered in the code but not declared in the manifest\'s tools; it runs programs (subprocess.run()), which no declared tool does.',
    });
    expect(findingWith(bundle, RULE, 'Tool "purge" is registered only when os.environ.get("NOTES_EXPERIMENTAL")')).toMatchObject({ severity: 'low', location: { line: 23 } });
    expect(findingWith(bundle, RULE, 'Tool "read-note" is declared in the manifest, but the code registers "read_note" (server/main.py:9)')).toMatchObject({
      location: { pointer: '/tools/0' },
    });
    expect(findingWith(bundle, RULE, 'Prompt "review"')).toMatchObject({ severity: 'low', location: { line: 35 } });
  });

  it.each(['valid', 'valid-python', 'valid-binary'])('accepts %s', async (name) => {
    expect(findingsOf(await scanFixture(`${DIR}/${name}`), RULE)).toEqual([]);
  });
});

describe(`${RULE} on hand-made facts`, () => {
  const manifest = (extra: object) => ({ server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node' } }, ...extra });
  const withCode = (extra: object, code: Partial<CodeFacts>) => {
    const facts = bundleFacts({}, manifest(extra));
    facts.code = { ...facts.code, reachable: ['server/index.js'], ...code };
    return facts;
  };
  const site = (name: string, line: number) => ({ name, file: 'server/index.js', line, column: 1 });

  it('says nothing when no server code was read', () => {
    expect(runRule(rule, bundleFacts({}, manifest({ tools: [{ name: 'a' }] })))).toEqual([]);
  });

  it('reports declared tools as info, naming the file, when a file that may register them did not parse', () => {
    const facts = withCode(
      { tools: [{ name: 'a' }, { name: 'b' }] },
      { tools: [site('a', 1)], parseErrors: [{ file: 'server/tools.js', origin: 'first-party', problem: { message: 'Unexpected token', line: 1, column: 1 } }] },
    );
    expect(runRule(rule, facts)).toEqual([
      expect.objectContaining({
        severity: 'info',
        location: { file: 'manifest.json', pointer: '/tools/1' },
        message: 'Tool "b" is declared in the manifest but not found in the code dxt-audit can read, but server/tools.js could not be parsed and may register it.',
      }),
    ]);
  });

  it('ignores the lookup dispatch of a dependency (the SDK\'s own McpServer)', () => {
    const facts = withCode(
      { tools: [{ name: 'a' }, { name: 'b' }] },
      { tools: [site('a', 1)], unnamedRegistrations: [{ kind: 'tool', excerpt: 'a CallTool request handler', file: 'node_modules/sdk/mcp.js', line: 150, column: 1, origin: 'dependency' }] },
    );
    expect(runRule(rule, facts)).toEqual([expect.objectContaining({ severity: 'low', message: expect.stringContaining('Tool "b" is declared in the manifest but not found') })]);
  });

  it('compares nothing when no registration is recognised, but compares prompts when the tools were read', () => {
    expect(runRule(rule, withCode({ tools: [{ name: 'a' }], prompts: [{ name: 'p', text: 't' }] }, {}))).toEqual([]);
    expect(runRule(rule, withCode({ tools: [{ name: 'a' }], prompts: [{ name: 'p', text: 't' }] }, { tools: [site('a', 1)] }))).toEqual([
      expect.objectContaining({ severity: 'low', location: { file: 'manifest.json', pointer: '/prompts/0' }, message: expect.stringContaining('Prompt "p" is declared in the manifest but not found') }),
    ]);
  });

  it('says a declared tool may be in a module loaded by a computed name', () => {
    const loader = { file: 'server/index.js', origin: 'first-party' as const, callee: 'import', line: 9, column: 1, args: [{ labels: ['@env'] }], excerpt: 'import(process.env.PLUGIN)', tools: [], triggers: [{ kind: 'load' as const, via: ['server/index.js'] }], taintedBy: [], inputFrom: [], taintedArgs: [], checkedArgs: [] };
    const [finding, ...others] = runRule(rule, withCode({ tools: [{ name: 'a' }, { name: 'b' }] }, { tools: [site('a', 1)], calls: [loader] }));
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ severity: 'info', message: expect.stringContaining('but the code loads modules by names computed at run time (server/index.js:9), which may register it') });
  });

  it('treats an absent tools[] as declaring none', () => {
    const facts = withCode({}, { tools: [site('a', 3)] });
    expect(runRule(rule, facts)).toEqual([expect.objectContaining({ severity: 'low', tool: 'a', location: { file: 'server/index.js', line: 3, column: 1 } })]);
  });
});
