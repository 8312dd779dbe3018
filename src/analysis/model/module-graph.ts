// The modules the server could load starting from its entry files, as the language's Resolver
// answers (Node's or Python's import rules), found breadth-first without recursion so that deep or
// cyclic dependency trees cannot exhaust the stack.
import type { ImportRef } from './file-facts.js';
import type { Resolution, Resolver } from './resolver.js';

export interface MissingImport {
  from: string;
  specifier: string;
  line: number;
  column: number;
}

export interface ModuleGraph {
  /** Reachable files, entries first, then breadth-first in import order: deterministic for a given tree. */
  order: string[];
  /** Every scanned code file -> the files it imports, each once, in import order (may be empty). */
  edges: Map<string, string[]>;
  /** Every scanned code file -> the builtin modules it imports, `node:` removed, each once, in import order. */
  builtins: Map<string, string[]>;
  /** Literal specifiers that resolve to nothing in the bundle, in discovery order. */
  missing: MissingImport[];
}

/**
 * `importsOf` returns null for a file that is not code (JSON, a native addon): it is a reachable leaf.
 * Non-literal specifiers cannot be followed and are skipped here; the import list still has them.
 */
export function buildModuleGraph(
  entries: readonly string[],
  importsOf: (path: string) => ImportRef[] | null,
  resolve: Resolver,
): ModuleGraph {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    order.push(path);
  };
  const graph: ModuleGraph = { order, edges: new Map(), builtins: new Map(), missing: [] };
  entries.forEach(visit);
  // `order` is also the queue: files appended while scanning are scanned in turn.
  for (let next = 0; next < order.length; next++) {
    const file = order[next]!;
    const refs = importsOf(file);
    if (refs === null) continue;
    const targets = new Set<string>();
    const builtins = new Set<string>();
    for (const ref of refs) {
      const resolution = resolveImport(file, ref, resolve);
      if (resolution === null) continue;
      if (resolution.kind === 'file') targets.add(resolution.path);
      else if (resolution.kind === 'builtin') builtins.add(resolution.name);
      else graph.missing.push({ from: file, specifier: ref.specifier!, line: ref.line, column: ref.column });
    }
    graph.edges.set(file, [...targets]);
    graph.builtins.set(file, [...builtins]);
    targets.forEach(visit);
  }
  return graph;
}

/** Where an import of `file` leads; null for a specifier computed at run time, which cannot be followed. */
export function resolveImport(file: string, ref: ImportRef, resolve: Resolver): Resolution | null {
  return ref.specifier === null ? null : resolve(file, ref.specifier, ref.kind === 'require' ? 'require' : 'import');
}
