import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('counts the end-of-central-directory records', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-multiple-eocd/invalid.dxt');
  expect(findingWith(bundle, 'archive-multiple-eocd', 'holds 2 end-of-central-directory records')).toMatchObject({ severity: 'high' });
});
