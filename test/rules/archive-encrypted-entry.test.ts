import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports the encrypted entry and marks the audit incomplete', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-encrypted-entry/invalid.dxt');
  expect(findingWith(bundle, 'archive-encrypted-entry', '"server/secret.js" is encrypted')).toMatchObject({ severity: 'high' });
  expect(bundle.complete).toBe(false);
  expect(bundle.incompleteReasons.join('\n')).toContain('server/secret.js');
});
