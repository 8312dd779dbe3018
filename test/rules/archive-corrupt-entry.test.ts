import { expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { findingWith, repoPath, scanFixture } from '../helpers/fixtures.js';

it('reports a CRC mismatch and broken deflate data, each as incomplete', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-corrupt-entry/invalid.dxt');
  expect(findingWith(bundle, 'archive-corrupt-entry', '"server/crc.js" could not be read: its CRC-32 does not match')).toMatchObject({ severity: 'high' });
  expect(findingWith(bundle, 'archive-corrupt-entry', '"server/garbled.js" could not be read: its compressed data is damaged')).toMatchObject({
    location: { file: 'server/garbled.js' },
  });
  expect(bundle.complete).toBe(false);
});

it('still produces a report with a failing gate, not a crash', async () => {
  const report = await audit([repoPath('fixtures/rules/archive-corrupt-entry/invalid.dxt')]);
  expect(report.summary.failed).toBe(true);
  expect(report.summary.internalError).toBe(false);
});
