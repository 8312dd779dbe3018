import type { Node } from 'web-tree-sitter';
import { settingCondition } from '../catalog/settings.js';
import type { FileFacts, FunctionFact, ToolFact } from '../model/file-facts.js';
import { EXCERPT_LENGTH, MAX_DEPTH, stringValue } from './syntax.js';
import type { Scope } from './values.js';

// How an MCP server written in Python registers what it offers, recognised in one module: FastMCP
// `@mcp.tool()` / `@mcp.prompt()` (the function's name or `name=`, its docstring or `description=`),
// under a name known only at run time (`name=TOOL_NAME`), the low-level server's `@server.list_tools()`
// and `@server.list_prompts()` (the `Tool(…)` and `Prompt(…)` they construct) with `@server.call_tool()`,
// whose `if name == "x":` and `match name: case "x":` branches handle tool x, and the setting an
// `if` makes a registration depend on. The extractor's walk hands it each decorated function, each
// clause of an `if` and each dispatch branch (see Registrations); the functions below are pure.

/**
 * What one module registers, fed by the extractor (python/extract.ts) as it walks: decorated
 * (each function with its decorators), enterClause (each clause of an `if`), dispatchBranch (each
 * branch testing a tool's name in a `call_tool` handler), then finish. Facts are written into the
 * module's FileFacts.
 */
export class Registrations {
  /** Tools declared by the `Tool(...)` constructed in `list_tools` handlers: handled by `call_tool`, resolved at finish. */
  private readonly pendingDispatch: ToolFact[] = [];
  /** The `call_tool` handler's function id. */
  private dispatchOwner: string | null = null;
  /** Tool name -> the dispatch branch that handles it, and the handler it is in. */
  private readonly dispatchBranches = new Map<string, { id: string; owner: string }>();
  /** The setting the statements being read depend on (see enterClause), null outside such a branch. */
  condition: string | null = null;

  constructor(private readonly facts: FileFacts) {}

  /**
   * A function with its decorators (none for most): `@x.tool`, `@x.prompt`, `@x.list_tools`,
   * `@x.list_prompts`, `@x.call_tool` (scope: the function's own, which then dispatches on its
   * first parameter). `at` is where the definition starts, decorators included.
   */
  decorated(decorators: readonly Node[], fn: FunctionFact, at: Node, body: Node | null, scope: Scope, depth: number): void {
    const nameParam = fn.paramNames?.[0];
    for (const decorator of decorators) {
      const role = decoratorRole(decorator);
      if (role === 'tool' || role === 'prompt') {
        const options = decoratorKeywords(decorator);
        const place = { line: at.startPosition.row + 1, column: at.startPosition.column + 1 };
        // `@mcp.tool(name=TOOL_NAME)`: a name computed at run time, not the function's.
        if (options.name === undefined && hasKeyword(decorator, 'name')) {
          this.facts.unnamedRegistrations.push({ kind: role, excerpt: decorator.text.slice(0, EXCERPT_LENGTH), ...place });
          continue;
        }
        const registered = options.name ?? fn.name;
        if (registered !== null) {
          const description = options.description ?? (body ? docstring(body) : undefined);
          const common = { name: registered, ...(description === undefined ? {} : { description }), ...(this.condition === null ? {} : { conditional: this.condition }) };
          if (role === 'tool') this.facts.tools.push({ ...common, style: 'tool', handler: fn.id, ...place });
          else this.facts.prompts.push({ ...common, ...place });
        }
      } else if (role === 'list-prompts' && body) {
        this.declaredPrompts(body, depth);
      } else if (role === 'list-tools' && body) {
        this.declaredTools(body, depth);
      } else if (role === 'call-tool' && nameParam !== undefined) {
        scope.dispatch = { owner: fn.id, nameParam };
        this.dispatchOwner = fn.id;
      }
    }
  }

  /**
   * Before the statements of one clause of an `if` (test null for `else`): a registration in a
   * branch chosen by a setting exists only on some installs (ToolFact.conditional). `failed` is what
   * this returned for the clause before (undefined for the first), `enclosing` the condition the
   * `if` itself sits under, to be restored after its last clause; returns `failed` for the next.
   */
  enterClause(test: Node | null, failed: string | undefined, enclosing: string | null): string | undefined {
    const own = test ? settingCondition(test.text, false) : undefined;
    this.condition = own ?? failed ?? enclosing;
    if (test && failed === undefined) failed = settingCondition(test.text, true);
    return failed;
  }

  /** The body that handles the tools named: a function of its own (its id returned), so that what it reaches is theirs. */
  dispatchBranch(body: Node, names: readonly string[], dispatch: NonNullable<Scope['dispatch']>, parent: string | null): string {
    const id = String(body.startIndex);
    this.facts.functions.push({ id, name: null, exportedAs: [], line: body.startPosition.row + 1, params: 0, parent });
    for (const name of names) this.dispatchBranches.set(name, { id, owner: dispatch.owner });
    return id;
  }

  /**
   * Low-level servers: tools declared in `list_tools`, handled by `call_tool`, each by its branch
   * when one tests its name, else by the whole handler.
   */
  finish(): void {
    for (const tool of this.pendingDispatch) {
      const branch = this.dispatchBranches.get(tool.name);
      if (branch) {
        tool.handler = branch.id;
        tool.handlerOwner = branch.owner;
      } else if (this.dispatchOwner !== null) {
        tool.handler = this.dispatchOwner;
      }
    }
    for (const tool of this.pendingDispatch) this.facts.tools.push(tool);
  }

  /** `types.Tool(name="x", description="…")` constructed in a `list_tools` handler. */
  private declaredTools(body: Node, depth: number): void {
    if (depth > MAX_DEPTH) return;
    for (const { name, description, line, column } of constructed(body, 'Tool')) {
      this.pendingDispatch.push({ name, ...(description === undefined ? {} : { description }), style: 'dispatch', handler: null, line, column });
    }
  }

  /** `types.Prompt(name="x", description="…")` constructed in a `list_prompts` handler. */
  private declaredPrompts(body: Node, depth: number): void {
    if (depth > MAX_DEPTH) return;
    for (const { name, description, line, column } of constructed(body, 'Prompt')) {
      this.facts.prompts.push({ name, ...(description === undefined ? {} : { description }), line, column });
    }
  }
}

export function dispatchOf(scope: Scope): Scope['dispatch'] {
  for (let at: Scope | null = scope; at; at = at.parent) if (at.dispatch) return at.dispatch;
  return undefined;
}

/** `name == "x"`, `name in ("x", "y")`, joined by `or`: the tool names a dispatch condition tests. */
export function testedNames(test: Node, nameParam: string, depth = 0): string[] {
  if (depth > 32) return [];
  if (test.type === 'boolean_operator') {
    const left = test.childForFieldName('left');
    const right = test.childForFieldName('right');
    return [...(left ? testedNames(left, nameParam, depth + 1) : []), ...(right ? testedNames(right, nameParam, depth + 1) : [])];
  }
  if (test.type === 'parenthesized_expression') return test.namedChildren[0] ? testedNames(test.namedChildren[0], nameParam, depth + 1) : [];
  if (test.type !== 'comparison_operator') return [];
  const [left, right] = test.namedChildren;
  const operator = test.children.find((child) => child && !child.isNamed)?.type;
  if (!left || !right || left.text !== nameParam) return [];
  if (operator === '==') {
    const value = stringValue(right);
    return value === undefined ? [] : [value];
  }
  if (operator === 'in' && (right.type === 'tuple' || right.type === 'list' || right.type === 'set')) {
    return right.namedChildren.flatMap((element) => {
      const value = element ? stringValue(element) : undefined;
      return value === undefined ? [] : [value];
    });
  }
  return [];
}

/** The tool names a `case` tests: one string, or strings joined by `|`; none when it binds or guards. */
export function casedNames(clause: Node): string[] {
  if (clause.childForFieldName('guard')) return [];
  const patterns = clause.namedChildren.filter((child): child is Node => child?.type === 'case_pattern');
  if (patterns.length !== 1) return [];
  const pattern = patterns[0]!.namedChildren[0];
  const alternatives = pattern?.type === 'union_pattern' ? pattern.namedChildren : [pattern];
  const names = alternatives.map((alternative) => stringValue(alternative));
  return names.every((name): name is string => name !== undefined) ? names : [];
}

export type DecoratorRole = 'tool' | 'prompt' | 'list-tools' | 'list-prompts' | 'call-tool' | null;

/** `@mcp.tool`, `@mcp.tool()`, `@app.tool(name=…)`, `@mcp.prompt()`, `@server.list_tools()`, `@server.list_prompts()`, `@server.call_tool()`. */
export function decoratorRole(decorator: Node): DecoratorRole {
  let expression = decorator.namedChildren[0] ?? null;
  if (expression?.type === 'call') expression = expression.childForFieldName('function');
  if (expression?.type !== 'attribute') return null;
  const name = expression.childForFieldName('attribute')?.text;
  if (name === 'tool') return 'tool';
  if (name === 'prompt') return 'prompt';
  if (name === 'list_tools') return 'list-tools';
  if (name === 'list_prompts') return 'list-prompts';
  if (name === 'call_tool') return 'call-tool';
  return null;
}

function decoratorKeywords(decorator: Node): Record<string, string> {
  const expression = decorator.namedChildren[0];
  if (expression?.type !== 'call') return {};
  return keywordStrings(expression.childForFieldName('arguments'));
}

/** Calls of a class named `type` (`Tool(...)`, `types.Prompt(...)`) in a body, with a constant `name=`. */
export function constructed(body: Node, type: string): Array<{ name: string; description?: string; line: number; column: number }> {
  return body.descendantsOfType('call').flatMap((call) => {
    const fn = call?.childForFieldName('function');
    const last = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    if (!call || last !== type) return [];
    const { name, description } = keywordStrings(call.childForFieldName('arguments'));
    if (name === undefined) return [];
    return [{ name, ...(description === undefined ? {} : { description }), line: call.startPosition.row + 1, column: call.startPosition.column + 1 }];
  });
}

function hasKeyword(decorator: Node, keyword: string): boolean {
  const expression = decorator.namedChildren[0];
  if (expression?.type !== 'call') return false;
  return (expression.childForFieldName('arguments')?.namedChildren ?? []).some((argument) => argument?.type === 'keyword_argument' && argument.childForFieldName('name')?.text === keyword);
}

function keywordStrings(list: Node | null): Record<string, string> {
  const found: Record<string, string> = {};
  for (const argument of list?.namedChildren ?? []) {
    if (argument?.type !== 'keyword_argument') continue;
    const name = argument.childForFieldName('name')?.text;
    const value = stringValue(argument.childForFieldName('value'));
    if (name && value !== undefined) found[name] = value;
  }
  return found;
}

/** The first statement of a body when it is a string: the function's docstring, dedented. */
export function docstring(body: Node): string | undefined {
  const first = body.namedChildren[0];
  if (first?.type !== 'expression_statement') return undefined;
  const value = stringValue(first.namedChildren[0] ?? null);
  if (value === undefined) return undefined;
  const lines = value.split('\n');
  const indents = lines.slice(1).filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  // Reduced, not spread into Math.min: a docstring of a few hundred thousand lines overflows the stack.
  const indent = indents.length > 0 ? indents.reduce((least, next) => Math.min(least, next)) : 0;
  return [lines[0]!.trim(), ...lines.slice(1).map((line) => line.slice(indent))].join('\n').trim();
}
