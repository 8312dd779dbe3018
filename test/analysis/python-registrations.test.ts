import type { Node, Tree } from 'web-tree-sitter';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FileFacts, FunctionFact } from '../../src/analysis/model/file-facts.js';
import { loadPythonParser, type PythonParser } from '../../src/analysis/python/parse.js';
import { casedNames, constructed, decoratorRole, dispatchOf, docstring, Registrations, testedNames } from '../../src/analysis/python/registrations.js';
import { newScope } from '../../src/analysis/python/values.js';

// Registration recognition on its own: the recognisers on parsed nodes, and the Registrations class
// fed by hand what the extractor's walk would hand it (test/analysis/python-extract.test.ts covers
// the two together).

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const trees: Tree[] = [];
afterEach(() => {
  for (const tree of trees.splice(0)) tree.delete();
});

const parsed = (source: string): Node => {
  const { tree } = parser.parse(source);
  if (tree === null) throw new Error('no tree');
  trees.push(tree);
  return tree.rootNode;
};

/** Every node of a type, in source order. */
const all = (source: string | Node, type: string): Node[] =>
  (typeof source === 'string' ? parsed(source) : source).descendantsOfType(type).filter((node): node is Node => node !== null);
const first = (source: string | Node, type: string): Node => all(source, type)[0]!;

const emptyFacts = (): FileFacts => ({ parseError: null, imports: [], reexports: [], bindings: {}, calls: [], functions: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], listeners: [], strings: [] });

/** The FunctionFact the extractor writes for a definition (only what Registrations reads matters). */
const functionFact = (definition: Node, paramNames: string[] = []): FunctionFact => ({
  id: String(definition.startIndex),
  name: definition.childForFieldName('name')?.text ?? null,
  exportedAs: [],
  line: definition.startPosition.row + 1,
  params: paramNames.length,
  paramNames,
  parent: null,
});

/** Each decorated function of a module through Registrations.decorated, as the extractor hands it over. */
function decorated(source: string, registrations: Registrations): void {
  for (const node of all(source, 'decorated_definition')) {
    const definition = node.childForFieldName('definition')!;
    const decorators = node.namedChildren.filter((child): child is Node => child?.type === 'decorator');
    const fn = functionFact(definition);
    registrations.decorated(decorators, fn, node, definition.childForFieldName('body'), newScope(fn.id, null), 1);
  }
}

describe('the syntax of a registration', () => {
  it.each([
    ['@mcp.tool', 'tool'],
    ['@mcp.tool()', 'tool'],
    ['@app.tool(name="x")', 'tool'],
    ['@mcp.prompt()', 'prompt'],
    ['@server.list_tools()', 'list-tools'],
    ['@server.list_prompts()', 'list-prompts'],
    ['@server.call_tool()', 'call-tool'],
    ['@tool', null],
    ['@functools.cache', null],
  ])('%s is a %s decorator', (decorator, role) => {
    expect(decoratorRole(first(`${decorator}\ndef f(): pass\n`, 'decorator'))).toBe(role);
  });

  it.each([
    ['name == "read"', ['read']],
    ['"read" == name', []],
    ['name == "a" or name in ("b", "c")', ['a', 'b', 'c']],
    ['(name in ["d", "e"])', ['d', 'e']],
    ['tool == "read"', []],
    ['name != "read"', []],
  ])('if %s tests the tool names %j', (test, names) => {
    const condition = first(`if ${test}:\n    pass\n`, 'if_statement').childForFieldName('condition')!;
    expect(testedNames(condition, 'name')).toEqual(names);
  });

  it('reads the names a case tests, and none when it binds or guards', () => {
    const clauses = all('match name:\n    case "a" | "b":\n        pass\n    case "c" if flag:\n        pass\n    case other:\n        pass\n    case "d":\n        pass\n', 'case_clause');
    expect(clauses.map((clause) => casedNames(clause))).toEqual([['a', 'b'], [], [], ['d']]);
  });

  it('reads the Tool(...) a body constructs with a constant name, wherever its class comes from', () => {
    const body = first('def lt():\n    return [types.Tool(name="a", description="First."), Tool(name="b"), Tool(name=NAME), Other(name="c")]\n', 'block');
    expect(constructed(body, 'Tool')).toEqual([
      { name: 'a', description: 'First.', line: 2, column: 13 },
      { name: 'b', line: 2, column: 57 },
    ]);
  });

  it('dedents a docstring, and reads none when the body does not start with a string', () => {
    const [documented, plain] = all('def f():\n    """Reads a note.\n\n    Second line.\n      Indented."""\n    pass\ndef g():\n    x = "not a docstring"\n', 'block');
    expect(docstring(documented!)).toBe('Reads a note.\n\nSecond line.\n  Indented.');
    expect(docstring(plain!)).toBeUndefined();
  });

  it('finds the dispatch a scope is in, through nested scopes', () => {
    const handler = newScope('1', null);
    handler.dispatch = { owner: '1', nameParam: 'name' };
    expect(dispatchOf(newScope('2', newScope('3', handler)))).toBe(handler.dispatch);
    expect(dispatchOf(newScope('4', null))).toBeUndefined();
  });
});

describe('tools and prompts registered by decorators', () => {
  it('reads FastMCP tools and prompts with their names and descriptions, and notes a name given at run time', () => {
    const facts = emptyFacts();
    const source = [
      '@mcp.tool()',
      'def read_note(path):',
      '    """Read a note."""',
      '@app.tool(name="other", description="Given.")',
      'async def f(x): pass',
      '@mcp.prompt()',
      'def review(code): pass',
      '@mcp.tool(name=TOOL_NAME)',
      'def computed(): pass',
      '@functools.cache',
      'def cached(): pass',
      '',
    ].join('\n');
    decorated(source, new Registrations(facts));
    expect(facts.tools).toEqual([
      { name: 'read_note', description: 'Read a note.', style: 'tool', handler: expect.any(String), line: 1, column: 1 },
      { name: 'other', description: 'Given.', style: 'tool', handler: expect.any(String), line: 4, column: 1 },
    ]);
    expect(facts.prompts).toEqual([{ name: 'review', line: 6, column: 1 }]);
    expect(facts.unnamedRegistrations).toEqual([{ kind: 'tool', excerpt: '@mcp.tool(name=TOOL_NAME)', line: 8, column: 1 }]);
  });

  it('gives a registration the condition of the clause it sits in: the setting, or its failure in the clauses after', () => {
    const facts = emptyFacts();
    const registrations = new Registrations(facts);
    const statement = first('if os.environ.get("ENABLE_SHELL"):\n    pass\nelif count > 2:\n    pass\nelse:\n    pass\n', 'if_statement');
    const tests = [statement.childForFieldName('condition'), first(statement, 'elif_clause').childForFieldName('condition'), null];
    const conditions: Array<string | null> = [];
    const enclosing = registrations.condition;
    let failed: string | undefined;
    for (const test of tests) {
      failed = registrations.enterClause(test, failed, enclosing);
      conditions.push(registrations.condition);
    }
    expect(conditions).toEqual(['os.environ.get("ENABLE_SHELL")', '!(os.environ.get("ENABLE_SHELL"))', '!(os.environ.get("ENABLE_SHELL"))']);
    decorated('@mcp.tool()\ndef shell(cmd): pass\n', registrations);
    expect(facts.tools[0]).toMatchObject({ name: 'shell', conditional: '!(os.environ.get("ENABLE_SHELL"))' });
  });
});

describe('tools and prompts a low-level server declares and dispatches', () => {
  const source = [
    '@server.list_tools()',
    'async def lt():',
    '    return [Tool(name="read", description="Reads."), Tool(name="run"), Tool(name="other")]',
    '@server.list_prompts()',
    'async def lp():',
    '    return [types.Prompt(name="plan", description="Plans.")]',
    '@server.call_tool()',
    'async def ct(name, arguments):',
    '    if name == "read" or name == "run":',
    '        pass',
    '',
  ].join('\n');

  it('resolves each declared tool to the branch testing its name, else to the whole call_tool handler', () => {
    const facts = emptyFacts();
    const registrations = new Registrations(facts);
    const [, , callTool] = all(source, 'decorated_definition');
    const definition = callTool!.childForFieldName('definition')!;
    const fn = functionFact(definition, ['name', 'arguments']);
    const scope = newScope(fn.id, null);
    registrations.decorated([first(callTool!, 'decorator')], fn, callTool!, definition.childForFieldName('body'), scope, 1);
    expect(scope.dispatch).toEqual({ owner: fn.id, nameParam: 'name' });
    decorated(source.split('@server.call_tool()')[0]!, registrations);
    const branch = first(definition, 'if_statement').childForFieldName('consequence')!;
    const names = testedNames(first(definition, 'if_statement').childForFieldName('condition')!, 'name');
    const id = registrations.dispatchBranch(branch, names, scope.dispatch!, fn.id);
    // Declared tools wait for the whole module: a branch may come after the declaration.
    expect(facts.tools).toEqual([]);
    registrations.finish();
    expect(id).toBe(String(branch.startIndex));
    expect(facts.functions).toEqual([{ id, name: null, exportedAs: [], line: 10, params: 0, parent: fn.id }]);
    expect(facts.tools).toEqual([
      { name: 'read', description: 'Reads.', style: 'dispatch', handler: id, handlerOwner: fn.id, line: 3, column: 13 },
      { name: 'run', style: 'dispatch', handler: id, handlerOwner: fn.id, line: 3, column: 54 },
      { name: 'other', style: 'dispatch', handler: fn.id, line: 3, column: 72 },
    ]);
    expect(facts.prompts).toEqual([{ name: 'plan', description: 'Plans.', line: 6, column: 13 }]);
  });

  it('leaves declared tools without a handler when no call_tool handler is known', () => {
    const facts = emptyFacts();
    const registrations = new Registrations(facts);
    decorated(source.split('@server.list_prompts()')[0]!, registrations);
    registrations.finish();
    expect(facts.tools.map(({ name, handler }) => ({ name, handler }))).toEqual([
      { name: 'read', handler: null },
      { name: 'run', handler: null },
      { name: 'other', handler: null },
    ]);
  });
});
