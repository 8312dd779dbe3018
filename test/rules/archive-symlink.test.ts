import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('reports a symlink entry in an archive as high', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-symlink/invalid.dxt');
  expect(findingWith(bundle, 'archive-symlink', '"server/link" is a symbolic link to "/etc/passwd"')).toMatchObject({ severity: 'high' });
});

it('never follows a link out of an unpacked folder, and says what it did not audit', async () => {
  const outside = mkdtempSync(path.join(tmpdir(), 'dxt-audit-outside-'));
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'dxt-audit-bundle-'));
  try {
    writeFileSync(path.join(outside, 'secret.txt'), 'never read');
    writeFileSync(path.join(bundleDir, 'manifest.json'), '{}');
    symlinkSync(path.join(outside, 'secret.txt'), path.join(bundleDir, 'leak.txt'));
    symlinkSync(outside, path.join(bundleDir, 'outside'));
    symlinkSync('../manifest.json', path.join(bundleDir, 'server-link'));
    symlinkSync('manifest.json', path.join(bundleDir, 'inside'));
    const [bundle] = (await audit([bundleDir])).bundles;
    const severities = Object.fromEntries(findingsOf(bundle!, 'archive-symlink').map((finding) => [finding.location.file, finding.severity]));
    expect(severities).toEqual({ inside: 'info', 'leak.txt': 'high', outside: 'high', 'server-link': 'high' });
    expect(findingWith(bundle!, 'archive-symlink', '"inside" is a symbolic link to "manifest.json" inside the bundle').severity).toBe('info');
    expect(JSON.stringify(bundle)).not.toContain('never read');
  } finally {
    rmSync(outside, { recursive: true, force: true });
    rmSync(bundleDir, { recursive: true, force: true });
  }
});
