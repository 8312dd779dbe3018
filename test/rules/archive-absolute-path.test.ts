import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports absolute and drive-letter names as critical', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-absolute-path/invalid.dxt');
  expect(findingWith(bundle, 'archive-absolute-path', '"/etc/cron.d/dxt-audit" is an absolute path')).toMatchObject({ severity: 'critical' });
  expect(findingWith(bundle, 'archive-absolute-path', '"C:/Windows/Temp/evil.js" starts with a drive letter')).toMatchObject({
    severity: 'critical',
    location: { file: 'C:/Windows/Temp/evil.js' },
  });
});
