import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports the appended archive by its size', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-trailing-data/invalid.dxt');
  expect(findingWith(bundle, 'archive-trailing-data', 'bytes follow the end of the archive')).toMatchObject({ severity: 'high', location: { file: '.' } });
});

it('accepts a well-formed signature block after the archive', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-trailing-data/valid.dxt');
  expect(bundle.signature).toBe('untrusted');
  expect(bundle.findings.filter((finding) => finding.ruleId.startsWith('archive-'))).toEqual([]);
});

it('reports bytes before the first entry (a polyglot stub)', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-trailing-data/invalid-prefix.dxt');
  expect(findingWith(bundle, 'archive-trailing-data', '31 bytes precede the first entry')).toMatchObject({ severity: 'high' });
});
