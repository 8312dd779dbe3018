import { describe, expect, it } from 'vitest';
import { audit, toHtml, toJson, toMarkdown, toSarif, toText } from '../src/index.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';

// The library's renderers print what the command line prints for the same report.

describe('the renderers the library exports', () => {
  const paths = [repoPath('fixtures/chains/bundles'), repoPath('fixtures/examples/hello-world.dxt')];
  const cliOutput = async (...args: string[]) => (await runCli(['scan', ...paths, ...args], { cwd: repoPath('.') })).stdout;

  it.each([
    ['text', (report: Awaited<ReturnType<typeof audit>>) => toText(report)],
    ['json', toJson],
    ['sarif', (report: Awaited<ReturnType<typeof audit>>) => toSarif(report, { cwd: repoPath('.') })],
    ['markdown', toMarkdown],
    ['html', toHtml],
  ] as const)('%s: the same bytes as --format %s', async (format, render) => {
    const report = await audit(paths);
    expect(render(report)).toBe(await cliOutput('--format', format));
  });

  it('colours text only when asked', async () => {
    const report = await audit([repoPath('fixtures/rules/archive-path-traversal/invalid.dxt')]);
    expect(toText(report)).not.toMatch(/\u001b\[/);
    expect(toText(report, { color: true })).toMatch(/\u001b\[/);
  });
});
