import type { VirtualFile } from '../../bundle/container.js';
import { DEFAULT_LIMITS } from '../../bundle/limits.js';
import { timerApi } from '../catalog/listeners.js';
import { originOf } from '../model/origin.js';
import type { Resolver } from '../model/resolver.js';
import { followEntries, type FactsCache, type FileReader, type ServerCode } from '../model/server-code.js';
import { extractFacts } from './extract.js';
import { isScript } from './parse.js';
import { createResolver } from './resolve.js';

// A Node server's code: the module graph Node would load from the entries (resolve.ts), the facts of
// every file in it (extract.ts), and which tool reaches which call. Facts share the run's cache.

export const NODE_FILES: FileReader = {
  isScript,
  // The extension is part of the key: it decides how the text is parsed (TypeScript, JSX).
  cacheKey: (path, digest) => `${digest}:${path.slice(path.lastIndexOf('.'))}`,
  extract: extractFacts,
  timerOf: timerApi,
};

/** `entries` as analysis/server.ts describes the server; `codeBudget`: Limits.maxCodeBytes. */
export function analyzeNode(entries: readonly string[], files: ReadonlyMap<string, VirtualFile>, cache: FactsCache, codeBudget = DEFAULT_LIMITS.maxCodeBytes): ServerCode {
  return followEntries(entries, files, cache, NODE_FILES, nodeResolverOf(files), (file) => originOf(file, entries), codeBudget);
}

const resolvers = new WeakMap<ReadonlyMap<string, VirtualFile>, Resolver>();

/** One resolver per bundle tree, shared by the prefetch (prefetch.ts) and the analysis: it caches its answers. */
export function nodeResolverOf(files: ReadonlyMap<string, VirtualFile>): Resolver {
  let resolver = resolvers.get(files);
  if (resolver === undefined) resolvers.set(files, (resolver = createResolver(files)));
  return resolver;
}
