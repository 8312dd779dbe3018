import type { Node } from 'web-tree-sitter';
import { MAX_STRINGS_PER_FILE, notableString } from '../catalog/strings.js';
import { pythonSourceOfCall, pythonSourceOfName, SOURCES } from '../catalog/sources.js';
import type { ArgumentFact, CallFact, FileFacts, FunctionFact, ToolFact } from '../js/facts.js';
import type { ImportRef } from '../js/imports.js';
import { settingCondition } from '../js/tool-syntax.js';
import { parsePython } from './parse.js';

// One Python module turned into the same plain facts as a JavaScript one (js/facts.ts), so the
// module graph, reachability (js/reach.ts) and the code rules serve both languages. The tree is
// walked once, in source order, and deleted before returning.
//
// Canonical callees: a module's member by its import path (`subprocess.run`, `os.system`,
// `pathlib.Path.home`, whatever local name it was imported as), builtins as `builtins.<name>`
// (`builtins.eval`, `builtins.open`: never confused with Node's `eval` or the `open` package),
// `local:<name>` for other plain names and `member:<name>` for methods of unknown objects.
// Arguments: positional arguments in order, then, when a call has keyword arguments, one options
// fact right after the positional ones whose `properties` hold the constant keywords
// (`shell=True` gives `{ shell: true }`) and `propertyLabels` the labels of the others, so a
// catalog entry with `optionsAt: 1` reads `subprocess.run(cmd, shell=True)`'s options.
// Labels: a function's parameters are `<id>#<i>` (`self` and `cls` of methods not counted), carried
// through assignments within the function in source order, plus the sources of catalog/sources.ts.

const EXCERPT_LENGTH = 160;
const MAX_ELEMENTS = 16;
const MAX_LABELS = 32;
/** Expressions nested deeper than this are not looked into: their labels and calls are lost, the audit goes on. */
const MAX_DEPTH = 200;

const BUILTIN_FUNCTIONS = new Set([
  'eval', 'exec', 'compile', '__import__', 'open', 'input', 'print', 'getattr', 'setattr', 'globals', 'locals', 'vars',
  'breakpoint', 'memoryview', 'bytes', 'bytearray', 'str', 'repr', 'format', 'dict', 'list', 'tuple', 'set', 'len',
]);
const NO_LABELS: readonly string[] = Object.freeze([]) as readonly string[];

interface Scope {
  /** The function (or dispatch branch) id, null at module level. */
  id: string | null;
  env: Map<string, string[]>;
  parent: Scope | null;
  /** Inside a low-level `call_tool` handler: its name parameter, for dispatch branches. */
  dispatch?: { owner: string; nameParam: string };
}

export function extractPythonFacts(text: string): FileFacts {
  const facts: FileFacts = { parseError: null, imports: [], reexports: [], bindings: {}, calls: [], functions: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], strings: [] };
  const { tree, problem } = parsePython(text);
  facts.parseError = problem;
  if (tree === null) return facts;
  try {
    new Extractor(text, facts).module(tree.rootNode);
  } finally {
    tree.delete();
  }
  return facts;
}

class Extractor {
  private readonly moduleScope: Scope = { id: null, env: new Map(), parent: null };
  /** Local names of `Tool(...)` constructors found in `list_tools` handlers are read as tool declarations. */
  private readonly pendingDispatch: ToolFact[] = [];

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
  ) {}

  module(root: Node): void {
    this.block(root, this.moduleScope, 0);
    // Low-level servers: tools declared in `list_tools`, handled by `call_tool` (a branch per name when it tests the name).
    this.finishDispatch();
    for (const tool of this.pendingDispatch) this.facts.tools.push(tool);
  }

  private block(node: Node, scope: Scope, depth: number): void {
    for (const statement of node.namedChildren) if (statement) this.statement(statement, scope, depth + 1);
  }

  private statement(node: Node, scope: Scope, depth: number): void {
    if (depth > MAX_DEPTH) return;
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        this.importStatement(node, scope);
        return;
      case 'decorated_definition':
        this.decorated(node, scope, depth);
        return;
      case 'function_definition':
        this.functionDefinition(node, scope, depth, null, []);
        return;
      case 'class_definition': {
        const body = node.childForFieldName('body');
        const superclasses = node.childForFieldName('superclasses');
        if (superclasses) this.expression(superclasses, scope, depth);
        if (body) this.classBody(body, scope, depth);
        return;
      }
      case 'if_statement':
        this.ifStatement(node, scope, depth);
        return;
      case 'expression_statement':
        for (const child of node.namedChildren) if (child) this.expressionStatement(child, scope, depth);
        return;
      default:
        this.generic(node, scope, depth);
    }
  }

  /** Statements not otherwise handled: `for x in y` binds x to y's labels; children are statements or expressions. */
  private generic(node: Node, scope: Scope, depth: number): void {
    if (node.type === 'for_statement') {
      const right = node.childForFieldName('right');
      const left = node.childForFieldName('left');
      if (right && left) this.assign(left, this.labels(right, scope, depth), scope);
    }
    if (node.type === 'with_statement') {
      for (const item of node.descendantsOfType('as_pattern')) {
        const value = item?.namedChildren[0];
        const alias = item?.childForFieldName('alias');
        if (value && alias) this.assign(alias, this.labels(value, scope, depth), scope);
      }
    }
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'block' || child.type.endsWith('_statement') || child.type.endsWith('_clause') || child.type === 'decorated_definition' || child.type === 'function_definition' || child.type === 'class_definition') {
        if (child.type === 'block') this.block(child, scope, depth);
        else this.statement(child, scope, depth + 1);
      } else {
        this.expression(child, scope, depth + 1);
      }
    }
  }

  private classBody(body: Node, scope: Scope, depth: number): void {
    for (const statement of body.namedChildren) {
      if (!statement) continue;
      if (statement.type === 'function_definition') this.functionDefinition(statement, scope, depth + 1, null, [], true);
      else if (statement.type === 'decorated_definition') this.decorated(statement, scope, depth + 1, true);
      else this.statement(statement, scope, depth + 1);
    }
  }

  private expressionStatement(node: Node, scope: Scope, depth: number): void {
    if (node.type === 'assignment' || node.type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!right) return;
      this.expression(right, scope, depth);
      if (left) {
        const labels = this.labels(right, scope, depth);
        const kept = node.type === 'augmented_assignment' ? union(this.lookup(left.text, scope), labels) : labels;
        this.assign(left, kept, scope);
        if (right.type === 'string') this.recordString(right, scope, left.type === 'identifier' ? left.text : null);
      }
      return;
    }
    this.expression(node, scope, depth);
  }

  private assign(target: Node, labels: readonly string[], scope: Scope): void {
    if (target.type === 'identifier') {
      scope.env.set(target.text, [...labels]);
      return;
    }
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern') {
      for (const child of target.namedChildren) if (child) this.assign(child, labels, scope);
    }
    // `obj.attr = x`, `d[k] = x`: the container now holds x's labels too.
    if (target.type === 'attribute' || target.type === 'subscript') {
      const root = rootIdentifier(target);
      if (root !== null) scope.env.set(root, union(this.lookup(root, scope), labels));
    }
  }

  private lookup(name: string, scope: Scope): string[] {
    for (let at: Scope | null = scope; at; at = at.parent) {
      const found = at.env.get(name);
      if (found) return found;
    }
    return [];
  }

  // ---- imports ----------------------------------------------------------------------------

  private importStatement(node: Node, scope: Scope): void {
    const { row, column } = node.startPosition;
    const ref = (specifier: string): void => {
      const imports: ImportRef = { specifier, kind: 'import', line: row + 1, column: column + 1 };
      this.facts.imports.push(imports);
    };
    const bind = (local: string, target: string): void => {
      if (scope === this.moduleScope) this.facts.bindings[local] = target;
      else scope.env.delete(local);
      this.bindings.set(local, target);
    };
    if (node.type === 'import_statement') {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'dotted_name') {
          ref(child.text);
          // `import os.path` binds `os`.
          const first = child.text.split('.')[0]!;
          bind(first, first);
        } else if (child.type === 'aliased_import') {
          const name = child.childForFieldName('name')?.text;
          const alias = child.childForFieldName('alias')?.text;
          if (name && alias) {
            ref(name);
            bind(alias, name);
          }
        }
      }
      return;
    }
    if (node.type !== 'import_from_statement') return;
    const moduleNode = node.childForFieldName('module_name');
    if (!moduleNode) return;
    const from = moduleNode.text.replace(/\s+/g, '');
    ref(from);
    for (const child of node.childrenForFieldName('name')) {
      if (!child) continue;
      const name = child.type === 'aliased_import' ? child.childForFieldName('name')?.text : child.text;
      const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : child.text;
      if (!name || !alias) continue;
      // `from pkg import sub` may import a submodule: the graph follows it when it exists.
      ref(joinModule(from, name));
      bind(alias, joinModule(from, name));
    }
  }

  /** Local name -> import path, whatever the scope it was imported in (an import inside a function binds there). */
  private readonly bindings = new Map<string, string>();

  // ---- functions, decorators, tools ---------------------------------------------------------

  private decorated(node: Node, scope: Scope, depth: number, method = false): void {
    const definition = node.childForFieldName('definition');
    const decorators = node.namedChildren.filter((child): child is Node => child?.type === 'decorator');
    for (const decorator of decorators) this.expression(decorator, scope, depth);
    if (definition?.type === 'function_definition') this.functionDefinition(definition, scope, depth, node, decorators, method);
    else if (definition?.type === 'class_definition') this.statement(definition, scope, depth);
  }

  private functionDefinition(node: Node, scope: Scope, depth: number, decoratedAt: Node | null, decorators: Node[], method = false): void {
    const id = String(node.startIndex);
    const name = node.childForFieldName('name')?.text ?? null;
    const parameters = parameterNames(node.childForFieldName('parameters'));
    const counted = method && (parameters[0] === 'self' || parameters[0] === 'cls') ? parameters.slice(1) : parameters;
    const fn: FunctionFact = {
      id,
      name,
      exportedAs: scope === this.moduleScope && name !== null ? [name] : [],
      line: node.startPosition.row + 1,
      params: counted.length,
      parent: scope.id,
    };
    this.facts.functions.push(fn);
    const inner: Scope = { id, env: new Map(), parent: scope };
    counted.forEach((parameter, index) => inner.env.set(parameter, [`${id}#${index}`]));
    if (method && parameters.length > counted.length) inner.env.set(parameters[0]!, []);
    for (const parameter of parameters) if (!inner.env.has(parameter)) inner.env.set(parameter, []);

    const body = node.childForFieldName('body');
    const at = decoratedAt ?? node;
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
        const registered = options.name ?? name;
        if (registered !== null) {
          const description = options.description ?? (body ? docstring(body) : undefined);
          const common = { name: registered, ...(description === undefined ? {} : { description }), ...(this.condition === null ? {} : { conditional: this.condition }) };
          if (role === 'tool') this.facts.tools.push({ ...common, style: 'tool', handler: id, ...place });
          else this.facts.prompts.push({ ...common, ...place });
        }
      } else if (role === 'list-prompts' && body) {
        this.declaredPrompts(body, depth);
      } else if (role === 'list-tools' && body) {
        this.declaredTools(body, depth);
      } else if (role === 'call-tool' && counted[0] !== undefined) {
        inner.dispatch = { owner: id, nameParam: counted[0] };
        this.dispatchOwner = id;
      }
    }
    if (body) this.block(body, inner, depth);
  }

  private dispatchOwner: string | null = null;

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

  /** In a `call_tool` handler, `if name == "x":` is the branch that handles tool x. */
  private ifStatement(node: Node, scope: Scope, depth: number): void {
    const dispatch = dispatchOf(scope);
    const condition = node.childForFieldName('condition');
    if (condition) this.expression(condition, scope, depth);
    const clauses: Array<{ test: Node | null; body: Node | null }> = [{ test: condition, body: node.childForFieldName('consequence') }];
    for (const alternative of node.childrenForFieldName('alternative')) {
      if (!alternative) continue;
      const test = alternative.type === 'elif_clause' ? alternative.childForFieldName('condition') : null;
      if (test && alternative.type === 'elif_clause') this.expression(test, scope, depth);
      clauses.push({ test, body: alternative.childForFieldName('consequence') ?? alternative.childForFieldName('body') ?? alternative.namedChildren.find((child) => child?.type === 'block') ?? null });
    }
    // A registration in a branch chosen by a setting exists only on some installs (ToolFact.conditional).
    const enclosing = this.condition;
    let failed: string | undefined;
    for (const { test, body } of clauses) {
      if (!body) continue;
      const own = test ? settingCondition(test.text, false) : undefined;
      this.condition = own ?? failed ?? enclosing;
      if (test && failed === undefined) failed = settingCondition(test.text, true);
      const names = dispatch && test ? testedNames(test, dispatch.nameParam) : [];
      if (dispatch && names.length > 0) {
        const id = String(body.startIndex);
        this.facts.functions.push({ id, name: null, exportedAs: [], line: body.startPosition.row + 1, params: 0, parent: scope.id });
        for (const name of names) this.dispatchBranches.set(name, { id, owner: dispatch.owner });
        this.block(body, { id, env: new Map(), parent: scope }, depth);
      } else {
        this.block(body, scope, depth);
      }
    }
    this.condition = enclosing;
  }

  /** The setting the statements being read depend on (see ifStatement), null outside such a branch. */
  private condition: string | null = null;

  private readonly dispatchBranches = new Map<string, { id: string; owner: string }>();

  /** Resolves each declared low-level tool to its branch, or to the whole `call_tool` handler. */
  finishDispatch(): void {
    for (const tool of this.pendingDispatch) {
      const branch = this.dispatchBranches.get(tool.name);
      if (branch) {
        tool.handler = branch.id;
        tool.handlerOwner = branch.owner;
      } else if (this.dispatchOwner !== null) {
        tool.handler = this.dispatchOwner;
      }
    }
  }

  // ---- expressions and calls ---------------------------------------------------------------

  /** Records the calls and notable strings in an expression, in source order. */
  private expression(node: Node, scope: Scope, depth: number): void {
    if (depth > MAX_DEPTH) return;
    if (node.type === 'call') {
      this.recordCall(node, scope, depth);
      for (const child of node.namedChildren) if (child) this.expression(child, scope, depth + 1);
      return;
    }
    if (node.type === 'lambda') {
      const body = node.childForFieldName('body');
      if (body) this.expression(body, scope, depth + 1);
      return;
    }
    if (node.type === 'string') {
      this.recordString(node, scope, null);
      return;
    }
    if (node.type === 'pair') {
      const key = node.childForFieldName('key');
      const value = node.childForFieldName('value');
      if (key) this.expression(key, scope, depth + 1);
      if (value?.type === 'string') this.recordString(value, scope, key ? stringValue(key) ?? null : null);
      else if (value) this.expression(value, scope, depth + 1);
      return;
    }
    if (node.type === 'keyword_argument') {
      const value = node.childForFieldName('value');
      if (value?.type === 'string') this.recordString(value, scope, node.childForFieldName('name')?.text ?? null);
      else if (value) this.expression(value, scope, depth + 1);
      return;
    }
    if (node.type === 'named_expression') {
      const value = node.childForFieldName('value');
      const name = node.childForFieldName('name');
      if (value) {
        this.expression(value, scope, depth + 1);
        if (name) this.assign(name, this.labels(value, scope, depth), scope);
      }
      return;
    }
    for (const child of node.namedChildren) if (child) this.expression(child, scope, depth + 1);
  }

  private recordCall(node: Node, scope: Scope, depth: number): void {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const callee = this.callee(fn);
    if (callee === null) return;
    const argumentList = node.childForFieldName('arguments');
    const args = argumentList?.type === 'argument_list' ? this.argumentFacts(argumentList, scope, depth) : [];
    // `Path(p).read_text()`: the path a pathlib method works on is the constructor's argument.
    const call: CallFact = {
      callee: callee.name,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      args: callee.receiverArgs ? [...callee.receiverArgs(this, scope, depth), ...args] : args,
      within: scope.id,
      excerpt: this.text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + EXCERPT_LENGTH)).replace(/\s+/g, ' '),
    };
    if (callee.module) call.module = callee.module;
    this.facts.calls.push(call);
  }

  /** Positional argument facts, then one options fact for the keyword arguments (see the header). */
  argumentFacts(list: Node, scope: Scope, depth: number): ArgumentFact[] {
    const positional: ArgumentFact[] = [];
    let options: ArgumentFact | null = null;
    for (const argument of list.namedChildren) {
      if (!argument || argument.type === 'comment') continue;
      if (argument.type === 'keyword_argument') {
        const name = argument.childForFieldName('name')?.text;
        const value = argument.childForFieldName('value');
        if (!name || !value) continue;
        options ??= { labels: [], properties: {}, propertyLabels: {} };
        const constant = value.type === 'true' ? true : value.type === 'false' ? false : stringValue(value);
        const labels = this.labels(value, scope, depth);
        if (constant !== undefined) options.properties![name] = constant;
        else options.propertyLabels![name] = [...labels];
        options.labels = union(options.labels, labels);
        continue;
      }
      if (argument.type === 'dictionary_splat') {
        options ??= { labels: [], properties: {}, propertyLabels: {} };
        options.labels = union(options.labels, this.labels(argument, scope, depth));
        continue;
      }
      positional.push(this.argumentFact(argument, scope, depth));
    }
    return options === null ? positional : [...positional, options];
  }

  argumentFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    const fact: ArgumentFact = { labels: [...this.labels(node, scope, depth)] };
    const folded = foldString(node);
    if (folded !== undefined) {
      if (folded.literal !== undefined) fact.literal = folded.literal;
      if (folded.built) fact.built = true;
      if (folded.prefix) fact.prefix = folded.prefix;
      if (folded.parts.length > 0 && folded.literal === undefined) fact.parts = folded.parts.slice(0, MAX_ELEMENTS);
    } else {
      const parts = stringParts(node, depth);
      if (parts.length > 0) fact.parts = parts.slice(0, MAX_ELEMENTS);
    }
    if (node.type === 'list' || node.type === 'tuple') {
      fact.elements = node.namedChildren.slice(0, MAX_ELEMENTS).flatMap((element) => {
        if (!element) return [];
        const literal = stringValue(element);
        return [{ ...(literal === undefined ? {} : { literal }), labels: [...this.labels(element, scope, depth)] }];
      });
    }
    if (node.type === 'lambda') fact.function = true;
    if (node.type === 'dictionary') {
      fact.properties = {};
      fact.propertyLabels = {};
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') continue;
        const key = stringValue(pair.childForFieldName('key'));
        const value = pair.childForFieldName('value');
        if (key === undefined || !value) continue;
        const constant = value.type === 'true' ? true : value.type === 'false' ? false : stringValue(value);
        if (constant !== undefined) fact.properties[key] = constant;
        else fact.propertyLabels[key] = [...this.labels(value, scope, depth)];
      }
    }
    return fact;
  }

  /** The canonical callee of a call's function expression (see the header), and the module it names. */
  private callee(fn: Node): { name: string; module?: { specifier: string; member: string | null }; receiverArgs?: (self: Extractor, scope: Scope, depth: number) => ArgumentFact[] } | null {
    if (fn.type === 'identifier') {
      const bound = this.bindings.get(fn.text);
      if (bound !== undefined) return { name: bound, module: moduleRef(bound) };
      if (BUILTIN_FUNCTIONS.has(fn.text)) return { name: `builtins.${fn.text}` };
      return { name: `local:${fn.text}` };
    }
    if (fn.type !== 'attribute') return null;
    const attribute = fn.childForFieldName('attribute')?.text ?? '';
    const object = fn.childForFieldName('object');
    const path = object ? this.dottedPath(object) : null;
    if (path !== null) return { name: `${path}.${attribute}`, module: moduleRef(`${path}.${attribute}`) };
    // `Path(p).read_text()`, `(Path.home() / ".ssh").read_text()`: pathlib methods on a path built in place.
    const constructed = object ? this.pathlibConstruction(object) : null;
    if (constructed) return { name: `pathlib.Path.${attribute}`, receiverArgs: (self, scope, depth) => [self.pathFact(constructed, scope, depth)] };
    return { name: `member:${attribute}` };
  }

  /** `a.b.c` where `a` is an imported name: its import path (`os.path`), else null. */
  private dottedPath(node: Node): string | null {
    const parts: string[] = [];
    let at: Node | null = node;
    for (let steps = 0; at && steps < 32; steps++) {
      if (at.type === 'identifier') {
        const bound = this.bindings.get(at.text);
        if (bound === undefined) return null;
        return [bound, ...parts.reverse()].join('.');
      }
      if (at.type !== 'attribute') return null;
      parts.push(at.childForFieldName('attribute')?.text ?? '');
      at = at.childForFieldName('object');
    }
    return null;
  }

  /** The expression a pathlib object is built from: `Path(x)`, `Path.home()`, `Path(x) / "y"`, or null. */
  private pathlibConstruction(node: Node): Node | null {
    let at: Node | null = node;
    while (at?.type === 'parenthesized_expression') at = at.namedChildren[0] ?? null;
    if (!at) return null;
    if (at.type === 'binary_operator') {
      const left = at.childForFieldName('left');
      return left && this.pathlibConstruction(left) ? at : null;
    }
    if (at.type !== 'call') return null;
    const fn = at.childForFieldName('function');
    const name = fn ? (fn.type === 'identifier' ? this.bindings.get(fn.text) : this.dottedPath(fn)) : undefined;
    return name !== undefined && name !== null && /^pathlib\.(?:Pure)?(?:Posix|Windows)?Path(?:\.home|\.cwd)?$/.test(name) ? at : null;
  }

  pathFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    const fact = this.argumentFact(node, scope, depth);
    if (node.type === 'call') {
      const first = node.childForFieldName('arguments')?.namedChildren[0];
      if (first && first.type !== 'keyword_argument') {
        const inner = this.argumentFact(first, scope, depth);
        return { ...inner, labels: union(inner.labels, fact.labels) };
      }
    }
    return fact;
  }

  /** The parameters and sources an expression's value is computed from (over-approximated: any part counts). */
  labels(node: Node, scope: Scope, depth: number): readonly string[] {
    if (depth > MAX_DEPTH) return NO_LABELS;
    switch (node.type) {
      case 'identifier': {
        if (node.text === '__file__') return [SOURCES.bundleDir];
        return this.lookup(node.text, scope);
      }
      case 'string':
      case 'concatenated_string': {
        let found: readonly string[] = NO_LABELS;
        for (const interpolation of node.descendantsOfType('interpolation')) {
          const expression = interpolation?.namedChildren[0];
          if (expression) found = union(found, this.labels(expression, scope, depth + 1));
        }
        return found;
      }
      case 'integer': case 'float': case 'true': case 'false': case 'none': case 'lambda':
        return NO_LABELS;
      case 'attribute': {
        const path = this.dottedPath(node);
        if (path !== null) {
          const source = pythonSourceOfName(path);
          if (source !== null) return [source];
        }
        const object = node.childForFieldName('object');
        return object ? this.labels(object, scope, depth + 1) : NO_LABELS;
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const path = value ? this.dottedPath(value) : null;
        if (path === 'os.environ') return [envSource(stringValue(node.childForFieldName('subscript')))];
        let found = value ? this.labels(value, scope, depth + 1) : NO_LABELS;
        for (const index of node.childrenForFieldName('subscript')) if (index) found = union(found, this.labels(index, scope, depth + 1));
        return found;
      }
      case 'call':
        return this.callLabels(node, scope, depth);
      default: {
        let found: readonly string[] = NO_LABELS;
        for (const child of node.namedChildren) {
          if (child) found = union(found, this.labels(child, scope, depth + 1));
          if (found.length >= MAX_LABELS) break;
        }
        return found;
      }
    }
  }

  private callLabels(node: Node, scope: Scope, depth: number): readonly string[] {
    const fn = node.childForFieldName('function');
    const argumentList = node.childForFieldName('arguments');
    const callee = fn ? this.callee(fn) : null;
    const args = argumentList ? argumentList.namedChildren.filter((child): child is Node => child !== null) : [];
    if (callee) {
      const first = args[0] ? stringValue(args[0].type === 'keyword_argument' ? args[0].childForFieldName('value') : args[0]) : undefined;
      // `os.getenv("HOME")`, `os.environ.get("TOKEN")`.
      if (callee.name === 'os.getenv' || callee.name === 'os.environ.get') return [envSource(first)];
      if (callee.name === 'os.path.expanduser' && first?.startsWith('~')) return [SOURCES.home];
      const source = pythonSourceOfCall(callee.name);
      if (source !== null) return [source];
    }
    let found: readonly string[] = NO_LABELS;
    // A method's result carries its object's labels (`arguments.get("cmd")`, `text.strip()`).
    if (fn?.type === 'attribute' && callee?.name.startsWith('member:')) {
      const object = fn.childForFieldName('object');
      if (object) found = this.labels(object, scope, depth + 1);
    }
    if (callee?.name === 'pathlib.Path.read_text' || callee?.name === 'pathlib.Path.read_bytes') found = union(found, [SOURCES.file]);
    for (const argument of args) {
      found = union(found, this.labels(argument, scope, depth + 1));
      if (found.length >= MAX_LABELS) break;
    }
    return found;
  }

  private recordString(node: Node, scope: Scope, key: string | null): void {
    if (this.facts.strings.length >= MAX_STRINGS_PER_FILE) return;
    const value = stringValue(node) ?? stringPrefix(node);
    if (value === undefined) return;
    const fact = notableString(value, { line: node.startPosition.row + 1, column: node.startPosition.column + 1, within: scope.id }, key);
    if (fact !== null) this.facts.strings.push(fact);
  }
}

function dispatchOf(scope: Scope): Scope['dispatch'] {
  for (let at: Scope | null = scope; at; at = at.parent) if (at.dispatch) return at.dispatch;
  return undefined;
}

/** `name == "x"`, `name in ("x", "y")`, joined by `or`: the tool names a dispatch condition tests. */
function testedNames(test: Node, nameParam: string, depth = 0): string[] {
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

type DecoratorRole = 'tool' | 'prompt' | 'list-tools' | 'list-prompts' | 'call-tool' | null;

/** `@mcp.tool`, `@mcp.tool()`, `@app.tool(name=…)`, `@mcp.prompt()`, `@server.list_tools()`, `@server.list_prompts()`, `@server.call_tool()`. */
function decoratorRole(decorator: Node): DecoratorRole {
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
function constructed(body: Node, type: string): Array<{ name: string; description?: string; line: number; column: number }> {
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
function docstring(body: Node): string | undefined {
  const first = body.namedChildren[0];
  if (first?.type !== 'expression_statement') return undefined;
  const value = stringValue(first.namedChildren[0] ?? null);
  if (value === undefined) return undefined;
  const lines = value.split('\n');
  const indents = lines.slice(1).filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return [lines[0]!.trim(), ...lines.slice(1).map((line) => line.slice(indent))].join('\n').trim();
}

function parameterNames(parameters: Node | null): string[] {
  const names: string[] = [];
  for (const parameter of parameters?.namedChildren ?? []) {
    if (!parameter) continue;
    if (parameter.type === 'identifier') names.push(parameter.text);
    else if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') {
      const name = parameter.childForFieldName('name');
      if (name) names.push(name.text);
    } else if (parameter.type === 'typed_parameter' || parameter.type === 'list_splat_pattern' || parameter.type === 'dictionary_splat_pattern') {
      const name = parameter.namedChildren.find((child) => child?.type === 'identifier');
      if (name) names.push(name.text);
    }
  }
  return names;
}

function rootIdentifier(node: Node): string | null {
  let at: Node | null = node;
  for (let steps = 0; at && steps < 64; steps++) {
    if (at.type === 'identifier') return at.text;
    at = at.childForFieldName('object') ?? at.childForFieldName('value');
  }
  return null;
}

function joinModule(from: string, name: string): string {
  return from.endsWith('.') ? `${from}${name}` : `${from}.${name}`;
}

/** For a callee bound to an import: the module to look into for a bundle function of that name. */
function moduleRef(path: string): { specifier: string; member: string | null } {
  const dot = path.lastIndexOf('.');
  if (dot <= 0 || path.endsWith('.')) return { specifier: path, member: null };
  // `.utils.run` -> module `.utils`, member `run`; leading dots are the relative level.
  const leading = /^\.+/.exec(path)?.[0].length ?? 0;
  if (dot < leading) return { specifier: path, member: null };
  return { specifier: path.slice(0, dot), member: path.slice(dot + 1) };
}

function envSource(key: string | undefined): string {
  return pythonSourceOfName(key === undefined ? 'os.environ.?' : `os.environ.${key}`) ?? SOURCES.env;
}

/** The value of a string literal without interpolation (prefixes r, b, u honoured; escapes decoded loosely). */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'concatenated_string') {
    let value = '';
    for (const part of node.namedChildren) {
      const piece = stringValue(part);
      if (piece === undefined) return undefined;
      value += piece;
    }
    return value;
  }
  if (node.type !== 'string') return undefined;
  let value = '';
  let raw = false;
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'string_start') raw = /r/i.test(child.text);
    else if (child.type === 'interpolation') return undefined;
    else if (child.type === 'string_content') value += child.text;
    else if (child.type === 'escape_sequence') value += raw ? child.text : unescape(child.text);
  }
  return value;
}

/** The literal text before the first interpolation of an f-string. */
function stringPrefix(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  let value = '';
  for (const child of node.namedChildren) {
    if (!child || child.type === 'string_start') continue;
    if (child.type === 'interpolation') return value;
    if (child.type === 'string_content') value += child.text;
    else if (child.type === 'escape_sequence') value += unescape(child.text);
  }
  return value;
}

function unescape(sequence: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
  const body = sequence.slice(1);
  if (Object.hasOwn(simple, body)) return simple[body]!;
  if (/^x[0-9a-f]{2}$/i.test(body) || /^u[0-9a-f]{4}$/i.test(body) || /^U[0-9a-f]{8}$/.test(body)) {
    const point = Number.parseInt(body.slice(1), 16);
    return point <= 0x10ffff ? String.fromCodePoint(point) : '';
  }
  return sequence;
}

/** A constant or partly constant string expression: literals, `+` of literals, f-strings. */
function foldString(node: Node): { literal?: string; built?: true; prefix?: string; parts: string[] } | undefined {
  const literal = stringValue(node);
  if (literal !== undefined) return { literal, parts: [] };
  if (node.type === 'string') {
    const prefix = stringPrefix(node);
    const parts = node.namedChildren.filter((child) => child?.type === 'string_content').map((child) => child!.text);
    return { ...(prefix ? { prefix } : {}), parts };
  }
  if (node.type === 'binary_operator' && node.children.some((child) => child?.type === '+')) {
    const pieces = flattenSum(node);
    if (pieces === null) return undefined;
    const values = pieces.map((piece) => stringValue(piece));
    if (values.every((value) => value !== undefined)) return { literal: values.join(''), built: true, parts: [] };
    let prefix = '';
    for (const value of values) {
      if (value === undefined) break;
      prefix += value;
    }
    return { ...(prefix ? { prefix } : {}), parts: values.filter((value): value is string => value !== undefined && value !== '') };
  }
  return undefined;
}

function flattenSum(node: Node): Node[] | null {
  const pieces: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    if (pieces.length + stack.length > 64) return null;
    const at = stack.pop()!;
    if (at.type === 'binary_operator' && at.children.some((child) => child?.type === '+')) {
      const left = at.childForFieldName('left');
      const right = at.childForFieldName('right');
      if (right) stack.push(right);
      if (left) stack.push(left);
    } else {
      pieces.push(at);
    }
  }
  return pieces;
}

/** String constants inside a computed value (`os.path.join(base, ".ssh", "id_rsa")`), first few. */
function stringParts(node: Node, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const parts: string[] = [];
  for (const string of node.descendantsOfType('string')) {
    if (parts.length >= MAX_ELEMENTS) break;
    const value = string ? (stringValue(string) ?? stringPrefix(string)) : undefined;
    if (value) parts.push(value);
  }
  return parts;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const set = new Set(a);
  for (const label of b) set.add(label);
  return [...set].slice(0, MAX_LABELS);
}
