import type { Node } from '@babel/types';
import { builtinModules } from 'node:module';
import { isSourceLabel, keepsArgumentsWhole, SOURCES, sourceOfCall, sourceOfName, startsProgram } from '../catalog/sources.js';
import { constantPrefix, constantString, foldConstant, type ConstantLookup } from './constant.js';
import { callKey, labelBase, MAX_WRAPS, WRAP, wrapLabel, type ArgumentFact, type Confinement, type ImportRef, type Label } from '../model/file-facts.js';
import { PathGuards } from './path-guards.js';
import { boundNames, CHILD_KEYS, isFunction, isNode, memberPath, NO_KEYS, pushChildren, unwrap } from './syntax.js';
import { pushAll } from '../../common.js';

// What values are, within one file: the taint labels a value carries (the parameters and sources it
// is computed from), the string constants it is built from, the constant a variable holds, and
// whether the function it is written in checks paths. Flow-insensitive, per function: a body's
// assignments (collected by the extractor's scan, see Fill) give each variable the labels and parts
// of every value it is assigned, to a fixpoint. Over-approximation is deliberate: a value that
// mentions a tainted name is tainted. What a call's callee is comes from the module's bindings, which
// the extractor keeps (Callees).

/** An argv longer than this is data, not a command line worth reading element by element. */
export const MAX_ELEMENTS = 16;

export interface Scope {
  id: string;
  parent: Scope | null;
  env: Map<string, Label[]>;
  /** The string constants each variable is built from, so that `require(candidate)` can be judged (null: none yet). */
  parts: Map<string, string[]> | null;
  /** Variables given exactly one value, a constant string (null once given anything else); the map is null while empty. */
  constants: Map<string, string | null> | null;
  /** The function (or dispatch branch) checks paths against allowed roots (see PathGuards). */
  guarded?: true;
  /** Where its first check starts: calls that end before it are not behind it (unset: all its calls are). */
  guardedFrom?: number;
  /** It returns only values it has confined (see PathGuards.confinement and FunctionFact.confines). */
  confines?: Confinement;
  /** Names of the file's imports that the function declares again for something else (`var foo = /re/`). */
  shadows?: Set<string>;
  /** Values.constantLookup's answer, once the environment is filled (null: no constant anywhere up the chain). */
  lookup?: ConstantLookup | null;
  /** Variables declared once with a literal table of constants (see isConstantTable): what is looked up in one is one of them. */
  tables?: Set<string>;
  /** The request parameter of a function shaped as an Express handler (`req`): its `session` is server state, not input. */
  request?: string;
  /** Variables the function declares for itself (Fill.declared): a read of one stops here, whatever it holds. */
  declared?: Set<string>;
}

export function newScope(id: string, parent: Scope | null): Scope {
  return { id, parent, env: new Map(), parts: null, constants: null };
}

/** A call's callee in canonical form (see CallFact.callee), the module it is bound to, whether its name was assembled. */
export interface Callee {
  callee: string;
  module?: { specifier: string; member: string | null };
  built?: boolean;
  /** A member written as a plain string in brackets (`os['hostname']`), see memberPath. */
  bracketed?: boolean;
}

/** Who knows what a callee node denotes: the extractor, from the module's bindings. */
export interface Callees {
  calleeOf(node: Node): Callee | null;
}

/** A value given to names: `const { a, b } = value` (picked: single properties of it, see destructuring). */
interface Flow {
  names: string[];
  value: Node;
  picked?: true;
  /** An assignment, not a declaration: the variable may belong to an enclosing function. */
  assigned?: true;
}

/** What the environment walk of one function body (or of the module) saw: its flows and path checks. */
export interface Fill {
  /** The body walked: descent stops at nested functions, but not at the body itself (`a => b => …`). */
  body: Node;
  flows: Flow[];
  guards: PathGuards;
  /** Branches testing a tool's name: their path checks are not the function's if it dispatches. */
  branches: Node[];
  /**
   * Variables the body declares for itself, with or without a value: with `var` anywhere in it, or
   * with `let` or `const` in its own statement list (one in a nested block is that block's). What
   * it assigns them stays its own, and a read of one in it never reaches a variable further out.
   */
  declared: string[];
  /**
   * Variables declared without a value anywhere in the body, nested blocks included (`let a, b;`):
   * like those declared with one (its flows), taken for the function's own when it assigns them,
   * so that minified code reusing short names does not hand its values to every function further out.
   */
  uninitialized: string[];
}

export function newFill(body: Node): Fill {
  return { body, flows: [], guards: new PathGuards(), branches: [], declared: [], uninitialized: [] };
}

/** The node types see() reads, besides a branch (and a body, which is a BlockStatement when it holds declarations). */
const SEEN_TYPES = new Set([...PathGuards.TYPES, 'VariableDeclaration', 'VariableDeclarator', 'AssignmentExpression', 'ForOfStatement', 'ForInStatement']);

/** Whether see() does anything with a node of this type that is no branch: most nodes are of none, and the scan skips them. */
export function seesType(type: string): boolean {
  return SEEN_TYPES.has(type);
}

/** One node of a function body, as its environment walk sees it. */
export function see(fill: Fill, node: Node, branch: boolean): void {
  if (branch) fill.branches.push(node);
  fill.guards.see(node);
  if (node === fill.body && node.type === 'BlockStatement') {
    for (const statement of node.body) if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') declare(fill, statement);
  } else if (node.type === 'VariableDeclaration' && node.kind === 'var') {
    declare(fill, node);
  }
  if (node.type === 'VariableDeclarator') {
    if (node.init) addFlows(fill, destructuring(node.id, node.init));
    else pushAll(fill.uninitialized, boundNames(node.id));
  } else if (node.type === 'AssignmentExpression' && node.left.type !== 'MemberExpression') {
    // `this.x = …`, `exports.y = …`: a property is no variable, so nothing flows.
    addFlows(fill, destructuring(node.left, node.right).map((flow) => ({ ...flow, assigned: true as const })));
  } else if ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && node.left.type === 'VariableDeclaration') {
    addFlows(fill, [{ names: node.left.declarations.flatMap((declarator) => boundNames(declarator.id)), value: node.right }]);
  }
}

function declare(fill: Fill, declaration: Extract<Node, { type: 'VariableDeclaration' }>): void {
  for (const declarator of declaration.declarations) pushAll(fill.declared, boundNames(declarator.id));
}

/** Flows that name no variable change no environment: they are not kept. */
function addFlows(fill: Fill, flows: Flow[]): void {
  for (const flow of flows) if (flow.names.length > 0) fill.flows.push(flow);
}

/**
 * The flows of an assignment: `const { TOKEN } = process.env` picks single properties (one variable
 * each, see labelsOf), while a rest element (`{ A, ...others }`) keeps the rest of the whole value.
 */
function destructuring(target: Node, value: Node): Flow[] {
  if (target.type !== 'ObjectPattern') return [{ names: boundNames(target), value }];
  const rest = target.properties.flatMap((property) => (property.type === 'RestElement' ? boundNames(property.argument) : []));
  const picked = boundNames(target).filter((name) => !rest.includes(name));
  return [
    ...(picked.length > 0 ? [{ names: picked, value, picked: true as const }] : []),
    ...(rest.length > 0 ? [{ names: rest, value }] : []),
  ];
}

/** labelsOf flags: below a property read (one variable of a whole value), inside a started program's options. */
const PICKED = 1;
const CHILD_ENV = 2;
/** The flag bits from here up hold the wrapping call's frame, plus one (0: none). */
const FRAME_SHIFT = 2;
const FRAME = 1 << FRAME_SHIFT;
/** `@`: sources are never wrapped. */
const AT = 64;

/**
 * The calls of the bundle's functions a value walk is inside, innermost last: each argument pushed
 * carries its call's frame in its flags, each frame its enclosing one. Arrays kept from one walk to
 * the next; a frame's key is built only when a label is wrapped with it.
 */
class Frames {
  // Overwritten in place, never truncated: setting an array's length to 0 drops its storage, and
  // labelsOf would grow the four arrays again for every value that goes through a call.
  private readonly nodes: Node[] = [];
  private readonly callees: string[] = [];
  private readonly parents: number[] = [];
  /** Per frame, once asked for: `~<its key>`, after those of the frames around it (at most MAX_WRAPS). */
  private readonly suffixes: Array<string | undefined> = [];
  /** Frames open: the arrays' entries from here on are left over from earlier walks. */
  private size = 0;

  clear(): void {
    this.size = 0;
  }

  open(node: Node, callee: string, parent: number): number {
    const at = this.size++;
    this.nodes[at] = node;
    this.callees[at] = callee;
    this.parents[at] = parent;
    this.suffixes[at] = undefined;
    return at;
  }

  /** `label` wrapped by frame `at` and those around it (see wrapLabel). */
  wrap(label: Label, at: number): Label {
    if (label.indexOf(WRAP) === -1) return label + this.suffixOf(at);
    return wrapLabel(label, this.suffixOf(at).slice(1).split(WRAP));
  }

  private suffixOf(frame: number): string {
    let suffix = this.suffixes[frame];
    if (suffix === undefined) {
      const start = this.nodes[frame]!.loc?.start;
      const own = callKey(start?.line ?? 1, (start?.column ?? 0) + 1, this.callees[frame]!);
      const parent = this.parents[frame]!;
      // Innermost first; the outermost MAX_WRAPS kept.
      const keys = parent < 0 ? [own] : [own, ...this.suffixOf(parent).slice(1).split(WRAP)];
      suffix = `${WRAP}${keys.slice(-MAX_WRAPS).join(WRAP)}`;
      this.suffixes[frame] = suffix;
    }
    return suffix;
  }
}

/** The labels, parts and argument facts of values, over the scopes the extractor builds. */
export class Values {
  constructor(private readonly callees: Callees) {}

  /** `local:x` and `member:x` for the functions of this file that confine what they return (see knowFunctions). */
  private confining: Set<string> | null = null;
  /** `member:x` for every function of this file named x: such a method call runs one of them. */
  private methods: Set<string> | null = null;
  /** The file imports modules of the bundle by relative path: a method no function of this file answers to may be theirs. */
  private importsOwnCode = false;
  /** Variables the file assigns anywhere after declaring them: what one holds is not known from its declaration (see argumentFact). */
  readonly reassigned = new Set<string>();
  /** Names of this file's functions: a name passed as an argument is a callback when it is one. */
  private functionNames: Set<string> | null = null;

  /**
   * What the file's own functions are, before any value is walked: which calls may run a function
   * that confines what it returns, and so are worth wrapping labels with. A plain name runs a
   * function of this file (reachability looks nowhere else); a method, one of this file when one
   * has its name, else possibly one of a module it imports by relative path (a package's methods
   * are not followed for this); a module's export, anything.
   */
  knowFunctions(functions: ReadonlyArray<{ name: string | null; fill: Fill }>, imports: readonly ImportRef[]): void {
    for (const { name, fill } of functions) {
      if (name === null) continue;
      (this.functionNames ??= new Set()).add(name);
      (this.methods ??= new Set()).add(`member:${name}`);
      if (fill.guards.confinement((variable) => onlyValue(fill.flows, variable)) !== null) {
        (this.confining ??= new Set()).add(`local:${name}`).add(`member:${name}`);
      }
    }
    this.importsOwnCode = imports.some((ref) => ref.specifier !== null && (ref.specifier.startsWith('.') || ref.specifier.startsWith('/')));
  }

  /**
   * What a variable holds at this scope when it is one constant it was given and never reassigned
   * (see constantOf); undefined when no scope up the chain recorded any variable in `constants`, so that
   * folding pays nothing for it. Asked once the scope's environment is filled, and kept.
   */
  constantLookup(scope: Scope): ConstantLookup | undefined {
    if (scope.lookup === undefined) {
      let any = false;
      for (let current: Scope | null = scope; current !== null && !any; current = current.parent) any = (current.constants?.size ?? 0) > 0;
      scope.lookup = any ? this.lookupIn(scope) : null;
    }
    return scope.lookup ?? undefined;
  }

  private lookupIn(scope: Scope): ConstantLookup {
    return (name) => (this.reassigned.has(name) ? undefined : constantOf(scope, name));
  }

  /** The sources (`@file`, `@network`, …) a value carries, without the parameters it depends on. */
  sourcesOf(value: Node, scope: Scope): Label[] {
    return this.labelsOf(value, scope).filter(isSourceLabel);
  }

  /** Whether labels passed to this call are wrapped with it (see labelsOf). */
  private wraps(callee: string, kind: number): boolean {
    if (kind === WRAPS_LOCAL) return this.confining?.has(callee) === true;
    if (kind === WRAPS_METHOD) return this.confining?.has(callee) === true || (this.importsOwnCode && this.methods?.has(callee) !== true);
    return kind === WRAPS_MODULE;
  }

  /**
   * Taint environment of a function body: declarations and assignments, to a fixpoint, from what the
   * scan collected in the body. Path checks count for the function, except, in a dispatching handler,
   * those inside one tool's branch: they belong to that branch.
   */
  fillEnvironment(scope: Scope, fill: Fill, dispatches = false): void {
    const { flows, guards } = fill;
    if (fill.declared.length > 0) scope.declared = new Set(fill.declared);
    if (dispatches) for (const branch of fill.branches) guards.exclude(branch);
    if (scope.parent !== null) {
      const from = guards.firstCheck();
      if (from !== null) {
        scope.guarded = true;
        scope.guardedFrom = from;
      }
      const confines = guards.confinement((name) => onlyValue(flows, name));
      if (confines !== null) scope.confines = confines;
    }
    if (flows.length === 0) return;
    // The parameters are all the environment holds before the body is read; only an assignment may
    // pass labels outward (see passOutward).
    const params = scope.parent === null || !flows.some((flow) => flow.assigned) ? null : new Set(scope.env.keys());
    const constants = (scope.constants ??= new Map());
    // The constants of earlier declarations fold into later ones (`const r = s.split('')…`).
    const lookup = this.lookupIn(scope);
    for (const { names, value } of flows) {
      const constant = constantString(value, lookup) ?? null;
      if (names.length === 1 && !constants.has(names[0]!) && isConstantTable(value)) (scope.tables ??= new Set()).add(names[0]!);
      else for (const name of names) scope.tables?.delete(name);
      for (const name of names) constants.set(name, constants.has(name) || names.length > 1 ? null : constant);
      const parts = this.partsOf(value, scope);
      if (parts.length === 0) continue;
      const table = (scope.parts ??= new Map());
      for (const name of names) {
        const current = table.get(name);
        table.set(name, current === undefined ? parts.slice(0, MAX_ELEMENTS) : union(current, parts).slice(0, MAX_ELEMENTS));
      }
    }
    // A flow is evaluated again only when a variable its value mentions has gained labels since its
    // last evaluation: otherwise it would find the labels it already merged. What each flow mentions
    // is kept in one array: flow i's names are mentions[mentionStart[i]] up to mentionStart[i + 1].
    const mentions: string[] = [];
    const mentionStart: number[] = [];
    const evaluatedAt: number[] = [];
    let changedAt: Map<string, number> | null = null;
    let tick = 0;
    for (let round = 0; round < 4; round++) {
      let changed = false;
      for (let index = 0; index < flows.length; index++) {
        const { names, value, picked } = flows[index]!;
        if (round > 0 && !mentionsChanged(mentions, mentionStart[index]!, mentionStart[index + 1]!, changedAt!, evaluatedAt[index]!)) continue;
        evaluatedAt[index] = tick;
        if (round === 0) mentionStart[index] = mentions.length;
        const found = this.labelsOf(value, scope, round === 0 ? mentions : undefined);
        if (round === 0 && index === flows.length - 1) mentionStart[flows.length] = mentions.length;
        if (found.length === 0) continue;
        // What labelsOf returns holds no label twice; picking may make two labels one.
        const labels = picked ? distinct(found.map((label) => (label === SOURCES.envAll ? SOURCES.env : label))) : found;
        for (const name of names) {
          const current = scope.env.get(name);
          const merged = current === undefined ? labels : union(current, labels);
          if (merged !== current) {
            scope.env.set(name, merged);
            (changedAt ??= new Map()).set(name, tick++);
            changed = true;
          }
        }
      }
      if (!changed) break;
    }
    if (params !== null) this.passOutward(scope, fill, params);
  }

  /**
   * `let body = ''; req.on('data', (chunk) => { body += chunk; })`: a nested function that assigns a
   * variable it neither declares nor takes as a parameter changes the enclosing function's variable,
   * which code after it (the `end` callback) reads. Its labels join the nearest enclosing scope that
   * knows the variable, else the parent: the sources and the parameters of the functions from this
   * one out to that scope. What it read from variables of scopes further out is theirs already;
   * passing that too would give every variable of a bundled file the parameters of every function
   * that assigns one (dozens of labels per value, copied into each call that mentions one).
   */
  private passOutward(scope: Scope, { flows, declared: own, uninitialized }: Fill, params: ReadonlySet<string>): void {
    const declared = new Set<string>([...own, ...uninitialized]);
    for (const flow of flows) if (!flow.assigned) for (const name of flow.names) declared.add(name);
    for (const flow of flows) {
      if (!flow.assigned) continue;
      for (const name of flow.names) {
        const labels = scope.env.get(name);
        if (labels === undefined || declared.has(name) || params.has(name)) continue;
        let target = scope.parent!;
        for (let at: Scope | null = scope.parent; at !== null; at = at.parent) {
          if (at.env.has(name) || at.declared?.has(name)) {
            target = at;
            break;
          }
        }
        const passed = labelsOfFunctionsUpTo(labels, scope, target);
        if (passed.length === 0) continue;
        const current = target.env.get(name);
        target.env.set(name, current === undefined ? passed : union(current, passed));
      }
    }
  }

  /**
   * Every parameter label a value mentions, through the scope chain. One property read out of the
   * whole environment (`config.url` where `config = load(process.env)`) is one variable, so `@env-all`
   * below a property read becomes `@env`, and so does what a function of the bundle or of a package
   * computes from it (`loadConfig(process.env)`); a copy, an encoding or a method called on it
   * (`JSON.stringify`, `Object.entries(env).map(…)`) keeps it (see keepsArgumentsWhole). What a started
   * program returns does not hold the environment it was given (`{ env: { ...process.env } }`).
   * A parameter reached through the arguments of a call that may run a function of the bundle is
   * wrapped with that call (see Label in model/file-facts.ts): a helper may confine what it returns.
   */
  private labelsOf(value: Node, scope: Scope, mentions?: string[]): Label[] {
    const labels = new LabelSet();
    // Two parallel stacks, no object per node, kept from one call to the next: this walk is the
    // extractor's hottest loop. A flag's bits above the first two are the wrapping call (Frames).
    const nodes = this.valueNodes;
    const flags = this.valueFlags;
    const frames = this.frames;
    frames.clear();
    nodes.push(value), flags.push(0);
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const flag = flags.pop()!;
      if (node.type === 'Identifier') {
        mentions?.push(node.name);
        const found = lookup(scope, node.name);
        // What addLabel would do to each label, at once: none is wrapped or changed (see LabelSet.adopt).
        if (labels.items.length === 0 && found.length > 1 && (flag === 0 || (flag < FRAME && !found.includes(SOURCES.envAll)))) labels.adopt(found);
        else for (let index = 0; index < found.length; index++) this.addLabel(labels, found[index]!, flag);
        // sourceOfName(name, []): only `__dirname` and `__filename` denote a source by themselves.
        if (found.length === 0 && (node.name === '__dirname' || node.name === '__filename')) this.addLabel(labels, SOURCES.bundleDir, flag);
      } else if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
        if (isSession(node, scope)) continue;
        const source = memberSource(node);
        if (source) this.addLabel(labels, source, flag);
        // `ALLOWED[choice]`: the key only picks one of the table's constants.
        if (node.computed && !(node.object.type === 'Identifier' && this.isTable(scope, node.object.name))) nodes.push(node.property), flags.push(flag);
        if (!source) nodes.push(node.object), flags.push(flag | PICKED); // in `a.b` only `a` is a reference
      } else if (node.type === 'ObjectProperty' && !node.computed) {
        nodes.push(node.value as Node), flags.push(flag); // in `{ b: a }` only `a` is
      } else if (node.type === 'CallExpression' || node.type === 'OptionalCallExpression' || node.type === 'NewExpression') {
        const target = this.callees.calleeOf(node.callee as Node);
        const callee = target?.callee;
        const traits = callee === undefined ? null : calleeTraits(callee, target!.module);
        // Only `Buffer.from` depends on its second argument; it is folded for every call all the same,
        // as recordCall folds it too.
        const encoding = callee === undefined ? undefined : constantString(node.arguments[1] as Node | undefined);
        const source = traits === null ? null : callee === 'Buffer.from' ? sourceOfCall(callee, encoding) : traits.source;
        if (source) this.addLabel(labels, source, flag);
        const method = unwrap(node.callee as Node);
        // `value.method()` works on the whole value, not on one property of it.
        if ((method.type === 'MemberExpression' || method.type === 'OptionalMemberExpression') && memberSource(method) === null) {
          nodes.push(method.object), flags.push(flag);
          if (method.computed) nodes.push(method.property), flags.push(flag);
        } else {
          nodes.push(method), flags.push(flag);
        }
        let argumentFlag = flag;
        if (traits !== null && (flag & PICKED) === 0 && !traits.keepsWhole) argumentFlag |= PICKED;
        if (traits !== null && (flag & CHILD_ENV) === 0 && traits.startsProgram) argumentFlag |= CHILD_ENV;
        if (traits !== null && traits.wraps !== WRAPS_NEVER && node.arguments.length > 0 && this.wraps(callee!, traits.wraps)) {
          const frame = frames.open(node, callee!, (flag >> FRAME_SHIFT) - 1);
          argumentFlag = (argumentFlag & (FRAME - 1)) | ((frame + 1) << FRAME_SHIFT);
        }
        const args = node.arguments as Node[];
        for (let index = 0; index < args.length; index++) nodes.push(args[index]!), flags.push(argumentFlag);
      } else {
        const keys = CHILD_KEYS.get(node.type) ?? NO_KEYS;
        for (let k = 0; k < keys.length; k++) {
          const child = (node as unknown as Record<string, unknown>)[keys[k]!];
          if (Array.isArray(child)) {
            for (let index = 0; index < child.length; index++) if (isNode(child[index])) nodes.push(child[index]), flags.push(flag);
          } else if (isNode(child)) {
            nodes.push(child), flags.push(flag);
          }
        }
      }
    }
    return labels.items;
  }

  /** One label met by labelsOf's walk, as its flag says: wrapped with the calls around it, `@env-all` picked or dropped. */
  private addLabel(labels: LabelSet, label: Label, flag: number): void {
    if (label !== SOURCES.envAll) labels.add(flag < FRAME || label.charCodeAt(0) === AT ? label : this.frames.wrap(label, (flag >> FRAME_SHIFT) - 1));
    else if ((flag & CHILD_ENV) === 0) labels.add((flag & PICKED) !== 0 ? SOURCES.env : label);
  }

  /** Whether `name` is, where `scope` reads it, a table of constants never assigned again (see Scope.tables). */
  private isTable(scope: Scope, name: string): boolean {
    for (let current: Scope | null = scope; current; current = current.parent) {
      if (current.tables?.has(name)) return !this.reassigned.has(name);
      if (current.constants?.has(name) || current.env.has(name) || current.declared?.has(name)) return false;
    }
    return false;
  }

  private readonly valueNodes: Node[] = [];
  private readonly valueFlags: number[] = [];
  private readonly frames = new Frames();

  /** String constants a value is built from, directly or through the variables it mentions (literals first). */
  private partsOf(value: Node, scope: Scope): string[] {
    let literals: string[] | null = null;
    let fromVariables: string[] | null = null;
    // walk() without a closure: preorder, children in order, functions skipped.
    const stack = this.valueNodes;
    stack.push(value);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (isFunction(node)) continue;
      if (node.type === 'StringLiteral') {
        if ((literals?.length ?? 0) < MAX_ELEMENTS) (literals ??= []).push(node.value);
      } else if (node.type === 'TemplateElement') {
        if (node.value.cooked && (literals?.length ?? 0) < MAX_ELEMENTS) (literals ??= []).push(node.value.cooked);
      } else if (node.type === 'Identifier') {
        const found = lookupParts(scope, node.name);
        if (found !== undefined) pushAll((fromVariables ??= []), found);
      }
      if ((literals?.length ?? 0) >= MAX_ELEMENTS && (fromVariables?.length ?? 0) >= MAX_ELEMENTS) continue;
      // Keys name where a value sits, not what it holds: `req.body.url`'s `url` is no variable, `opts['path']` no part.
      if (node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression') {
        if (node.computed && node.property.type !== 'StringLiteral') stack.push(node.property);
        stack.push(node.object);
      } else if (node.type === 'ObjectProperty') {
        stack.push(node.value as Node);
        if (node.computed) stack.push(node.key);
      } else {
        pushChildren(stack, node);
      }
    }
    if (literals === null && fromVariables === null) return NO_PARTS;
    return (fromVariables === null ? distinct(literals!) : literals === null ? distinct(fromVariables) : union(distinct(literals), fromVariables)).slice(0, MAX_ELEMENTS);
  }

  argumentFact(argument: Node, scope: Scope): ArgumentFact {
    const value = argument.type === 'SpreadElement' ? argument.argument : argument;
    const fact: ArgumentFact = { labels: this.labelsOf(value, scope) };
    // `const FOO = 'ls'; exec(FOO)`: a variable given one constant and nothing else is that constant.
    const held = value.type === 'Identifier' && !this.reassigned.has(value.name) ? constantOf(scope, value.name) : undefined;
    const constant = held !== undefined ? { value: held, built: false, encoded: false } : value.type === 'Identifier' ? undefined : foldConstant(value, this.constantLookup(scope));
    if (constant !== undefined) {
      fact.literal = constant.value;
      if (constant.built) fact.built = true;
      if (constant.encoded) fact.encoded = true;
    } else {
      const prefix = constantPrefix(value);
      if (prefix) fact.prefix = prefix;
      const lead = leadingPart(value);
      if (lead !== undefined) {
        const leadLabels = this.labelsOf(lead, scope);
        if (fact.labels.some((label) => !leadLabels.includes(label))) fact.leadLabels = leadLabels;
      }
      const parts = this.partsOf(value, scope);
      if (parts.length > 0) fact.parts = parts;
    }
    if (value.type === 'ArrayExpression') {
      fact.elements = value.elements.slice(0, MAX_ELEMENTS).flatMap((element) => {
        if (!element || element.type === 'SpreadElement') return [];
        const text = constantString(element);
        return [{ ...(text === undefined ? {} : { literal: text }), labels: this.labelsOf(element, scope) }];
      });
    }
    if (value.type === 'ObjectExpression') {
      const properties: Record<string, boolean | string> = {};
      const propertyLabels: Record<string, Label[]> = {};
      for (const property of value.properties) {
        if (property.type !== 'ObjectProperty' || property.computed) continue;
        const key = property.key.type === 'Identifier' ? property.key.name : constantString(property.key);
        const item = property.value as Node;
        if (key === undefined) continue;
        if (item.type === 'BooleanLiteral') properties[key] = item.value;
        else {
          // `{ frameId, html }` with `const html = '<p>…</p>'`: the constant the variable holds.
          const text = constantString(item) ?? (item.type === 'Identifier' && !this.reassigned.has(item.name) ? constantOf(scope, item.name) : undefined);
          if (text !== undefined) properties[key] = text;
          else if (key !== '__proto__') propertyLabels[key] = this.labelsOf(item, scope);
        }
      }
      fact.properties = properties;
      if (Object.keys(propertyLabels).length > 0) fact.propertyLabels = propertyLabels;
    }
    if (isFunction(value)) {
      fact.function = true;
      fact.callback = String(value.start);
    } else if (value.type === 'Identifier' && this.functionNames?.has(value.name)) {
      fact.callback = `local:${value.name}`;
    }
    return fact;
  }
}

/**
 * Written in a function that checks paths, or nested in one (a callback inside a handler that
 * validated first). A call of the function itself that ends (`end`) before its first check is not
 * behind it: `readFile(full)` followed by `if (!full.startsWith(root + sep)) throw …`.
 */
export function isGuarded(scope: Scope, end = Infinity): boolean {
  for (let current: Scope | null = scope; current; current = current.parent) {
    if (!current.guarded) continue;
    if (current !== scope || current.guardedFrom === undefined || current.guardedFrom < end) return true;
  }
  return false;
}

/** The one value a function body assigns to `name`, when it assigns it exactly once. */
function onlyValue(flows: readonly Flow[], name: string): Node | undefined {
  let found: Node | undefined;
  for (const flow of flows) {
    if (!flow.names.includes(name)) continue;
    if (found !== undefined || flow.picked || flow.names.length > 1) return undefined;
    found = flow.value;
  }
  return found;
}

/** The sources among `labels`, and the parameters of the functions from `scope` out to `target`, both included. */
function labelsOfFunctionsUpTo(labels: Label[], scope: Scope, target: Scope): Label[] {
  return labels.filter((label) => {
    if (label.charCodeAt(0) === AT) return true;
    const id = label.slice(0, label.indexOf('#'));
    for (let current: Scope | null = scope; current !== null; current = current === target ? null : current.parent) {
      if (current.id === id) return true;
    }
    return false;
  });
}

/** What the nearest scope that knows `name` says of it: its taint labels. */
/** A constant start that holds no host: nothing, a scheme, `//`. */
const SCHEME_ONLY = /^(?:[a-z][a-z0-9+.-]*:)?(?:\/\/)?$/i;

/**
 * The first part of a concatenation or template that is not a constant, when what comes before it
 * is at most a scheme (see ArgumentFact.leadLabels); undefined for any other value.
 */
function leadingPart(value: Node): Node | undefined {
  if (value.type === 'TemplateLiteral') {
    const start = value.quasis[0]?.value.cooked;
    return value.expressions.length > 0 && start !== undefined && start !== null && SCHEME_ONLY.test(start) ? (value.expressions[0] as Node) : undefined;
  }
  if (value.type !== 'BinaryExpression' || value.operator !== '+') return undefined;
  // `a + b + c` is `(a + b) + c`: the operands in order, from the leftmost down.
  const operands: Node[] = [];
  let node: Node = value;
  while (node.type === 'BinaryExpression' && node.operator === '+' && operands.length < MAX_ELEMENTS) {
    operands.push(node.right);
    node = node.left;
  }
  operands.push(node);
  let start = '';
  for (let index = operands.length - 1; index >= 0; index--) {
    const operand = operands[index]!;
    const text = constantString(operand);
    if (text === undefined) return operand;
    start += text;
    if (!SCHEME_ONLY.test(start)) return undefined;
  }
  return undefined;
}

/** `req.session` in an Express handler or a function nested in it (see Scope.request): the server's own state. */
function isSession(node: Node & { computed: boolean; property: Node; object: Node }, scope: Scope): boolean {
  if (node.computed || node.property.type !== 'Identifier' || node.property.name !== 'session' || node.object.type !== 'Identifier') return false;
  const name = node.object.name;
  for (let current: Scope | null = scope; current; current = current.parent) {
    if (current.env.has(name)) return current.request === name;
  }
  return false;
}

function lookup(scope: Scope, name: string): Label[] {
  for (let current: Scope | null = scope; current; current = current.parent) {
    const found = current.env.get(name);
    if (found) return found;
    if (current.declared?.has(name)) return NO_LABELS;
  }
  return NO_LABELS;
}

/** The string parts the nearest scope that knows `name` gives it. */
function lookupParts(scope: Scope, name: string): string[] | undefined {
  for (let current: Scope | null = scope; current; current = current.parent) {
    const found = current.parts?.get(name);
    if (found) return found;
    if (current.declared?.has(name)) return undefined;
  }
  return undefined;
}

/** Shared empty results, never handed out to be kept or changed. */
const NO_LABELS: Label[] = Object.freeze([]) as unknown as Label[];
const NO_PARTS: string[] = Object.freeze([]) as unknown as string[];

/** Labels in order of first appearance, without a Set while there are few. */
class LabelSet {
  items: Label[] = [];
  /** items is a list adopted whole from an environment (see adopt): copied before anything is added. */
  private adopted = false;
  /** Something was added or replaced since `changed` was last reset (see union). */
  changed = false;
  private seen: Set<Label> | null = null;
  /**
   * Once a wrapped label is held (see Label in model/file-facts.ts): each parameter's index in
   * items. A value holds one label per parameter: the same parameter through two different calls,
   * or also unwrapped, is held unwrapped, as no one helper accounts for all of it. That keeps the
   * labels of a value as few as without wrapping.
   */
  private bases: Map<string, number> | null = null;

  /**
   * Holds `list`, an environment's labels, as they are while nothing else is held: most values that
   * mention a variable mention only it, and a variable assigned in many functions can hold dozens.
   */
  adopt(list: Label[]): void {
    this.items = list;
    this.adopted = true;
  }

  add(label: Label): void {
    if (this.adopted) this.copyAdopted();
    if (this.bases !== null || (label.charCodeAt(0) !== AT && label.indexOf(WRAP) !== -1)) return this.addParameter(label);
    if (this.seen !== null) {
      if (this.seen.has(label)) return;
      this.seen.add(label);
    } else if (this.items.includes(label)) {
      return;
    } else if (this.items.length >= 16) {
      this.seen = new Set(this.items).add(label);
    }
    this.items.push(label);
    this.changed = true;
  }

  private copyAdopted(): void {
    const list = this.items;
    this.items = [];
    this.adopted = false;
    for (const label of list) this.add(label);
  }

  private addParameter(label: Label): void {
    if (this.bases === null) {
      this.bases = new Map();
      for (let index = 0; index < this.items.length; index++) this.bases.set(labelBase(this.items[index]!), index);
    }
    const base = labelBase(label);
    const at = this.bases.get(base);
    if (at === undefined) {
      this.bases.set(base, this.items.length);
      this.seen?.add(label);
      this.items.push(label);
      this.changed = true;
      return;
    }
    const held = this.items[at]!;
    if (held === label || held === base) return;
    this.seen?.delete(held);
    this.seen?.add(base);
    this.items[at] = base;
    this.changed = true;
  }
}


/** `[...new Set(items)]`. */
function distinct(items: readonly string[]): string[] {
  const set = new LabelSet();
  for (const item of items) set.add(item);
  return set.items;
}

/** `[...new Set([...current, ...added])]` for a current list without repeats; current itself when nothing is added. */
function union(current: string[], added: readonly string[]): string[] {
  let merged: LabelSet | null = null;
  for (const item of added) {
    if (merged === null) {
      if (current.includes(item)) continue;
      merged = new LabelSet();
      for (const known of current) merged.add(known);
      merged.changed = false;
    }
    merged.add(item);
  }
  return merged === null || !merged.changed ? current : merged.items;
}

function mentionsChanged(mentions: readonly string[], from: number, to: number, changedAt: Map<string, number>, since: number): boolean {
  for (let index = from; index < to; index++) if ((changedAt.get(mentions[index]!) ?? -1) >= since) return true;
  return false;
}

/** The source a member expression denotes: `process.env.KEY` and `process.env[key]` (one variable), `process.env` (all), `process.argv`, `import.meta.url`. */
function memberSource(node: Node): string | null {
  if (node.type !== 'MemberExpression' && node.type !== 'OptionalMemberExpression') return null;
  const object = unwrap(node.object);
  // Every source below is rooted at `process` or `import.meta`: the roots memberPath would find, unallocated.
  const start = chainRoot(object, MAX_SOURCE_CHAIN);
  if (start === null) return null;
  if (!(start.type === 'Identifier' && start.name === 'process')) {
    const outer = chainRoot(node, MAX_SOURCE_CHAIN);
    if (outer === null || (outer.type !== 'MetaProperty' && !(outer.type === 'Identifier' && outer.name === 'process'))) return null;
  }
  const inner = memberPath(object);
  if (inner?.root.type === 'Identifier' && inner.root.name === 'process' && inner.path.length === 1 && inner.path[0] === 'env') {
    const name = !node.computed && node.property.type === 'Identifier' ? node.property.name : (constantString(node.property) ?? '*');
    return sourceOfName('process', ['env', name]);
  }
  const path = memberPath(node);
  if (!path) return null;
  if (path.root.type === 'MetaProperty') return sourceOfName('__dirname', []);
  return path.root.type === 'Identifier' ? sourceOfName(path.root.name, path.path) : null;
}

/**
 * Members deep a chain may be and still be a source's (the deepest real ones are a few, as in
 * `process.env.HOME.length`). memberSource is asked at every member of a chain, so a hostile chain
 * of 300,000 (`a.b.b.b…`) would cost its square, hours, if each question walked the whole chain.
 */
const MAX_SOURCE_CHAIN = 32;

/** The node memberPath(node) would give as root, when it gives one: the unwrapped start of a member chain. */
export function chainRoot(node: Node): Node;
/** The same, or null when the chain is deeper than `limit` members. */
export function chainRoot(node: Node, limit: number): Node | null;
export function chainRoot(node: Node, limit = Infinity): Node | null {
  let current = node;
  for (let depth = 0; current.type === 'MemberExpression' || current.type === 'OptionalMemberExpression'; depth++) {
    if (depth === limit) return null;
    current = current.object;
  }
  return unwrap(current);
}

/** What labelsOf asks of a callee, by canonical name: the same few hundred names come up again and again. */
interface CalleeTraits {
  /** sourceOfCall without an encoding (Buffer.from, which depends on it, is asked directly). */
  source: string | null;
  keepsWhole: boolean;
  startsProgram: boolean;
  /** Whether it may run a function of the bundle, and how it is looked up (WRAPS_*): parameters in its arguments may be wrapped with the call (see labelsOf). */
  wraps: number;
}

const WRAPS_NEVER = 0;
/** A plain name: a function of this file. */
const WRAPS_LOCAL = 1;
/** A method: one of this file, or of a module it imports. */
const WRAPS_METHOD = 2;
/** A module's export other than Node's own. */
const WRAPS_MODULE = 3;

const TRAITS = new Map<string, CalleeTraits>();

/** `module` is the callee's binding, the same for every call of that canonical name. */
function calleeTraits(callee: string, module: { specifier: string } | undefined): CalleeTraits {
  let traits = TRAITS.get(callee);
  if (traits === undefined) {
    traits = { source: sourceOfCall(callee, undefined), keepsWhole: keepsArgumentsWhole(callee), startsProgram: startsProgram(callee), wraps: mayRunBundleCode(callee, module) };
    // Callee names come from bundle text: bound the table, not the work.
    if (TRAITS.size < 50_000) TRAITS.set(callee, traits);
  }
  return traits;
}

const BUILTIN_MODULES = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
/** Global functions and constructors called by a plain name: never the bundle's (`String(x)`, `new URL(x)`). */
const GLOBAL_FUNCTIONS = new Set([
  'String', 'Number', 'Boolean', 'BigInt', 'Symbol', 'Object', 'Array', 'Date', 'RegExp', 'Error', 'TypeError', 'RangeError',
  'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'AbortController',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'escape', 'unescape', 'parseInt', 'parseFloat',
  'isNaN', 'isFinite', 'structuredClone', 'queueMicrotask', 'clearTimeout', 'clearInterval', 'setImmediate', 'btoa',
]);
/** Methods of strings, arrays, maps and promises: a value passed to them is data, not a path a helper confines. */
const BUILTIN_METHODS = new Set([
  'replace', 'replaceAll', 'concat', 'push', 'unshift', 'join', 'split', 'slice', 'substring', 'substr', 'map', 'filter',
  'reduce', 'flatMap', 'find', 'findIndex', 'some', 'every', 'includes', 'indexOf', 'lastIndexOf', 'forEach', 'trim',
  'padStart', 'padEnd', 'startsWith', 'endsWith', 'match', 'matchAll', 'test', 'at', 'fill', 'sort', 'splice', 'assign',
  'from', 'of', 'keys', 'values', 'entries', 'fromEntries', 'get', 'set', 'has', 'add', 'delete', 'then', 'catch',
  'finally', 'all', 'allSettled', 'race', 'any', 'apply', 'call', 'bind', 'toString', 'stringify', 'parse', 'log', 'warn',
  'error', 'info', 'debug', 'emit', 'write', 'end', 'send', 'json', 'status',
]);

/** Whether a call may run a function of the bundle: a plain name that is no global, a method no builtin has, or a module other than Node's own. */
function mayRunBundleCode(callee: string, module: { specifier: string } | undefined): number {
  if (callee.startsWith('local:')) return GLOBAL_FUNCTIONS.has(callee.slice('local:'.length)) ? WRAPS_NEVER : WRAPS_LOCAL;
  if (callee.startsWith('member:')) return BUILTIN_METHODS.has(callee.slice('member:'.length)) ? WRAPS_NEVER : WRAPS_METHOD;
  return module !== undefined && !BUILTIN_MODULES.has(module.specifier) ? WRAPS_MODULE : WRAPS_NEVER;
}

/** The constant string the nearest scope that assigns `name` gave it, if that is all it was ever given. */
const MAX_TABLE = 256;

/**
 * `{ lint: 'eslint', format: 'prettier' }`, `['git', 'hg']`, `Object.freeze({ … })`, nested ones: a
 * non-empty literal object or array whose every value is a constant (no spread, no computed key).
 */
function isConstantTable(value: Node, depth = 0): boolean {
  let node = unwrap(value);
  if (node.type === 'CallExpression' && node.arguments.length === 1 && isObjectFreeze(node.callee as Node)) node = unwrap(node.arguments[0] as Node);
  const items = node.type === 'ObjectExpression' ? node.properties : node.type === 'ArrayExpression' ? node.elements : null;
  if (items === null || items.length === 0 || items.length > MAX_TABLE || depth > 2) return false;
  return items.every((item) => {
    if (item === null) return false;
    if (item.type === 'ObjectProperty') return !item.computed && isConstantValue(item.value as Node, depth);
    return item.type !== 'SpreadElement' && item.type !== 'ObjectMethod' && isConstantValue(item as Node, depth);
  });
}

function isObjectFreeze(callee: Node): boolean {
  return callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.object.name === 'Object'
    && callee.property.type === 'Identifier' && callee.property.name === 'freeze';
}

function isConstantValue(node: Node, depth: number): boolean {
  const value = unwrap(node);
  switch (value.type) {
    case 'StringLiteral': case 'NumericLiteral': case 'BooleanLiteral': case 'NullLiteral':
      return true;
    case 'TemplateLiteral':
      return value.expressions.length === 0;
    case 'ObjectExpression': case 'ArrayExpression':
      return isConstantTable(value, depth + 1);
    default:
      return false;
  }
}

export function constantOf(scope: Scope, name: string): string | undefined {
  for (let current: Scope | null = scope; current; current = current.parent) {
    if (current.constants?.has(name)) return current.constants.get(name) ?? undefined;
    if (current.env.has(name) || current.declared?.has(name)) return undefined; // a parameter or a declaration of that name shadows outer constants
  }
  return undefined;
}
