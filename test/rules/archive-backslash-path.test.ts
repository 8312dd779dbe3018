import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a backslash separator at medium', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-backslash-path/invalid.dxt');
  expect(findingWith(bundle, 'archive-backslash-path', 'server\\util.js')).toMatchObject({ severity: 'medium', location: { file: 'server\\util.js' } });
});
