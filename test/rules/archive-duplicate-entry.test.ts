import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports each duplicated name once, with its count', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-duplicate-entry/invalid.dxt');
  expect(findingWith(bundle, 'archive-duplicate-entry', '"server/index.js" appears 2 times')).toMatchObject({
    severity: 'high',
    location: { file: 'server/index.js' },
  });
});
