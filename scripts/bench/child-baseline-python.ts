// The baseline a Python bundle's audit is measured against, the counterpart of child-baseline.ts:
// read the bundle out of the ZIP with the project's own reader (in memory, no extraction) and parse
// every `.py` file with the audit's own Python parser (web-tree-sitter and tree-sitter-python's
// WebAssembly grammar), one after the other on one thread, each tree deleted as soon as it is built.
// Loading the grammar is part of it, as it is part of the audit; `.pyi` stubs are left out (never
// run). Prints one JSON line; the parent (cold.ts) reads the last line of stdout.
import { loadPythonParser } from '../../src/analysis/python/parse.js';
import { readBaselineBundle } from './baseline-read.js';
import { isPythonPath } from './python-assemble.js';

const { read, start, unzipMs } = readBaselineBundle('child-baseline-python.ts');
const parser = await loadPythonParser();
const loadMs = performance.now() - start - unzipMs;

const decoder = new TextDecoder();
let files = 0;
let bytes = 0;
let recoveredErrors = 0;
let failed = 0;
for (const file of read.files) {
  if (!isPythonPath(file.path)) continue;
  files += 1;
  bytes += file.bytes.length;
  const { tree, problem } = parser.parse(decoder.decode(file.bytes));
  if (tree === null) failed += 1;
  else if (problem !== null) recoveredErrors += 1;
  tree?.delete();
}
const ms = performance.now() - start;

console.log(
  JSON.stringify({
    ms,
    unzipMs,
    loadMs,
    parseMs: ms - unzipMs - loadMs,
    maxRssKB: process.resourceUsage().maxRSS,
    files,
    bytes,
    recoveredErrors,
    failed,
    readerEvents: read.events.length,
  }),
);
