import { describe, expect, it } from 'vitest';
import { issueCertificate, pemOf, signDetached, testKey, TEST_ROOT, TEST_SIGNERS, type TestSigner } from '../../scripts/lib/test-pki.js';
import { buildSignedBundle, buildZip } from '../../scripts/lib/zip-writer.js';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { verifyBlock, type Trust } from '../../src/bundle/verify-signature.js';
import { readZip } from '../../src/bundle/zip.js';

const ZIP = buildZip([{ name: 'manifest.json', data: '{"name":"x"}' }]);
const TRUSTED: Trust = { certificates: [pemOf(TEST_ROOT)], now: Date.parse('2026-12-01T00:00:00Z') };

function check(blob: Uint8Array, trust: Trust = TRUSTED) {
  const file = buildSignedBundle(ZIP, 'MCPB', blob);
  const signature = readZip(file, DEFAULT_LIMITS).layout!.signature!;
  expect(signature.problems).toEqual([]);
  return verifyBlock(file, signature, trust);
}

function signedBy(signer: TestSigner): Buffer {
  return signDetached(ZIP, { certificate: signer.certificate, key: signer.key, chain: signer.chain });
}

describe('the chain', () => {
  it('is valid from the publisher through the carried intermediate to a trusted root', () => {
    expect(check(signedBy(TEST_SIGNERS.publisher))).toMatchObject({ status: 'valid', signer: { serial: '1001' } });
  });

  it('judges validity dates at the given time', () => {
    const before = check(signedBy(TEST_SIGNERS.publisher), { ...TRUSTED, now: Date.parse('2024-06-01T00:00:00Z') });
    expect(before).toMatchObject({ status: 'untrusted', rootOnly: false, reason: expect.stringContaining('is not valid before 2025-01-01') });
  });

  it('is broken when a certificate is not signed by the key of the issuer it names', () => {
    const impostor = testKey('impostor CA');
    const keys = testKey('forged publisher');
    const certificate = issueCertificate({
      subject: 'Forged Publisher',
      issuer: { name: 'dxt-audit Test Code Signing CA', key: impostor.privateKey },
      keys,
      serial: 9,
      notBefore: '2025-01-01T00:00:00Z',
      notAfter: '2045-01-01T00:00:00Z',
    });
    const verdict = check(signedBy({ certificate, key: keys.privateKey, chain: TEST_SIGNERS.publisher.chain }));
    expect(verdict).toMatchObject({ status: 'untrusted', rootOnly: false, reason: expect.stringContaining('is not signed by the key of its issuer "dxt-audit Test Code Signing CA"') });
  });

  it('is broken when the issuer is not a certificate authority', () => {
    const keys = testKey('sub-publisher');
    const parent = TEST_SIGNERS.publisher;
    const certificate = issueCertificate({
      subject: 'Sub Publisher',
      issuer: { name: 'Example Publisher', key: parent.key },
      keys,
      serial: 10,
      notBefore: '2025-01-01T00:00:00Z',
      notAfter: '2045-01-01T00:00:00Z',
    });
    const verdict = check(signedBy({ certificate, key: keys.privateKey, chain: [parent.certificate, ...parent.chain] }));
    expect(verdict).toMatchObject({ status: 'untrusted', rootOnly: false, reason: expect.stringContaining('"Example Publisher" issued a certificate but is not a certificate authority') });
  });

  it('counts a root known only by name as an unknown root, and a carried untrusted root likewise', () => {
    expect(check(signedBy(TEST_SIGNERS.publisher), { ...TRUSTED, certificates: [] })).toMatchObject({ status: 'untrusted', rootOnly: true });
    const withRoot = { ...TEST_SIGNERS.publisher, chain: [...TEST_SIGNERS.publisher.chain, TEST_ROOT] };
    expect(check(signedBy(withRoot), { ...TRUSTED, certificates: [] })).toMatchObject({
      status: 'untrusted',
      rootOnly: true,
      reason: 'the chain ends at "dxt-audit Test Root CA", a root that is not trusted',
    });
  });
});

describe('the block', () => {
  it('tolerates zero padding after the CMS structure, and nothing else', () => {
    const blob = signedBy(TEST_SIGNERS.publisher);
    expect(check(Buffer.concat([blob, Buffer.alloc(16)]))).toMatchObject({ status: 'valid' });
    expect(check(Buffer.concat([blob, Buffer.from('PK\x03\x04')]))).toEqual({ malformed: '4 bytes follow the PKCS#7 structure inside the block' });
  });

  it('is malformed when it does not carry the signer certificate', () => {
    const { certificate, key, chain } = TEST_SIGNERS.publisher;
    const blob = signDetached(ZIP, { certificate, key, chain, omitSigner: true });
    expect(check(blob)).toEqual({ malformed: 'the block does not carry the certificate of its signer' });
  });

  // Bytes CMS leaves unsigned (version numbers, the digest algorithm list) may change and still verify.
  it('never throws, whichever single byte of the CMS structure is changed', () => {
    const blob = signedBy(TEST_SIGNERS.publisher);
    const statuses = new Set<string>();
    for (let at = 0; at < blob.length; at++) {
      const changed = Buffer.from(blob);
      changed[at] = changed[at]! ^ 0xff;
      const verdict = check(changed);
      statuses.add('malformed' in verdict ? 'malformed' : verdict.status);
    }
    expect([...statuses]).toEqual(expect.arrayContaining(['invalid', 'malformed', 'untrusted']));
  });
});

