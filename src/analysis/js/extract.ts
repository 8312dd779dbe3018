import { builtinModules } from 'node:module';
import type { CallExpression, Function as FunctionNode, NewExpression, Node, ObjectExpression, OptionalCallExpression } from '@babel/types';
import { MAX_STRINGS_PER_FILE, notableString } from '../catalog/strings.js';
import { constantString, decodedByBundle, type ConstantLookup } from './constant.js';
import { emptyFacts, type CallFact, type FileFacts, type ImportRef, type Label } from '../model/file-facts.js';
import { browserPackage, isInstanceClass, pageCallee } from '../catalog/dynamic-code.js';
import { fileApi } from '../catalog/filesystem.js';
import { connectionOpener, isConnectionMethod, networkApi, opensConnection } from '../catalog/network.js';
import { SOURCES } from '../catalog/sources.js';
import { parseScript } from './parse.js';
import { decodeLocalCalls, decodeStringTables } from './string-tables.js';
import { forwardedCall } from './indirection.js';
import { Listeners, takesRequest } from './listeners.js';
import { Registrations, toolNameTest } from './registrations.js';
import { boundNames, CHILD_KEYS, isFunction, isNode, lastMemberName, memberPath, NO_KEYS, unwrap } from './syntax.js';
import { chainRoot, isGuarded, newFill, newScope, see, seesType, Values, type Callee, type Callees, type Fill, type Scope } from './values.js';
import { addToList } from '../../common.js';

// Per file: bindings of modules to local names, every call with its callee in canonical form and,
// for each argument, what js/values.ts knows of it (labels, constant text, parts), functions and
// what they export, and strings worth keeping; MCP registrations are recognised by
// js/registrations.ts as the walk meets them. One walk over the whole tree (scan) collects the
// module's shape, each function body's assignments and path checks, and the nodes acted on; the
// replay then reads that list in tree order, and only the values of calls and assignments are
// walked again.

const BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));
const EXCERPT_LENGTH = 160;
/** Globals whose calls matter to rules; other unbound names are the bundle's own functions. */
const GLOBAL_CALLEES = new Set(['eval', 'Function', 'fetch', 'require', 'import', 'setTimeout', 'setInterval', 'WebSocket', 'XMLHttpRequest', 'atob', 'Buffer']);

interface Binding {
  specifier: string;
  member: string | null;
  /** Bound through a reflective read or a key assembled or decoded (`const run = Reflect.get(cp, 'exec')`). */
  hidden?: true;
  /** A request or socket a call opened (`const req = https.request(opts)`): only its writes are named after it (catalog/network.ts). */
  connection?: true;
}

export function extractFacts(path: string, text: string): FileFacts {
  const parsed = parseScript(path, text);
  if ('problem' in parsed) return emptyFacts(parsed.problem);
  const facts = emptyFacts();
  try {
    new Extractor(text, facts).run(parsed.ast.program);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { ...facts, parseError: { message: 'nested too deeply to analyse', line: 1, column: 1 } };
  }
  return facts;
}

/** Whether a file was cut short where the stack ran out (parse.ts, extractFacts): a thread with another stack may read it further. */
export function stoppedByStack(facts: FileFacts): boolean {
  return facts.parseError?.message.startsWith('nested too deeply') === true;
}

class Extractor implements Callees {
  private readonly bindings = new Map<string, Binding>();
  private readonly exportNames = new Map<string, string[]>();
  private readonly registrations: Registrations;
  private readonly listeners: Listeners;
  private readonly values: Values;
  /** `f.bind(…)` calls whose result is called at once: the call of f is recorded, not theirs (see recordCall). */
  private readonly binds = new Set<Node>();
  /** Functions called where they are written (FunctionFact.invoked), by start offset. */
  private readonly invoked = new Set<number>();
  /** Functions written as an argument of a call, with the call: what the call hands them may be data from a source (see callbackSources). */
  private readonly callbacks = new Map<Node, { call: CallExpression | OptionalCallExpression; position: number }>();

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
  ) {
    this.registrations = new Registrations(text, facts);
    this.listeners = new Listeners(text, facts);
    this.values = new Values(this);
  }

  run(program: Node): void {
    decodeStringTables(program, this.text);
    decodeLocalCalls(program, this.text);
    const rootFill = newFill(program);
    const events = this.scan(program, rootFill);
    for (const [name, binding] of this.bindings) if (!binding.connection) this.facts.bindings[name] = canonicalModule(binding.specifier, binding.member);
    const root = newScope('module', null);
    this.values.knowFunctions(functionsOf(events), this.facts.imports);
    this.values.fillEnvironment(root, rootFill);
    this.replay(events, root);
    this.registrations.finish();
    this.listeners.finish((node) => this.calleeOf(node));
  }

  /**
   * The one walk over the tree. It collects the module's shape (imports, requires, exports, CallTool
   * dispatch handlers: what the rest consults, so it must be complete first), what each function
   * body holds for its taint environment and path checks (see Fill), and, in tree order, the nodes
   * the second step acts on (functions, possible dispatch branches, calls, strings), each with the
   * innermost of those that encloses it and the name it is bound to. The second step (replay) then
   * reads that list instead of the tree.
   */
  private scan(program: Node, rootFill: Fill): Events {
    const events: Events = { nodes: [], parents: [], kinds: [], names: [], fills: [] };
    // Parallel stacks, one entry per node waiting: its node, name, enclosing event and the (at most
    // two) function bodies whose environment walk it belongs to.
    const nodes: Node[] = [program];
    const names: Array<string | null> = [null];
    const parents: number[] = [-1];
    const firsts: Array<Fill | null> = [rootFill];
    const seconds: Array<Fill | null> = [null];
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const name = names.pop()!;
      const parent = parents.pop()!;
      let first = firsts.pop() as Fill | null;
      let second = seconds.pop() as Fill | null;
      const type = node.type;
      const { keys, naming, fn, sees, shaped } = SCANNED_TYPES.get(type) ?? OTHER_TYPE;
      if (shaped) this.shape(node);
      // An environment walk stops at nested functions, except at its own body (`a => b => …`).
      if (fn) {
        if (first !== null && first.body !== node) first = null;
        if (second !== null && second.body !== node) second = null;
        if (first === null) first = second, second = null;
      }
      let branch = false;
      if (type === 'IfStatement' || type === 'SwitchCase') branch = toolNameTest(node) !== null;
      if (type === 'IfStatement' || type === 'ConditionalExpression' || type === 'LogicalExpression') this.registrations.seeBranching(node);
      if (first !== null && (branch || sees)) {
        see(first, node, branch);
        if (second !== null) see(second, node, branch);
      }
      let below = parent;
      let own: Fill | null = null;
      if (fn) {
        own = newFill((node as FunctionNode).body);
        below = pushEvent(events, node, parent, FUNCTION, name, own);
      } else if (branch) {
        below = pushEvent(events, node, parent, BRANCH, null, null);
      } else if (type === 'CallExpression' || type === 'OptionalCallExpression' || type === 'NewExpression') {
        pushEvent(events, node, parent, CALL, null, null);
      } else if (type === 'StringLiteral' || type === 'TemplateLiteral') {
        pushEvent(events, node, parent, STRING, name, null);
      } else if (type === 'ObjectExpression') {
        this.registrations.seeObject(node as ObjectExpression);
      }
      for (let k = keys.length - 1; k >= 0; k--) {
        const value = (node as unknown as Record<string, unknown>)[keys[k]!];
        if (Array.isArray(value)) {
          for (let index = value.length - 1; index >= 0; index--) {
            const child = value[index];
            if (!isNode(child)) continue;
            nodes.push(child), parents.push(below), firsts.push(first), seconds.push(second);
            names.push(naming ? (nameFor(node, child) ?? passedThrough(node, child, name)) : null);
          }
        } else if (isNode(value)) {
          nodes.push(value), parents.push(below);
          names.push(naming ? (nameFor(node, value) ?? passedThrough(node, value, name)) : null);
          if (own !== null && value === own.body) {
            if (first === null) firsts.push(own), seconds.push(null);
            else firsts.push(first), seconds.push(own);
          } else {
            firsts.push(first), seconds.push(second);
          }
        }
      }
    }
    return events;
  }

  /** Second step: functions (with their taint environments), dispatch branches, calls and strings, in tree order. */
  private replay(events: Events, root: Scope): void {
    const inner: Scope[] = new Array(events.nodes.length);
    for (let index = 0; index < events.nodes.length; index++) {
      const node = events.nodes[index]!;
      const parent = events.parents[index]!;
      const scope = parent < 0 ? root : inner[parent]!;
      switch (events.kinds[index]) {
        case FUNCTION:
          inner[index] = this.enterFunction(node as FunctionNode, scope, events.names[index]!, events.fills[index]!);
          break;
        case BRANCH:
          inner[index] = this.registrations.branchScope(node, scope);
          break;
        case CALL:
          this.recordCall(node as CallExpression | OptionalCallExpression | NewExpression, scope);
          break;
        default:
          this.recordString(node, scope, events.names[index]!);
          break;
      }
    }
  }

  /** Imports, requires, exports and CallTool dispatch handlers: everything the second step consults. Only nodes of SHAPED_TYPES. */
  private shape(node: Node): void {
    switch (node.type) {
      case 'ImportDeclaration':
        this.addImport(node.source.value, 'import', node);
        for (const specifier of node.specifiers) {
          const member =
            specifier.type === 'ImportSpecifier'
              ? specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value
              : specifier.type === 'ImportDefaultSpecifier' ? 'default' : null;
          this.bindings.set(specifier.local.name, { specifier: node.source.value, member });
        }
        break;
      case 'ExportNamedDeclaration':
        if (node.source) {
          this.addImport(node.source.value, 'import', node);
          const names: Record<string, string> = {};
          for (const specifier of node.specifiers) {
            if (specifier.type !== 'ExportSpecifier') continue;
            const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
            names[exported] = specifier.local.name;
          }
          this.facts.reexports.push({ specifier: node.source.value, names });
        }
        if (node.declaration) {
          const declared = node.declaration.type === 'VariableDeclaration'
            ? node.declaration.declarations.flatMap((declarator) => boundNames(declarator.id))
            : 'id' in node.declaration && node.declaration.id?.type === 'Identifier' ? [node.declaration.id.name] : [];
          for (const name of declared) this.addExport(name, name);
        }
        for (const specifier of node.specifiers) {
          if (specifier.type === 'ExportSpecifier' && !node.source) {
            const exported = specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
            this.addExport(specifier.local.name, exported);
          }
        }
        break;
      case 'ExportAllDeclaration':
        this.addImport(node.source.value, 'import', node);
        this.facts.reexports.push({ specifier: node.source.value, names: null });
        break;
      case 'ExportDefaultDeclaration': {
        const declaration = node.declaration;
        if (declaration.type === 'Identifier') this.addExport(declaration.name, 'default');
        else if ('id' in declaration && declaration.id?.type === 'Identifier') this.addExport(declaration.id.name, 'default');
        break;
      }
      case 'VariableDeclarator': {
        if (node.init && node.id.type === 'Identifier') this.listeners.seeDeclarator(node.id.name, node.init);
        const wrapped = node.init && node.id.type === 'Identifier' ? this.promisified(node.init) : null;
        if (wrapped && node.id.type === 'Identifier') this.bindings.set(node.id.name, wrapped);
        const source = node.init ? (requiredModule(node.init) ?? this.aliasedMember(node.init) ?? this.instanceOf(node.init) ?? this.connectionOf(node.init)) : null;
        if (source) {
          if (node.id.type === 'Identifier') this.bindings.set(node.id.name, source);
          if (node.id.type === 'ObjectPattern') {
            for (const property of node.id.properties) {
              if (property.type !== 'ObjectProperty' || property.key.type !== 'Identifier') continue;
              const local = boundNames(property.value as Node)[0];
              if (local) this.bindings.set(local, { specifier: source.specifier, member: memberOf(source.member, property.key.name) });
            }
          }
        }
        break;
      }
      case 'AssignmentExpression':
        this.collectCommonJsExport(node.left, node.right);
        if (node.left.type !== 'MemberExpression') for (const name of boundNames(node.left)) this.values.reassigned.add(name);
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
        this.collectCallShape(node);
        break;
      case 'ImportExpression':
        this.addImport(constantString(node.source) ?? null, 'dynamic-import', node);
        break;
      default:
        break;
    }
  }

  /** `promisify(exec)`, `util.promisify(cp.execFile)`: the wrapper calls what it wraps. */
  private promisified(init: Node): Binding | null {
    const value = unwrap(init);
    if (value.type !== 'CallExpression' || value.arguments.length !== 1) return null;
    const callee = unwrap(value.callee as Node);
    const name = callee.type === 'Identifier' ? callee.name : lastMemberName(callee);
    if (name !== 'promisify') return null;
    const wrapped = unwrap(value.arguments[0] as Node);
    if (wrapped.type === 'Identifier') return this.bindings.get(wrapped.name) ?? null;
    const path = memberPath(wrapped);
    const root = path?.root.type === 'Identifier' ? this.bindings.get(path.root.name) : undefined;
    return path && root ? { specifier: root.specifier, member: memberOf(root.member, path.path.join('.')) } : null;
  }

  private collectCallShape(node: CallExpression | OptionalCallExpression): void {
    for (let position = 0; position < node.arguments.length; position++) {
      const argument = node.arguments[position] as Node;
      if (argument.type === 'ArrowFunctionExpression' || argument.type === 'FunctionExpression') this.callbacks.set(argument, { call: node, position });
    }
    const callee = unwrap(node.callee);
    // `(function () { … })()`, `(() => …).call(this)`: run where written.
    if (isFunction(callee)) this.invoked.add(callee.start ?? -1);
    else if (callee.type === 'MemberExpression' && (lastMemberName(callee) === 'call' || lastMemberName(callee) === 'apply') && isFunction(unwrap(callee.object))) {
      this.invoked.add(unwrap(callee.object).start ?? -1);
    }
    if (((callee.type === 'Identifier' && callee.name === 'require') || isLoaderUnderAnotherName(callee)) && node.arguments.length > 0) {
      this.addImport(constantString(node.arguments[0]) ?? null, 'require', node);
    }
    if (callee.type === 'Import') this.addImport(constantString(node.arguments[0]) ?? null, 'dynamic-import', node);
    this.registrations.seeCall(node, callee);
  }

  private collectCommonJsExport(left: Node, right: Node): void {
    // Only `exports.x`, `module.exports` and `module.exports.x` export anything.
    const start = chainRoot(left);
    if (start.type !== 'Identifier' || (start.name !== 'exports' && start.name !== 'module')) return;
    const path = memberPath(left);
    if (!path || path.root.type !== 'Identifier') return;
    const target = [path.root.name, ...path.path];
    const named = target[0] === 'exports' && target.length === 2 ? target[1] : target[0] === 'module' && target[1] === 'exports' ? target[2] : undefined;
    const value = unwrap(right);
    if (named !== undefined && target.length <= 3) {
      if (value.type === 'Identifier') this.addExport(value.name, named);
      else if (isFunction(value)) this.addExport(`@${value.start}`, named);
    } else if (target.join('.') === 'module.exports') {
      if (value.type === 'Identifier') this.addExport(value.name, 'default');
      else if (isFunction(value)) this.addExport(`@${value.start}`, 'default');
      else if (value.type === 'ObjectExpression') {
        for (const property of value.properties) {
          if (property.type === 'ObjectProperty' && property.key.type === 'Identifier') {
            const exported = property.key.name;
            const local = unwrap(property.value as Node);
            if (local.type === 'Identifier') this.addExport(local.name, exported);
            else if (isFunction(local)) this.addExport(`@${local.start}`, exported);
          } else if (property.type === 'ObjectMethod' && property.key.type === 'Identifier') {
            this.addExport(`@${property.start}`, property.key.name);
          }
        }
      }
    }
  }

  private addImport(specifier: string | null, kind: ImportRef['kind'], node: Node): void {
    this.facts.imports.push({ specifier, kind, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 });
  }

  private addExport(local: string, exported: string): void {
    addToList(this.exportNames, local, exported);
  }

  private enterFunction(node: FunctionNode, parent: Scope, name: string | null, fill: Fill): Scope {
    const id = String(node.start);
    const scope = newScope(id, parent);
    const handed = this.callbackSources(node, parent);
    for (let index = 0; index < node.params.length; index++) {
      const own = `${id}#${index}`;
      const labels = handed !== null && handed.position === index ? [own, ...handed.labels] : [own];
      for (const bound of boundNames(node.params[index]!)) {
        scope.env.set(bound, labels);
        // `(req, res) => req.write(…)` is not the request `const req = https.request(…)` opened elsewhere.
        if (this.bindings.get(bound)?.connection) (scope.shadows ??= new Set()).add(bound);
      }
    }
    if (takesRequest(node)) serverState(scope, unwrapParameter(node.params[0]!));
    for (const flow of fill.flows) {
      if (flow.assigned) continue;
      for (const bound of flow.names) {
        if (this.bindings.has(bound) && requiredModule(flow.value) === null && this.aliasedMember(flow.value) === null && this.instanceOf(flow.value) === null && this.connectionOf(flow.value) === null) (scope.shadows ??= new Set()).add(bound);
      }
    }
    const ownName = functionName(node, name);
    const dispatches = this.registrations.dispatcher(node, id, ownName);
    this.values.fillEnvironment(scope, fill, dispatches);
    this.facts.functions.push({
      id,
      name: ownName,
      exportedAs: this.exportedAs(ownName, node.start),
      line: node.loc?.start.line ?? 1,
      params: node.params.length,
      parent: parent.parent === null ? null : parent.id,
      ...(this.invoked.has(node.start ?? -1) ? { invoked: true as const } : {}),
      ...(scope.confines ? { confines: scope.confines } : {}),
    });
    this.listeners.seeFunction(id, node, ownName);
    return scope;
  }

  /**
   * What a call hands a callback from a source: the data of a Node-style file read
   * (`fs.readFile(p, (err, data) => …)`), the response of a request (`https.get(u, (res) => …)`), and
   * what a promise or an emitter carries (`readFile(p).then((text) => …)`, `res.on('data', (chunk) => …)`:
   * the sources of the object it is called on). Null when it hands nothing known.
   */
  private callbackSources(node: Node, parent: Scope): { position: number; labels: Label[] } | null {
    const site = this.callbacks.get(node);
    if (site === undefined) return null;
    const callee = this.calleeOf(site.call.callee as Node)?.callee;
    if (callee === undefined) return null;
    if ((callee === 'member:then' && site.position === 0) || ((callee === 'member:on' || callee === 'member:once') && site.position === 1)) {
      const receiver = unwrap(site.call.callee as Node);
      const labels = receiver.type === 'MemberExpression' ? this.values.sourcesOf(receiver.object as Node, parent) : [];
      return labels.length === 0 ? null : { position: 0, labels };
    }
    if (site.position !== site.call.arguments.length - 1) return null;
    if (fileApi(callee)?.operation === 'read' && !callee.endsWith('Sync')) return { position: 1, labels: [SOURCES.file] };
    const network = networkApi(callee);
    return network !== null && network.kind === 'http' ? { position: 0, labels: [SOURCES.network] } : null;
  }

  /** The names a function is exported by: under its own name, then as the value at its offset. */
  private exportedAs(ownName: string | null, start: number | null | undefined): string[] {
    const byName = ownName ? this.exportNames.get(ownName) : undefined;
    const byValue = this.exportNames.size === 0 ? undefined : this.exportNames.get(`@${start}`);
    if (byValue === undefined) return byName === undefined ? [] : [...byName];
    return byName === undefined ? [...byValue] : [...byName, ...byValue];
  }

  private recordCall(node: CallExpression | OptionalCallExpression | NewExpression, scope: Scope): void {
    // `f.call(this, a)`, `Reflect.apply(f, this, [a])`: a call of f with a (see indirection.ts).
    if (this.binds.has(node)) return;
    const forwarded = node.type === 'NewExpression' ? { callee: node.callee as Node, args: node.arguments as Node[], binds: [] } : forwardedCall(node);
    for (const bind of forwarded.binds) this.binds.add(bind);
    const known = this.calleeOf(forwarded.callee);
    // `cp[name](…)`, `require(name).exec(…)` with `name` a constant of this scope: what it names.
    const found = known !== null && mayNameThroughVariable(known, forwarded.callee) ? (this.findCallee(forwarded.callee, this.values.constantLookup(scope)) ?? known) : known;
    if (found === null) return;
    const target = found.module !== undefined ? (this.unshadowed(forwarded.callee, scope) ?? found) : found;
    const page = node.type !== 'NewExpression' && target.callee.startsWith('member:') ? pageCallee(target.callee.slice('member:'.length), this.browserPackage()) : null;
    const callee = page ?? (node.type === 'NewExpression' ? `new ${target.callee}` : target.callee);
    const call: CallFact = {
      callee,
      line: node.loc?.start.line ?? 1,
      column: (node.loc?.start.column ?? 0) + 1,
      args: forwarded.args.map((argument) => this.values.argumentFact(argument, scope)),
      within: scope.parent === null ? null : scope.id,
      excerpt: this.excerpt(node),
    };
    if (isGuarded(scope, node.end ?? Infinity)) call.guarded = true;
    else if (isGuarded(scope)) call.checkedAfter = true;
    if (target.module) call.module = target.module;
    if (target.built) call.builtName = true;
    else if (target.bracketed) call.bracketedName = true;
    const decoded = callee.startsWith('local:') ? decodedByBundle(node) : undefined;
    if (decoded !== undefined) call.decoded = decoded.slice(0, MAX_DECODED_SHOWN);
    this.facts.calls.push(call);
    this.registrations.recordCall(node, call, scope);
    this.listeners.recordCall(node, call);
  }

  /** The browser-automation package the file imports (catalog/dynamic-code.ts), once the scan has read its imports. */
  private browserPackage(): string | null {
    if (this.browser === undefined) {
      this.browser = null;
      for (const ref of this.facts.imports) {
        const family = ref.specifier === null ? null : browserPackage(ref.specifier);
        if (family !== null) {
          this.browser = family;
          break;
        }
      }
    }
    return this.browser;
  }

  private browser: string | null | undefined;

  /** The canonical callee, or null for calls no rule or reachability question can use. */
  calleeOf(node: Node): Callee | null {
    let known = this.callees.get(node);
    if (known === undefined) this.callees.set(node, (known = this.findCallee(node)));
    return known;
  }

  /** calleeOf by callee node: each call's callee is asked for by recordCall and by every value walk that contains the call. */
  private readonly callees = new Map<Node, Callee | null>();

  private findCallee(node: Node, lookup?: ConstantLookup): Callee | null {
    const callee = lastOfSequence(unwrap(node));
    if (callee.type === 'Identifier') {
      const binding = this.bindings.get(callee.name);
      if (binding && !binding.connection) return { callee: canonicalModule(binding.specifier, binding.member), module: binding, ...(binding.hidden ? { built: true } : {}) };
      return { callee: GLOBAL_CALLEES.has(callee.name) ? callee.name : `local:${callee.name}` };
    }
    if (callee.type === 'Import') return { callee: 'import' };
    // `module.constructor._load(name)`, `process.mainModule.require(name)`: require under another name.
    if (isLoaderUnderAnotherName(callee)) return { callee: 'require' };
    const path = memberPath(callee, lookup);
    if (!path) return callee.type === 'MemberExpression' ? { callee: 'member:<computed>' } : null;
    const target = this.memberCallee(path, lookup);
    return path.built ? { ...target, built: true } : path.bracketed ? { ...target, bracketed: true } : target;
  }

  /**
   * The callee as the function's own variable when a function on the way declares the import's name
   * again for something else: `var foo = /hello/; foo.exec(s)` is RegExp's exec, not child_process's.
   */
  private unshadowed(callee: Node, scope: Scope): Callee | null {
    let shadowing = false;
    for (let current: Scope | null = scope; current !== null && !shadowing; current = current.parent) shadowing = current.shadows !== undefined;
    if (!shadowing) return null;
    const path = callee.type === 'Identifier' ? null : memberPath(unwrap(callee));
    const root = callee.type === 'Identifier' ? callee : path?.root;
    if (root?.type !== 'Identifier') return null;
    for (let current: Scope | null = scope; current !== null && current.parent !== null; current = current.parent) {
      if (current.shadows?.has(root.name)) return { callee: path === null ? `local:${root.name}` : `member:${path.path.at(-1) ?? ''}` };
    }
    return null;
  }

  /** `const vm = new NodeVM(…)`, `new VM(…).run(…)`: an instance of a class the catalogs name methods of (catalog/dynamic-code.ts), as that class. */
  private instanceOf(init: Node): Binding | null {
    const value = unwrap(init);
    if (value.type !== 'NewExpression') return null;
    const target = this.findCallee(value.callee as Node);
    return target?.module !== undefined && isInstanceClass(target.callee) ? { specifier: target.module.specifier, member: target.module.member } : null;
  }

  /**
   * `const req = https.request(opts, cb)`, `const socket = net.connect(port, host)`, `new net.Socket()`:
   * a request or socket whose writes go where the call that opened it points (catalog/network.ts).
   */
  private connectionOf(init: Node): Binding | null {
    const value = unwrap(init);
    if (value.type !== 'CallExpression' && value.type !== 'NewExpression') return null;
    const target = this.calleeOf(value.callee as Node);
    if (target === null || !opensConnection(target.callee)) return null;
    // The global WebSocket has no module: its name stands for one.
    if (target.module === undefined) return target.callee === 'WebSocket' && value.type === 'NewExpression' ? { specifier: 'WebSocket', member: null, connection: true } : null;
    return { specifier: target.module.specifier, member: target.module.member, connection: true };
  }

  /** `const run = cp.execSync`, `const run = Reflect.get(cp, 'execSync')`: a member of a module bound above, under a new name. */
  private aliasedMember(init: Node): Binding | null {
    const path = memberPath(unwrap(init));
    if (path === null || path.path.length === 0 || path.root.type !== 'Identifier') return null;
    const binding = this.bindings.get(path.root.name);
    if (binding === undefined) return null;
    const member = [binding.member, ...path.path].filter((part) => part !== null && part !== 'default').join('.') || null;
    return { specifier: binding.specifier, member, ...(path.built || binding.hidden ? { hidden: true as const } : {}) };
  }

  private memberCallee(path: { root: Node; path: string[] }, lookup?: ConstantLookup): { callee: string; module?: { specifier: string; member: string | null } } {
    const { root } = path;
    if (root.type === 'Identifier') {
      const binding = this.bindings.get(root.name);
      if (binding && !(binding.connection && !isConnectionWrite(binding, path.path))) {
        const member = [binding.member, ...path.path].filter((part) => part !== null && part !== 'default').join('.');
        return { callee: canonicalModule(binding.specifier, member || null), module: { specifier: binding.specifier, member: member || null } };
      }
      if (root.name === 'globalThis' || root.name === 'global' || root.name === 'window') return { callee: path.path.join('.') };
      if (root.name === 'process' || root.name === 'Buffer' || root.name === 'JSON' || root.name === 'Reflect' || root.name === 'WebAssembly' || root.name === 'String') {
        return { callee: [root.name, ...path.path].join('.') };
      }
    }
    const opened = root.type === 'Identifier' ? null : this.connectionOf(root);
    const required = requiredModule(root, lookup) ?? this.instanceOf(root) ?? (opened !== null && isConnectionWrite(opened, path.path) ? opened : null);
    if (required) {
      const member = [required.member, ...path.path].filter((part) => part !== null && part !== 'default').join('.');
      return { callee: canonicalModule(required.specifier, member || null), module: { specifier: required.specifier, member: member || null } };
    }
    return { callee: `member:${path.path.at(-1) ?? ''}` };
  }

  /** A string constant worth a rule's attention (an endpoint, an address, a sensitive path, a blob), with the name it is bound to. */
  private recordString(node: Node, scope: Scope, key: string | null): void {
    if (this.facts.strings.length >= MAX_STRINGS_PER_FILE) return;
    const value = node.type === 'StringLiteral' ? node.value : node.type === 'TemplateLiteral' ? node.quasis[0]?.value.cooked : undefined;
    if (value === undefined) return;
    const place = { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1, within: scope.parent === null ? null : scope.id };
    const fact = notableString(value, place, key);
    if (fact !== null) this.facts.strings.push(fact);
  }

  private excerpt(node: Node): string {
    const source = this.text.slice(node.start ?? 0, Math.min(node.end ?? 0, (node.start ?? 0) + EXCERPT_LENGTH));
    return source.replace(/\s+/g, ' ');
  }
}

/** Characters kept of what a decoder call yields (CallFact.decoded). */
const MAX_DECODED_SHOWN = 200;

/** Kinds of the nodes the scan hands to the replay. */
const FUNCTION = 0;
const BRANCH = 1;
const CALL = 2;
const STRING = 3;

/** The nodes the replay acts on, in tree order, as parallel arrays. */
interface Events {
  nodes: Node[];
  /** The index of the innermost enclosing function or branch event, -1 for none. */
  parents: number[];
  kinds: number[];
  /** The name a function or string is bound to (nameFor). */
  names: Array<string | null>;
  fills: Array<Fill | null>;
}

/** The name a function can be called by in this file (see FunctionFact.name). */
function functionName(node: FunctionNode, name: string | null): string | null {
  if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') return node.id?.name ?? name;
  return (node.type === 'ClassMethod' || node.type === 'ObjectMethod') && node.key.type === 'Identifier' ? node.key.name : name;
}

/** The file's functions with their names and what their bodies hold, before the replay enters any (see Values.knowFunctions). */
function functionsOf(events: Events): Array<{ name: string | null; fill: Fill }> {
  const found: Array<{ name: string | null; fill: Fill }> = [];
  for (let index = 0; index < events.nodes.length; index++) {
    if (events.kinds[index] === FUNCTION) found.push({ name: functionName(events.nodes[index] as FunctionNode, events.names[index]!), fill: events.fills[index]! });
  }
  return found;
}

function pushEvent(events: Events, node: Node, parent: number, kind: number, name: string | null, fill: Fill | null): number {
  events.nodes.push(node);
  events.parents.push(parent);
  events.kinds.push(kind);
  events.names.push(name);
  events.fills.push(fill);
  return events.nodes.length - 1;
}

/** Node types whose children may be bound to a name (see nameFor and passedThrough). */
const NAMING_PARENTS = new Set(['VariableDeclarator', 'ObjectProperty', 'ClassProperty', 'AssignmentExpression', 'ArrayExpression', 'LogicalExpression', 'ConditionalExpression']);

/** The node types Extractor.shape reads: the scan does not call it for the others, most nodes. */
const SHAPED_TYPES = new Set(['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ExportDefaultDeclaration', 'VariableDeclarator', 'AssignmentExpression', 'CallExpression', 'OptionalCallExpression', 'ImportExpression']);

/** What the scan asks of every node by its type: its child keys, whether it names its children, whether it is a function, whether see() and shape() read it. */
interface ScannedType {
  keys: readonly string[];
  naming: boolean;
  fn: boolean;
  sees: boolean;
  shaped: boolean;
}

/** By type, for every type with child keys (all the types the questions above name): one lookup per node instead of one per question. */
const SCANNED_TYPES = new Map<string, ScannedType>(
  [...CHILD_KEYS].map(([type, keys]) => [type, { keys, naming: NAMING_PARENTS.has(type), fn: isFunction({ type } as Node), sees: seesType(type), shaped: SHAPED_TYPES.has(type) }]),
);
/** Any other type: a leaf no question is asked of. */
const OTHER_TYPE: ScannedType = { keys: NO_KEYS, naming: false, fn: false, sees: false, shaped: false };

function nameFor(parent: Node, child: Node): string | null {
  if (parent.type === 'VariableDeclarator' && parent.init === child && parent.id.type === 'Identifier') return parent.id.name;
  if ((parent.type === 'ObjectProperty' || parent.type === 'ClassProperty') && parent.value === child) {
    return parent.key.type === 'Identifier' ? parent.key.name : parent.key.type === 'StringLiteral' ? parent.key.value : null;
  }
  if (parent.type === 'AssignmentExpression' && parent.right === child) {
    return lastMemberName(parent.left) ?? (parent.left.type === 'Identifier' ? parent.left.name : null);
  }
  return null;
}

/** A value keeps the name its container is bound to: `bcc: ['a@b.c']`, `url = process.env.URL || 'https://…'`. */
function passedThrough(parent: Node, child: Node, name: string | null): string | null {
  if (name === null) return null;
  if (parent.type === 'ArrayExpression' || parent.type === 'LogicalExpression') return name;
  if (parent.type === 'ConditionalExpression') return child === parent.test ? null : name;
  return null;
}

/** A method callee whose object or key may be named by a variable's constant: a computed key, or a member of `require(…)` of no constant. */
function mayNameThroughVariable(known: Callee, callee: Node): boolean {
  if (known.callee === 'member:<computed>') return true;
  if (!known.callee.startsWith('member:') || callee.type !== 'MemberExpression') return false;
  const root = chainRoot(callee);
  return root.type === 'CallExpression' && root.callee.type === 'Identifier' && root.callee.name === 'require';
}

/**
 * `(0, fs_1.readFileSync)(…)`, as TypeScript, Babel and esbuild write calls to imported functions:
 * a sequence evaluates to its last expression, which is the function called.
 */
function lastOfSequence(node: Node): Node {
  return node.type === 'SequenceExpression' && node.expressions.length > 0 ? unwrap(node.expressions.at(-1)!) : node;
}

// Helpers compilers wrap around `require` to give CommonJS modules an ES shape; the module is the same
// (its `.default` is the module itself, and memberCallee already drops `default`).
const INTEROP_HELPERS = new Set(['__toESM', '__importDefault', '__importStar', '_interopRequireDefault', '_interopRequireWildcard']);

/** `require('x')`, `require('x').y`, `await import('x')`, `__toESM(require('x'))`: the module and member a value comes from. */
function requiredModule(node: Node, lookup?: ConstantLookup): Binding | null {
  const value = unwrap(node);
  if ((value.type === 'CallExpression' || value.type === 'OptionalCallExpression') && value.arguments.length > 0) {
    const callee = lastOfSequence(unwrap(value.callee as Node));
    const isRequire = (callee.type === 'Identifier' && callee.name === 'require') || isLoaderUnderAnotherName(callee);
    if (isRequire || callee.type === 'Import') {
      const specifier = constantString(value.arguments[0] as Node, lookup);
      if (specifier !== undefined) return { specifier, member: null };
    }
    const helper = callee.type === 'Identifier' ? callee.name : lastMemberName(callee);
    if (helper !== undefined && INTEROP_HELPERS.has(helper)) {
      const inner = requiredModule(value.arguments[0] as Node);
      if (inner) return inner;
    }
  }
  if (value.type === 'ImportExpression') {
    const specifier = constantString(value.source);
    if (specifier !== undefined) return { specifier, member: null };
  }
  if (value.type === 'MemberExpression') {
    const path = memberPath(value);
    if (path) {
      const inner = requiredModule(path.root);
      if (inner) return { specifier: inner.specifier, member: memberOf(inner.member, path.path.join('.')) };
    }
  }
  return null;
}

/**
 * Node's loader under another name: `module.require(x)`, `process.mainModule.require(x)`,
 * `require.main.require(x)`, `module.constructor._load(x)`, `module.parent.require(x)`, and
 * `require('module')._load(x)` (or `Module._load` of it): each returns the module x as `require` does.
 */
function isLoaderUnderAnotherName(callee: Node): boolean {
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if (method !== 'require' && method !== '_load') return false;
  const path = memberPath(unwrap(callee.object));
  if (path === null) return false;
  const owner = [path.root.type === 'Identifier' ? path.root.name : '', ...path.path].join('.');
  if (LOADER_OWNERS.has(owner)) return true;
  const loaded = method === '_load' ? requiredModule(path.root) : null;
  return loaded !== null && /^(?:node:)?module$/.test(loaded.specifier) && (loaded.member === null || loaded.member === 'Module') && path.path.every((step) => step === 'Module');
}

const LOADER_OWNERS = new Set(['module', 'module.constructor', 'module.parent', 'process.mainModule', 'require.main']);

/** `req.write(…)`, `socket.end(…)`, `ws.send(…)`: the member calls of an opened connection that is named after the call that opened it. */
function isConnectionWrite(connection: Binding, path: readonly string[]): boolean {
  return path.length === 1 && isConnectionMethod(path[0]!) && connectionOpener(`${canonicalModule(connection.specifier, connection.member)}.${path[0]}`) !== null;
}

function memberOf(base: string | null, member: string): string {
  return base === null || base === 'default' ? member : `${base}.${member}`;
}

/** `node:fs/promises` + `readFile` -> `fs.promises.readFile`; bundle modules keep their specifier. */
export function canonicalModule(specifier: string, member: string | null): string {
  const bare = specifier.replace(/^node:/, '');
  const name = BUILTINS.has(bare) ? bare.replace(/\//g, '.') : specifier;
  return member === null || member === 'default' ? name : `${name}.${member}`;
}

/**
 * A request handler's session (`req.session`, `({ session }: Request, res)`) is state the server
 * keeps (express-session and kin), not what the client sent: its names carry no input, and
 * `Scope.request` lets labelsOf pass over `req.session`.
 */
function serverState(scope: Scope, request: Node): void {
  if (request.type === 'Identifier') {
    scope.request = request.name;
    return;
  }
  if (request.type !== 'ObjectPattern') return;
  for (const property of request.properties) {
    if (property.type !== 'ObjectProperty' || property.computed || property.key.type !== 'Identifier' || property.key.name !== 'session') continue;
    for (const bound of boundNames(property.value as Node)) scope.env.set(bound, []);
  }
}

/** A parameter without its default (`req = {}`). */
function unwrapParameter(parameter: Node): Node {
  return parameter.type === 'AssignmentPattern' ? parameter.left : parameter;
}
