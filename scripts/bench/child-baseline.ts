// The baseline the audit is measured against: read the bundle's JavaScript out of the ZIP with
// the project's own reader (in memory, no extraction) and parse every file with @babel/parser,
// one after the other on one thread. ASTs are dropped as soon as they are built, as a per-file
// scanner would. Prints one JSON line; the parent (cold.ts) reads the last line of stdout.
import { parse } from '@babel/parser';
import { readBaselineBundle } from './baseline-read.js';
import { isJsPath } from './js-files.js';

const { read, start, unzipMs } = readBaselineBundle('child-baseline.ts');

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
