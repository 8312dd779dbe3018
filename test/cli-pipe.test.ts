import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoPath } from './helpers/fixtures.js';

// `dxt-audit … | head`: the reader leaves before the output is written. Only the real bin (npm test
// builds it first) has a pipe whose reader can leave, so these tests spawn it.

function withReaderGone(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [repoPath('bin/dxt-audit.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

describe('standard output whose reader has gone', () => {
  it.each([
    [['explain', 'code-shell-exec']],
    [['rules']],
    [['scan', repoPath('fixtures/examples/hello-world.dxt')]],
    [['scan', repoPath('fixtures/examples/hello-world.dxt'), '--format', 'json']],
  ])('is no error: %j exits 0 with nothing on standard error', async (args) => {
    expect(await withReaderGone(args)).toEqual({ status: 0, stderr: '' });
  });

  it('leaves the exit code to the gate', async () => {
    expect(await withReaderGone(['scan', repoPath('fixtures/chains/bundles/shell-runner')])).toEqual({ status: 1, stderr: '' });
  });
});
