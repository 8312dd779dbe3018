import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a file that is not a ZIP, incompletely audited', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-not-zip/invalid.dxt');
  expect(findingWith(bundle, 'archive-not-zip', 'not a ZIP archive')).toMatchObject({ severity: 'high', location: { file: '.' } });
  expect(bundle).toMatchObject({ complete: false, manifest: null, level: 'high', id: 'invalid.dxt' });
});
