import type { VirtualFile } from '../../bundle/container.js';
import { timerApi } from '../catalog/listeners.js';
import type { FileFacts } from '../model/file-facts.js';
import { cachedFacts, followEntries, type FactsCache, type FileReader, type ServerCode } from '../model/server-code.js';
import { extractPythonFacts } from './extract.js';
import { isPythonScript, type PythonParser } from './parse.js';
import { createPythonResolver, isPythonDependency, pythonSearchRoots } from './resolve.js';

// A Python server's code: the same steps and shapes as for Node (js/analyze.ts), with Python's
// parser, extractor and import resolution. Facts share the run's cache, keyed by content and
// language. The server's own setup.py files, which the server never imports but pip and uv run when
// they build its project, are read too, for the commands they replace (python/setup-commands.ts).

/** setup.py files read per bundle: a project has one, a monorepo a few. */
const MAX_SETUP_FILES = 8;

/** `entries` and `pythonPath` as analysis/server.ts describes the server; `codeBudget`: Limits.maxCodeBytes. */
export function analyzePython(
  entries: readonly string[],
  pythonPath: readonly string[],
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  parser: PythonParser,
  codeBudget: number,
): ServerCode {
  const reader: FileReader = {
    isScript: isPythonScript,
    cacheKey: (_path, digest) => `python:${digest}`,
    extract: (_path, text) => extractPythonFacts(text, parser),
    timerOf: timerApi,
  };
  const resolve = createPythonResolver(files, pythonSearchRoots(entries, pythonPath, files));
  const code = followEntries(entries, files, cache, reader, resolve, (file) => (isPythonDependency(file, entries) ? 'dependency' : 'first-party'), codeBudget);
  const buildFiles = new Map<string, FileFacts>();
  for (const file of files.values()) {
    if (buildFiles.size >= MAX_SETUP_FILES) break;
    const setup = file.path === 'setup.py' || file.path.endsWith('/setup.py');
    if (!setup || code.byFile.has(file.path) || code.originOf(file.path) !== 'first-party' || /(?:^|\/)(?:site|dist)-packages\//.test(file.path)) continue;
    buildFiles.set(file.path, cachedFacts(file.path, file, cache, reader));
  }
  if (buildFiles.size > 0) code.buildFiles = buildFiles;
  return code;
}
