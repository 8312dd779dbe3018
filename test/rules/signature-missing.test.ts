import { expect, it } from 'vitest';
import { findingsOf, scanFixture } from '../helpers/fixtures.js';

it('notes an unsigned archive at info, which does not raise the level', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-missing/invalid.mcpb');
  expect(findingsOf(bundle, 'signature-missing')).toEqual([expect.objectContaining({ severity: 'info', category: 'signature' })]);
  expect(bundle).toMatchObject({ signature: 'unsigned', level: 'none' });
});

it('says nothing of unpacked folders, which never carry a signature', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-json/valid');
  expect(findingsOf(bundle, 'signature-missing')).toEqual([]);
  expect(bundle.signature).toBe('not-applicable');
});
