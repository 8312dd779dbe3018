import type { CallExpression, Function as FunctionNode, IfStatement, Node, ObjectExpression } from '@babel/types';
import { describe, expect, it } from 'vitest';
import type { CallFact, FileFacts } from '../../src/analysis/model/file-facts.js';
import { parseScript } from '../../src/analysis/js/parse.js';
import {
  branchTest,
  describedText,
  parameterTexts,
  registersComputedName,
  Registrations,
  toolNameTest,
} from '../../src/analysis/js/registrations.js';
import { walk } from '../../src/analysis/js/syntax.js';
import { newScope, type Scope } from '../../src/analysis/js/values.js';

// Registration recognition on its own: the syntax helpers on parsed nodes, and the Registrations
// class fed by hand the nodes the extractor's walk would hand it (test/analysis/extract.test.ts
// covers the two together).

const parsed = (source: string): Node => {
  const result = parseScript('index.ts', source);
  if ('problem' in result) throw new Error(result.problem.message);
  return result.ast.program;
};

/** Every node of a type, in tree order. */
function all<T extends Node>(source: string | Node, type: T['type']): T[] {
  const found: T[] = [];
  walk(typeof source === 'string' ? parsed(source) : source, (node) => {
    if (node.type === type) found.push(node as T);
  });
  return found;
}

const first = <T extends Node>(source: string | Node, type: T['type']): T => all<T>(source, type)[0]!;

const emptyFacts = (): FileFacts => ({ parseError: null, imports: [], reexports: [], bindings: {}, calls: [], functions: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], listeners: [], strings: [] });

/** What the replay records for a call before asking Registrations: only the callee and place matter here. */
const callFact = (node: CallExpression, callee: string): CallFact => ({
  callee,
  line: node.loc!.start.line,
  column: node.loc!.start.column + 1,
  args: [],
  within: null,
  excerpt: 'excerpt',
});

/**
 * A file's text through Registrations as the extractor's scan and replay feed it: branching nodes,
 * request handlers and object literals first, then each call of a method named like a registration.
 */
function registered(source: string, scope: Scope = newScope('module', null)): FileFacts {
  const program = parsed(source);
  const facts = emptyFacts();
  const registrations = new Registrations(source, facts);
  walk(program, (node) => {
    if (node.type === 'IfStatement' || node.type === 'ConditionalExpression' || node.type === 'LogicalExpression') registrations.seeBranching(node);
    if (node.type === 'CallExpression') registrations.seeCall(node, node.callee);
    if (node.type === 'ObjectExpression') registrations.seeObject(node);
  });
  for (const node of all<CallExpression>(program, 'CallExpression')) {
    if (node.callee.type !== 'MemberExpression' || node.callee.property.type !== 'Identifier') continue;
    registrations.recordCall(node, callFact(node, `member:${node.callee.property.name}`), scope);
  }
  registrations.finish();
  return facts;
}

/** A file's text after the scan has shown Registrations its calls (and so its request handlers), before the replay. */
function handlersSeen(source: string): { program: Node; facts: FileFacts; registrations: Registrations } {
  const program = parsed(source);
  const facts = emptyFacts();
  const registrations = new Registrations(source, facts);
  for (const call of all<CallExpression>(program, 'CallExpression')) registrations.seeCall(call, call.callee);
  return { program, facts, registrations };
}

describe('the syntax of a registration', () => {
  it.each([
    ["if (name === 'read_file') {}", 'read_file'],
    ["if ('read_file' == request.params.name) {}", 'read_file'],
    ["if (toolName === 'a' + 'b') {}", 'ab'],
    ["if (kind === 'read_file') {}", null],
    ["if (name !== 'read_file') {}", null],
  ])('%s tests the tool name %s', (source, name) => {
    expect(toolNameTest(first<IfStatement>(source, 'IfStatement'))).toBe(name);
  });

  it('reads the name a case tests, and none for default', () => {
    const cases = all<Node>("switch (name) { case 'list': break; default: break; }", 'SwitchCase');
    expect(cases.map((node) => toolNameTest(node))).toEqual(['list', null]);
  });

  it.each([
    ['tool', 'server.tool(tool.name, tool.handler)', true],
    ['registerTool', 'server.registerTool(def.name, config, async () => {})', true],
    ['addTool', 'server.addTool(toolDefinition)', true],
    ['tool', 'server.tool(async () => {})', false],
    ['tool', 'rl.tool({ name: "x" }, handler)', false],
    ['registerTool', 'server.registerTool(name)', false],
  ] as const)('%s: %s names a tool at run time: %s', (method, source, expected) => {
    expect(registersComputedName(method, first<CallExpression>(source, 'CallExpression').arguments as Node[])).toBe(expected);
  });

  it('shows the unknown parts of a description as …, and nothing when nothing is constant', () => {
    const values = all<Node>('f(`Reads ${GUIDE} files`, "a " + b + " c", x)', 'CallExpression')[0] as CallExpression;
    const [template, sum, unknown] = values.arguments as Node[];
    expect(describedText(template)).toBe('Reads … files');
    expect(describedText(sum)).toBe('a … c');
    expect(describedText(unknown)).toBeUndefined();
  });

  it('finds parameter descriptions in zod and JSON Schema shapes', () => {
    const zod = first<ObjectExpression>("({ path: z.string().describe('Where'), limit: z.number().describe('How many') })", 'ObjectExpression');
    expect(parameterTexts([zod])).toEqual([
      { name: 'path', description: 'Where' },
      { name: 'limit', description: 'How many' },
    ]);
    const json = first<ObjectExpression>("({ type: 'object', properties: { options: { properties: { depth: { description: 'Levels' } } } } })", 'ObjectExpression');
    expect(parameterTexts([json])).toEqual([{ name: 'options.depth', description: 'Levels' }]);
  });

  it('tells which branch of an if, a ?: or an && holds a node, and the test choosing it', () => {
    const program = parsed('if (a) { x(); } else { y(); }\nb ? z() : w();\nc && v();\nd ?? u();');
    const [x, y, z, w, v, u] = all<CallExpression>(program, 'CallExpression');
    const [ifNode] = all<Node>(program, 'IfStatement');
    const [conditional] = all<Node>(program, 'ConditionalExpression');
    const [and, nullish] = all<Node>(program, 'LogicalExpression');
    expect(branchTest(ifNode!, x!)).toMatchObject({ test: { name: 'a' }, negated: false });
    expect(branchTest(ifNode!, y!)).toMatchObject({ test: { name: 'a' }, negated: true });
    expect(branchTest(conditional!, z!)).toMatchObject({ negated: false });
    expect(branchTest(conditional!, w!)).toMatchObject({ negated: true });
    expect(branchTest(and!, v!)).toMatchObject({ test: { name: 'c' }, negated: false });
    expect(branchTest(nullish!, u!)).toBeNull();
    expect(branchTest(ifNode!, z!)).toBeNull();
  });
});

describe('tools and prompts registered by calls', () => {
  it('reads server.tool, registerTool and addTool with their descriptions, parameters and handlers', () => {
    const facts = registered(
      [
        "server.tool('read', 'Reads a file', { path: z.string().describe('The file') }, async ({ path }) => path);",
        "server.registerTool('write', { description: 'Writes', inputSchema: { text: z.string().describe('What') } }, writeHandler);",
        "server.addTool({ name: 'list', description: 'Lists', parameters: { dir: z.string().describe('Where') }, execute: async () => [] });",
      ].join('\n'),
    );
    expect(facts.tools.map(({ name, description, params, style, handler }) => ({ name, description, params, style, handler }))).toEqual([
      { name: 'read', description: 'Reads a file', params: [{ name: 'path', description: 'The file' }], style: 'tool', handler: expect.stringMatching(/^\d+$/) },
      { name: 'write', description: 'Writes', params: [{ name: 'text', description: 'What' }], style: 'registerTool', handler: 'local:writeHandler' },
      { name: 'list', description: 'Lists', params: [{ name: 'dir', description: 'Where' }], style: 'tool', handler: expect.stringMatching(/^\d+$/) },
    ]);
  });

  it('takes a name from a variable given one constant, and notes a name known only at run time', () => {
    const scope = newScope('module', null);
    scope.constants = new Map([['NAME', 'get-env'], ['CHANGING', null]]);
    const facts = registered('server.registerTool(NAME, {}, handler);\nserver.registerTool(CHANGING, {}, handler);\nfor (const t of tools) server.tool(t.name, t.handler);', scope);
    expect(facts.tools.map((tool) => tool.name)).toEqual(['get-env']);
    expect(facts.unnamedRegistrations.map(({ kind, line }) => ({ kind, line }))).toEqual([
      { kind: 'tool', line: 2 },
      { kind: 'tool', line: 3 },
    ]);
  });

  it('reads prompts, but not a method named prompt without a name and a callback', () => {
    const facts = registered(
      [
        "server.prompt('review', 'Reviews code', async () => ({ messages: [] }));",
        "server.registerPrompt('plan', { description: 'Plans the day' }, plan);",
        "server.addPrompt({ name: 'commit', description: 'Writes a commit message', load: async () => '' });",
        'rl.prompt();',
        "inquirer.prompt('question');",
        'server.prompt(name, async () => ({ messages: [] }));',
      ].join('\n'),
    );
    expect(facts.prompts.map(({ name, description }) => ({ name, description }))).toEqual([
      { name: 'review', description: 'Reviews code' },
      { name: 'plan', description: 'Plans the day' },
      { name: 'commit', description: 'Writes a commit message' },
    ]);
    expect(facts.unnamedRegistrations).toEqual([{ kind: 'prompt', excerpt: 'excerpt', line: 6, column: 1 }]);
  });

  it('gives a registration under a setting its condition, negated in the branch taken when the test fails', () => {
    const facts = registered(
      [
        "if (process.env.ENABLE_WRITE === 'true') { server.tool('write', 'Writes', async () => {}); }",
        "if (readOnly) {} else { server.tool('delete', 'Deletes', async () => {}); }",
        "if (count > 2) { server.tool('plain', 'Plain', async () => {}); }",
        "config.experimental && server.prompt('beta', 'Beta', async () => ({ messages: [] }));",
      ].join('\n'),
    );
    expect(facts.tools.map(({ name, conditional }) => ({ name, conditional }))).toEqual([
      { name: 'write', conditional: "process.env.ENABLE_WRITE === 'true'" },
      { name: 'delete', conditional: '!(readOnly)' },
      { name: 'plain', conditional: undefined },
    ]);
    expect(facts.prompts[0]).toMatchObject({ name: 'beta', conditional: 'config.experimental' });
  });
});

describe('tools and prompts a low-level server lists and dispatches', () => {
  it('reads the tools a ListTools answer lists, with their parameters', () => {
    const facts = registered(
      "const tools = [{ name: 'read_file', description: 'Reads', inputSchema: { type: 'object', properties: { path: { description: 'Which file' } } } }, { name: 'x', description: 'no schema', other: 1 }];",
    );
    expect(facts.listedTools).toEqual([
      { name: 'read_file', description: 'Reads', params: [{ name: 'path', description: 'Which file' }], line: 1, column: 16 },
    ]);
  });

  it('reads the prompts a ListPrompts handler returns, and no prompts list elsewhere', () => {
    const facts = registered(
      [
        "server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [{ name: 'summarise', description: 'Summarises' }] }));",
        "const unrelated = { prompts: [{ name: 'not-a-prompt' }] };",
      ].join('\n'),
    );
    expect(facts.prompts.map((prompt) => prompt.name)).toEqual(['summarise']);
  });

  it('makes each branch of a CallTool handler testing a tool name the handler of that tool, in a scope of its own', () => {
    const source = [
      'server.setRequestHandler(CallToolRequestSchema, async (request) => {',
      "  if (request.params.name === 'read') { return validatePath(request.params.arguments.path); }",
      "  else if (request.params.name === 'run') { return exec(request.params.arguments.cmd); }",
      '});',
    ].join('\n');
    const { program, facts, registrations } = handlersSeen(source);
    const handler = all<FunctionNode>(program, 'ArrowFunctionExpression')[0]!;
    const root = newScope('module', null);
    expect(registrations.dispatcher(handler, String(handler.start), null)).toBe(true);
    const scope = newScope(String(handler.start), root);
    const [read, run] = all<IfStatement>(program, 'IfStatement');
    const readScope = registrations.branchScope(read!, scope);
    const runScope = registrations.branchScope(run!, scope);
    registrations.finish();
    expect(facts.tools).toEqual([
      { name: 'read', style: 'dispatch', handler: String(read!.start), handlerOwner: scope.id, line: 2, column: 3 },
      { name: 'run', style: 'dispatch', handler: String(run!.start), handlerOwner: scope.id, line: 3, column: 8 },
    ]);
    expect(facts.functions.map(({ id, parent }) => ({ id, parent }))).toEqual([
      { id: String(read!.start), parent: scope.id },
      { id: String(run!.start), parent: scope.id },
    ]);
    // The path check is in the first branch: it guards that branch, not the next one.
    expect(readScope).toMatchObject({ id: String(read!.start), parent: scope, guarded: true });
    expect(runScope.guarded).toBeUndefined();
    expect(facts.unnamedRegistrations).toEqual([]);
  });

  it('knows the function a CallTool handler hands the request to, and leaves other functions and branches alone', () => {
    const source = 'server.setRequestHandler(CallToolRequestSchema, (request) => handleCall(request));\nfunction handleCall(request) {}\nfunction other() {}';
    const { program, facts, registrations } = handlersSeen(source);
    const [handleCall, other] = all<FunctionNode>(program, 'FunctionDeclaration');
    expect(registrations.dispatcher(handleCall!, 'h', 'handleCall')).toBe(true);
    expect(registrations.dispatcher(other!, 'o', 'other')).toBe(false);
    const scope = newScope('o', null);
    expect(registrations.branchScope(first<IfStatement>("if (name === 'x') {}", 'IfStatement'), scope)).toBe(scope);
    expect(facts.tools).toEqual([]);
  });

  it('notes a CallTool handler that tests no tool name: it looks tools up at run time', () => {
    const source = 'server.setRequestHandler(CallToolRequestSchema, async (request) => tools[request.params.name].handler(request.params.arguments));';
    const { program, facts, registrations } = handlersSeen(source);
    const handler = all<FunctionNode>(program, 'ArrowFunctionExpression')[0]!;
    registrations.dispatcher(handler, String(handler.start), null);
    facts.functions.push({ id: String(handler.start), name: null, exportedAs: [], line: 1, params: 1, parent: null });
    registrations.finish();
    expect(facts.unnamedRegistrations).toEqual([{ kind: 'tool', excerpt: 'a CallTool request handler that finds the tool by name at run time', line: 1, column: 1 }]);
  });
});
