import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('recognises archives by content, whatever their name', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-nested-archive/invalid.dxt');
  expect(findingWith(bundle, 'archive-nested-archive', '"server/payload.zip" is a ZIP archive')).toMatchObject({ severity: 'medium' });
  expect(findingWith(bundle, 'archive-nested-archive', '"server/data.bin" is a ZIP archive').location).toEqual({ file: 'server/data.bin' });
});
