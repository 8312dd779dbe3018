import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports the climbing entry as critical, and keeps it out of the tree', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-path-traversal/invalid.dxt');
  const finding = findingWith(bundle, 'archive-path-traversal', '"../../evil.js"');
  expect(finding).toMatchObject({ category: 'archive', severity: 'critical', location: { file: '../../evil.js' } });
  expect(bundle.level).toBe('critical');
});
