import type { Node } from 'web-tree-sitter';
import { MAX_STRINGS_PER_FILE, notableString } from '../catalog/strings.js';
import { pythonKeepsArgumentsWhole, pythonSourceOfCall, pythonSourceOfName, SOURCES, startsProgram } from '../catalog/sources.js';
import { isPathGuardName } from '../catalog/filesystem.js';
import { pythonObjectClass } from '../catalog/network.js';
import { settingCondition } from '../catalog/settings.js';
import type { ArgumentFact, CallFact, FileFacts, FunctionFact, ToolFact } from '../js/facts.js';
import type { ImportRef } from '../js/imports.js';
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
  /** What is known of a variable's value beyond its labels (see Value). */
  values: Map<string, Value>;
  parent: Scope | null;
  /** Inside a low-level `call_tool` handler: its name parameter, for dispatch branches. */
  dispatch?: { owner: string; nameParam: string };
  /** The function or branch checks paths against allowed roots (see isPathCheck); its calls are marked guarded. */
  checksPaths?: true;
  /** It calls `os.path.relpath`, and it names `..`: together a containment check, as `path.relative` with `..` is in JavaScript. */
  relpath?: true;
  parentRef?: true;
}

/**
 * What a variable holds, as far as its assignment says: the constant text or the strings it is
 * built from (so `open(cred)` knows `cred = os.path.join(home, ".aws", "credentials")`), and the
 * object it holds when that object's methods have canonical names (a pathlib path, a `requests`
 * session: see objectOf).
 */
interface Value {
  literal?: string;
  built?: true;
  prefix?: string;
  parts?: string[];
  object?: PyObject;
}

/** An object whose methods are canonicalised `<type>.<method>`, and the fact passed as argument 0 of each. */
interface PyObject {
  type: string;
  receiver: ArgumentFact;
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
  private readonly moduleScope: Scope = { id: null, env: new Map(), values: new Map(), parent: null };
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
      case 'match_statement':
        this.matchStatement(node, scope, depth);
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
      // `for child in folder.iterdir()`: each item is a path under the folder.
      const listed = right ? this.listedPaths(right, scope, depth) : null;
      if (right && left) this.assign(left, this.labels(right, scope, depth), scope, listed === null ? undefined : { object: listed });
    }
    if (node.type === 'with_statement') {
      for (const item of node.descendantsOfType('as_pattern')) {
        const value = item?.namedChildren[0];
        // `as x` is an `as_pattern_target` around the name (or a tuple of names).
        const target = item?.childForFieldName('alias');
        const alias = target?.type === 'as_pattern_target' ? (target.namedChildren[0] ?? null) : target;
        if (value && alias) this.assign(alias, this.labels(value, scope, depth), scope, this.valueOf(value, scope, depth));
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
      // A string assigned is recorded once, under the name it is assigned to.
      if (right.type === 'string' && left) this.seeParentReference(right, scope);
      else this.expression(right, scope, depth);
      if (left) {
        const labels = this.labels(right, scope, depth);
        const augmented = node.type === 'augmented_assignment';
        const kept = augmented ? union(this.lookup(left.text, scope), labels) : labels;
        this.assign(left, kept, scope, augmented ? undefined : this.valueOf(right, scope, depth));
        if (right.type === 'string') this.recordString(right, scope, assignedKey(left));
      }
      return;
    }
    this.expression(node, scope, depth);
    // `msg.set_content(body)`, `payload.update(os.environ)`: a method called for its effect fills its object.
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      const list = node.childForFieldName('arguments');
      if (object?.type === 'identifier' && list && FILLING_METHODS.has(fn!.childForFieldName('attribute')?.text ?? '') && !this.bindings.has(object.text)) {
        let labels: readonly string[] = NO_LABELS;
        for (const argument of list.namedChildren) if (argument) labels = union(labels, this.labels(argument, scope, depth));
        if (labels.length > 0) scope.env.set(object.text, union(this.lookup(object.text, scope), labels));
      }
    }
  }

  private assign(target: Node, labels: readonly string[], scope: Scope, value?: Value): void {
    if (target.type === 'identifier') {
      scope.env.set(target.text, [...labels]);
      if (value === undefined || isEmptyValue(value)) scope.values.delete(target.text);
      else scope.values.set(target.text, value);
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
    // `self.client = httpx.AsyncClient(...)`, `self.base_url = "https://…"`: other methods of the class read them.
    if (target.type === 'attribute' && value !== undefined && !isEmptyValue(value)) this.attributeValues.set(target.text, value);
  }

  /** Values held in attributes (`self.session`), by the attribute as written, file-wide: methods set them for other methods. */
  private readonly attributeValues = new Map<string, Value>();

  private lookup(name: string, scope: Scope): string[] {
    for (let at: Scope | null = scope; at; at = at.parent) {
      const found = at.env.get(name);
      if (found) return found;
    }
    return [];
  }

  /** The value a name holds, from the innermost scope that binds it. */
  private lookupValue(name: string, scope: Scope): Value | undefined {
    for (let at: Scope | null = scope; at; at = at.parent) if (at.env.has(name)) return at.values.get(name);
    return undefined;
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
      paramNames: counted,
      parent: scope.id,
    };
    this.facts.functions.push(fn);
    const inner: Scope = { id, env: new Map(), values: new Map(), parent: scope };
    counted.forEach((parameter, index) => inner.env.set(parameter, [`${id}#${index}`]));
    if (method && parameters.length > counted.length) inner.env.set(parameters[0]!, []);
    for (const parameter of parameters) if (!inner.env.has(parameter)) inner.env.set(parameter, []);
    // `def read(path: Path)`: the parameter is a pathlib path, so `path.read_text()` is a file read.
    for (const [parameter, annotation] of parameterAnnotations(node.childForFieldName('parameters'))) {
      const type = annotation.type === 'identifier' ? this.bindings.get(annotation.text) : this.referenceOf(annotation);
      if (type && PATH_CONSTRUCTOR.test(type)) inner.values.set(parameter, { object: { type: PATH_TYPE, receiver: { labels: [...(inner.env.get(parameter) ?? [])] } } });
    }

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
    this.checkedBlock(body, inner, depth);
  }

  /** A function's or branch's body; when it checks paths, every call written in it (nested functions too) is marked guarded. */
  private checkedBlock(body: Node | null, scope: Scope, depth: number): void {
    if (!body) return;
    const first = this.facts.calls.length;
    this.block(body, scope, depth);
    if (scope.checksPaths || (scope.relpath && scope.parentRef)) for (let index = first; index < this.facts.calls.length; index++) this.facts.calls[index]!.guarded = true;
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
      if (dispatch && names.length > 0) this.dispatchBranch(body, names, dispatch, scope, depth);
      else this.block(body, scope, depth);
    }
    this.condition = enclosing;
  }

  /** In a `call_tool` handler, `match name:` with `case "x":` (or `case "x" | "y":`) is the branch that handles tool x. */
  private matchStatement(node: Node, scope: Scope, depth: number): void {
    const dispatch = dispatchOf(scope);
    const subject = node.childForFieldName('subject');
    if (subject) this.expression(subject, scope, depth);
    const onName = dispatch !== undefined && subject?.type === 'identifier' && subject.text === dispatch.nameParam;
    for (const clause of node.childForFieldName('body')?.namedChildren ?? []) {
      if (clause?.type !== 'case_clause') continue;
      const body = clause.childForFieldName('consequence');
      if (!body) continue;
      const names = onName ? casedNames(clause) : [];
      if (names.length > 0) this.dispatchBranch(body, names, dispatch!, scope, depth);
      else this.block(body, scope, depth);
    }
  }

  /** The body that handles the tools named: a function of its own, so that what it reaches is theirs. */
  private dispatchBranch(body: Node, names: readonly string[], dispatch: NonNullable<Scope['dispatch']>, scope: Scope, depth: number): void {
    const id = String(body.startIndex);
    this.facts.functions.push({ id, name: null, exportedAs: [], line: body.startPosition.row + 1, params: 0, parent: scope.id });
    for (const name of names) this.dispatchBranches.set(name, { id, owner: dispatch.owner });
    this.checkedBlock(body, { id, env: new Map(), values: new Map(), parent: scope }, depth);
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
      this.seeParentReference(node, scope);
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
        if (name) this.assign(name, this.labels(value, scope, depth), scope, this.valueOf(value, scope, depth));
      }
      return;
    }
    for (const child of node.namedChildren) if (child) this.expression(child, scope, depth + 1);
  }

  /** `".."`: with `os.path.relpath`, how a function tells a path outside its root. */
  private seeParentReference(node: Node, scope: Scope): void {
    if (node.endIndex - node.startIndex > 8 || scope.parentRef) return;
    const value = stringValue(node);
    if (value === '..' || value?.startsWith('../') || value?.startsWith('..\\')) scope.parentRef = true;
  }

  private recordCall(node: Node, scope: Scope, depth: number): void {
    const fn = node.childForFieldName('function');
    if (!fn) return;
    const callee = this.callee(fn, scope, depth);
    if (callee === null) return;
    const argumentList = node.childForFieldName('arguments');
    const args = argumentList?.type === 'argument_list' ? this.argumentFacts(argumentList, scope, depth) : [];
    // `Path(p).read_text()`, `session.get(url)`: the object a method works on is argument 0 (see objectOf).
    const call: CallFact = {
      callee: callee.name,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      args: callee.receiver ? [callee.receiver(), ...args] : args,
      within: scope.id,
      excerpt: this.text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + EXCERPT_LENGTH)).replace(/\s+/g, ' '),
    };
    if (callee.module) call.module = callee.module;
    if (callee.builtName) call.builtName = true;
    this.facts.calls.push(call);
    if (scope.id !== null && argumentList && isPathCheck(callee.name, argumentList)) scope.checksPaths = true;
    if (callee.name === 'os.path.relpath') scope.relpath = true;
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
        options ??= { labels: [], properties: {}, propertyLabels: {}, keywords: true };
        this.addProperty(options, name, value, scope, depth);
        continue;
      }
      if (argument.type === 'dictionary_splat') {
        options ??= { labels: [], properties: {}, propertyLabels: {}, keywords: true };
        options.labels = union(options.labels, this.labels(argument, scope, depth));
        continue;
      }
      positional.push(this.argumentFact(argument, scope, depth));
    }
    return options === null ? positional : [...positional, options];
  }

  /** One named value into an options fact: constant in `properties`, labels in `propertyLabels`, an imported name in `references`. */
  private addProperty(options: ArgumentFact, name: string, value: Node, scope: Scope, depth: number): void {
    const constant = value.type === 'true' ? true : value.type === 'false' ? false : (this.constantOf(value, scope) ?? this.fold(value, scope)?.literal);
    const labels = this.labels(value, scope, depth);
    if (constant !== undefined) options.properties![name] = constant;
    else options.propertyLabels![name] = [...labels];
    const reference = this.referenceOf(value);
    if (reference !== null) (options.references ??= {})[name] = reference;
    options.labels = union(options.labels, labels);
  }

  argumentFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    const type = node.type;
    // The commonest argument, a name: its text read once.
    if (type === 'identifier') {
      const name = node.text;
      const labels = name === '__file__' ? [SOURCES.bundleDir] : this.lookup(name, scope);
      const value = this.lookupValue(name, scope);
      if (value?.object) return { ...value.object.receiver, labels: union(value.object.receiver.labels, labels) };
      const reference = this.bindings.get(name);
      return { labels: [...labels], ...(value === undefined ? {} : textFields(value)), ...(reference === undefined ? {} : { reference }) };
    }
    const labels = this.labels(node, scope, depth);
    // A pathlib path, a request object: what it was built from.
    const object = this.objectOf(node, scope, depth);
    if (object !== null) {
      const receiver = object.receiver();
      return { ...receiver, labels: union(receiver.labels, labels) };
    }
    const fact: ArgumentFact = { labels: [...labels], ...this.textOf(node, scope, depth) };
    const reference = this.referenceOf(node);
    if (reference !== null) fact.reference = reference;
    if (type === 'list' || type === 'tuple') {
      fact.elements = node.namedChildren.slice(0, MAX_ELEMENTS).flatMap((element) => {
        if (!element) return [];
        const literal = this.constantOf(element, scope);
        return [{ ...(literal === undefined ? {} : { literal }), labels: [...this.labels(element, scope, depth)] }];
      });
    }
    if (type === 'lambda') fact.function = true;
    if (type === 'dictionary') {
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

  /**
   * What an assignment tells about the variable beyond its labels (see Value). Text is kept for the
   * expressions a path or a URL is written with; containers, comprehensions and calls of the bundle's
   * own functions or methods are not looked into (their strings are data, and walking them costs).
   */
  private valueOf(node: Node, scope: Scope, depth: number): Value {
    const object = this.objectOf(node, scope, depth);
    if (object !== null) return { object: { type: object.type, receiver: object.receiver() } };
    if (!TEXT_VALUES.has(node.type)) return {};
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const path = fn?.type === 'attribute' ? this.dottedPath(fn) : fn?.type === 'identifier' ? (this.bindings.get(fn.text) ?? null) : null;
      if (path === null) return {};
    }
    return this.textOf(node, scope, depth);
  }

  /**
   * The constant text of a value, or its constant start and the strings it is built from: literals,
   * `+` and f-strings over literals and variables of known value, else every string constant in the
   * expression and in the variables it mentions.
   */
  private textOf(node: Node, scope: Scope, depth: number): Pick<ArgumentFact, 'literal' | 'built' | 'prefix' | 'parts'> {
    const value = this.knownValue(node, scope);
    if (value !== undefined) return textFields(value);
    const folded = this.fold(node, scope);
    if (folded !== undefined) return folded;
    const parts = this.stringParts(node, scope, depth);
    return parts.length > 0 ? { parts } : {};
  }

  /** The value a name or an attribute (`self.base_url`) was assigned, when it was. */
  private knownValue(node: Node, scope: Scope): Value | undefined {
    if (node.type === 'identifier') return this.lookupValue(node.text, scope);
    if (node.type === 'attribute') return this.attributeValues.get(node.text);
    return undefined;
  }

  /** A string constant, or a name whose value is one. */
  private constantOf(node: Node, scope: Scope): string | undefined {
    return stringValue(node) ?? this.knownValue(node, scope)?.literal;
  }

  /** A constant or partly constant string expression: literals, `+` of pieces, f-strings; names of known value are folded in. */
  private fold(node: Node, scope: Scope): Pick<ArgumentFact, 'literal' | 'built' | 'prefix' | 'parts'> | undefined {
    let pieces: Array<string | undefined>;
    if (node.type === 'string' || node.type === 'concatenated_string') {
      const literal = stringValue(node);
      if (literal !== undefined) return { literal };
      pieces = this.stringPieces(node, scope);
    } else if (node.type === 'binary_operator' && node.childForFieldName('operator')?.type === '+') {
      const operands = flattenSum(node);
      if (operands === null) return undefined;
      pieces = operands.flatMap((operand) => (operand.type === 'string' ? this.stringPieces(operand, scope) : [this.constantOf(operand, scope)]));
    } else {
      return undefined;
    }
    if (pieces.every((piece) => piece !== undefined)) return { literal: pieces.join(''), built: true };
    let prefix = '';
    for (const piece of pieces) {
      if (piece === undefined) break;
      prefix += piece;
    }
    const parts = pieces.filter((piece): piece is string => piece !== undefined && piece !== '').slice(0, MAX_ELEMENTS);
    return { ...(prefix ? { prefix } : {}), ...(parts.length > 0 ? { parts } : {}) };
  }

  /** An f-string's pieces in order: its text, and each interpolation's value when it is a name of known constant value (undefined otherwise). */
  private stringPieces(node: Node, scope: Scope): Array<string | undefined> {
    if (node.type === 'concatenated_string') return node.namedChildren.flatMap((part) => (part ? this.stringPieces(part, scope) : []));
    const pieces: Array<string | undefined> = [];
    let text = '';
    for (const child of node.namedChildren) {
      if (!child || child.type === 'string_start' || child.type === 'string_end') continue;
      if (child.type === 'string_content') text += child.text;
      else if (child.type === 'escape_sequence') text += unescape(child.text);
      else if (child.type === 'interpolation') {
        const expression = child.namedChildren[0];
        const known = child.namedChildren.length === 1 && expression ? this.constantOf(expression, scope) : undefined;
        if (known !== undefined) {
          text += known;
          continue;
        }
        if (text !== '') pieces.push(text);
        text = '';
        pieces.push(undefined);
      }
    }
    if (text !== '' || pieces.length === 0) pieces.push(text);
    return pieces;
  }

  /**
   * String constants inside a computed value (`os.path.join(base, ".ssh", "id_rsa")`) and in the
   * variables it mentions, first few, in source order. A cursor walk that stops once enough are
   * found and makes a node object only for strings and names of known value.
   */
  private stringParts(node: Node, scope: Scope, depth: number): string[] {
    if (depth > MAX_DEPTH) return [];
    const parts: string[] = [];
    const attributes = this.attributeValues.size > 0;
    const cursor = node.walk();
    try {
      let level = 0;
      for (;;) {
        const type = cursor.nodeType;
        let descend = type !== 'string';
        if (type === 'string') {
          const found = cursor.currentNode;
          const value = stringValue(found) ?? stringPrefix(found);
          if (value) parts.push(value);
        } else if (type === 'identifier' || (attributes && type === 'attribute')) {
          // A variable, or an attribute such as `self.base_dir`, holding text; not a method's or a keyword's name.
          const field = cursor.currentFieldName;
          const name = type === 'identifier' && (field === 'attribute' || field === 'name') ? undefined : this.text.slice(cursor.startIndex, cursor.endIndex);
          const value = name === undefined ? undefined : type === 'identifier' ? this.lookupValue(name, scope) : this.attributeValues.get(name);
          if (value !== undefined) {
            descend = false;
            if (value.literal !== undefined) parts.push(value.literal);
            else if (value.parts) parts.push(...value.parts);
            else if (value.object) parts.push(...pathTexts(value.object.receiver));
          }
        }
        if (parts.length >= MAX_ELEMENTS) break;
        if (descend && cursor.gotoFirstChild()) {
          level += 1;
          continue;
        }
        let moved = false;
        while (level > 0 && !(moved = cursor.gotoNextSibling())) {
          cursor.gotoParent();
          level -= 1;
        }
        if (!moved) break;
      }
    } finally {
      cursor.delete();
    }
    return parts.slice(0, MAX_ELEMENTS);
  }

  /** A name bound to an import (`yaml.SafeLoader`, `SafeLoader` from `from yaml import SafeLoader`): its import path. */
  private referenceOf(node: Node): string | null {
    if (node.type === 'identifier') return this.bindings.get(node.text) ?? null;
    return node.type === 'attribute' ? this.dottedPath(node) : null;
  }

  /** The canonical callee of a call's function expression (see the header), the module it names, and the object a method works on. */
  private callee(
    fn: Node,
    scope: Scope,
    depth: number,
  ): { name: string; module?: { specifier: string; member: string | null }; receiver?: () => ArgumentFact; builtName?: true } | null {
    if (fn.type === 'identifier') {
      const bound = this.bindings.get(fn.text);
      if (bound !== undefined) return { name: bound, module: moduleRef(bound) };
      if (BUILTIN_FUNCTIONS.has(fn.text)) return { name: `builtins.${fn.text}` };
      return { name: `local:${fn.text}` };
    }
    if (fn.type === 'call') return this.getattrCallee(fn, scope);
    if (fn.type !== 'attribute') return null;
    const attribute = fn.childForFieldName('attribute')?.text ?? '';
    const object = fn.childForFieldName('object');
    if (!object) return null;
    const path = this.dottedPath(object);
    if (path !== null) return { name: `${path}.${attribute}`, module: moduleRef(`${path}.${attribute}`) };
    // `Path(p).read_text()`, `(Path.home() / ".ssh").read_text()`, `session.get(url)`.
    const found = this.objectOf(object, scope, depth);
    if (found !== null) return { name: `${found.type}.${attribute}`, receiver: found.receiver };
    return { name: `member:${attribute}` };
  }

  /**
   * `getattr(os, "system")(cmd)`: a module's member named by a constant, as if written `os.system`;
   * `builtName` when the name was assembled (`"sys" + "tem"`), as JavaScript's `cp['ex' + 'ec']`.
   */
  private getattrCallee(call: Node, scope: Scope): { name: string; module: { specifier: string; member: string | null }; builtName?: true } | null {
    const inner = call.childForFieldName('function');
    if (inner?.type !== 'identifier' || inner.text !== 'getattr' || this.bindings.has('getattr')) return null;
    const [object, member] = (call.childForFieldName('arguments')?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'comment');
    const path = object ? this.dottedPath(object) : null;
    const name = member ? this.fold(member, scope) : undefined;
    if (path === null || name?.literal === undefined || !/^\w+$/.test(name.literal)) return null;
    const full = `${path}.${name.literal}`;
    return { name: full, module: moduleRef(full), ...(name.built ? { builtName: true as const } : {}) };
  }

  /** `a.b.c` where `a` is an imported name (or `__builtins__`): its import path (`os.path`), else null. */
  private dottedPath(node: Node): string | null {
    const parts: string[] = [];
    let at: Node | null = node;
    for (let steps = 0; at && steps < 32; steps++) {
      if (at.type === 'identifier') {
        const bound = this.bindings.get(at.text) ?? (at.text === '__builtins__' ? 'builtins' : undefined);
        if (bound === undefined) return null;
        return [bound, ...parts.reverse()].join('.');
      }
      if (at.type !== 'attribute') return null;
      parts.push(at.childForFieldName('attribute')?.text ?? '');
      at = at.childForFieldName('object');
    }
    return null;
  }

  /**
   * The object an expression denotes, when its methods have canonical names: a pathlib path built in
   * place (`Path(x)`, `Path.home() / ".ssh"`, `Path(x).resolve()`, `p.parent`) or held in a variable,
   * a parameter annotated `Path`, or an instance of a class of PYTHON_OBJECT_CLASSES (a `requests`
   * session, an SMTP connection) built in place or held in a variable or a `self.` attribute. The
   * receiver is computed only when asked for.
   */
  private objectOf(node: Node, scope: Scope, depth: number): { type: string; receiver: () => ArgumentFact } | null {
    if (depth > MAX_DEPTH) return null;
    let at: Node | null = node;
    while (at?.type === 'parenthesized_expression') at = at.namedChildren[0] ?? null;
    if (!at) return null;
    switch (at.type) {
      case 'identifier':
        return storedObject(this.lookupValue(at.text, scope)?.object);
      case 'attribute': {
        const known = this.attributeValues.size > 0 ? this.attributeValues.get(at.text)?.object : undefined;
        if (known !== undefined) return storedObject(known);
        const inner = at.childForFieldName('object');
        const parent = inner && at.childForFieldName('attribute')?.text === 'parent' ? this.objectOf(inner, scope, depth + 1) : null;
        return parent?.type === PATH_TYPE ? parent : null;
      }
      case 'binary_operator': {
        const left = at.childForFieldName('left');
        const right = at.childForFieldName('right');
        if (!left || !right || at.childForFieldName('operator')?.type !== '/') return null;
        const base = this.objectOf(left, scope, depth + 1);
        if (base?.type !== PATH_TYPE) return null;
        return { type: PATH_TYPE, receiver: () => joinPath(base.receiver(), [this.argumentFact(right, scope, depth + 1)]) };
      }
      case 'call': {
        const fn = at.childForFieldName('function');
        const list = at.childForFieldName('arguments');
        if (!fn) return null;
        const call = at;
        const name = fn.type === 'identifier' ? this.bindings.get(fn.text) : fn.type === 'attribute' ? this.dottedPath(fn) : undefined;
        if (name !== undefined && name !== null) {
          if (PATH_CONSTRUCTOR.test(name)) return { type: PATH_TYPE, receiver: () => this.pathFact(call, scope, depth + 1) };
          const known = pythonObjectClass(name);
          if (known !== null) return { type: known.type, receiver: () => this.constructorFact(list, known.positional, scope, depth + 1) };
          return null;
        }
        // `p.resolve()`, `p.joinpath("a", "b")`: methods of a path that return a path.
        const object = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
        const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if (!object || method === undefined || !PATH_RETURNING.has(method)) return null;
        const base = this.objectOf(object, scope, depth + 1);
        if (base?.type !== PATH_TYPE) return null;
        const joined = method === 'joinpath' ? (list?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'keyword_argument') : [];
        return { type: PATH_TYPE, receiver: () => joinPath(base.receiver(), joined.map((child) => this.argumentFact(child, scope, depth + 1))) };
      }
      default:
        return null;
    }
  }

  /** `for item in folder.iterdir()`: the items of a path listing, as paths under the folder. */
  private listedPaths(node: Node, scope: Scope, depth: number): PyObject | null {
    if (node.type !== 'call') return null;
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (!object || method === undefined || !PATH_LISTING.has(method)) return null;
    const base = this.objectOf(object, scope, depth);
    return base?.type === PATH_TYPE ? { type: PATH_TYPE, receiver: base.receiver() } : null;
  }

  /** `Path(x)`: the path is the constructor's first argument (or nothing, for `Path.home()`), with the labels of all of it. */
  private pathFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    const labels = this.labels(node, scope, depth);
    const first = node.childForFieldName('arguments')?.namedChildren.filter((child): child is Node => child !== null && child.type !== 'keyword_argument' && child.type !== 'comment') ?? [];
    if (first.length === 0) return { labels: [...labels] };
    const facts = first.map((child) => this.argumentFact(child, scope, depth));
    const joined = joinPath(facts[0]!, facts.slice(1));
    return { ...joined, labels: union(joined.labels, labels) };
  }

  /** An instance's receiver fact: its constructor's arguments as one options fact, positional ones under their parameter names. */
  private constructorFact(list: Node | null, positional: readonly string[], scope: Scope, depth: number): ArgumentFact {
    const options: ArgumentFact = { labels: [], properties: {}, propertyLabels: {} };
    let index = 0;
    for (const argument of list?.namedChildren ?? []) {
      if (!argument || argument.type === 'comment') continue;
      if (argument.type === 'keyword_argument') {
        const name = argument.childForFieldName('name')?.text;
        const value = argument.childForFieldName('value');
        if (name && value) this.addProperty(options, name, value, scope, depth);
        continue;
      }
      const name = positional[index++];
      if (name !== undefined && argument.type !== 'list_splat' && argument.type !== 'dictionary_splat') this.addProperty(options, name, argument, scope, depth);
      else options.labels = union(options.labels, this.labels(argument, scope, depth));
    }
    return options;
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
      case 'conditional_expression': {
        // `a if test else b` is a or b: the test only chooses between them.
        const [consequence, , alternative] = node.namedChildren.filter((child) => child?.type !== 'comment');
        return union(consequence ? this.labels(consequence, scope, depth + 1) : NO_LABELS, alternative ? this.labels(alternative, scope, depth + 1) : NO_LABELS);
      }
      case 'attribute': {
        const path = this.dottedPath(node);
        if (path !== null) {
          const source = pythonSourceOfName(path);
          if (source !== null) return [source];
        }
        // `settings.url` read out of a whole environment is one variable of it.
        const object = node.childForFieldName('object');
        return object ? picked(this.labels(object, scope, depth + 1)) : NO_LABELS;
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const path = value ? this.dottedPath(value) : null;
        if (path === 'os.environ') return [envSource(stringValue(node.childForFieldName('subscript')))];
        let found = value ? picked(this.labels(value, scope, depth + 1)) : NO_LABELS;
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
    const callee = fn ? this.callee(fn, scope, depth) : null;
    const args = argumentList ? argumentList.namedChildren.filter((child): child is Node => child !== null) : [];
    let source: string | null = null;
    if (callee) {
      const first = args[0] ? stringValue(args[0].type === 'keyword_argument' ? args[0].childForFieldName('value') : args[0]) : undefined;
      // `os.getenv("HOME")`, `os.environ.get("TOKEN")`.
      if (callee.name === 'os.getenv' || callee.name === 'os.environ.get') return [envSource(first)];
      if (callee.name === 'os.path.expanduser' && first?.startsWith('~')) return [SOURCES.home];
      // `base64.b64decode(blob)`, `requests.get(url)`: the source, and what the call was given (as in JavaScript).
      source = pythonSourceOfCall(callee.name);
    }
    let found: readonly string[] = NO_LABELS;
    // A method's result carries its object's labels (`arguments.get("cmd")`, `text.strip()`, `path.resolve()`);
    // one key read out of the whole environment (`env.get("HOME")`) is one variable.
    if (fn?.type === 'attribute' && (callee?.name.startsWith('member:') || callee?.receiver !== undefined)) {
      const object = fn.childForFieldName('object');
      if (object) found = this.labels(object, scope, depth + 1);
      if (PICKING_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) found = picked(found);
    }
    for (const argument of args) {
      found = union(found, this.labels(argument, scope, depth + 1));
      if (found.length >= MAX_LABELS) break;
    }
    // What a started program returns does not hold the environment it was given (`env=os.environ.copy()`),
    // and what a function of the bundle or a package computes from the environment is a few variables of it.
    if (callee !== null && found.includes(SOURCES.envAll)) {
      if (startsProgram(callee.name)) found = found.filter((label) => label !== SOURCES.envAll);
      else if (!pythonKeepsArgumentsWhole(callee.name)) found = picked(found);
    }
    return source === null ? found : union([source], found);
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

/** The tool names a `case` tests: one string, or strings joined by `|`; none when it binds or guards. */
function casedNames(clause: Node): string[] {
  if (clause.childForFieldName('guard')) return [];
  const patterns = clause.namedChildren.filter((child): child is Node => child?.type === 'case_pattern');
  if (patterns.length !== 1) return [];
  const pattern = patterns[0]!.namedChildren[0];
  const alternatives = pattern?.type === 'union_pattern' ? pattern.namedChildren : [pattern];
  const names = alternatives.map((alternative) => stringValue(alternative));
  return names.every((name): name is string => name !== undefined) ? names : [];
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

function union(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const set = new Set(a);
  for (const label of b) set.add(label);
  return [...set].slice(0, MAX_LABELS);
}

const PATH_TYPE = 'pathlib.Path';
/** Expressions whose text a variable keeps (see valueOf): how paths and URLs are written. */
const TEXT_VALUES = new Set([
  'string', 'concatenated_string', 'binary_operator', 'call', 'identifier', 'attribute', 'parenthesized_expression', 'boolean_operator', 'conditional_expression',
]);
/** Calls that build a pathlib path: the classes, and `Path.home()`, `Path.cwd()`. */
const PATH_CONSTRUCTOR = /^pathlib\.(?:Pure)?(?:Posix|Windows)?Path(?:\.home|\.cwd)?$/;
/** Methods of a path that return a path under, next to or equal to it. */
const PATH_RETURNING = new Set(['resolve', 'absolute', 'expanduser', 'joinpath', 'with_name', 'with_suffix', 'with_stem', 'readlink']);
/** Methods of a path that list paths under it. */
const PATH_LISTING = new Set(['iterdir', 'glob', 'rglob']);
/** Methods that put what they are given into their object: containers, messages, buffers. */
const FILLING_METHODS = new Set(['update', 'append', 'extend', 'insert', 'add', 'setdefault', 'set_content', 'set_payload', 'attach', 'add_header', 'write', 'writelines']);
/** Methods that read one entry of a mapping: `env.get("HOME")` out of a whole environment is one variable. */
const PICKING_METHODS = new Set(['get', 'pop', 'setdefault', '__getitem__']);

/** An object held in a variable or attribute, as objectOf answers. */
function storedObject(object: PyObject | undefined): { type: string; receiver: () => ArgumentFact } | null {
  return object === undefined ? null : { type: object.type, receiver: () => object.receiver };
}

/** `@env-all` narrowed to `@env`: one value read out of the whole environment. */
function picked(labels: readonly string[]): readonly string[] {
  return labels.includes(SOURCES.envAll) ? union(labels.filter((label) => label !== SOURCES.envAll), [SOURCES.env]) : labels;
}

/** A path with more segments: `base / "a"`, `base.joinpath("a", "b")`, `Path(a, b)`. */
function joinPath(base: ArgumentFact, segments: readonly ArgumentFact[]): ArgumentFact {
  let joined: ArgumentFact = base;
  for (const segment of segments) {
    const labels = union(joined.labels, segment.labels);
    if (joined.literal !== undefined && segment.literal !== undefined) {
      joined = { labels, literal: `${joined.literal.replace(/[\\/]+$/, '')}/${segment.literal}`, built: true };
      continue;
    }
    const prefix = joined.literal !== undefined ? `${joined.literal.replace(/[\\/]+$/, '')}/` : joined.prefix;
    const parts = [...pathTexts(joined), ...pathTexts(segment)].slice(0, MAX_ELEMENTS);
    joined = { labels, ...(prefix ? { prefix } : {}), ...(parts.length > 0 ? { parts } : {}) };
  }
  return joined;
}

/** The strings a path fact is made of: its literal, else its parts. */
function pathTexts(fact: Pick<ArgumentFact, 'literal' | 'parts'>): string[] {
  return fact.literal !== undefined ? [fact.literal] : (fact.parts ?? []);
}

function textFields(value: Value): Pick<ArgumentFact, 'literal' | 'built' | 'prefix' | 'parts'> {
  const { literal, built, prefix, parts } = value;
  return { ...(literal === undefined ? {} : { literal }), ...(built ? { built } : {}), ...(prefix === undefined ? {} : { prefix }), ...(parts === undefined ? {} : { parts }) };
}

function isEmptyValue(value: Value): boolean {
  return value.literal === undefined && value.prefix === undefined && value.parts === undefined && value.object === undefined;
}

/** The name a string assigned to `target` is kept under: the variable, the attribute (`self.api_url`), the key (`msg["Bcc"]`). */
function assignedKey(target: Node): string | null {
  if (target.type === 'identifier') return target.text;
  if (target.type === 'attribute') return target.childForFieldName('attribute')?.text ?? null;
  if (target.type === 'subscript') return stringValue(target.childForFieldName('subscript')) ?? null;
  return null;
}

/** Parameters with a type annotation, and the annotation. */
function parameterAnnotations(parameters: Node | null): Array<[string, Node]> {
  const found: Array<[string, Node]> = [];
  for (const parameter of parameters?.namedChildren ?? []) {
    if (parameter?.type !== 'typed_parameter' && parameter?.type !== 'typed_default_parameter') continue;
    const name = parameter.type === 'typed_default_parameter' ? parameter.childForFieldName('name') : parameter.namedChildren.find((child) => child?.type === 'identifier');
    const type = parameter.childForFieldName('type')?.namedChildren[0] ?? null;
    if (name && type) found.push([name.text, type]);
  }
  return found;
}

/**
 * Signs that a function confines paths to allowed roots, as js/path-guards.ts reads them in
 * JavaScript: a call to a function named like a path check (`validate_path`, `_is_path_allowed`:
 * catalog/filesystem.ts), `is_relative_to` or `relative_to` (which raises outside the root),
 * `os.path.commonpath`, or a `startswith` whose prefix ends with a separator
 * (`real.startswith(root + os.sep)`). A bare `startswith(root)` is not one: "/allowed_evil" passes it
 * (CVE-2025-53110). `os.path.relpath` with a `..` test is counted by the caller.
 */
function isPathCheck(callee: string, list: Node): boolean {
  const name = callee.slice(Math.max(callee.lastIndexOf('.'), callee.lastIndexOf(':')) + 1);
  if (name === 'is_relative_to' || name === 'relative_to' || callee === 'os.path.commonpath') return true;
  if (name === 'startswith') {
    const first = list.namedChildren.find((child) => child !== null && child.type !== 'comment' && child.type !== 'keyword_argument');
    return first !== undefined && first !== null && endsWithSeparator(first);
  }
  let known = GUARD_NAMES.get(name);
  if (known === undefined) {
    known = isPathGuardName(name.replace(/^_+/, ''));
    // Names come from bundle text: bound the table, not the work.
    if (GUARD_NAMES.size < 50_000) GUARD_NAMES.set(name, known);
  }
  return known;
}

/** isPathGuardName by callee name, remembered: the same names come up in every file. */
const GUARD_NAMES = new Map<string, boolean>();

/** `root + os.sep`, `root + "/"`, `f"{root}/"`, `f"{root}{os.sep}"`, `root_with_sep`, `os.path.join(root, "")`: a prefix that cannot match "/allowed_evil". */
function endsWithSeparator(node: Node): boolean {
  let at: Node | null = node;
  while (at?.type === 'parenthesized_expression') at = at.namedChildren[0] ?? null;
  if (!at) return false;
  switch (at.type) {
    case 'string': {
      const last = at.namedChildren.filter((child) => child?.type !== 'string_end').at(-1);
      if (last?.type === 'interpolation') {
        const expression = last.namedChildren[0];
        return expression !== null && expression !== undefined && endsWithSeparator(expression);
      }
      return last !== null && last !== undefined && (last.text.endsWith('/') || last.text.endsWith('\\'));
    }
    case 'binary_operator': {
      const right = at.childForFieldName('right');
      return at.childForFieldName('operator')?.type === '+' && right !== null && endsWithSeparator(right);
    }
    case 'identifier':
      return /sep$/i.test(at.text);
    case 'attribute':
      return /sep$/i.test(at.childForFieldName('attribute')?.text ?? '');
    case 'call': {
      const fn = at.childForFieldName('function');
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      const args = at.childForFieldName('arguments')?.namedChildren ?? [];
      if (name === 'join') return stringValue(args.at(-1) ?? null) === '';
      // `str(root) + os.sep` is a binary operator; `str(root_with_sep)` keeps what it is given.
      return name === 'str' && args.length === 1 && args[0] !== null && args[0] !== undefined && endsWithSeparator(args[0]);
    }
    default:
      return false;
  }
}
