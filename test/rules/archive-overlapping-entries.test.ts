import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a second name for the same bytes', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-overlapping-entries/invalid.dxt');
  expect(findingWith(bundle, 'archive-overlapping-entries', 'overlap those of "server/index.js"')).toMatchObject({ severity: 'high' });
});
