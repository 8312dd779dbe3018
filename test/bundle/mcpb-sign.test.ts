import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signMcpbFile } from '@anthropic-ai/mcpb/node';
import { afterAll, expect, it } from 'vitest';
import { issueCertificate, pemOf } from '../../scripts/lib/test-pki.js';
import { buildZip } from '../../scripts/lib/zip-writer.js';
import { audit } from '../../src/audit.js';

// One bundle signed end to end by the reference packer's own `signMcpbFile` (node-forge, RSA,
// PKCS#1 v1.5, signing time of today), with a certificate made here for the test.
const folder = mkdtempSync(path.join(tmpdir(), 'dxt-audit-mcpb-sign-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certificate = pemOf(issueCertificate({ subject: 'Reference Signer Test', keys, serial: 0x2026, notBefore: '2025-01-01T00:00:00Z', notAfter: '2045-01-01T00:00:00Z' }));
const bundle = path.join(folder, 'signed.mcpb');
writeFileSync(path.join(folder, 'cert.pem'), certificate);
writeFileSync(path.join(folder, 'key.pem'), keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
writeFileSync(
  bundle,
  buildZip([
    { name: 'manifest.json', data: JSON.stringify({ manifest_version: '0.3', name: 'signed', version: '1.0.0', description: 'x', author: { name: 'x' }, server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] } } }) },
    { name: 'server/index.js', data: "'use strict';\nprocess.stdin.resume();\n" },
  ]),
);
signMcpbFile(bundle, path.join(folder, 'cert.pem'), path.join(folder, 'key.pem'));

it('verifies what `mcpb sign` wrote: self-signed, then valid once its certificate is trusted', async () => {
  const untrusted = (await audit([bundle])).bundles[0]!;
  expect(untrusted).toMatchObject({ signature: 'self-signed', signer: { subject: 'O=dxt-audit test PKI, CN=Reference Signer Test', serial: '2026' } });
  const trusted = (await audit([bundle], { trustedCertificates: [certificate] })).bundles[0]!;
  expect(trusted.signature).toBe('valid');
  expect(trusted.findings.filter((finding) => finding.category === 'signature')).toEqual([]);
});

it('finds it invalid once one byte of the archive changes', async () => {
  const bytes = readFileSync(bundle);
  bytes.writeUInt8(bytes.readUInt8(32) ^ 0x20, 32); // a letter of the first entry's name in its local header
  const tampered = path.join(folder, 'tampered.mcpb');
  writeFileSync(tampered, bytes);
  const report = (await audit([tampered], { trustedCertificates: [certificate] })).bundles[0]!;
  expect(report.signature).toBe('invalid');
  expect(report.findings.find((finding) => finding.ruleId === 'signature-invalid')?.severity).toBe('high');
});
