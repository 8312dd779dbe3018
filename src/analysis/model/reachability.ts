import { callKey, WRAP, type ArgumentFact, type CallFact, type FileFacts, type FunctionFact, type ReexportFact, type ToolFact } from './file-facts.js';
import type { Resolver } from './resolver.js';

// Which MCP tool reaches which call, and with what: from each tool's handler, follow nested
// functions and calls to the bundle's own functions (same file by name, other files through
// imports and exports), and carry the handler's parameters, the model-controlled input, into the
// parameters of every function they are passed to.

/** A function or dispatch branch across the whole bundle: `<file>|<id>`. */
type Scope = string;

export interface CallReach {
  /** Tools whose handlers reach this call, sorted. */
  tools: string[];
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
  callsIn: Map<Scope, Array<{ file: string; call: CallFact }>>;
  reexports: Map<string, ReexportFact[]>;
  imports: ReadonlyMap<string, readonly string[]>;
  /** What wrapped labels confine to, read as they come up (see confinedThrough). */
  confinements?: Confinements;
}

/** Barrel files re-export barrel files; past this depth a chain is taken to be a cycle. */
const MAX_REEXPORT_DEPTH = 8;

/** Per file, per call: which tools reach it. Identical files may share facts, so calls are keyed by file too. */
export type ReachMap = Map<string, Map<CallFact, CallReach>>;

export interface Reach {
  calls: ReachMap;
  /** Tools whose handlers run each function or dispatch branch (`<file>|<id>`), sorted. */
  toolsIn: Map<string, string[]>;
}

type Found = Map<string, Map<CallFact, { tools: Set<string>; taintedBy: Set<string>; taintedArgs: Set<number>; rawArgs: Set<number>; allowed?: Set<number> }>>;

/**
 * How tool input reaches a parameter: `raw` when some call passes it unchecked, `checked` after a
 * path check, `allowed` as a URL whose host was checked against an allow-list. Raw wins; `checked`
 * and `allowed` together are raw, as neither check covers both.
 */
type Taint = 'raw' | 'checked' | 'allowed';

export function reachFromTools(files: ReadonlyMap<string, FileFacts>, imports: ReadonlyMap<string, readonly string[]>, resolve: Resolver): Reach {
  const index = buildIndex(files, imports);
  index.confinements = { files, callsAt: new Map(), byFile: new Map() };
  const reach: Found = new Map();
  const toolsIn = new Map<Scope, Set<string>>();
  for (const [file, facts] of files) {
    for (const tool of facts.tools) {
      for (const handler of handlersOf(file, tool, index)) {
        const owner = tool.handlerOwner === undefined ? handler : `${file}|${tool.handlerOwner}`;
        for (const scope of followTool(tool.name, handler, owner, index, resolve, reach)) {
          toolsIn.set(scope, (toolsIn.get(scope) ?? new Set()).add(tool.name));
        }
      }
    }
  }
  const calls: ReachMap = new Map();
  for (const [file, found] of reach) {
    calls.set(
      file,
      new Map(
        [...found].map(([call, entry]) => [
          call,
          {
            tools: [...entry.tools].sort(),
            taintedBy: [...entry.taintedBy].sort(),
            taintedArgs: [...entry.taintedArgs].sort((a, b) => a - b),
            checkedArgs: [...entry.taintedArgs].filter((position) => !entry.rawArgs.has(position) && !entry.allowed?.has(position)).sort((a, b) => a - b),
            ...(entry.allowed ? { allowedArgs: [...entry.allowed].filter((position) => !entry.rawArgs.has(position)).sort((a, b) => a - b) } : {}),
          },
        ]),
      ),
    );
  }
  return { calls, toolsIn: new Map([...toolsIn].map(([scope, tools]) => [scope, [...tools].sort()])) };
}

function buildIndex(files: ReadonlyMap<string, FileFacts>, imports: ReadonlyMap<string, readonly string[]>): Index {
  const index: Index = { functions: new Map(), byName: new Map(), byExport: new Map(), nested: new Map(), callsIn: new Map(), reexports: new Map(), imports };
  for (const [file, facts] of files) {
    const byName = new Map<string, Scope[]>();
    const byExport = new Map<string, Scope[]>();
    for (const fact of facts.functions) {
      const scope = `${file}|${fact.id}`;
      index.functions.set(scope, { file, fact });
      if (fact.name) append(byName, fact.name, scope);
      for (const name of fact.exportedAs) append(byExport, name, scope);
      append(index.nested, `${file}|${fact.parent ?? 'module'}`, scope);
    }
    index.byName.set(file, byName);
    index.reexports.set(file, facts.reexports);
    index.byExport.set(file, byExport);
    for (const call of facts.calls) {
      append(index.callsIn, `${file}|${call.within ?? 'module'}`, { file, call });
    }
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

function followTool(
  tool: string,
  handler: Scope,
  owner: Scope,
  index: Index,
  resolve: Resolver,
  reach: Found,
): Set<Scope> {
  const visited = new Set<Scope>();
  const queue: Scope[] = [handler];
  const calls: Array<{ file: string; call: CallFact; callees: Scope[] }> = [];
  for (let next = 0; next < queue.length; next++) {
    const scope = queue[next]!;
    if (visited.has(scope)) continue;
    visited.add(scope);
    queue.push(...(index.nested.get(scope) ?? []));
    for (const { file, call } of index.callsIn.get(scope) ?? []) {
      const callees = calleesOf(file, call, index, resolve);
      calls.push({ file, call, callees });
      queue.push(...callees);
    }
  }

  // Taint: the owner's parameters, then every parameter they are passed to, to a fixpoint. Input
  // passed on from a function that checks paths arrives checked; raw wins over checked (and over
  // allowed), and checked and allowed together are raw.
  const tainted = new Map<string, Taint>();
  const ownerPrefix = `${owner}#`;
  // A label wrapped with the calls its value went through (see Label in file-facts.ts) is taken for
  // what the helper those calls run confines it to (confinedThrough).
  const taintOf = (file: string, call: CallFact, labels: readonly string[]): Taint | null => {
    let found: Taint | null = null;
    for (const label of labels) {
      const cut = label.indexOf(WRAP);
      const qualified = `${file}|${cut === -1 ? label : label.slice(0, cut)}`;
      let taint = qualified.startsWith(ownerPrefix) ? 'raw' : tainted.get(qualified);
      if (taint === undefined) continue;
      if (taint === 'raw' && cut !== -1) taint = confinedThrough(file, label.slice(cut + 1), index, resolve) ?? 'raw';
      found = found === null || found === taint ? taint : 'raw';
      if (found === 'raw') break;
    }
    return found === 'raw' && call.guarded ? 'checked' : found;
  };
  let changed = true;
  const mark = (label: string, taint: Taint): void => {
    const current = tainted.get(label);
    if (current === 'raw' || current === taint) return;
    tainted.set(label, current === undefined ? taint : 'raw');
    changed = true;
  };
  while (changed) {
    changed = false;
    for (const { file, call, callees } of calls) {
      call.args.forEach((argument, position) => {
        const taint = taintOf(file, call, argument.labels);
        if (taint === null) return;
        for (const callee of callees) {
          const named = argument.keywords ? keywordPositions(argument, index.functions.get(callee)?.fact.paramNames) : null;
          if (named === null) {
            mark(`${callee}#${position}`, taint);
            continue;
          }
          for (const [name, at] of named) {
            const own = taintOf(file, call, argument.propertyLabels?.[name] ?? []);
            if (own !== null) mark(`${callee}#${at}`, own);
          }
        }
      });
    }
  }

  for (const { file, call } of calls) {
    const inFile = reach.get(file) ?? new Map();
    reach.set(file, inFile);
    const entry = inFile.get(call) ?? { tools: new Set<string>(), taintedBy: new Set<string>(), taintedArgs: new Set<number>(), rawArgs: new Set<number>() };
    entry.tools.add(tool);
    call.args.forEach((argument, position) => {
      const taint = taintOf(file, call, argument.labels);
      if (taint === null) return;
      entry.taintedBy.add(tool);
      entry.taintedArgs.add(position);
      if (taint === 'raw') entry.rawArgs.add(position);
      else if (taint === 'allowed') (entry.allowed ??= new Set()).add(position);
    });
    inFile.set(call, entry);
  }
  return visited;
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
