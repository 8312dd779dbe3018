// What both baselines (child-baseline.ts, child-baseline-python.ts) start with: the bundle named on
// the command line, read with the project's own ZIP reader, in memory, nothing extracted.
import { readFileSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { readZip, type ZipRead } from '../../src/bundle/zip.js';

// The ratio limit is lifted: a baseline is "every file of the language", not "every file the limits
// let through" (generated googleapis files reach 53:1).
const limits = { ...DEFAULT_LIMITS, maxRatio: Number.POSITIVE_INFINITY };

/** The bundle's files, when the clock started, and how long reading took. */
export function readBaselineBundle(script: string): { read: ZipRead; start: number; unzipMs: number } {
  const bundle = process.argv[2];
  if (bundle === undefined) throw new Error(`usage: ${script} <bundle>`);
  const start = performance.now();
  const read = readZip(readFileSync(bundle), limits);
  return { read, start, unzipMs: performance.now() - start };
}
