import type { CallFact, FileFacts, FunctionFact, ToolFact } from './facts.js';
import type { Resolver } from './resolve.js';

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
}

interface Index {
  functions: Map<Scope, { file: string; fact: FunctionFact }>;
  byName: Map<string, Map<string, Scope[]>>;
  byExport: Map<string, Map<string, Scope[]>>;
  nested: Map<Scope, Scope[]>;
  callsIn: Map<Scope, Array<{ file: string; call: CallFact }>>;
}

/** Per file, per call: which tools reach it. Identical files may share facts, so calls are keyed by file too. */
export type ReachMap = Map<string, Map<CallFact, CallReach>>;

type Found = Map<string, Map<CallFact, { tools: Set<string>; taintedBy: Set<string> }>>;

export function reachFromTools(files: ReadonlyMap<string, FileFacts>, resolve: Resolver): ReachMap {
  const index = buildIndex(files);
  const reach: Found = new Map();
  for (const [file, facts] of files) {
    for (const tool of facts.tools) {
      for (const handler of handlersOf(file, tool, index)) {
        const owner = tool.handlerOwner === undefined ? handler : `${file}|${tool.handlerOwner}`;
        followTool(tool.name, handler, owner, index, resolve, reach);
      }
    }
  }
  const result: ReachMap = new Map();
  for (const [file, calls] of reach) {
    result.set(file, new Map([...calls].map(([call, found]) => [call, { tools: [...found.tools].sort(), taintedBy: [...found.taintedBy].sort() }])));
  }
  return result;
}

function buildIndex(files: ReadonlyMap<string, FileFacts>): Index {
  const index: Index = { functions: new Map(), byName: new Map(), byExport: new Map(), nested: new Map(), callsIn: new Map() };
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
  if (call.callee.startsWith('member:')) return index.byName.get(file)?.get(call.callee.slice('member:'.length)) ?? [];
  if (!call.module) return [];
  const resolution = resolve(file, call.module.specifier, 'import');
  if (resolution.kind !== 'file') return [];
  const exported = call.module.member === null ? 'default' : (call.module.member.split('.')[0] ?? 'default');
  return index.byExport.get(resolution.path)?.get(exported) ?? [];
}

function followTool(
  tool: string,
  handler: Scope,
  owner: Scope,
  index: Index,
  resolve: Resolver,
  reach: Found,
): void {
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

  // Taint: the owner's parameters, then every parameter they are passed to, to a fixpoint.
  const tainted = new Set<string>();
  const ownerPrefix = `${owner}#`;
  const isTainted = (file: string, label: string) => {
    const qualified = `${file}|${label}`;
    return qualified.startsWith(ownerPrefix) || tainted.has(qualified);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const { file, call, callees } of calls) {
      call.args.forEach((argument, position) => {
        if (!argument.labels.some((label) => isTainted(file, label))) return;
        for (const callee of callees) {
          const label = `${callee}#${position}`;
          if (!tainted.has(label)) {
            tainted.add(label);
            changed = true;
          }
        }
      });
    }
  }

  for (const { file, call } of calls) {
    const inFile = reach.get(file) ?? new Map();
    reach.set(file, inFile);
    const entry = inFile.get(call) ?? { tools: new Set<string>(), taintedBy: new Set<string>() };
    entry.tools.add(tool);
    if (call.args.some((argument) => argument.labels.some((label) => isTainted(file, label)))) entry.taintedBy.add(tool);
    inFile.set(call, entry);
  }
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
