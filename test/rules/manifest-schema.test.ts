import { expect, it } from 'vitest';
import rule from '../../rules/manifest-schema.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';
import { runManifestRule } from '../manifest/rule-harness.js';

it('reports a value of the wrong type at its JSON pointer', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-schema/invalid');
  const finding = findingWith(bundle, 'manifest-schema', 'at /server/mcp_config/platform_overrides/win32/args must be an array');
  expect(finding).toMatchObject({
    severity: 'medium',
    category: 'manifest',
    location: { file: 'manifest.json', pointer: '/server/mcp_config/platform_overrides/win32/args' },
  });
  expect(finding.message).toContain('manifest version 0.3');
  expect(findingsOf(bundle, 'manifest-schema')).toHaveLength(1);
});

it('accepts a platform override whose args are a list', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-schema/valid');
  expect(findingsOf(bundle, 'manifest-schema')).toEqual([]);
});

it('leaves unknown keys to manifest-unknown-key', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-unknown-key/invalid');
  expect(findingsOf(bundle, 'manifest-schema')).toEqual([]);
});

it('names the DXT-era format when that is what the manifest was checked against', () => {
  const findings = runManifestRule(rule, { dxt_version: '0.0.1', name: 'n', version: 1, description: 'd', author: { name: 'a' } });
  expect(findings.map((finding) => [finding.location, finding.message])).toEqual([
    [{ file: 'manifest.json', pointer: '' }, 'manifest.json at the top level lacks the required key "server" (checked against the DXT-era manifest format); the official validator rejects it.'],
    [{ file: 'manifest.json', pointer: '/version' }, 'manifest.json at /version must be a string (checked against the DXT-era manifest format); the official validator rejects it.'],
  ]);
});

it('escapes bundle text that reaches a message through a pointer', () => {
  const [finding] = runManifestRule(rule, {
    manifest_version: '0.2', name: 'n', version: '1', description: 'd', author: { name: 'a' },
    server: { type: 'node', entry_point: 'i.js', mcp_config: { command: 'node', env: { '\u001b[2J': 1 } } },
  });
  expect(finding!.message).toContain('at /server/mcp_config/env/\\u{1B}[2J must be a string');
});
