import { beforeAll, expect, it } from 'vitest';
import { analyzeCode } from '../../src/analysis/analyze.js';
import { extractFacts } from '../../src/analysis/js/extract.js';
import { MAX_PARSED_CHARACTERS } from '../../src/bundle/limits.js';
import type { FileFacts } from '../../src/analysis/model/file-facts.js';
import { extractPythonFacts } from '../../src/analysis/python/extract.js';
import { loadPythonParser, type PythonParser } from '../../src/analysis/python/parse.js';
import { describeServer } from '../../src/analysis/server.js';
import { tree } from '../helpers/tree.js';

// What bounds the memory and time the analysis of hostile code can take: a file over
// MAX_PARSED_CHARACTERS is never parsed, and a server's code past its budget (Limits.maxCodeBytes)
// is never read, each a parse problem, so a finding and a gap, never a silent skip; and shapes of
// code real servers never write, such as member chains thousands deep, cost linear time.

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const TOO_LARGE = /^file too large to parse \(\d+ characters; files over 8388608 are not parsed\)$/;

it('reports a file over the size limit unparsed, in either language, and parses one at the limit', () => {
  const over = 'a;'.repeat(MAX_PARSED_CHARACTERS / 2) + ' ';
  expect(extractFacts('big.js', over).parseError).toEqual({ message: expect.stringMatching(TOO_LARGE), line: 1, column: 1 });
  expect(extractPythonFacts(over, parser).parseError).toEqual({ message: expect.stringMatching(TOO_LARGE), line: 1, column: 1 });
  // One long string, cheap to parse: exactly at the limit, it is read.
  const atLimit = `s = '${'a'.repeat(MAX_PARSED_CHARACTERS - 6)}'`;
  expect(atLimit).toHaveLength(MAX_PARSED_CHARACTERS);
  expect(extractPythonFacts(atLimit, parser).parseError).toBeNull();
  expect(extractFacts('big.js', atLimit).parseError).toBeNull();
});

const manifest = { server: { type: 'node', entry_point: 'server/index.js' } };
/** An entry loading three files of 40 bytes each, in this order. */
const files = tree({
  'server/index.js': "require('./a.js'); require('./b.js');",
  'server/a.js': "require('./c.js'); module.exports = 1; //",
  'server/b.js': "require('child_process').exec(cmd); //",
  'server/c.js': "fetch('https://c.example.com'); // ....",
});
const sizeOf = (path: string) => files.get(path)!.bytes.length;

it('reads the code a server loads up to its budget, in the order the server loads it, and reports the rest unread', () => {
  const budget = sizeOf('server/index.js') + sizeOf('server/a.js');
  const cache = new Map<string, FileFacts>();
  const code = analyzeCode(describeServer(manifest, files), files, cache, undefined, budget);
  const unread = /^not read: with it, the code the server loads passes \d+ bytes \(--max-code-bytes\)$/;
  expect(code.parseErrors.map(({ file, problem }) => [file, problem.message])).toEqual([
    ['server/b.js', expect.stringMatching(unread)],
    ['server/c.js', expect.stringMatching(unread)],
  ]);
  expect(code.gaps).toEqual([expect.stringContaining('server/b.js'), expect.stringContaining('server/c.js')]);
  expect(code.calls.map((call) => call.callee)).not.toContain('child_process.exec');
  // Only facts read from the code are kept for later bundles, never the budget's verdict.
  expect(cache.size).toBe(2);

  // The same files whatever the cache holds: facts of every file already known change nothing.
  const full = new Map<string, FileFacts>();
  expect(analyzeCode(describeServer(manifest, files), files, full).parseErrors).toEqual([]);
  expect(full.size).toBe(4);
  const again = analyzeCode(describeServer(manifest, files), files, full, undefined, budget);
  expect(again.parseErrors).toEqual(code.parseErrors);
});

it('reads member chains a hundred thousand deep in time linear in their length', () => {
  // Each member of a chain asked where the chain starts: walking the whole chain each time cost its
  // square (20,000 members took 4 s, 60,000 a minute, 300,000 would take hours); these 100,000 take
  // under a second, or far past the suite's time limit without linear time.
  const deep = '.b'.repeat(100_000);
  const facts = extractFacts('index.js', `const x = a${deep};\nfetch(url, { body: x, headers: process.env${deep} });\nx${deep}.run();\n`);
  expect(facts.parseError).toBeNull();
  const callees = facts.calls.map((call) => call.callee);
  expect(callees).toEqual(['fetch', expect.stringMatching(/run$/)]);
  expect(facts.calls[0]!.args[1]!.labels).toContain('@env');
});
