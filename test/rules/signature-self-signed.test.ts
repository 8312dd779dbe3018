import { X509Certificate } from 'node:crypto';
import { expect, it } from 'vitest';
import { TEST_SIGNERS } from '../../scripts/lib/test-pki.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

it('reports a self-signed signer at low with its fingerprint', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-self-signed/invalid.mcpb');
  const fingerprint = new X509Certificate(TEST_SIGNERS.selfSigned.certificate).fingerprint256.replaceAll(':', '').toLowerCase();
  expect(findingWith(bundle, 'signature-self-signed', `SHA-256 ${fingerprint}`)).toMatchObject({ severity: 'low', category: 'signature' });
  expect(bundle.signature).toBe('self-signed');
  expect(bundle.signer).toMatchObject({ subject: 'O=dxt-audit test PKI, CN=Example Publisher (self-signed)', sha256: fingerprint });
});

it('trusts the self-signed certificate itself when it is given with --trust-cert', async () => {
  const pem = new X509Certificate(TEST_SIGNERS.selfSigned.certificate).toString();
  const bundle = await scanFixture('fixtures/rules/signature-self-signed/invalid.mcpb', { trustedCertificates: [pem] });
  expect(findingsOf(bundle, 'signature-self-signed')).toEqual([]);
  expect(bundle.signature).toBe('valid');
});

it('does not call a CA-issued certificate self-signed', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-self-signed/valid.mcpb');
  expect(findingsOf(bundle, 'signature-self-signed')).toEqual([]);
});
