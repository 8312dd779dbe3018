// The baseline the audit is measured against: read the bundle's JavaScript out of the ZIP with
// the project's own reader (in memory, no extraction) and parse every file with @babel/parser,
// one after the other on one thread. ASTs are dropped as soon as they are built, as a per-file
// scanner would. Prints one JSON line; the parent (run.ts) reads the last line of stdout.
import { readFileSync } from 'node:fs';
import { parse } from '@babel/parser';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { readZip } from '../../src/bundle/zip.js';
import { isJsPath } from './js-files.js';

const bundle = process.argv[2];
if (bundle === undefined) throw new Error('usage: child-baseline.ts <bundle>');

// The ratio limit is lifted: the baseline is "every JavaScript file", not "every file the limits
// let through" (generated googleapis files reach 53:1).
const limits = { ...DEFAULT_LIMITS, maxRatio: Number.POSITIVE_INFINITY };

const start = performance.now();
const read = readZip(readFileSync(bundle), limits);
const unzipMs = performance.now() - start;

const decoder = new TextDecoder();
let files = 0;
let bytes = 0;
let recoveredErrors = 0;
let failed = 0;
for (const file of read.files) {
  if (!isJsPath(file.path)) continue;
  files += 1;
  bytes += file.bytes.length;
  try {
    const ast = parse(decoder.decode(file.bytes), {
      sourceType: 'unambiguous',
      errorRecovery: true,
      // CommonJS modules may `return` at top level; a few packages ship JSX in .js files.
      allowReturnOutsideFunction: true,
      plugins: ['jsx'],
    });
    recoveredErrors += ast.errors?.length ?? 0;
  } catch {
    failed += 1;
  }
}
const ms = performance.now() - start;

console.log(
  JSON.stringify({
    ms,
    unzipMs,
    parseMs: ms - unzipMs,
    maxRssKB: process.resourceUsage().maxRSS,
    files,
    bytes,
    recoveredErrors,
    failed,
    readerEvents: read.events.length,
  }),
);
