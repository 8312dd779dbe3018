import type { Node } from 'web-tree-sitter';
import { DISGUISED_LETTERS } from '../catalog/hidden-characters.js';
import type { PythonHandlerKind } from '../catalog/listeners.js';
import { browserPackage, pageCallee } from '../catalog/dynamic-code.js';
import { invokerOf } from '../catalog/invokers.js';
import { looksLikePage, RETURNED_PAGE } from '../catalog/responses.js';
import { pythonSourceOfName, SOURCES } from '../catalog/sources.js';
import { MAX_STRINGS_PER_FILE, notableString } from '../catalog/strings.js';
import { emptyFacts, type ArgumentFact, type CallFact, type FileFacts, type FunctionFact, type ImportRef } from '../model/file-facts.js';
import { freeModules } from './free-modules.js';
import { describeRunMethods, replacedCommands } from './setup-commands.js';
import { Listeners } from './listeners.js';
import type { PythonParser } from './parse.js';
import { confinementOf, firstCheck, noteCheck } from './path-checks.js';
import { casedNames, dispatchOf, Registrations, testedNames } from './registrations.js';
import { EXCERPT_LENGTH, MAX_DEPTH, stringPrefix, stringValue } from './syntax.js';
import { joinLabels, MAX_JOINED_NAMES, newScope, restoreLabels, Values, type Scope } from './values.js';

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
// through assignments within the function in source order, plus the sources of catalog/sources.ts;
// python/values.ts keeps them, with what else is known of values and callees. MCP registrations
// (tools, prompts, dispatch branches, the settings they depend on) are recognised by
// python/registrations.ts as the walk reaches them, network listeners by python/listeners.ts.
// Lambdas are functions of their own (no name, or the variable they are assigned to). A callback
// argument (ArgumentFact.callback) is a lambda written in place, or a name (or `self.<name>`) that
// no variable or import of its scope binds and that a `def` of the file names, in that scope or
// one enclosing it (`Thread(target=work)`; resolved once the module is read, since a module-level
// function may be defined after the function that passes it). On the keywords fact, `callback` is
// the one keyword value that is a function; when several are, none is kept.

/** Expressions that are one token of tree-sitter-python's grammar (its terminals, never an alias of a rule). */
const TOKENS = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'ellipsis', 'comment']);

/** The opening of a tag somewhere in a return's text: a cheap test before the page is read. */
const MARKUP = /<\/?[A-Za-z]/;

export function extractPythonFacts(original: string, parser: PythonParser): FileFacts {
  const facts = emptyFacts();
  // Read as Python reads it; the letters themselves are code-obfuscation's finding.
  const text = DISGUISED_LETTERS.test(original) ? original.normalize('NFKC') : original;
  const { tree, problem } = parser.parse(text);
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
  private readonly moduleScope = newScope(null, null);
  /** Local name -> import path, whatever the scope it was imported in (an import inside a function binds there). */
  private readonly bindings = new Map<string, string>();
  private readonly values: Values;
  private readonly registrations: Registrations;
  private readonly listeners: Listeners;
  /** Arguments that may name a function, resolved at the end of the module (see the header). */
  private readonly callbacks: Array<{ fact: ArgumentFact; candidates: Candidate[] }> = [];
  /** Inside the body of a request handler class (`http.server`, `socketserver`): its kind, for its methods. */
  private handlerKind: PythonHandlerKind | null = null;
  /** Where each recorded call ends, by its index in facts.calls: a call that ends before a check is not behind it. */
  private readonly callEnds: number[] = [];

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
  ) {
    this.values = new Values(text, this.bindings);
    this.registrations = new Registrations(facts);
    this.listeners = new Listeners(facts);
  }

  module(root: Node): void {
    for (const name of freeModules(root, this.text)) this.bindings.set(name, name);
    this.block(root, this.moduleScope, 0);
    describeRunMethods(root, this.facts);
    this.resolveCallbacks();
    this.listeners.finish();
    this.registrations.finish();
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
        const kind = superclasses ? this.listeners.handlerClass(node.childForFieldName('name')?.text ?? null, this.baseNames(superclasses, scope, depth)) : null;
        if (body) this.classBody(body, scope, depth, kind);
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
      case 'return_statement':
        this.returnedPage(node, scope, depth);
        this.generic(node, scope, depth);
        return;
      default:
        this.generic(node, scope, depth);
    }
  }

  /** Statements not otherwise handled: `for x in y` binds x to y's labels; children are statements or expressions. */
  private generic(node: Node, scope: Scope, depth: number): void {
    const type = node.type;
    if (type === 'for_statement') {
      this.values.forLoop(node.childForFieldName('left'), node.childForFieldName('right'), scope, depth);
    }
    if (type === 'with_statement') {
      for (const item of node.descendantsOfType('as_pattern')) {
        const value = item?.namedChildren[0];
        // `as x` is an `as_pattern_target` around the name (or a tuple of names).
        const target = item?.childForFieldName('alias');
        const alias = target?.type === 'as_pattern_target' ? (target.namedChildren[0] ?? null) : target;
        if (value && alias) this.values.assignment(alias, value, false, scope, depth);
      }
    }
    for (const child of node.namedChildren) {
      if (!child) continue;
      const kind = child.type;
      if (kind === 'block') this.block(child, scope, depth);
      else if (kind.endsWith('_statement') || kind.endsWith('_clause') || kind === 'decorated_definition' || kind === 'function_definition' || kind === 'class_definition') {
        this.statement(child, scope, depth + 1);
      } else {
        this.expression(child, scope, depth + 1);
      }
    }
  }

  /**
   * `return "<p>" + name`: a function that returns a page with something put into it. A Flask or
   * Quart view's return is its response body; recorded as a call of RETURNED_PAGE with the page as
   * its argument (catalog/responses.ts), so that reachability says whose input fills it.
   */
  private returnedPage(node: Node, scope: Scope, depth: number): void {
    const value = node.namedChildren.find((child) => child !== null && child.type !== 'comment');
    const type = value?.type;
    if (!value || scope.id === null || (type !== 'binary_operator' && type !== 'call' && type !== 'string' && type !== 'identifier')) return;
    // Most returns write no markup: a tag's opening must be in the text, or in the variable returned.
    if (type !== 'identifier' && !MARKUP.test(value.text)) return;
    const page = this.values.pageFact(value, scope, depth);
    if (page.labels.length === 0 || !looksLikePage(page)) return;
    this.facts.calls.push({
      callee: RETURNED_PAGE,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      args: [page],
      within: scope.id,
      excerpt: this.text.slice(node.startIndex, Math.min(node.endIndex, node.startIndex + EXCERPT_LENGTH)).replace(/\s+/g, ' '),
    });
    this.callEnds.push(node.endIndex);
  }

  /** `kind`: the class is a request handler (python/listeners.ts); `self.path` and the like are the request in its methods. */
  private classBody(body: Node, scope: Scope, depth: number, kind: PythonHandlerKind | null): void {
    const enclosing = this.handlerKind;
    this.handlerKind = kind;
    for (const statement of body.namedChildren) {
      if (!statement) continue;
      const type = statement.type;
      if (type === 'function_definition') this.functionDefinition(statement, scope, depth + 1, null, [], true);
      else if (type === 'decorated_definition') this.decorated(statement, scope, depth + 1, true);
      else this.statement(statement, scope, depth + 1);
    }
    this.handlerKind = enclosing;
  }

  /** A class's bases by canonical name (`http.server.BaseHTTPRequestHandler`, `local:Handler`). */
  private baseNames(superclasses: Node, scope: Scope, depth: number): string[] {
    const names: string[] = [];
    for (const base of superclasses.namedChildren) {
      if (base?.type !== 'identifier' && base?.type !== 'attribute') continue;
      const callee = this.values.callee(base, scope, depth);
      if (callee !== null) names.push(callee.name);
    }
    return names;
  }

  private expressionStatement(node: Node, scope: Scope, depth: number): void {
    const type = node.type;
    if (type === 'assignment' || type === 'augmented_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!right) return;
      const value = right.type;
      const target = left?.type;
      // A string assigned is recorded once, under the name it is assigned to.
      if (value === 'string' && left) this.seeParentReference(right, scope);
      else if (value === 'call' && left) {
        // `app = Flask(__name__)`: the variable holds an app whose decorators register routes.
        const call = this.call(right, scope, depth);
        if (call !== null) this.listeners.assigned(left, call.callee);
      } else if (value === 'lambda' && target === 'identifier') this.lambda(right, scope, depth, left!.text);
      else this.expression(right, scope, depth);
      if (left) {
        this.values.assignment(left, right, type === 'augmented_assignment', scope, depth);
        if (value === 'string') this.recordString(right, scope, assignedKey(left));
        // `run = subprocess.check_output`, `sys_ = getattr(os, "system")`, `m = __import__("os")`: a module or
        // member under a new name, read as an import of it (after the assignment, which would otherwise shadow it).
        const alias = target === 'identifier' && type === 'assignment' ? this.values.moduleAlias(right, scope) : null;
        if (alias !== null) {
          this.bindings.set(left!.text, alias.path);
          if (alias.built) this.values.hiddenAliases.add(left!.text);
          else this.values.hiddenAliases.delete(left!.text);
        }
      }
      return;
    }
    this.expression(node, scope, depth);
    if (type === 'call') this.values.calledForEffect(node, scope, depth);
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
      scope.shadows?.delete(local);
      this.bindings.set(local, target);
      // `from flask import request`: the request being served, passed on whole (`handle(request)`).
      if (pythonSourceOfName(target) === SOURCES.request) scope.env.set(local, [SOURCES.request]);
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
    // One node for the three readers: the second and third read its children as the first did.
    const list = node.childForFieldName('parameters');
    const parameters = parameterNames(list);
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
    const inner = newScope(id, scope);
    counted.forEach((parameter, index) => inner.env.set(parameter, [`${id}#${index}`]));
    if (method && parameters.length > counted.length) inner.env.set(parameters[0]!, []);
    for (const parameter of parameters) if (!inner.env.has(parameter)) inner.env.set(parameter, []);
    const shadowing = parameters.filter((parameter) => this.bindings.has(parameter));
    if (shadowing.length > 0) inner.shadows = new Set(shadowing);
    this.values.annotate(inner, list);
    // A decorated function's parameters are filled by what it is registered with (a tool's or a
    // route's caller, whose input overrides the default): its defaults say nothing of its values.
    if (decorators.length === 0) this.values.defaults(inner, list);
    const kind = method ? this.handlerKind : null;
    if (kind !== null) inner.requestSelf = true;

    const body = node.childForFieldName('body');
    this.registrations.decorated(decorators, fn, decoratedAt ?? node, body, inner, depth);
    this.listeners.seeFunction(fn, node, decorators, kind);
    this.checkedBlock(body, inner, depth);
    const confines = body ? confinementOf(body, inner) : null;
    if (confines !== null) fn.confines = confines;
  }

  /** A lambda: a function of its own, named after the variable it is assigned to, if any. */
  private lambda(node: Node, scope: Scope, depth: number, name: string | null = null): void {
    const id = String(node.startIndex);
    const parameters = parameterNames(node.childForFieldName('parameters'));
    const fn: FunctionFact = {
      id,
      name,
      exportedAs: scope === this.moduleScope && name !== null ? [name] : [],
      line: node.startPosition.row + 1,
      params: parameters.length,
      paramNames: parameters,
      parent: scope.id,
    };
    this.facts.functions.push(fn);
    this.listeners.seeFunction(fn, node, [], null);
    const inner = newScope(id, scope);
    parameters.forEach((parameter, index) => inner.env.set(parameter, [`${id}#${index}`]));
    const shadowing = parameters.filter((parameter) => this.bindings.has(parameter));
    if (shadowing.length > 0) inner.shadows = new Set(shadowing);
    const body = node.childForFieldName('body');
    if (body) this.expression(body, inner, depth + 1);
    // A path check written in a lambda still confines the function it is written in (checkedBlock).
    if (scope.id !== null) {
      if (inner.checksPaths) (scope.checksPaths = true), (scope.checkedFrom ??= inner.checkedFrom);
      if (inner.relpath) (scope.relpath = true), (scope.relpathAt ??= inner.relpathAt);
      if (inner.parentRef) (scope.parentRef = true), (scope.parentRefAt ??= inner.parentRefAt);
    }
  }

  /**
   * A function's or branch's body; when it checks paths, every call written in it after the first
   * check (nested functions too, wherever they are) is marked guarded.
   */
  private checkedBlock(body: Node | null, scope: Scope, depth: number): void {
    if (!body) return;
    const first = this.facts.calls.length;
    this.block(body, scope, depth);
    const from = firstCheck(scope);
    if (from === null) return;
    for (let index = first; index < this.facts.calls.length; index++) {
      const call = this.facts.calls[index]!;
      if (call.within !== scope.id || this.callEnds[index]! > from) call.guarded = true;
      else call.checkedAfter = true;
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
    const enclosing = this.registrations.condition;
    let failed: string | undefined;
    // Each branch starts from what held before the `if`; after it, a name holds what any branch left
    // in it (or what it held before, when no `else` runs instead): `if a: data = fetch() else: data = read()`.
    const before = scope.env.size <= MAX_JOINED_NAMES ? new Map(scope.env) : null;
    const ends: Array<Map<string, string[]>> = [];
    for (const { test, body } of clauses) {
      if (!body) continue;
      if (before !== null) restoreLabels(scope, before);
      failed = this.registrations.enterClause(test, failed, enclosing);
      const names = dispatch && test ? testedNames(test, dispatch.nameParam) : [];
      if (dispatch && names.length > 0) this.dispatchBranch(body, names, dispatch, scope, depth);
      else this.block(body, scope, depth);
      if (before !== null) ends.push(new Map(scope.env));
    }
    if (before !== null && ends.length > 0) {
      const exhaustive = clauses.some(({ test, body }) => test === null && body !== null);
      joinLabels(scope, exhaustive ? ends : [before, ...ends]);
    }
    this.registrations.condition = enclosing;
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
    const id = this.registrations.dispatchBranch(body, names, dispatch, scope.id);
    this.checkedBlock(body, newScope(id, scope), depth);
  }

  // ---- expressions and calls ---------------------------------------------------------------

  /** Records the calls and notable strings in an expression, in source order. */
  private expression(node: Node, scope: Scope, depth: number): void {
    if (depth > MAX_DEPTH) return;
    // A node's type is a call into the parser's WebAssembly: read once.
    const type = node.type;
    if (type === 'call') {
      this.call(node, scope, depth);
      return;
    }
    if (type === 'lambda') {
      this.lambda(node, scope, depth);
      return;
    }
    if (type === 'string') {
      this.recordString(node, scope, null);
      this.seeParentReference(node, scope);
      return;
    }
    if (type === 'pair') {
      const key = node.childForFieldName('key');
      const value = node.childForFieldName('value');
      if (key) this.expression(key, scope, depth + 1);
      if (value?.type === 'string') this.recordString(value, scope, key ? stringValue(key) ?? null : null);
      else if (value) this.expression(value, scope, depth + 1);
      return;
    }
    if (type === 'keyword_argument') {
      const value = node.childForFieldName('value');
      if (value?.type === 'string') this.recordString(value, scope, node.childForFieldName('name')?.text ?? null);
      else if (value) this.expression(value, scope, depth + 1);
      return;
    }
    if (type === 'named_expression') {
      const value = node.childForFieldName('value');
      const name = node.childForFieldName('name');
      if (value) {
        this.expression(value, scope, depth + 1);
        if (name) this.values.assignment(name, value, false, scope, depth);
      }
      return;
    }
    // Names, numbers and the like are single tokens: nothing is written in them, no children to list.
    if (TOKENS.has(type)) return;
    for (const child of node.namedChildren) if (child) this.expression(child, scope, depth + 1);
  }

  /** `".."`: with `os.path.relpath`, how a function tells a path outside its root. */
  private seeParentReference(node: Node, scope: Scope): void {
    const start = node.startIndex;
    const end = node.endIndex;
    if (end - start > 8 || scope.parentRef) return;
    // A value with a dot is written with one, or with an escape: most short strings have neither.
    const written = this.text.slice(start, end);
    if (!written.includes('.') && !written.includes('\\')) return;
    const value = stringValue(node);
    if (value === '..' || value?.startsWith('../') || value?.startsWith('..\\')) {
      scope.parentRef = true;
      scope.parentRefAt = node.startIndex;
    }
  }

  /** A call: its fact, then what is written in it (the callee's expression, the arguments, with the callbacks among them). */
  private call(node: Node, scope: Scope, depth: number): CallFact | null {
    if (depth > MAX_DEPTH) return null;
    const recorded = this.recordCall(node, scope, depth);
    if (recorded !== null && !node.hasError) {
      // Without a syntax error a call's named children are its function and its arguments (and comments,
      // which hold nothing): the nodes recordCall read serve again, its argument list already read.
      this.expression(recorded.fn, scope, depth + 1);
      if (recorded.listed) this.callArguments(recorded.list!, recorded.call, recorded.first, scope, depth + 1);
      else if (recorded.list) this.expression(recorded.list, scope, depth + 1);
    } else {
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (recorded !== null && child.type === 'argument_list') this.callArguments(child, recorded.call, recorded.first, scope, depth + 1);
        else this.expression(child, scope, depth + 1);
      }
    }
    if (recorded !== null) this.listeners.call(node, recorded.call, recorded.first);
    return recorded?.call ?? null;
  }

  /**
   * A call's arguments, in order, as expressions; those that may denote a function are noted on their
   * argument fact (see the header). `first`: the position of the first positional argument's fact
   * (1 when the object a method works on is argument 0).
   */
  private callArguments(list: Node, call: CallFact, first: number, scope: Scope, depth: number): void {
    let position = first;
    const last = call.args.at(-1);
    const keywords = last?.keywords ? last : undefined;
    let named: Candidate[] | undefined;
    for (const argument of list.namedChildren) {
      if (!argument) continue;
      const type = argument.type;
      if (type === 'keyword_argument') {
        const value = keywords ? argument.childForFieldName('value') : null;
        const candidate = value ? this.callbackCandidate(value, scope) : null;
        if (candidate !== null) (named ??= []).push(candidate);
      } else if (type !== 'comment' && type !== 'dictionary_splat') {
        const fact = call.args[position++];
        const candidate = fact === undefined || fact === keywords ? null : this.callbackCandidate(argument, scope);
        if (candidate !== null && 'id' in candidate) fact!.callback = candidate.id;
        else if (candidate !== null) this.callbacks.push({ fact: fact!, candidates: [candidate] });
      }
      this.expression(argument, scope, depth);
    }
    if (named !== undefined) this.callbacks.push({ fact: keywords!, candidates: named });
  }

  /** An argument that may denote a function: a lambda (its id), a name no variable or import binds, `self.<name>`. */
  private callbackCandidate(node: Node, scope: Scope): Candidate | null {
    const type = node.type;
    if (type === 'lambda') return { id: String(node.startIndex) };
    if (type === 'identifier') {
      const name = node.text;
      if (this.bindings.has(name)) return null;
      const chain: Array<string | null> = [];
      for (let at: Scope | null = scope; at; at = at.parent) {
        if (at.env.has(name)) return null;
        chain.push(at.id);
      }
      return { name, chain };
    }
    if (type === 'attribute') {
      const object = node.childForFieldName('object');
      if (object?.type !== 'identifier' || (object.text !== 'self' && object.text !== 'cls')) return null;
      const name = node.childForFieldName('attribute')?.text;
      return name === undefined ? null : { name, chain: null };
    }
    return null;
  }

  /** Callback candidates against the module's functions: a `def` of that name in the scope or one enclosing it (any, for `self.<name>`). */
  private resolveCallbacks(): void {
    if (this.callbacks.length === 0) return;
    const parents = new Map<string, Set<string | null>>();
    for (const fn of this.facts.functions) {
      if (fn.name === null) continue;
      const known = parents.get(fn.name);
      if (known) known.add(fn.parent);
      else parents.set(fn.name, new Set([fn.parent]));
    }
    for (const { fact, candidates } of this.callbacks) {
      const resolved = candidates.flatMap((candidate) => {
        if ('id' in candidate) return [candidate.id];
        const defined = parents.get(candidate.name);
        if (defined === undefined || (candidate.chain !== null && !candidate.chain.some((id) => defined.has(id)))) return [];
        return [`local:${candidate.name}`];
      });
      if (resolved.length === 1) fact.callback = resolved[0]!;
    }
  }

  /** The browser-automation package the file imports so far (imports come first), asked again only when more were read. */
  private browserPackage(): string | null {
    if (this.browser.seen !== this.facts.imports.length) {
      for (let index = this.browser.seen; index < this.facts.imports.length && this.browser.family === null; index++) {
        const specifier = this.facts.imports[index]!.specifier;
        this.browser.family = specifier === null ? null : browserPackage(specifier);
      }
      this.browser.seen = this.facts.imports.length;
    }
    return this.browser.family;
  }

  private readonly browser: { seen: number; family: string | null } = { seen: 0, family: null };

  /** The call's fact, with the nodes of its function and arguments (`listed`: an argument list, not a generator). */
  private recordCall(node: Node, scope: Scope, depth: number): { call: CallFact; first: number; fn: Node; list: Node | null; listed: boolean } | null {
    const fn = node.childForFieldName('function');
    if (!fn) return null;
    const callee = this.values.callee(fn, scope, depth);
    if (callee === null) return null;
    const argumentList = node.childForFieldName('arguments');
    const listed = argumentList?.type === 'argument_list';
    const args = listed ? this.values.argumentFacts(argumentList!, scope, depth) : [];
    // `Path(p).read_text()`, `session.get(url)`: the object a method works on is argument 0 (see objectOf).
    // `page.evaluate(script)` in a file that imports playwright: script run in a browser page (catalog/dynamic-code.ts).
    const page = callee.name.startsWith('member:') ? pageCallee(callee.name.slice('member:'.length), this.browserPackage()) : null;
    const end = node.endIndex;
    const call: CallFact = {
      callee: page ?? callee.name,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      args: callee.receiver ? [callee.receiver(), ...args] : args,
      within: scope.id,
      excerpt: this.text.slice(node.startIndex, Math.min(end, node.startIndex + EXCERPT_LENGTH)).replace(/\s+/g, ' '),
    };
    if (callee.module) call.module = callee.module;
    if (callee.builtName) call.builtName = true;
    if (listed) {
      const replaced = replacedCommands(node, fn, argumentList!);
      if (replaced.length > 0) (this.facts.installCommands ??= []).push(...replaced);
    }
    this.facts.calls.push(call);
    this.callEnds.push(end);
    const first = callee.receiver ? 1 : 0;
    const invoked = argumentList ? this.invokedCall(call, argumentList, first, scope, depth) : null;
    if (invoked !== null) {
      this.facts.calls.push(invoked);
      this.callEnds.push(end);
    }
    noteCheck(scope, callee.name, argumentList, node);
    return { call, first, fn, list: argumentList, listed };
  }

  /**
   * The call an invoker makes of the API it is handed (catalog/invokers.ts), written where the
   * invoker is: `loop.run_in_executor(None, exec, code)` is `exec(code)`. Functions of the bundle are
   * left to callbacks (see the header); only an API's name is worth a call of its own.
   */
  private invokedCall(call: CallFact, list: Node, first: number, scope: Scope, depth: number): CallFact | null {
    const invoker = invokerOf(call.callee);
    if (invoker === null) return null;
    const positional = list.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment' && child.type !== 'keyword_argument');
    const keyword = (name: string | undefined) =>
      name === undefined ? undefined : list.namedChildren.find((child) => child?.type === 'keyword_argument' && child.childForFieldName('name')?.text === name)?.childForFieldName('value') ?? undefined;
    const handed = (invoker.functionAt === undefined ? undefined : positional[invoker.functionAt - first]) ?? keyword(invoker.functionKeyword);
    const target = handed && (handed.type === 'identifier' || handed.type === 'attribute') ? this.values.callee(handed, scope, depth) : null;
    if (target === null || target.name.startsWith('local:') || target.name.startsWith('member:')) return null;
    let args: ArgumentFact[] = [];
    if (invoker.argumentsFrom !== undefined) args = call.args.slice(invoker.argumentsFrom);
    const tuple = call.args.at(-1)?.keywords && invoker.argumentsKeyword !== undefined ? call.args.at(-1)!.propertyLabels?.[invoker.argumentsKeyword] : undefined;
    if (tuple !== undefined) args = [{ labels: [...tuple] }];
    return { ...call, callee: target.name, args, ...(target.module ? { module: target.module } : {}) };
  }

  private recordString(node: Node, scope: Scope, key: string | null): void {
    if (this.facts.strings.length >= MAX_STRINGS_PER_FILE) return;
    const value = stringValue(node) ?? stringPrefix(node);
    if (value === undefined) return;
    const fact = notableString(value, { line: node.startPosition.row + 1, column: node.startPosition.column + 1, within: scope.id }, key);
    if (fact !== null) this.facts.strings.push(fact);
  }
}

/** What may denote a function in an argument: a lambda's id, or a name with the ids of the scopes it is read in (null: any, for `self.<name>`). */
type Candidate = { id: string } | { name: string; chain: Array<string | null> | null };

function parameterNames(parameters: Node | null): string[] {
  const names: string[] = [];
  for (const parameter of parameters?.namedChildren ?? []) {
    if (!parameter) continue;
    const type = parameter.type;
    if (type === 'identifier') names.push(parameter.text);
    else if (type === 'default_parameter' || type === 'typed_default_parameter') {
      const name = parameter.childForFieldName('name');
      if (name) names.push(name.text);
    } else if (type === 'typed_parameter' || type === 'list_splat_pattern' || type === 'dictionary_splat_pattern') {
      const name = parameter.namedChildren.find((child) => child?.type === 'identifier');
      if (name) names.push(name.text);
    }
  }
  return names;
}

function joinModule(from: string, name: string): string {
  return from.endsWith('.') ? `${from}${name}` : `${from}.${name}`;
}

/** The name a string assigned to `target` is kept under: the variable, the attribute (`self.api_url`), the key (`msg["Bcc"]`). */
function assignedKey(target: Node): string | null {
  if (target.type === 'identifier') return target.text;
  if (target.type === 'attribute') return target.childForFieldName('attribute')?.text ?? null;
  if (target.type === 'subscript') return stringValue(target.childForFieldName('subscript')) ?? null;
  return null;
}
