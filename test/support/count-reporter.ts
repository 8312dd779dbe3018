import type { Reporter } from 'vitest/reporters';

export type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

// Ends the run with the plain "N passed, N failed, N skipped" line that CI reads in any language.
export default class CountReporter implements Reporter {
  onFinished(files: readonly Task[] = []): void {
    const { passed, failed, skipped } = countTests(files);
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/**
 * Tests by outcome. A file or suite that failed with no failed test under it (it did not load, or a
 * beforeAll hook threw, leaving its tests unrun) counts as one failure: it failed all the same.
 */
export function countTests(files: readonly Task[]): { passed: number; failed: number; skipped: number } {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const visit = (task: Task): number => {
    if (task.type === 'test') {
      const state = task.result?.state;
      if (state === 'pass') counts.passed++;
      else if (state === 'fail') counts.failed++;
      else counts.skipped++;
      return state === 'fail' ? 1 : 0;
    }
    const failedBelow = (task.tasks ?? []).reduce((sum, child) => sum + visit(child), 0);
    if (task.result?.state === 'fail' && failedBelow === 0) {
      counts.failed++;
      return 1;
    }
    return failedBelow;
  };
  files.forEach(visit);
  return counts;
}
