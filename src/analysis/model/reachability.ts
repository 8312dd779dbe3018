import { callKey, REQUEST_LABEL, WRAP, type ArgumentFact, type CallFact, type FileFacts, type FunctionFact, type ReexportFact, type ToolFact } from './file-facts.js';
import type { Resolver } from './resolver.js';
import type { Origin } from './origin.js';
import { addKeyed, keyed, sortKeyed, type KeyedTrigger, type Trigger } from './triggers.js';
import { pushAll } from '../../common.js';

// What sets each call off, and with what input (model/triggers.ts). From each tool's handler and
// each network listener's handler, follow nested functions and calls to the bundle's own functions
// (same file by name, other files through imports and exports), and carry the handler's parameters,
// the input the model or the network controls, into the parameters of every function they are
// passed to. From the top level of every module the server loads, follow what runs as it is
// imported: its calls, the callbacks it hands to them and the functions it invokes in place, but
// not functions it merely defines, nor the handlers it registers (they have triggers of their own);
// a scheduler's callback started on the way runs on a timer.

/** A function or dispatch branch across the whole bundle: `<file>|<id>`. */
type Scope = string;

export interface CallReach {
  /** Tools whose handlers reach this call, sorted. */
  tools: string[];
  /** Everything that sets it off, most exposed first. */
  triggers: Trigger[];
  /** The triggers whose input (tool arguments, a listener's request) flows into its arguments, most exposed first. */
  inputFrom: Trigger[];
  /** Tools whose input flows into one of the call's arguments, sorted. */
  taintedBy: string[];
  /** Positions of the arguments that tool input flows into, ascending. */
  taintedArgs: number[];
  /**
   * Of those, the positions tool input reaches only through code that checks paths against allowed
   * roots (CallFact.guarded), for every tool: `readFile(validPath)` after `validatePath(args.path)`.
   */
  checkedArgs: number[];
  /**
   * Of those, the positions tool input reaches only as the result of a helper that returns a URL
   * after checking its host against a list of allowed hosts (FunctionFact.confines `host`), for every
   * tool; absent when none.
   */
  allowedArgs?: number[];
}

interface Index {
  functions: Map<Scope, { file: string; fact: FunctionFact }>;
  byName: Map<string, Map<string, Scope[]>>;
  byExport: Map<string, Map<string, Scope[]>>;
  nested: Map<Scope, Scope[]>;
  callsIn: Map<Scope, Site[]>;
  reexports: Map<string, ReexportFact[]>;
  imports: ReadonlyMap<string, readonly string[]>;
  /** What wrapped labels confine to, read as they come up (see confinedThrough). */
  confinements?: Confinements;
  /** Per function, its parameters' labels (`<id>#<position>`), made once. */
  parameterLabels: Map<FunctionFact, string[]>;
}

/** One call of one file, with what every traversal would otherwise work out again: what it may run. */
interface Site {
  file: string;
  call: CallFact;
  callees?: Scope[];
}

/** Barrel files re-export barrel files; past this depth a chain is taken to be a cycle. */
const MAX_REEXPORT_DEPTH = 8;

/** Per file, per call: which tools reach it. Identical files may share facts, so calls are keyed by file too. */
export type ReachMap = Map<string, Map<CallFact, CallReach>>;

export interface Reach {
  calls: ReachMap;
  /** What runs each function or dispatch branch (`<file>|<id>`, `<file>|module` for top-level code), most exposed first. */
  triggersIn: Map<string, Trigger[]>;
}

/** What reaches one call; most calls are reached by one trigger and no input, so the rest is made on demand. */
interface FoundCall {
  triggers: KeyedTrigger[];
  inputFrom: KeyedTrigger[] | null;
  taintedArgs: Set<number> | null;
  rawArgs: Set<number> | null;
  /** Positions reached only as URLs a helper checked against allowed hosts. */
  allowed: Set<number> | null;
}
type Found = Map<string, Map<CallFact, FoundCall>>;

/** The graph of the files the server loads (model/module-graph.ts): `order` breadth-first from the entries. */
export interface LoadGraph {
  order: readonly string[];
  edges: ReadonlyMap<string, readonly string[]>;
}

/**
 * How a traversal follows functions. `nested`: a handler's nested functions run when it does (its
 * callbacks), as do the functions it calls. `invoked`: only what a piece of code certainly runs: the
 * functions it calls, the callbacks it hands over and the functions it invokes in place.
 */
type Mode = 'nested' | 'invoked';

/** A scheduler whose callback (the argument at `callbackAt`) runs on a timer; the language's catalogue says which (catalog/listeners.ts). */
export type TimerOf = (callee: string) => { name: string; callbackAt: number } | null;

/**
 * How tool input reaches a parameter: `raw` when some call passes it unchecked, `checked` after a
 * path check, `allowed` as a URL whose host was checked against an allow-list. Raw wins; `checked`
 * and `allowed` together are raw, as neither check covers both.
 */
type Taint = 'raw' | 'checked' | 'allowed';

export function reachFromTriggers(files: ReadonlyMap<string, FileFacts>, graph: LoadGraph, resolve: Resolver, timerOf: TimerOf, originOf: (file: string) => Origin): Reach {
  const index = buildIndex(files, graph.edges);
  index.confinements = { files, callsAt: new Map(), byFile: new Map() };
  const reach: Found = new Map();
  const triggersIn = new Map<Scope, KeyedTrigger[]>();
  const record = (trigger: KeyedTrigger, scopes: Iterable<Scope>): void => {
    for (const scope of scopes) {
      const known = triggersIn.get(scope);
      if (known === undefined) triggersIn.set(scope, [trigger]);
      else addKeyed(known, trigger);
    }
  };
  const handlers = new Set<Scope>();
  for (const [file, facts] of files) {
    for (const tool of facts.tools) {
      for (const handler of handlersOf(file, tool, index)) {
        handlers.add(handler);
        const owner = tool.handlerOwner === undefined ? handler : `${file}|${tool.handlerOwner}`;
        handlers.add(owner);
        const trigger = keyed({ kind: 'tool', name: tool.name });
        record(trigger, follow(trigger, [handler], 'nested', { owner }, index, resolve, reach, handlers, timerOf));
      }
    }
    for (const listener of facts.listeners) {
      if (listener.convention && originOf(file) === 'dependency') continue;
      for (const handler of scopesNamed(file, listener.handler, index)) handlers.add(handler);
    }
  }
  for (const [file, facts] of files) {
    for (const listener of facts.listeners) {
      // A framework's own views look like any app's: known by their shape alone, only the publisher's count.
      if (listener.convention && originOf(file) === 'dependency') continue;
      const trigger = keyed({ kind: 'listener', name: listener.name, bind: listener.bind, ...(listener.checked ? { checked: true } : {}) });
      const starts = scopesNamed(file, listener.handler, index);
      record(trigger, follow(trigger, starts, 'nested', { listener: true }, index, resolve, reach, handlers, timerOf));
    }
  }
  const timers: Array<{ trigger: KeyedTrigger; start: Scope }> = [];
  for (const [trigger, scopes] of followLoads(graph, index, resolve, reach, handlers, timerOf, timers)) record(trigger, scopes);
  for (const { trigger, start } of timers) record(trigger, follow(trigger, [start], 'nested', {}, index, resolve, reach, handlers, timerOf));

  const calls: ReachMap = new Map();
  for (const [file, found] of reach) {
    const inFile = new Map<CallFact, CallReach>();
    for (const [call, entry] of found) inFile.set(call, callReachOf(entry));
    calls.set(file, inFile);
  }
  return { calls, triggersIn: new Map([...triggersIn].map(([scope, triggers]) => [scope, sortKeyed(triggers)])) };
}

// Frozen: shared by every CallReach, so a consumer that tried to change one would throw, not corrupt the others.
const NONE = Object.freeze([]) as unknown as never[];

/** What reaches one call, as reported; most calls are reached by triggers only, with no input, and share the empty lists. */
function callReachOf(entry: FoundCall): CallReach {
  const triggers = sortKeyed(entry.triggers);
  const tools = toolNames(triggers);
  if (entry.inputFrom === null) return { tools, triggers, inputFrom: NONE, taintedBy: NONE, taintedArgs: NONE, checkedArgs: NONE };
  const inputFrom = sortKeyed(entry.inputFrom);
  const tainted = entry.taintedArgs === null ? NONE : [...entry.taintedArgs].sort((a, b) => a - b);
  return {
    tools,
    triggers,
    inputFrom,
    taintedBy: toolNames(inputFrom),
    taintedArgs: tainted,
    checkedArgs: tainted.filter((position) => !entry.rawArgs?.has(position) && !entry.allowed?.has(position)),
    ...(entry.allowed ? { allowedArgs: [...entry.allowed].filter((position) => !entry.rawArgs?.has(position)).sort((a, b) => a - b) } : {}),
  };
}

function toolNames(triggers: readonly Trigger[]): string[] {
  let names: string[] | null = null;
  for (const trigger of triggers) if (trigger.kind === 'tool') (names ??= []).push(trigger.name);
  return names === null ? NONE : names.length > 1 ? names.sort() : names;
}

/** The functions a handler reference names: an id in the file, or `local:<name>`. */
function scopesNamed(file: string, reference: string, index: Index): Scope[] {
  if (reference.startsWith('local:')) return index.byName.get(file)?.get(reference.slice('local:'.length)) ?? [];
  const scope = `${file}|${reference}`;
  return index.functions.has(scope) ? [scope] : [];
}

function buildIndex(files: ReadonlyMap<string, FileFacts>, imports: ReadonlyMap<string, readonly string[]>): Index {
  const index: Index = { functions: new Map(), byName: new Map(), byExport: new Map(), nested: new Map(), callsIn: new Map(), reexports: new Map(), imports, parameterLabels: new Map() };
  for (const [file, facts] of files) {
    const byName = new Map<string, Scope[]>();
    const byExport = new Map<string, Scope[]>();
    // Each scope's key made once: the file's calls name their function by id, many calls one function.
    const scopes = new Map<string, Scope>();
    const scopeOf = (id: string): Scope => {
      let scope = scopes.get(id);
      if (scope === undefined) scopes.set(id, (scope = `${file}|${id}`));
      return scope;
    };
    for (const fact of facts.functions) {
      const scope = scopeOf(fact.id);
      index.functions.set(scope, { file, fact });
      if (fact.name) append(byName, fact.name, scope);
      for (const name of fact.exportedAs) append(byExport, name, scope);
      append(index.nested, scopeOf(fact.parent ?? 'module'), scope);
    }
    index.byName.set(file, byName);
    index.reexports.set(file, facts.reexports);
    index.byExport.set(file, byExport);
    for (const call of facts.calls) append(index.callsIn, scopeOf(call.within ?? 'module'), { file, call });
  }
  return index;
}

function handlersOf(file: string, tool: ToolFact, index: Index): Scope[] {
  if (tool.handler === null) return [];
  if (tool.handler.startsWith('local:')) return index.byName.get(file)?.get(tool.handler.slice('local:'.length)) ?? [];
  return [`${file}|${tool.handler}`];
}

/** The bundle functions a call may invoke; empty for builtins, globals and unknown packages. */
function calleesOf(file: string, call: CallFact, index: Index, resolve: Resolver): Scope[] {
  if (call.callee.startsWith('local:')) return index.byName.get(file)?.get(call.callee.slice('local:'.length)) ?? [];
  if (call.callee.startsWith('member:')) {
    // `obj.method()`: a function of that name in this file, else in the files this one imports
    // (an instance of a class defined next door). Names, not types: an over-approximation.
    const name = call.callee.slice('member:'.length);
    const here = index.byName.get(file)?.get(name);
    if (here) return here;
    return (index.imports.get(file) ?? []).flatMap((imported) => index.byName.get(imported)?.get(name) ?? []);
  }
  if (!call.module) return [];
  const path = call.module.member === null ? ['default'] : call.module.member.split('.');
  const found = exportedFunctions(file, call.module.specifier, path[0]!, index, resolve, 0);
  if (found.length > 0 || path.length === 1) return found;
  // `manager.run()` on an exported instance: the method of that name in the module that exports it.
  const resolution = resolve(file, call.module.specifier, 'import');
  return resolution.kind === 'file' ? (index.byName.get(resolution.path)?.get(path.at(-1)!) ?? []) : [];
}

/** Functions a module exports under `name`, following `export * from` and `export { a as b } from`. */
function exportedFunctions(from: string, specifier: string, name: string, index: Index, resolve: Resolver, depth: number): Scope[] {
  const resolution = resolve(from, specifier, 'import');
  if (resolution.kind !== 'file' || depth > MAX_REEXPORT_DEPTH) return [];
  const direct = index.byExport.get(resolution.path)?.get(name);
  if (direct) return direct;
  for (const reexport of index.reexports.get(resolution.path) ?? []) {
    const imported = reexport.names === null ? (name === 'default' ? undefined : name) : reexport.names[name];
    if (imported === undefined) continue;
    const found = exportedFunctions(resolution.path, reexport.specifier, imported, index, resolve, depth + 1);
    if (found.length > 0) return found;
  }
  return [];
}

/** Where a traversal's untrusted input comes from: a tool handler's owner's parameters, or a listener's whole handler. */
interface InputRoots {
  /** Tool input: the parameters of this function (the handler, or the request handler owning a dispatch branch). */
  owner?: Scope;
  /** Network input: the parameters of the handler and of every function nested in it, and what `@request` labels. */
  listener?: true;
}

function follow(
  trigger: KeyedTrigger,
  starts: readonly Scope[],
  mode: Mode,
  roots: InputRoots,
  index: Index,
  resolve: Resolver,
  reach: Found,
  handlers: ReadonlySet<Scope>,
  timerOf: TimerOf,
): Set<Scope> {
  const visited = new Set<Scope>();
  /** The listener's handlers and the functions nested in them: their parameters carry what the network sent. */
  const inHandler = new Set<Scope>(roots.listener ? starts : []);
  const queue: Scope[] = [...starts];
  const calls: Site[] = [];
  for (let next = 0; next < queue.length; next++) {
    const scope = queue[next]!;
    if (visited.has(scope)) continue;
    visited.add(scope);
    for (const nested of index.nested.get(scope) ?? []) {
      if (mode === 'invoked' && !index.functions.get(nested)?.fact.invoked) continue;
      if (inHandler.has(scope)) inHandler.add(nested);
      queue.push(nested);
    }
    for (const site of index.callsIn.get(scope) ?? []) {
      calls.push(site);
      pushAll(queue, calleesAt(site, index, resolve));
      if (mode === 'invoked') pushAll(queue, callbacksOf(site.file, site.call, index, handlers, timerOf(site.call.callee)));
    }
  }
  const taint = roots.owner === undefined && !roots.listener ? null : taintFixpoint(calls, index, resolve, roots, inHandler);
  for (const site of calls) {
    const entry = foundEntry(reach, site.file, site.call);
    addKeyed(entry.triggers, trigger);
    if (taint === null) continue;
    const { args } = site.call;
    for (let position = 0; position < args.length; position++) {
      const found = taint(site, args[position]!.labels);
      if (found === null) continue;
      addKeyed((entry.inputFrom ??= []), trigger);
      (entry.taintedArgs ??= new Set()).add(position);
      if (found === 'raw') (entry.rawArgs ??= new Set()).add(position);
      else if (found === 'allowed') (entry.allowed ??= new Set()).add(position);
    }
  }
  return visited;
}

function foundEntry(reach: Found, file: string, call: CallFact): FoundCall {
  let inFile = reach.get(file);
  if (inFile === undefined) reach.set(file, (inFile = new Map()));
  let entry = inFile.get(call);
  if (entry === undefined) inFile.set(call, (entry = { triggers: [], inputFrom: null, taintedArgs: null, rawArgs: null, allowed: null }));
  return entry;
}

/** The functions a call hands over as callbacks, except handlers registered for a trigger of their own and the callback of `timer`, the call's scheduler. */
function callbacksOf(file: string, call: CallFact, index: Index, handlers: ReadonlySet<Scope>, timer: ReturnType<TimerOf>): Scope[] {
  let found: Scope[] | null = null;
  for (let position = 0; position < call.args.length; position++) {
    const callback = call.args[position]!.callback;
    if (callback === undefined || position === timer?.callbackAt) continue;
    for (const scope of scopesNamed(file, callback, index)) if (!handlers.has(scope)) (found ??= []).push(scope);
  }
  return found ?? NO_SCOPES;
}

const NO_SCOPES: Scope[] = [];

/**
 * What runs as the server loads: the top level of every module it imports, breadth-first in load
 * order, each piece of code credited to the first module whose loading runs it (`via`: that module's
 * import path). Schedulers started on the way are handed back in `timers`.
 */
function followLoads(
  graph: LoadGraph,
  index: Index,
  resolve: Resolver,
  reach: Found,
  handlers: ReadonlySet<Scope>,
  timerOf: TimerOf,
  timers: Array<{ trigger: KeyedTrigger; start: Scope }>,
): Map<KeyedTrigger, Scope[]> {
  const importer = new Map<string, string>();
  for (const file of graph.order) {
    for (const target of graph.edges.get(file) ?? []) if (!importer.has(target) && target !== file) importer.set(target, file);
  }
  const via = (file: string): string[] => {
    const path = [file];
    const seen = new Set(path);
    for (let at = importer.get(file); at !== undefined && !seen.has(at); at = importer.get(at)) path.push(at), seen.add(at);
    return path.reverse();
  };
  const owner = new Map<Scope, KeyedTrigger>();
  const byTrigger = new Map<KeyedTrigger, Scope[]>();
  const queue: Array<{ scope: Scope; trigger: KeyedTrigger }> = [];
  for (const file of graph.order) {
    if (!index.callsIn.has(`${file}|module`) && !index.nested.has(`${file}|module`)) continue;
    queue.push({ scope: `${file}|module`, trigger: keyed({ kind: 'load', via: via(file) }) });
  }
  const timerStarts = new Set<Scope>();
  for (let next = 0; next < queue.length; next++) {
    const { scope, trigger } = queue[next]!;
    if (owner.has(scope)) continue;
    owner.set(scope, trigger);
    const scopes = byTrigger.get(trigger) ?? [];
    if (scopes.length === 0) byTrigger.set(trigger, scopes);
    scopes.push(scope);
    for (const nested of index.nested.get(scope) ?? []) if (!owner.has(nested) && index.functions.get(nested)?.fact.invoked) queue.push({ scope: nested, trigger });
    for (const site of index.callsIn.get(scope) ?? []) {
      const { file, call } = site;
      addKeyed(foundEntry(reach, file, call).triggers, trigger);
      for (const callee of calleesAt(site, index, resolve)) if (!owner.has(callee)) queue.push({ scope: callee, trigger });
      const timer = timerOf(call.callee);
      for (const callback of callbacksOf(file, call, index, handlers, timer)) if (!owner.has(callback)) queue.push({ scope: callback, trigger });
      const callback = timer === null ? undefined : call.args[timer.callbackAt]?.callback;
      if (timer === null || callback === undefined) continue;
      for (const start of scopesNamed(file, callback, index)) {
        if (timerStarts.has(start)) continue;
        timerStarts.add(start);
        timers.push({ trigger: keyed({ kind: 'timer', name: timer.name }), start });
      }
    }
  }
  return byTrigger;
}

/**
 * Taint: the roots' parameters, then every parameter they are passed to, to a fixpoint. Input passed
 * on from a function that checks paths arrives checked; raw wins over checked. Returns how input
 * reaches a value with these labels, if it does. Tainted parameters are held per file, by label
 * (`<id>#<n>`): the labels of a call are read as they are, with no key built per label.
 */
function taintFixpoint(
  calls: readonly Site[],
  index: Index,
  resolve: Resolver,
  roots: InputRoots,
  inHandler: ReadonlySet<Scope>,
): (site: Site, labels: readonly string[]) => Taint | null {
  const tainted = new Map<string, Map<string, Taint>>();
  // The owner's scope is `<file>|<id>`: its parameters are `<id>#<n>` in that file.
  const ownerAt = roots.owner === undefined ? -1 : roots.owner.lastIndexOf('|');
  const ownerFile = ownerAt === -1 ? null : roots.owner!.slice(0, ownerAt);
  const ownerPrefix = ownerAt === -1 ? null : `${roots.owner!.slice(ownerAt + 1)}#`;
  const isRoot = (file: string, base: string): boolean => {
    if (file === ownerFile && base.startsWith(ownerPrefix!)) return true;
    return roots.listener === true && inHandler.has(`${file}|${base.slice(0, base.lastIndexOf('#'))}`);
  };
  const rootsIn = (file: string): boolean => file === ownerFile || roots.listener === true;
  // A label wrapped with the calls its value went through (see Label in file-facts.ts) is taken for
  // what the helper those calls run confines it to (confinedThrough).
  const taintOf = (site: Site, labels: readonly string[]): Taint | null => {
    const { file } = site;
    const inFile = tainted.get(file);
    const mayBeRoot = rootsIn(file);
    let found: Taint | null = null;
    for (const label of labels) {
      // Sources are never parameters: only a listener's `@request` is input.
      if (label.charCodeAt(0) === 64) {
        if (roots.listener && label === REQUEST_LABEL) {
          found = 'raw';
          break;
        }
        continue;
      }
      if (inFile === undefined && !mayBeRoot) continue;
      const cut = label.indexOf(WRAP);
      const base = cut === -1 ? label : label.slice(0, cut);
      let taint = mayBeRoot && isRoot(file, base) ? 'raw' : inFile?.get(base);
      if (taint === undefined) continue;
      if (taint === 'raw' && cut !== -1) taint = confinedThrough(file, label.slice(cut + 1), index, resolve) ?? 'raw';
      found = found === null || found === taint ? taint : 'raw';
      if (found === 'raw') break;
    }
    return found === 'raw' && site.call.guarded ? 'checked' : found;
  };
  let changed = true;
  const mark = (callee: Scope, position: number, taint: Taint): void => {
    const target = index.functions.get(callee);
    if (target === undefined) return;
    let inFile = tainted.get(target.file);
    if (inFile === undefined) tainted.set(target.file, (inFile = new Map()));
    const label = parameterLabel(target.fact, position, index);
    const current = inFile.get(label);
    if (current === 'raw' || current === taint) return;
    inFile.set(label, current === undefined ? taint : 'raw');
    changed = true;
  };
  // Only calls into the bundle's functions with labelled arguments pass input on.
  const passing = calls.filter((site) => calleesAt(site, index, resolve).length > 0 && site.call.args.some((argument) => argument.labels.length > 0));
  while (changed) {
    changed = false;
    for (const site of passing) {
      const { args } = site.call;
      for (let position = 0; position < args.length; position++) {
        const argument = args[position]!;
        const taint = taintOf(site, argument.labels);
        if (taint === null) continue;
        for (const callee of calleesAt(site, index, resolve)) {
          const named = argument.keywords ? keywordPositions(argument, index.functions.get(callee)?.fact.paramNames) : null;
          if (named === null) {
            mark(callee, position, taint);
            continue;
          }
          for (const [name, at] of named) {
            const own = taintOf(site, argument.propertyLabels?.[name] ?? []);
            if (own !== null) mark(callee, at, own);
          }
        }
      }
    }
  }
  return taintOf;
}

/** The bundle functions a call may invoke (calleesOf), worked out once. */
function calleesAt(site: Site, index: Index, resolve: Resolver): Scope[] {
  return (site.callees ??= calleesOf(site.file, site.call, index, resolve));
}

/** `<id>#<position>`: the label of a function's parameter, made once. */
function parameterLabel(fact: FunctionFact, position: number, index: Index): string {
  let labels = index.parameterLabels.get(fact);
  if (labels === undefined) index.parameterLabels.set(fact, (labels = []));
  return (labels[position] ??= `${fact.id}#${position}`);
}

/**
 * Where a Python call's keyword arguments land: each keyword's parameter position, by name. Null when
 * that cannot be told (no parameter names, `**kwargs` passed on, a keyword the function does not name
 * itself): the labels then go where a positional argument at that place would, as before.
 */
function keywordPositions(argument: ArgumentFact, names: readonly string[] | undefined): Array<[string, number]> | null {
  if (names === undefined) return null;
  const keywords = Object.keys(argument.propertyLabels ?? {});
  const labelled = new Set(keywords.flatMap((name) => argument.propertyLabels![name]!));
  // Labels no keyword accounts for came from a `**mapping`.
  if (argument.labels.some((label) => !labelled.has(label))) return null;
  const positions = keywords.map((name): [string, number] => [name, names.indexOf(name)]);
  return positions.every(([, at]) => at !== -1) ? positions : null;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * What the calls of a wrapped label (`12:5:resolveUnder~14:9:read`, innermost first) confine its
 * value to: checked (a path) or allowed (a URL's host) when, for one of those calls, every function
 * it may run is the bundle's and confines what it returns that way (FunctionFact.confines); null
 * otherwise. Outermost call first: the helper right before the sink decides.
 */
function confinedThrough(file: string, wraps: string, index: Index, resolve: Resolver): Taint | null {
  const cache = index.confinements!;
  let inFile = cache.byFile.get(file);
  if (inFile === undefined) cache.byFile.set(file, (inFile = new Map()));
  const known = inFile.get(wraps);
  if (known !== undefined) return known;
  const keys = wraps.split(WRAP);
  let found: Taint | null = null;
  for (let at = keys.length - 1; at >= 0 && found === null; at--) {
    const calls = callsAt(cache, file).get(keys[at]!) ?? [];
    const kinds = new Set(
      calls.flatMap((call) => {
        const callees = calleesOf(file, call, index, resolve);
        return callees.length === 0 ? [undefined] : callees.map((callee) => index.functions.get(callee)?.fact.confines);
      }),
    );
    const [kind] = kinds;
    if (calls.length > 0 && kinds.size === 1 && kind !== undefined) found = kind === 'path' ? 'checked' : 'allowed';
  }
  inFile.set(wraps, found);
  return found;
}

/** The facts of every file; per file, once a wrapped label of it is read, its calls by key (`<line>:<column>:<name>`) and what each wrapped suffix confines to. */
interface Confinements {
  files: ReadonlyMap<string, FileFacts>;
  callsAt: Map<string, Map<string, CallFact[]>>;
  byFile: Map<string, Map<string, Taint | null>>;
}

function callsAt(cache: Confinements, file: string): Map<string, CallFact[]> {
  let found = cache.callsAt.get(file);
  if (found === undefined) {
    found = new Map();
    for (const call of cache.files.get(file)?.calls ?? []) append(found, callKey(call.line, call.column, call.callee), call);
    cache.callsAt.set(file, found);
  }
  return found;
}
