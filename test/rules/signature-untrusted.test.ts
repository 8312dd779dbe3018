import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { findingsOf, findingWith, repoPath, scanFixture } from '../helpers/fixtures.js';

const testRoot = readFileSync(repoPath('fixtures/signatures/test-root-ca.pem'), 'utf8');

it('reports an expired signing certificate at medium, even under a trusted root', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-untrusted/invalid.mcpb', { trustedCertificates: [testRoot] });
  expect(findingWith(bundle, 'signature-untrusted', '"Example Publisher (2020)" expired on 2022-01-01')).toMatchObject({ severity: 'medium', category: 'signature' });
  expect(bundle.signature).toBe('untrusted');
  expect(bundle.signer?.untrusted).toContain('expired');
});

it('reports a certificate that is not for code signing at medium', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-untrusted/invalid-server-auth.mcpb', { trustedCertificates: [testRoot] });
  expect(findingWith(bundle, 'signature-untrusted', 'not for code signing')).toMatchObject({ severity: 'medium' });
});

it('reports a sound chain to an unknown root at low, and nothing once the root is trusted', async () => {
  const unknownRoot = await scanFixture('fixtures/rules/signature-self-signed/valid.mcpb');
  expect(findingWith(unknownRoot, 'signature-untrusted', 'the issuer of "dxt-audit Test Code Signing CA" is neither carried in the block nor a trusted root')).toMatchObject({ severity: 'low' });

  const trusted = await scanFixture('fixtures/rules/signature-self-signed/valid.mcpb', { trustedCertificates: [testRoot] });
  expect(trusted.findings.filter((finding) => finding.category === 'signature')).toEqual([]);
  expect(trusted.signature).toBe('valid');
  expect(trusted.signer).toEqual({
    subject: 'O=dxt-audit test PKI, CN=Example Publisher',
    issuer: 'O=dxt-audit test PKI, CN=dxt-audit Test Code Signing CA',
    serial: '1001',
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2045-01-01T00:00:00.000Z',
  });
});

it('leaves a self-signed certificate to signature-self-signed', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-untrusted/valid.mcpb');
  expect(findingsOf(bundle, 'signature-untrusted')).toEqual([]);
  expect(bundle.signature).toBe('self-signed');
});
