// How the benchmark measures: each run in a child process of its own (so that its peak memory is its
// alone), timed from spawn to exit by this process, and the runs reduced to medians.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './assemble.js';

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Spawn to exit, as measured here: Node's start-up, module loading and the work. */
  totalMs: number;
}

/** `node ...args` from the repository root; resolves when it exits, whatever its exit code. */
export function runNode(args: readonly string[]): Promise<Exited> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, totalMs: performance.now() - started }));
  });
}

/** The last lines of a child's standard error, to explain its failure. */
export const stderrTail = (exited: Exited): string => exited.stderr.trim().split('\n').slice(-6).join('\n');

/**
 * Runs one of scripts/bench's child scripts (`.ts` ones under tsx, `.mjs` ones as they are), which
 * prints its result as one JSON line, the last of its output.
 */
export async function runChild<T>(script: string, args: readonly string[]): Promise<T & { totalMs: number }> {
  const file = path.join(REPO_ROOT, 'scripts', 'bench', script);
  const exited = await runNode([...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), file, ...args]);
  const last = exited.stdout.trim().split('\n').at(-1) ?? '';
  if (exited.code !== 0 || !last.startsWith('{')) {
    const tail = stderrTail(exited);
    throw new Error(`${script} exited with ${exited.code ?? exited.signal}${tail ? `:\n${tail}` : ''}`);
  }
  return { ...(JSON.parse(last) as T), totalMs: exited.totalMs };
}

/** `measure` run `runs` times in turn. */
export async function repeat<T>(runs: number, measure: (run: number) => Promise<T>): Promise<T[]> {
  const all: T[] = [];
  for (let run = 1; run <= runs; run++) all.push(await measure(run));
  return all;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Times are medians over the runs; peak memory is the worst run. Everything else (findings, the
 * report) is deterministic, so the last run's stands for all.
 */
export function combine<T extends { maxRssKB: number }>(runs: readonly T[], timed: ReadonlyArray<keyof T>): T {
  const result = { ...runs.at(-1)! };
  for (const key of timed) (result as Record<keyof T, unknown>)[key] = median(runs.map((run) => run[key] as number));
  result.maxRssKB = Math.max(...runs.map((run) => run.maxRssKB));
  return result;
}
