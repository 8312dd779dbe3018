import { createHash } from 'node:crypto';
import type { VirtualFile } from '../../bundle/container.js';
import { emptyFacts, type FileFacts, type ParseProblem } from './file-facts.js';
import { buildModuleGraph } from './module-graph.js';
import { codeText } from './code-text.js';
import type { Origin } from './origin.js';
import { reachFromTriggers, type Reach, type TimerOf } from './reachability.js';
import type { Resolver } from './resolver.js';

// The steps every language takes from the server's entry files (js/analyze.ts and python/analyze.ts
// give their reader and resolver): the module graph, the facts of every file in it, each distinct
// file parsed once per run, and what sets each call off (tools, module load, listeners, timers) with what input.

/**
 * Facts of files already parsed, by content: the same SDK in ten bundles is parsed once. A Map
 * serves a run; `--cache` backs one with the disk (cache/facts-store.ts).
 */
export interface FactsCache {
  get(key: string): FileFacts | undefined;
  set(key: string, facts: FileFacts): void;
}

/** How one language turns its files into facts. */
export interface FileReader {
  /** Its scripts, by name; the server's entries are read whatever their name. */
  isScript(path: string): boolean;
  /** The cache key of a file whose content has this sha256 digest: distinct per language, and per whatever else changes the facts. */
  cacheKey(path: string, digest: string): string;
  extract(path: string, text: string): FileFacts;
  /** Its schedulers (catalog/listeners.ts): what runs on a timer. */
  timerOf: TimerOf;
}

/** A server's code as one language's pipeline finds it. */
export interface ServerCode {
  /** Files the server can load, entries first. */
  reachable: string[];
  /** Facts of every file read. */
  byFile: Map<string, FileFacts>;
  reach: Reach;
  /** Whose file a path is, as the language lays out its dependencies. */
  originOf: (file: string) => Origin;
  /**
   * Files the server never loads but its package's build runs (Python's setup.py), read for what
   * they declare to the build only (FileFacts.installCommands): their calls run at install, not in the server.
   */
  buildFiles?: Map<string, FileFacts>;
}

const digests = new WeakMap<VirtualFile, string>();

/** The key of a file's facts in the cache: its content's digest, worked out once per file (js/prefetch.ts asks too). */
export function factsKey(reader: FileReader, file: VirtualFile): string {
  let digest = digests.get(file);
  if (digest === undefined) digests.set(file, (digest = createHash('sha256').update(file.bytes).digest('hex')));
  return reader.cacheKey(file.path, digest);
}

/** A file's facts from the cache, or extracted and cached. */
export function cachedFacts(path: string, file: VirtualFile, cache: FactsCache, reader: FileReader): FileFacts {
  const key = factsKey(reader, file);
  const extracted = cache.get(key) ?? reader.extract(path, codeText(file.bytes));
  cache.set(key, extracted);
  return extracted;
}

/** `node <entry>` runs the entry as JavaScript whatever its name (`server/main`, `index.JS`), and `python <entry>` as Python. */
export function readsAsCode(reader: FileReader, entries: readonly string[], path: string): boolean {
  return reader.isScript(path) || entries.includes(path);
}

/**
 * `codeBudget`: Limits.maxCodeBytes. Files are read in the order the module graph meets them, each
 * distinct content counted once, whether its facts were in the cache or not, so that which files
 * are left unread depends on the bundle alone.
 */
export function followEntries(
  entries: readonly string[],
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  reader: FileReader,
  resolve: Resolver,
  originOf: (file: string) => Origin,
  codeBudget: number,
): ServerCode {
  const byFile = new Map<string, FileFacts>();
  /** Whether each distinct content met so far fits the budget, by cache key. */
  const fits = new Map<string, boolean>();
  let codeBytes = 0;
  const factsOf = (path: string): FileFacts | null => {
    const known = byFile.get(path);
    if (known) return known;
    const file = files.get(path);
    if (!file || !readsAsCode(reader, entries, path)) return null;
    const key = factsKey(reader, file);
    if (!fits.has(key)) {
      codeBytes += file.bytes.length;
      fits.set(key, codeBytes <= codeBudget);
    }
    const extracted = fits.get(key) === true ? cachedFacts(path, file, cache, reader) : emptyFacts(overBudget(codeBudget));
    byFile.set(path, extracted);
    return extracted;
  };
  const graph = buildModuleGraph(entries, (path) => factsOf(path)?.imports ?? null, resolve);
  return { reachable: graph.order, byFile, reach: reachFromTriggers(byFile, graph, resolve, reader.timerOf, originOf), originOf };
}

function overBudget(codeBudget: number): ParseProblem {
  return { message: `not read: with it, the code the server loads passes ${codeBudget} bytes (--max-code-bytes)`, line: 1, column: 1 };
}
