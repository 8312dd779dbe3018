import { setFlagsFromString } from 'node:v8';

// V8's optimizing compiler, tuned for what an audit is: a short process that walks syntax trees whose
// nodes come in hundreds of shapes. At its defaults V8 optimizes the walkers early, then throws the
// code away each time a node shape they had not seen reaches them, and optimizes them again ("wrong
// map"): on the corpus a third of an audit's CPU went to that compiling. Optimizing later and inlining
// less into each function leaves less to throw away: 5 to 19% off the corpus scans, 10 to 30% off
// their CPU (docs/benchmarks.md). The flags are V8's own; they were measured on Node 20's V8 (11.x)
// only, and other engines keep their defaults. Only the command line sets them: they are the whole
// process's, and a program that uses dxt-audit as a library keeps its own.

const FLAGS = ['--max-inlined-bytecode-size-cumulative=460', '--interrupt-budget=300000'];

let tuned = false;

export function tuneCompilerForAudits(): void {
  if (tuned || !process.versions.v8.startsWith('11.')) return;
  tuned = true;
  for (const flag of FLAGS) setFlagsFromString(flag);
}
