import type { VirtualFile } from '../../bundle/container.js';
import { timerApi } from '../catalog/listeners.js';
import { followEntries, type FactsCache, type FileReader, type ServerCode } from '../model/server-code.js';
import { extractPythonFacts } from './extract.js';
import { isPythonScript, type PythonParser } from './parse.js';
import { createPythonResolver, isPythonDependency, pythonSearchRoots } from './resolve.js';

// A Python server's code: the same steps and shapes as for Node (js/analyze.ts), with Python's
// parser, extractor and import resolution. Facts share the run's cache, keyed by content and
// language.

/** `entries` and `pythonPath` as analysis/server.ts describes the server. */
export function analyzePython(
  entries: readonly string[],
  pythonPath: readonly string[],
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  parser: PythonParser,
): ServerCode {
  const reader: FileReader = {
    isScript: isPythonScript,
    cacheKey: (_path, digest) => `python:${digest}`,
    extract: (_path, text) => extractPythonFacts(text, parser),
    timerOf: timerApi,
  };
  const resolve = createPythonResolver(files, pythonSearchRoots(entries, pythonPath, files));
  return followEntries(entries, files, cache, reader, resolve, (file) => (isPythonDependency(file, entries) ? 'dependency' : 'first-party'));
}
