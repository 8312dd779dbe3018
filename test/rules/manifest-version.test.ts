import { expect, it } from 'vitest';
import rule from '../../rules/manifest-version.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';
import { runManifestRule } from '../manifest/rule-harness.js';

it('reports a manifest version no tooling defines, naming the field, the value and the known versions', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-version/invalid');
  const finding = findingWith(bundle, 'manifest-version', 'declares manifest_version "1.0", which is not a known manifest version');
  expect(finding).toMatchObject({ severity: 'medium', category: 'manifest', location: { file: 'manifest.json', pointer: '/manifest_version' } });
  expect(finding.message).toContain('"0.1", "0.2", "0.3", "0.4"');
  expect(finding.message).toContain('not checked against any schema');
});

it('reports mcpb_version, which no tool reads', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-version/invalid-mcpb-version');
  expect(findingWith(bundle, 'manifest-version', 'declares only mcpb_version')).toMatchObject({
    severity: 'medium',
    location: { file: 'manifest.json', pointer: '' },
  });
});

it('accepts a known version in the deprecated dxt_version field', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-version/valid');
  expect(findingsOf(bundle, 'manifest-version')).toEqual([]);
  expect(bundle.findings.filter((finding) => finding.ruleId.startsWith('manifest-'))).toEqual([]);
});

it('says when an unknown DXT-era version was still checked against that era\'s format', () => {
  const findings = runManifestRule(rule, { dxt_version: '0.1.0', name: 'n', version: '1', description: 'd', author: { name: 'a' } });
  expect(findings).toEqual([
    expect.objectContaining({
      ruleId: 'manifest-version',
      message: expect.stringContaining('declares dxt_version "0.1.0"') as unknown,
      location: { file: 'manifest.json', pointer: '/dxt_version' },
    }),
  ]);
  expect(findings[0]!.message).toContain('checked against the DXT-era format');
});

it('names a version of the wrong type without serialising it', () => {
  const [finding] = runManifestRule(rule, { manifest_version: { deep: [[[1]]] } });
  expect(finding!.message).toContain('declares manifest_version an object');
});
