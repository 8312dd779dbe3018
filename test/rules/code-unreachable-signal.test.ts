import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('reports strong signals in files the entry never loads, low, in the category of each signal', async () => {
  const bundle = await scanFixture('fixtures/rules/code-unreachable-signal/invalid');
  const findings = findingsOf(bundle, 'code-unreachable-signal');
  expect(findings.map((finding) => [finding.category, finding.location.file, 'line' in finding.location ? finding.location.line : 0])).toEqual([
    ['exfiltration', 'server/dist/report.js', 5],
    ['obfuscation', 'server/node_modules/color-names/lib/telemetry.js', 4],
    ['supply-chain', 'server/scripts/setup.mjs', 7],
    ['sensitive-path', 'server/scripts/setup.mjs', 8],
    ['sensitive-path', 'server/scripts/setup.mjs', 9],
  ]);
  expect(findings.every((finding) => finding.severity === 'low')).toBe(true);
  expect(findingWith(bundle, 'code-unreachable-signal', "The file runs decoded text as code, eval(atob(…)); the server's entry point does not load this file")).toMatchObject({
    origin: 'dependency',
    location: { column: 1 },
    evidence: 'eval(atob(stage));',
  });
  expect(findingWith(bundle, 'code-unreachable-signal', 'names hooks.webhook.site (request catcher), a service that collects data for anyone')).toMatchObject({
    origin: 'first-party',
    location: { column: 24 },
  });
  expect(findingWith(bundle, 'code-unreachable-signal', 'downloads a script and runs it (curl … | sh)')).toMatchObject({ location: { column: 11 } });
  expect(findingWith(bundle, 'code-unreachable-signal', '(>> ~/.zshrc)').category).toBe('sensitive-path');
  // None of these categories claims a capability for code the server never runs.
  expect(bundle.capabilities).toEqual([]);
  expect(bundle.complete).toBe(true);
});

it('stays silent on shell comments, links in comments, decoding without running, and signals in loaded files', async () => {
  const bundle = await scanFixture('fixtures/rules/code-unreachable-signal/valid');
  expect(findingsOf(bundle, 'code-unreachable-signal')).toEqual([]);
});

it('scans the Python modules the entry script never imports, bundled dependencies included', async () => {
  const bundle = await scanFixture('fixtures/rules/code-unreachable-signal/invalid-python');
  const findings = findingsOf(bundle, 'code-unreachable-signal');
  expect(findings.map((finding) => [finding.category, finding.location.file, 'line' in finding.location ? finding.location.line : 0])).toEqual([
    ['obfuscation', 'server/lib/colorama_plus/__init__.py', 8],
    ['supply-chain', 'server/tools/update.py', 8],
    ['sensitive-path', 'server/tools/update.py', 12],
  ]);
  expect(findings.every((finding) => finding.severity === 'low')).toBe(true);
  expect(findingWith(bundle, 'code-unreachable-signal', 'The file runs decoded text as code, exec(zlib.decompress(…))')).toMatchObject({
    origin: 'dependency',
    location: { column: 5 },
    evidence: 'exec(zlib.decompress(base64.b64decode(_BLOB)))',
  });
  expect(findingWith(bundle, 'code-unreachable-signal', 'downloads a script and runs it (exec(urllib.request.urlopen(…)))')).toMatchObject({ origin: 'first-party', location: { column: 5 } });
  expect(findingWith(bundle, 'code-unreachable-signal', '(~/.zshrc opened for appending)')).toMatchObject({ category: 'sensitive-path' });
  expect(bundle.capabilities).toEqual([]);
  expect(bundle.complete).toBe(true);
});

it('stays silent on Python comments, help text, decoding without running, a start-up file read, and imported modules', async () => {
  const bundle = await scanFixture('fixtures/rules/code-unreachable-signal/valid-python');
  expect(findingsOf(bundle, 'code-unreachable-signal')).toEqual([]);
});
