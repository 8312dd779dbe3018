import { describe, expect, it } from 'vitest';
import rule from '../../rules/deps-known-advisory.js';
import type { Advisory } from '../../src/deps/advisories.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'deps-known-advisory';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('reports a vulnerable copy the server loads at the advisory severity, naming id, aliases, fix and dependency path', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, '"mcp-remote" 0.1.14 is affected by GHSA-6xpm-ggf7-wc3p (CVE-2025-6514), fixed in 0.1.16: OS command injection')).toMatchObject({
      severity: 'critical',
      category: 'supply-chain',
      location: { file: 'server/node_modules/mcp-remote/package.json', line: 3, column: 3 },
      origin: 'dependency',
      evidence: 'dependency path: remote-bridge > mcp-remote@0.1.14; advisory: https://github.com/advisories/GHSA-6xpm-ggf7-wc3p',
    });
  });

  it('lowers a vulnerable nested copy none of whose code the server loads, and says so', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    const file = 'server/node_modules/fs-helper/node_modules/@modelcontextprotocol/server-filesystem/package.json';
    for (const id of ['GHSA-hc55-p739-j48w (CVE-2025-53110)', 'GHSA-q66q-fx2p-7w4m (CVE-2025-53109)']) {
      const finding = findingWith(bundle, RULE, `"@modelcontextprotocol/server-filesystem" 2025.3.28 is affected by ${id}, fixed in 2025.7.1; none of the package's code is loaded`);
      expect(finding).toMatchObject({ severity: 'low', location: { file, line: 3 } });
      expect(finding.evidence).toContain('remote-bridge > fs-helper > @modelcontextprotocol/server-filesystem@2025.3.28');
    }
  });

  it('reports a malicious package as critical with no fixed version', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-malicious`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({
        severity: 'critical',
        message: expect.stringContaining('"postmark-mcp" 1.0.16 is a known malicious package (MAL-2025-47604), with no fixed version: '),
        location: { file: 'server/node_modules/postmark-mcp/package.json', line: 3, column: 3 },
        origin: 'first-party',
        evidence: 'dependency path: postmark-mcp@1.0.16; advisory: https://osv.dev/vulnerability/MAL-2025-47604',
      }),
    ]);
  });

  it('matches Python distributions by their METADATA, each advisory whose range covers the version', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-python`);
    const findings = findingsOf(bundle, RULE);
    expect(findings.map((finding) => finding.message.match(/GHSA-[\w-]+/)![0]).sort()).toEqual(['GHSA-9xwc-hfwc-8w59', 'GHSA-j22h-9j4x-23w5', 'GHSA-vjqx-cfc4-9h6v']);
    expect(findingWith(bundle, RULE, '"mcp-server-git" 2025.11.25 is affected by GHSA-vjqx-cfc4-9h6v (CVE-2026-27735), fixed in 2026.1.14')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/lib/mcp_server_git-2025.11.25.dist-info/METADATA', line: 3, column: 1 },
      origin: 'dependency',
      evidence: expect.stringContaining('distribution: mcp-server-git@2025.11.25 in server/lib/mcp_server_git-2025.11.25.dist-info'),
    });
  });

  it('says when a package the table names has a version that cannot be read or compared', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-unknown-version`);
    expect(findingsOf(bundle, RULE)).toHaveLength(2);
    expect(findingWith(bundle, RULE, '"mcp-remote" at server/node_modules/mcp-remote has advisories (GHSA-6xpm-ggf7-wc3p), but its version cannot be read (it is not valid JSON)')).toMatchObject({
      severity: 'low',
      location: { file: 'server/node_modules/mcp-remote/package.json' },
    });
    expect(findingWith(bundle, RULE, 'has advisories (GHSA-7f8r-222p-6f5g), but its version "latest" is not a semver version').severity).toBe('low');
  });

  it('stays silent on fixed versions, clean versions, look-alike names and package.json files that are not package roots', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
    expect(findingsOf(await scanFixture(`${DIR}/valid-python`), RULE)).toEqual([]);
  });

  it('uses advisories added with --advisories, and lets one replace a built-in entry by id', () => {
    const extra: Advisory[] = [
      { id: 'ACME-2026-1', aliases: [], package: 'left-pad', ecosystem: 'npm', affected: '<2.0.0', fixed: '2.0.0', severity: 'medium', kind: 'vulnerability', summary: 'Pads wrongly.', reference: 'https://example.com/a' },
      { id: 'GHSA-6xpm-ggf7-wc3p', aliases: ['CVE-2025-6514'], package: 'mcp-remote', ecosystem: 'npm', affected: '<0.1.20', fixed: '0.1.20', severity: 'high', kind: 'vulnerability', summary: 'Corrected range.', reference: 'https://example.com/b' },
    ];
    const facts = bundleFacts({
      'node_modules/left-pad/package.json': { name: 'left-pad', version: '1.3.0' },
      'node_modules/mcp-remote/package.json': { name: 'mcp-remote', version: '0.1.18' },
    });
    expect(runRule(rule, facts)).toEqual([]);
    const findings = runRule(rule, { ...facts, settings: { ...facts.settings, advisories: extra } });
    expect(findings.map((finding) => [finding.severity, finding.message])).toEqual([
      ['high', 'Bundled package "mcp-remote" 0.1.18 is affected by GHSA-6xpm-ggf7-wc3p (CVE-2025-6514), fixed in 0.1.20: Corrected range.'],
      ['medium', 'Bundled package "left-pad" 1.3.0 is affected by ACME-2026-1, fixed in 2.0.0: Pads wrongly.'],
    ]);
  });

  it('reports every installed copy, one finding per advisory and copy', () => {
    const findings = runRule(
      rule,
      bundleFacts({
        'node_modules/mcp-server-kubernetes/package.json': { name: 'mcp-server-kubernetes', version: '2.4.0' },
        'node_modules/a/node_modules/mcp-server-kubernetes/package.json': { name: 'mcp-server-kubernetes', version: '3.6.0' },
      }),
    );
    const byFile = (file: string) => findings.filter((finding) => finding.location.file === file).map((finding) => finding.message.match(/GHSA-[\w-]+/)![0]).sort();
    expect(byFile('node_modules/mcp-server-kubernetes/package.json')).toEqual(['GHSA-4xqg-gf5c-ghwq', 'GHSA-gjv4-ghm7-q58q', 'GHSA-wmg3-h8mf-wgvr', 'GHSA-wvxp-jp4w-w8wg']);
    expect(byFile('node_modules/a/node_modules/mcp-server-kubernetes/package.json')).toEqual(['GHSA-wmg3-h8mf-wgvr']);
  });

  it('escapes what the bundle wrote in messages and evidence', () => {
    const findings = runRule(rule, bundleFacts({ 'node_modules/x/node_modules/mcp-remote/package.json': '{"name":"mcp-remote","version":"0.1.0"}', 'node_modules/x/package.json': { name: 'x\u001b[2J', version: '1.0.0', dependencies: { 'mcp-remote': '*' } } }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence).toContain('x\\u{1B}[2J > mcp-remote@0.1.0');
    expect(JSON.stringify(findings)).not.toContain('\u001b');
  });
});
