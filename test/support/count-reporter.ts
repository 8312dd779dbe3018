import type { Reporter } from 'vitest/reporters';

type Task = { type: string; mode?: string; result?: { state?: string }; tasks?: Task[] };

// Ends the run with the plain "N passed, N failed, N skipped" line that CI reads in any language.
export default class CountReporter implements Reporter {
  onFinished(files: readonly Task[] = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const visit = (task: Task): void => {
      if (task.tasks) task.tasks.forEach(visit);
      if (task.type !== 'test') return;
      if (task.result?.state === 'pass') counts.passed++;
      else if (task.result?.state === 'fail') counts.failed++;
      else counts.skipped++;
    };
    files.forEach(visit);
    // A file that fails to load has no tests but failed all the same.
    counts.failed += files.filter((file) => file.result?.state === 'fail' && !file.tasks?.length).length;
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
