import { describe, expect, it } from 'vitest';
import rule from '../../rules/deps-lockfile-mismatch.js';
import { readLockfiles } from '../../src/deps/lockfile.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'deps-lockfile-mismatch';
const DIR = `fixtures/rules/${RULE}`;
const entry = (version: string, extra: Record<string, unknown> = {}) => ({ version, integrity: 'sha512-AAAA', ...extra });
const lock = (packages: Record<string, unknown>) => ({ name: 'x', lockfileVersion: 3, requires: true, packages });

describe(RULE, () => {
  it('reports copies changed, swapped, added or removed after package-lock.json was written', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    expect(findingWith(bundle, RULE, 'server/node_modules/left-pad holds "left-pad" 1.3.1, but server/package-lock.json locks version 1.3.0: the code shipped is not the code that was locked.')).toMatchObject({
      severity: 'medium',
      category: 'supply-chain',
      location: { file: 'server/node_modules/left-pad/package.json', line: 3, column: 3 },
      origin: 'dependency',
      evidence: 'server/package-lock.json: "node_modules/left-pad" locks left-pad 1.3.0',
    });
    expect(findingWith(bundle, RULE, 'server/node_modules/tiny-http holds "tiny-http-patched" 2.1.0, but server/package-lock.json locks "tiny-http" 2.1.0 there')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/node_modules/tiny-http/package.json', line: 3 },
    });
    // The copy inside the added one came with it and is not listed again.
    expect(findingWith(bundle, RULE, 'server/node_modules/telemetry-kit holds "telemetry-kit" 0.2.0, which server/package-lock.json does not list: it was added after the lockfile was written.')).toMatchObject({
      severity: 'low',
      location: { file: 'server/node_modules/telemetry-kit/package.json', line: 3, column: 3 },
    });
    // json-tools is missing, and so its nested json-parse, reported once; the dev and optional entries are not expected.
    expect(findingWith(bundle, RULE, 'server/package-lock.json locks "json-tools" 4.0.2 at server/node_modules/json-tools, which the bundle does not ship')).toMatchObject({
      severity: 'low',
      location: { file: 'server/package-lock.json', line: 30, column: 5 },
    });
  });

  it("reads npm's hidden lockfile, node_modules/.package-lock.json, for a bundle that ships no package-lock.json", async () => {
    const bundle = await scanFixture(`${DIR}/invalid-hidden`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({
        severity: 'medium',
        message: 'server/node_modules/mcp-helper holds "mcp-helper" 3.2.1, but server/node_modules/.package-lock.json locks version 3.2.0: the code shipped is not the code that was locked.',
        location: { file: 'server/node_modules/mcp-helper/package.json', line: 3, column: 3 },
      }),
    ]);
  });

  it("reports dependencies of the bundle's own package.json that no copy resolves or satisfies", async () => {
    const bundle = await scanFixture(`${DIR}/invalid-declared`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'server/package.json declares the dependency "yaml-lite" ^2.0.0, but the copy that resolves, server/node_modules/yaml-lite, is version 1.9.0.')).toMatchObject({
      severity: 'low',
      location: { file: 'server/package.json', line: 5, column: 5 },
      origin: 'first-party',
      evidence: 'server/node_modules/yaml-lite/package.json: "version": "1.9.0"',
    });
    expect(findingWith(bundle, RULE, 'server/package.json declares the dependency "date-kit" (^1.0.0), but no bundled copy resolves from server').location).toEqual({ file: 'server/package.json', line: 6, column: 5 });
    expect(findingWith(bundle, RULE, '"from-git" (git+https://example.com/from-git.git), but no bundled copy resolves').severity).toBe('low');
  });

  it('stays silent on a clean install: omitted dev, optional and peer entries, links, aliases, tags, pnpm, a v1 lockfile, a dependency own lockfile', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it('does not expect node_modules when the dependencies were compiled into the server file', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid-bundled`), RULE)).toEqual([]);
  });

  it('lists ten of a kind per lockfile, then counts the rest in one finding', () => {
    const spec: Record<string, object> = { 'node_modules/.package-lock.json': lock({ 'node_modules/kept': entry('1.0.0') }), 'node_modules/kept/package.json': { name: 'kept', version: '1.0.0' } };
    for (let index = 0; index < 25; index++) spec[`node_modules/added-${index}/package.json`] = { name: `added-${index}`, version: '1.0.0' };
    const findings = runRule(rule, bundleFacts(spec));
    expect(findings.filter((finding) => finding.message.includes('which node_modules/.package-lock.json does not list'))).toHaveLength(10);
    expect(findings.filter((finding) => finding.message.startsWith('node_modules/.package-lock.json: 15 more copies it does not list'))).toHaveLength(1);
  });

  it('prefers the lockfile npm obeys: npm-shrinkwrap.json, then package-lock.json, then the hidden one', () => {
    const facts = bundleFacts({
      'npm-shrinkwrap.json': lock({ 'node_modules/a': entry('1.0.0') }),
      'package-lock.json': lock({ 'node_modules/a': entry('9.9.9') }),
      'node_modules/.package-lock.json': lock({ 'node_modules/a': entry('8.8.8') }),
      'node_modules/a/package.json': { name: 'a', version: '1.0.0' },
    });
    expect(readLockfiles(facts.container).lockfiles.map((lockfile) => lockfile.file)).toEqual(['npm-shrinkwrap.json']);
    expect(runRule(rule, facts)).toEqual([]);
  });

  it('does not compare a lockfile it cannot read, or whose keys describe another folder', () => {
    const installed = { 'node_modules/a/package.json': { name: 'a', version: '1.0.0' } };
    for (const lockfile of ['{ not json', lock({ '../../elsewhere/node_modules/a': entry('2.0.0') }), { lockfileVersion: 1, dependencies: { a: { version: '2.0.0' } } }, '[]']) {
      const facts = bundleFacts({ 'node_modules/.package-lock.json': lockfile, ...installed });
      expect(runRule(rule, facts), JSON.stringify(lockfile)).toEqual([]);
      expect(readLockfiles(facts.container).unreadable).toHaveLength(1);
    }
  });

  it('survives hostile lockfiles: prototype keys, odd values, deep nesting', () => {
    const deep = `{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","x":${'['.repeat(50_000)}${']'.repeat(50_000)}},"__proto__":{"version":"1"},"node_modules/b":"x","node_modules/c":{"version":7,"dev":"yes"}}}`;
    const findings = runRule(rule, bundleFacts({ 'package-lock.json': deep, 'node_modules/a/package.json': { name: 'a', version: '1.0.0' }, 'node_modules/c/package.json': { name: 'c', version: '7.0.0' } }));
    expect(findings).toEqual([]);
  });

  it('escapes what the bundle wrote', () => {
    const findings = runRule(rule, bundleFacts({ 'package-lock.json': lock({ 'node_modules/a': entry('1.0.0\u001b[2J') }), 'node_modules/a/package.json': { name: 'a', version: '2.0.0' } }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('locks version 1.0.0\\u{1B}[2J');
    expect(JSON.stringify(findings)).not.toContain('\u001b');
  });
});
