import { describe, expect, it } from 'vitest';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

// Where a bundler compiled the dependencies into one file, no package.json is left to match an
// advisory against (deps-known-advisory); the code rules still find the known bug shapes, through the
// interop wrappers bundlers write (`__toESM(require('open'))`, `(0, import_open.default)(…)`).
describe('known bug shapes in single-file bundles', () => {
  it('server-filesystem before 2025.7.1: each bare startsWith(root) check, reached by the file tools', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-single-file-bundle');
    expect(findingsOf(bundle, 'deps-known-advisory')).toEqual([]);
    const findings = findingsOf(bundle, 'code-filesystem');
    expect(findings.map((finding) => [finding.severity, 'line' in finding.location ? finding.location.line : null])).toEqual([
      ['high', 58],
      ['high', 65],
      ['high', 73],
    ]);
    expect(findingWith(bundle, 'code-filesystem', 'Path containment is checked with normalizedRequested.startsWith(dir), without a separator after the root')).toMatchObject({
      message: expect.stringContaining('(the shape of CVE-2025-53110) in tools "read_file", "write_file".'),
      location: { file: 'server/index.js', line: 58, column: 54 },
      tool: 'read_file',
    });
  });

  it('server-filesystem from 2025.7.1: a separator-terminated root, no finding', async () => {
    expect(findingsOf(await scanFixture('fixtures/rules/code-filesystem/valid-single-file-bundle'), 'code-filesystem')).toEqual([]);
  });

  it('mcp-remote before 0.1.16: the authorization URL from fetched metadata handed to open()', async () => {
    const bundle = await scanFixture('fixtures/rules/code-shell-exec/invalid-single-file-bundle');
    expect(findingsOf(bundle, 'code-shell-exec')).toEqual([
      expect.objectContaining({
        severity: 'high',
        message:
          'open() hands a URL taken from a network response to the OS opener, which runs it through a shell on Windows: a remote server chooses what is opened (the shape of CVE-2025-6514 in mcp-remote) as soon as the module is loaded.',
        location: { file: 'server/proxy.js', line: 39, column: 9 },
        origin: 'first-party',
        evidence: '(0, import_open.default)(authorizationUrl.toString())',
      }),
    ]);
  });

  it('the same proxy printing the URL instead of opening it: no finding', async () => {
    expect(findingsOf(await scanFixture('fixtures/rules/code-shell-exec/valid-single-file-bundle'), 'code-shell-exec')).toEqual([]);
  });
});
