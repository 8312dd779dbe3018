import { expect, it } from 'vitest';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a bundle re-zipped under the block of the original, and fails the default gate', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-invalid/invalid.mcpb');
  expect(findingWith(bundle, 'signature-invalid', "the archive's SHA-256 digest is not the one that was signed")).toMatchObject({ severity: 'high', category: 'signature' });
  expect(bundle.signature).toBe('invalid');
  expect(bundle.signer).toMatchObject({ subject: 'O=dxt-audit test PKI, CN=Example Publisher' });
});

it('reports a signature value that does not verify although the digest matches', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-invalid/invalid-tampered.mcpb');
  findingWith(bundle, 'signature-invalid', "does not verify with the signer's certificate");
  expect(bundle.signature).toBe('invalid');
});

it('reports a DXT-era block made for another archive', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-invalid/invalid-other-archive.dxt');
  findingWith(bundle, 'signature-invalid', 'The DXT signature does not verify');
});

it.each(['valid.mcpb', 'valid-dxt-era.dxt', 'valid-comment.mcpb'])('verifies %s, signed as it is', async (name) => {
  const bundle = await scanFixture(`fixtures/rules/signature-invalid/${name}`);
  expect(findingsOf(bundle, 'signature-invalid')).toEqual([]);
  expect(findingsOf(bundle, 'archive-trailing-data')).toEqual([]);
  expect(bundle.signature).toBe('untrusted');
  expect(bundle.signer).toMatchObject({ subject: 'O=dxt-audit test PKI, CN=Example Publisher', serial: '1001' });
});
