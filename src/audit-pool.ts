import { readdir, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { failedBundle, type AuditedBundle, type AuditJob, type AuditTarget } from './audit-job.js';

// Several bundles at once (a folder of them, or every installed extension): each bundle is audited
// whole on one of `size` worker threads, biggest archives first so that one large bundle does not
// start last. Workers exchange plain data only (the job, then the bundle's report and roles). A
// worker that dies takes only its current bundle with it: that bundle is reported as our failure
// (exit 3) and a fresh worker carries on. Results come back in the order of the jobs, whatever
// order they finish in, so the report is the one a sequential audit writes.

export type ProgressListener = (done: number, total: number, source: string) => void;

const WORKER_SCRIPT = new URL('./audit-worker.js', import.meta.url);

/** Workers run the compiled package; from the TypeScript sources (tests, tsx) bundles are audited in turn. */
export function canUseWorkers(): boolean {
  return import.meta.url.endsWith('.js');
}

export async function auditInWorkers(jobs: readonly AuditJob[], size: number, onDone: ProgressListener): Promise<AuditedBundle[]> {
  const results = new Array<AuditedBundle>(jobs.length);
  const order = await biggestFirst(jobs);
  let next = 0;
  let done = 0;
  await new Promise<void>((finish) => {
    const start = () => {
      if (next >= order.length) return;
      const worker = new Worker(WORKER_SCRIPT);
      let current = -1;
      const feed = () => {
        if (next >= order.length) {
          void worker.terminate();
          return;
        }
        current = order[next++]!;
        worker.postMessage(jobs[current]);
      };
      const settle = (result: AuditedBundle) => {
        results[current] = result;
        done += 1;
        onDone(done, jobs.length, jobs[current]!.target.path);
        if (done === jobs.length) finish();
      };
      worker.on('message', (result: AuditedBundle) => {
        settle(result);
        feed();
      });
      // A crash raises 'error' then 'exit': the first one reports the bundle and starts a replacement.
      const lost = (reason: string) => {
        if (current === -1 || results[current] !== undefined) return;
        settle(failedBundle(jobs[current]!.target, reason));
        start();
      };
      worker.on('error', (error) => lost(`a worker thread failed: ${error.message}`));
      worker.on('exit', (code) => lost(`a worker thread stopped (exit code ${code})`));
      feed();
    };
    for (let index = 0; index < Math.min(size, order.length); index++) start();
  });
  return results;
}

/**
 * How many threads `--jobs` left to us should use: a thread costs about as much to start as auditing
 * a 1 MB archive (it loads the analysis again), so the pool is used only when what the other
 * threads could take off the largest bundle's thread (all but the largest) is worth more than that.
 * Archives weigh their size; a folder, whose size is not known without a walk, its file count
 * times the average file of a bundle archive.
 */
export async function threadsThatPay(targets: readonly AuditTarget[], cores: number): Promise<number> {
  if (targets.length < 2 || cores < 2) return 1;
  const weights = await Promise.all(targets.map(weightOf));
  const rest = weights.reduce((sum, weight) => sum + weight, 0) - Math.max(...weights);
  return rest >= POOL_PAYS_FROM_BYTES ? Math.min(cores, targets.length) : 1;
}

/** What the bundles besides the largest must weigh, in archive bytes, for a pool to pay (npm run bench: batch). */
const POOL_PAYS_FROM_BYTES = 2_000_000;
/** Compressed bytes per file in the corpus archives (docs/benchmarks.md), to weigh a folder by its file count. */
const ARCHIVE_BYTES_PER_FILE = 1_600;

async function weightOf(target: AuditTarget): Promise<number> {
  if (target.kind === 'archive') return (await stat(target.path).catch(() => null))?.size ?? 0;
  const names = await readdir(target.path, { recursive: true }).catch(() => []);
  return names.length * ARCHIVE_BYTES_PER_FILE;
}

/** Job indexes, archives by size (largest first), then folders, whose size is not known without a walk. */
async function biggestFirst(jobs: readonly AuditJob[]): Promise<number[]> {
  const sizes = await Promise.all(
    jobs.map(async (job) => (job.target.kind === 'archive' ? ((await stat(job.target.path).catch(() => null))?.size ?? 0) : -1)),
  );
  return jobs.map((_, index) => index).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
}
