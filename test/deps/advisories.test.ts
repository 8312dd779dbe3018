import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import semver from 'semver';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/common.js';
import { advisoriesFor, advisoryTable, builtinAdvisories, comparableVersion, loadAdvisories, packageKey, parseAdvisories, type Advisory } from '../../src/deps/advisories.js';
import { repoPath } from '../helpers/fixtures.js';

const ids = (advisories: readonly Advisory[]) => advisories.map((advisory) => advisory.id).sort();

describe('the built-in advisory table', () => {
  const json: unknown = JSON.parse(readFileSync(repoPath('advisories/advisories.json'), 'utf8'));

  it('is valid against the published schema', () => {
    const schema: unknown = JSON.parse(readFileSync(repoPath('schema/advisories.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema as object);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it('loads, with valid ranges and fixed versions outside them', () => {
    const table = builtinAdvisories();
    expect(table.length).toBeGreaterThanOrEqual(13);
    for (const advisory of table) {
      expect(semver.validRange(advisory.affected), advisory.id).not.toBeNull();
      if (advisory.fixed !== null) expect(advisoriesFor([advisory], advisory.ecosystem, advisory.package, advisory.fixed), advisory.id).toEqual([]);
      else expect(advisory.kind).toBe('malicious');
    }
  });

  it.each([
    ['mcp-remote', '0.1.14', ['GHSA-6xpm-ggf7-wc3p']],
    ['mcp-remote', '0.0.5', ['GHSA-6xpm-ggf7-wc3p']],
    ['mcp-remote', '0.0.4', []],
    ['mcp-remote', '0.1.16', []],
    ['mcp-remote', '0.1.16-beta.1', ['GHSA-6xpm-ggf7-wc3p']],
    ['@modelcontextprotocol/server-filesystem', '2025.3.28', ['GHSA-hc55-p739-j48w', 'GHSA-q66q-fx2p-7w4m']],
    ['@modelcontextprotocol/server-filesystem', '0.6.2', ['GHSA-hc55-p739-j48w', 'GHSA-q66q-fx2p-7w4m']],
    ['@modelcontextprotocol/server-filesystem', '2025.7.1', []],
    ['@modelcontextprotocol/server-filesystem', '2026.8.31', []],
    ['@modelcontextprotocol/inspector', '0.14.0', ['GHSA-7f8r-222p-6f5g']],
    ['@modelcontextprotocol/inspector', '0.14.1', []],
    ['postmark-mcp', '1.0.15', []],
    ['postmark-mcp', '1.0.16', ['MAL-2025-47604']],
    ['postmark-mcp', '1.0.18', ['MAL-2025-47604']],
    ['mcp-server-kubernetes', '2.4.9', ['GHSA-4xqg-gf5c-ghwq', 'GHSA-gjv4-ghm7-q58q', 'GHSA-wmg3-h8mf-wgvr', 'GHSA-wvxp-jp4w-w8wg']],
    ['mcp-server-kubernetes', '2.9.8', ['GHSA-4xqg-gf5c-ghwq', 'GHSA-wmg3-h8mf-wgvr']],
    ['mcp-server-kubernetes', '3.8.0', ['GHSA-wmg3-h8mf-wgvr']],
    ['mcp-server-kubernetes', '3.9.0', []],
    ['mcp-server-kubernetes', '4.1.7', []],
  ])('npm %s %s: %j', (name, version, expected) => {
    expect(ids(advisoriesFor(builtinAdvisories(), 'npm', name, version))).toEqual(expected);
  });

  it.each([
    ['mcp-server-git', '2025.9.1', ['GHSA-5cgr-j3jf-jw3v', 'GHSA-9xwc-hfwc-8w59', 'GHSA-j22h-9j4x-23w5', 'GHSA-vjqx-cfc4-9h6v']],
    ['MCP_Server.Git', '2025.12.18', ['GHSA-vjqx-cfc4-9h6v']],
    ['mcp-server-git', '2026.1.14', []],
    ['mcp-server-git', '2026.1.14rc1', ['GHSA-vjqx-cfc4-9h6v']],
    ['mcp-server-git', '1!2025.1.1', []],
  ])('PyPI %s %s: %j', (name, version, expected) => {
    expect(ids(advisoriesFor(builtinAdvisories(), 'pypi', name, version))).toEqual(expected);
  });

  it('never matches across ecosystems', () => {
    expect(advisoriesFor(builtinAdvisories(), 'pypi', 'mcp-remote', '0.1.14')).toEqual([]);
    expect(advisoriesFor(builtinAdvisories(), 'npm', 'mcp-server-git', '2025.1.1')).toEqual([]);
  });
});

describe('comparableVersion', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['not a version', null],
    ['1.2', null],
  ])('npm %s is %s', (version, expected) => {
    expect(comparableVersion(version, 'npm')).toBe(expected);
  });

  it.each([
    ['2025.12.18', '2025.12.18'],
    ['1.2', '1.2.0'],
    ['3', '3.0.0'],
    ['1.2.3.0', '1.2.3'],
    ['1.2.3.4', null],
    ['0!1.0', '1.0.0'],
    ['1!1.0', null],
    ['1.0a1', '1.0.0-a.1'],
    ['1.0.0-alpha.2', '1.0.0-a.2'],
    ['1.0b3', '1.0.0-b.3'],
    ['1.0rc1', '1.0.0-rc.1'],
    ['1.0c1', '1.0.0-rc.1'],
    ['1.0.dev4', '1.0.0-0.dev.4'],
    ['1.0.post2', '1.0.0'],
    ['1.0-3', '1.0.0'],
    ['1.0+ubuntu.1', '1.0.0'],
    ['01.002.0003', '1.2.3'],
    ['banana', null],
  ])('PyPI %s is %s', (version, expected) => {
    expect(comparableVersion(version, 'pypi')).toBe(expected);
  });

  it('orders PEP 440 pre-releases and development releases before the release', () => {
    const ordered = ['1.0.dev1', '1.0a1', '1.0b1', '1.0rc1', '1.0', '1.0.1'].map((version) => comparableVersion(version, 'pypi')!);
    expect([...ordered].sort(semver.compare)).toEqual(ordered);
  });

  it('normalises PyPI names as PEP 503 does, and leaves npm names alone', () => {
    expect(packageKey('pypi', 'Mcp_Server..Git')).toBe('mcp-server-git');
    expect(packageKey('npm', 'Mcp_Server')).toBe('Mcp_Server');
  });
});

describe('--advisories files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dxt-audit-advisories-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const entry = (fields: Partial<Advisory> = {}): Advisory => ({
    id: 'ACME-2026-0001',
    aliases: ['CVE-2026-0001'],
    package: '@acme/server',
    ecosystem: 'npm',
    affected: '>=1.0.0 <1.4.2',
    fixed: '1.4.2',
    severity: 'high',
    kind: 'vulnerability',
    summary: 'Something bad.',
    reference: 'https://security.acme.example/ACME-2026-0001',
    ...fields,
  });

  it('loads a valid file, and its entries join or replace the built-in ones', async () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ advisories: [entry(), entry({ id: 'GHSA-6xpm-ggf7-wc3p', package: 'mcp-remote', affected: '<9.0.0', fixed: '9.0.0' })] })}`);
    const extra = await loadAdvisories('ok.json', dir);
    const table = advisoryTable(extra);
    expect(table).toHaveLength(builtinAdvisories().length + 1);
    expect(table.filter((advisory) => advisory.id === 'GHSA-6xpm-ggf7-wc3p').map((advisory) => advisory.fixed)).toEqual(['9.0.0']);
    expect(ids(advisoriesFor(table, 'npm', '@acme/server', '1.4.1'))).toEqual(['ACME-2026-0001']);
  });

  it.each([
    [{ advisories: [entry({ affected: 'between 1 and 2' })] }, 'affected "between 1 and 2" is not a semver range'],
    [{ advisories: [entry({ fixed: '1.0.0' })] }, 'fixed version 1.0.0 is inside its own affected range'],
    [{ advisories: [entry({ fixed: 'soon' })] }, 'fixed "soon" is not a version'],
    [{ advisories: [entry(), entry()] }, 'repeats the id ACME-2026-0001'],
    [{ advisories: [entry({ kind: 'malicious' })] }, 'is malicious but names a fixed version'],
    [{ advisories: [{ ...entry(), severity: 'severe' }] }, '/advisories/0/severity must be equal to one of the allowed values'],
    [{ advisories: [{ ...entry(), reference: 'http://insecure.example' }] }, '/advisories/0/reference must match pattern'],
    [{ advisories: [{ ...entry(), extra: 1 }] }, '/advisories/0 must NOT have additional properties'],
    [{ entries: [] }, "must have required property 'advisories'"],
  ])('rejects %j', (json, problem) => {
    expect(() => parseAdvisories(json, 'team.json')).toThrow(UsageError);
    expect(() => parseAdvisories(json, 'team.json')).toThrow(problem);
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(loadAdvisories('missing.json', dir)).rejects.toThrow('cannot read the advisories file missing.json');
    writeFileSync(path.join(dir, 'bad.json'), '{ "advisories": [ }');
    await expect(loadAdvisories('bad.json', dir)).rejects.toThrow('the advisories file bad.json is not valid JSON');
  });
});
