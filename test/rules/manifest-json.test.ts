import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { buildZip } from '../../scripts/lib/zip-writer.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('reports invalid JSON at its line and column', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-json/invalid');
  const finding = findingWith(bundle, 'manifest-json', 'expected a property name in double quotes at line 41, column 1');
  expect(finding).toMatchObject({ severity: 'high', category: 'manifest', location: { file: 'manifest.json', line: 41, column: 1 } });
});

it('reports a manifest that holds an array instead of an object', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-json/invalid-not-object');
  expect(findingWith(bundle, 'manifest-json', 'holds an array instead of a JSON object')).toMatchObject({
    severity: 'high',
    location: { file: 'manifest.json', pointer: '' },
  });
  // The other manifest rules stay quiet: there is nothing for them to read.
  expect(bundle.findings.filter((finding) => finding.ruleId.startsWith('manifest-')).map((finding) => finding.ruleId)).toEqual(['manifest-json']);
});

it('reports an archive without manifest.json', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dxt-audit-manifest-'));
  try {
    const archive = path.join(dir, 'no-manifest.dxt');
    writeFileSync(archive, buildZip([{ name: 'server/index.js', data: "console.log('hello');\n" }]));
    const [bundle] = (await audit([archive])).bundles;
    expect(findingWith(bundle!, 'manifest-json', 'has no manifest.json at its root')).toMatchObject({
      severity: 'high',
      location: { file: 'manifest.json' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('accepts a manifest that starts with a UTF-8 byte order mark', async () => {
  const bundle = await scanFixture('fixtures/rules/manifest-json/valid');
  expect(findingsOf(bundle, 'manifest-json')).toEqual([]);
  expect(bundle.findings.filter((finding) => finding.ruleId.startsWith('manifest-'))).toEqual([]);
  expect(bundle.manifest?.manifestVersion).toBe('0.2');
});

it('says the manifest was not read, rather than missing, when the archive itself could not be read', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-not-zip/invalid.dxt');
  expect(findingWith(bundle, 'manifest-json', 'was not among the parts of the bundle that could be read').severity).toBe('high');
  expect(findingsOf(bundle, 'manifest-json')).toHaveLength(1);
});
