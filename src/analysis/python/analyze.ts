import { createHash } from 'node:crypto';
import type { VirtualFile } from '../../bundle/container.js';
import type { FactsCache } from '../model/code-facts.js';
import type { FileFacts } from '../model/file-facts.js';
import { buildModuleGraph } from '../model/module-graph.js';
import { reachFromTools, type Reach } from '../model/reachability.js';
import { extractPythonFacts } from './extract.js';
import { isPythonScript, type PythonParser } from './parse.js';
import { createPythonResolver, pythonSearchRoots } from './resolve.js';

// A Python server's module graph from its entry script, the facts of every module it can import,
// and which tool reaches which call: the same steps and shapes as for Node (../analyze.ts), with
// Python's parser, extractor and import resolution. Facts share the run's cache, keyed by content
// and language.

export interface PythonAnalysis {
  reachable: string[];
  byFile: Map<string, FileFacts>;
  reach: Reach;
}

/** `entries` and `pythonPath` as analysis/server.ts describes the server. */
export function analyzePython(
  entries: readonly string[],
  pythonPath: readonly string[],
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  parser: PythonParser,
): PythonAnalysis {
  const byFile = new Map<string, FileFacts>();
  const factsOf = (path: string): FileFacts | null => {
    const known = byFile.get(path);
    if (known) return known;
    const file = files.get(path);
    // `python <entry>` runs the entry as Python whatever its name.
    if (!file || !(isPythonScript(path) || entries.includes(path))) return null;
    const key = `python:${createHash('sha256').update(file.bytes).digest('hex')}`;
    const extracted = cache.get(key) ?? extractPythonFacts(Buffer.from(file.bytes).toString('utf8'), parser);
    cache.set(key, extracted);
    byFile.set(path, extracted);
    return extracted;
  };
  const resolve = createPythonResolver(files, pythonSearchRoots(entries, pythonPath, files));
  const graph = buildModuleGraph(entries, (path) => factsOf(path)?.imports ?? null, resolve);
  return { reachable: graph.order, byFile, reach: reachFromTools(byFile, graph.edges, resolve) };
}
