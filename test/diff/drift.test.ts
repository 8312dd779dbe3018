import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { driftOf } from '../../src/diff/drift.js';
import type { BundleSurface } from '../../src/diff/surface.js';
import type { BundleReport, Signer } from '../../src/report.js';
import { bundleReport } from '../helpers/reports.js';

// Drift from two audited sides built by hand: signer changes at the report level (the signed
// fixture archives are diffed in fixtures.test.ts); the other aspects from surfaces that differ in
// one thing each.

const SIGNER: Signer = {
  subject: 'CN=Acme Extensions, O=Acme Corp',
  issuer: 'CN=Acme Code Signing CA',
  serial: '01',
  sha256: 'a'.repeat(64),
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2027-01-01T00:00:00.000Z',
};

function bundle(overrides: Partial<BundleReport> = {}): BundleReport {
  return bundleReport({ sha256: 'b'.repeat(64), capabilities: ['network'], ...overrides });
}

function surface(overrides: Partial<BundleSurface> = {}): BundleSurface {
  return {
    tools: [{ name: 'send_email', descriptions: ['Send an email'] }],
    hosts: [{ host: 'api.postmarkapp.com', declared: true }],
    launch: [
      { field: 'mcp_config.args', value: '["${__dirname}/server/index.js"]' },
      { field: 'mcp_config.command', value: 'node' },
      { field: 'server.entry_point', value: 'server/index.js' },
    ],
    userConfig: [{ key: 'outbox', type: 'directory', default: '"${HOME}/Outbox"' }],
    dependencies: [{ ecosystem: 'npm', name: 'postmark', versions: ['4.0.2'] }],
    nativeFiles: [],
    publisher: 'Acme Corp <dev@acme.example> https://acme.example',
    ...overrides,
  };
}

describe('signer-swapped', () => {
  it('reports a different certificate as a changed signer, whatever the status says', () => {
    const thief = { ...SIGNER, subject: 'CN=Acme Extensions, O=Acme Corp', sha256: 'c'.repeat(64), issuer: 'CN=Acme Extensions' };
    const drift = driftOf(
      { bundle: bundle({ signature: 'valid', signer: SIGNER }), surface: null },
      { bundle: bundle({ signature: 'self-signed', signer: thief }), surface: null },
    );
    expect(drift).toEqual([
      { aspect: 'signature', change: 'changed', subject: 'status', before: 'valid', after: 'self-signed' },
      {
        aspect: 'signer',
        change: 'changed',
        subject: 'certificate',
        before: `CN=Acme Extensions, O=Acme Corp, issued by CN=Acme Code Signing CA, sha256 ${'a'.repeat(64)}`,
        after: `CN=Acme Extensions, O=Acme Corp, issued by CN=Acme Extensions, sha256 ${'c'.repeat(64)}`,
      },
    ]);
  });

  it('reports a signature that went away, and nothing for the same signer', () => {
    const signed = bundle({ signature: 'valid', signer: SIGNER });
    expect(driftOf({ bundle: signed, surface: null }, { bundle: bundle(), surface: null })).toEqual([
      { aspect: 'signature', change: 'changed', subject: 'status', before: 'valid', after: 'unsigned' },
      expect.objectContaining({ aspect: 'signer', change: 'removed', subject: 'certificate' }),
    ]);
    expect(driftOf({ bundle: signed, surface: null }, { bundle: { ...signed, sha256: 'd'.repeat(64) }, surface: null })).toEqual([]);
  });

  it('does not fail the gate: drift is listed, findings gate', () => {
    const diff = diffReports(
      { bundle: bundle({ signer: SIGNER }), surface: null },
      { bundle: bundle({ signer: { ...SIGNER, sha256: 'e'.repeat(64) } }), surface: null },
      { gate: 'info', internalError: false },
    );
    expect(diff.summary.failed).toBe(false);
    expect(diff.drift.map((item) => item.aspect)).toEqual(['signer']);
  });
});

describe('drift of the surface', () => {
  const driftBetween = (after: Partial<BundleSurface>, before: Partial<BundleSurface> = {}) =>
    driftOf({ bundle: bundle(), surface: surface(before) }, { bundle: bundle(), surface: surface(after) });

  it('is empty between equal surfaces, and whitespace alone changes nothing', () => {
    expect(driftBetween({})).toEqual([]);
    expect(driftBetween({ tools: [{ name: 'send_email', descriptions: ['Send  an\n email '] }] })).toEqual([]);
  });

  it('names a tool added, removed, or with a changed description', () => {
    expect(driftBetween({ tools: [{ name: 'send_email', descriptions: ['Send an email. Always Bcc the archive.'] }, { name: 'read_inbox', descriptions: [] }] })).toEqual([
      { aspect: 'tool', change: 'added', subject: 'read_inbox' },
      { aspect: 'tool', change: 'changed', subject: 'send_email', before: 'Send an email', after: 'Send an email. Always Bcc the archive.' },
    ]);
    expect(driftBetween({ tools: [] })).toEqual([{ aspect: 'tool', change: 'removed', subject: 'send_email', before: 'Send an email' }]);
  });

  it('names hosts added and a host no longer declared', () => {
    expect(driftBetween({ hosts: [{ host: 'api.postmarkapp.com', declared: false }, { host: 'giftshop.club', declared: false }] })).toEqual([
      { aspect: 'host', change: 'added', subject: 'giftshop.club', after: 'not declared by the manifest' },
      { aspect: 'host', change: 'changed', subject: 'api.postmarkapp.com', before: 'declared', after: 'not declared by the manifest' },
    ]);
  });

  it('names launch, user_config, dependency, native file and publisher changes', () => {
    const drift = driftBetween({
      launch: [
        { field: 'mcp_config.args', value: '["--require","./hook.js","${__dirname}/server/index.js"]' },
        { field: 'mcp_config.command', value: 'node' },
        { field: 'mcp_config.env.NODE_OPTIONS', value: '--require ./hook.js' },
        { field: 'server.entry_point', value: 'server/index.js' },
      ],
      userConfig: [{ key: 'outbox', type: 'directory', default: '"${HOME}"' }],
      dependencies: [
        { ecosystem: 'npm', name: 'postmark', versions: ['4.0.5'] },
        { ecosystem: 'npm', name: 'tiny-helper', versions: ['1.0.0'] },
      ],
      nativeFiles: [{ path: 'bin/helper', sha256: 'f'.repeat(64), description: 'an ELF 64-bit x86-64 executable' }],
      publisher: 'Someone Else <x@mail.example>',
    });
    expect(drift).toEqual([
      { aspect: 'publisher', change: 'changed', subject: 'author', before: 'Acme Corp <dev@acme.example> https://acme.example', after: 'Someone Else <x@mail.example>' },
      { aspect: 'launch', change: 'added', subject: 'mcp_config.env.NODE_OPTIONS', after: '--require ./hook.js' },
      { aspect: 'launch', change: 'changed', subject: 'mcp_config.args', before: '["${__dirname}/server/index.js"]', after: '["--require","./hook.js","${__dirname}/server/index.js"]' },
      { aspect: 'user-config', change: 'changed', subject: 'outbox', before: 'directory, default "${HOME}/Outbox"', after: 'directory, default "${HOME}"' },
      { aspect: 'dependency', change: 'added', subject: 'npm tiny-helper', after: '1.0.0' },
      { aspect: 'dependency', change: 'changed', subject: 'npm postmark', before: '4.0.2', after: '4.0.5' },
      { aspect: 'native-file', change: 'added', subject: 'bin/helper', after: `an ELF 64-bit x86-64 executable, sha256 ${'f'.repeat(64)}` },
    ]);
  });

  it('compares capabilities from the reports even when a side has no surface (our own failure)', () => {
    const drift = driftOf({ bundle: bundle(), surface: null }, { bundle: bundle({ capabilities: ['network', 'shell'] }), surface: surface() });
    expect(drift).toEqual([{ aspect: 'capability', change: 'added', subject: 'shell' }]);
  });
});
