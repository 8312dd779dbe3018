import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('reports a key of a later version as low, naming the versions that accept it', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-unknown-key/invalid');
  const finding = findingWith(bundle, 'manifest-unknown-key', 'key "privacy_policies" at the top level');
  expect(finding).toMatchObject({ severity: 'low', category: 'manifest', location: { file: 'manifest.json', pointer: '/privacy_policies' } });
  expect(finding.message).toContain('manifest version 0.1 does not define (manifest versions 0.2, 0.3, 0.4 would accept it)');
  expect(findingsOf(bundle, 'manifest-unknown-key')).toHaveLength(1);
});

it('says when no version accepts the key', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-unknown-key/invalid-tool-annotations');
  const finding = findingWith(bundle, 'manifest-unknown-key', 'key "annotations" in /tools/0, which no manifest version defines');
  expect(finding).toMatchObject({ severity: 'low', location: { file: 'manifest.json', pointer: '/tools/0/annotations' } });
});

it('is a medium finding when the manifest is checked strictly', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-unknown-key/invalid', { strictManifest: true });
  expect(findingWith(bundle, 'manifest-unknown-key', 'privacy_policies').severity).toBe('medium');
});

it('accepts privacy_policies under manifest version 0.2', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-unknown-key/valid', { strictManifest: true });
  expect(findingsOf(bundle, 'manifest-unknown-key')).toEqual([]);
  expect(bundle.findings.filter((finding) => finding.ruleId.startsWith('manifest-'))).toEqual([]);
});
