import { expect, it } from 'vitest';
import { findingsOf, scanFixture } from '../helpers/fixtures.js';

it('reports junk once per bundle, with a count and an example', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-os-junk/invalid.dxt');
  const findings = findingsOf(bundle, 'archive-os-junk');
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({ severity: 'low', location: { file: '__MACOSX/server/._index.js' } });
  expect(findings[0]!.message).toContain('2 operating-system junk entries');
});
