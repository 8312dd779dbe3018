import { expect, it } from 'vitest';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a length that does not reach the end marker', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-malformed/invalid.mcpb');
  expect(findingWith(bundle, 'signature-malformed', 'does not reach the MCPB_SIG_END marker')).toMatchObject({ severity: 'high', category: 'signature' });
  expect(bundle.signature).toBe('malformed');
});

it('reports a well-framed block whose content is not CMS SignedData', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-malformed/invalid-not-cms.mcpb');
  expect(findingWith(bundle, 'signature-malformed', 'PKCS#7')).toMatchObject({ severity: 'high' });
  expect(bundle.signature).toBe('malformed');
  expect(bundle.signer).toBeUndefined();
});
