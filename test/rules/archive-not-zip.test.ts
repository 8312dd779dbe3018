import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a file that is not a ZIP, incompletely audited', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-not-zip/invalid.dxt');
  expect(findingWith(bundle, 'archive-not-zip', 'not a ZIP archive')).toMatchObject({ severity: 'high', location: { file: '.' } });
  expect(bundle).toMatchObject({ complete: false, manifest: null, level: 'high', id: 'invalid.dxt' });
});

it('reports an empty file as low, not an extension, with no manifest finding beside it', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-not-zip/invalid-empty.dxt');
  expect(bundle.findings.map(({ ruleId, severity, message }) => ({ ruleId, severity, message }))).toEqual([
    { ruleId: 'archive-not-zip', severity: 'low', message: 'The file is empty (0 bytes): it is not an extension, and there is nothing in it to audit.' },
  ]);
  expect(bundle).toMatchObject({ manifest: null, level: 'low', incompleteReasons: expect.arrayContaining(['is empty (0 bytes), so it is not an extension']) });
});
