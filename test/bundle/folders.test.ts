import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { discoverBundles } from '../../src/bundle/discover.js';
import { UsageError } from '../../src/common.js';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { readDirectory } from '../../src/bundle/directory.js';
import { findingWith, repoPath } from '../helpers/fixtures.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dxt-audit-folders-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function unpackedBundle(dir: string, name: string): void {
  mkdirSync(path.join(dir, 'server'), { recursive: true });
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: '0.3', name, server: { type: 'node', entry_point: 'server/index.js' } }),
  );
  writeFileSync(path.join(dir, 'server', 'index.js'), 'process.stdin.resume();\n');
}

it('scans each bundle of a folder on its own, in name order, and reports links without following them', async () => {
  copyFileSync(repoPath('fixtures/examples/hello-world.dxt'), path.join(root, 'b-hello.dxt'));
  copyFileSync(repoPath('fixtures/rules/archive-not-zip/invalid.dxt'), path.join(root, 'a-broken.MCPB'));
  unpackedBundle(path.join(root, 'c-unpacked'), 'unpacked');
  mkdirSync(path.join(root, 'd-not-a-bundle'));
  writeFileSync(path.join(root, 'notes.txt'), 'not a bundle');
  const outside = mkdtempSync(path.join(tmpdir(), 'dxt-audit-outside-'));
  try {
    unpackedBundle(outside, 'outside');
    symlinkSync(outside, path.join(root, 'e-linked'));
    const sources = await discoverBundles([root]);
    expect(sources.map((source) => [path.basename(source.path), source.kind])).toEqual([
      ['a-broken.MCPB', 'archive'],
      ['b-hello.dxt', 'archive'],
      ['c-unpacked', 'directory'],
      ['e-linked', 'unfollowed-link'],
    ]);
    const report = await audit([root]);
    expect(report.bundles.map((bundle) => bundle.id)).toEqual(['a-broken.MCPB', 'hello-world', 'unpacked', 'e-linked']);
    expect(report.bundles.map((bundle) => bundle.complete)).toEqual([false, true, true, false]);
    expect(findingWith(report.bundles[3]!, 'archive-symlink', 'was not followed').severity).toBe('high');
    expect(JSON.stringify(report)).not.toContain('"outside"');
  } finally {
    rmSync(outside, { recursive: true, force: true });
  }
});

it("reads a Claude Desktop data folder as the folder of its extensions", async () => {
  unpackedBundle(path.join(root, 'Claude Extensions', 'local.dxt.someone.notes'), 'notes');
  writeFileSync(path.join(root, 'claude_desktop_config.json'), '{}');
  const sources = await discoverBundles([root]);
  expect(sources).toEqual([{ path: path.join(root, 'Claude Extensions', 'local.dxt.someone.notes'), kind: 'directory' }]);
});

it('is a usage error when a folder holds no bundle or a path does not exist', async () => {
  mkdirSync(path.join(root, 'empty'));
  await expect(discoverBundles([path.join(root, 'empty')])).rejects.toThrow(UsageError);
  await expect(discoverBundles([path.join(root, 'missing')])).rejects.toThrow('no such file or directory');
});

it('never opens a FIFO or a device, so a planted pipe cannot hang the scan', async () => {
  unpackedBundle(root, 'with-fifo');
  execFileSync('mkfifo', [path.join(root, 'server', 'pipe')]);
  const read = await readDirectory(root, DEFAULT_LIMITS);
  expect(read.entries.find((entry) => entry.name === 'server/pipe')?.kind).toBe('other');
  expect(read.files.map((file) => file.path)).toEqual(['manifest.json', 'server/index.js']);
});

it('counts folder limits as it reads: file size, total bytes, entries and depth', async () => {
  unpackedBundle(root, 'limits');
  writeFileSync(path.join(root, 'server', 'big.js'), 'x'.repeat(2048));
  let nested = root;
  for (let depth = 0; depth < 4; depth++) mkdirSync((nested = path.join(nested, `d${depth}`)));
  const limited = async (limits: Partial<typeof DEFAULT_LIMITS>) =>
    (await readDirectory(root, { ...DEFAULT_LIMITS, ...limits })).events.map((event) => event.limit);
  expect(await limited({ maxEntryBytes: 1024 })).toEqual(['maxEntryBytes']);
  expect(await limited({ maxTotalBytes: 1024 })).toEqual(['maxTotalBytes']);
  expect(await limited({ maxEntries: 3 })).toEqual(['maxEntries']);
  expect(await limited({ maxDepth: 2 })).toEqual(['maxDepth']);
  expect(await limited({})).toEqual([]);
});
