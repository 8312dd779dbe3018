import { afterEach, expect, it, vi } from 'vitest';

// The compiler flags are the process's: here node:v8 is replaced, so that what the tuning asks of V8
// is seen and the test process keeps its own defaults.

const setFlagsFromString = vi.fn();
vi.mock('node:v8', () => ({ setFlagsFromString }));

afterEach(() => {
  vi.unstubAllGlobals();
  setFlagsFromString.mockClear();
  vi.resetModules();
});

async function tuneOn(v8Version: string): Promise<void> {
  vi.stubGlobal('process', { ...process, versions: { ...process.versions, v8: v8Version } });
  const { tuneCompilerForAudits } = await import('../src/compiler-tuning.js');
  tuneCompilerForAudits();
  tuneCompilerForAudits();
}

it("optimizes later and inlines less on Node 20's V8, once per process", async () => {
  await tuneOn('11.3.244.8-node.33');
  expect(setFlagsFromString.mock.calls).toEqual([['--max-inlined-bytecode-size-cumulative=460'], ['--interrupt-budget=300000']]);
});

it('leaves engines it was not measured on at their defaults', async () => {
  await tuneOn('12.4.254.21-node.33');
  expect(setFlagsFromString).not.toHaveBeenCalled();
});

it('is asked for by the command line before anything else', async () => {
  const { main } = await import('../src/cli.js');
  const sink = { write: () => true };
  vi.stubGlobal('process', { ...process, versions: { ...process.versions, v8: '11.3.244.8-node.33' } });
  await main(['node', 'dxt-audit', '--version'], { stdout: sink, stderr: sink, env: {} });
  expect(setFlagsFromString).toHaveBeenCalledWith('--interrupt-budget=300000');
});
