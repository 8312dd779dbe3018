import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('names both colliding entries', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-case-collision/invalid.dxt');
  expect(findingWith(bundle, 'archive-case-collision', '"server/index.js" and "server/Index.js"')).toMatchObject({ severity: 'medium' });
});
