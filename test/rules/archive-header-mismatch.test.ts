import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('names both names', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-header-mismatch/invalid.dxt');
  expect(findingWith(bundle, 'archive-header-mismatch', '"server/safe.js" is named differently in its local header: its local header names it "server/evil.js"')).toMatchObject({
    severity: 'high',
  });
});
