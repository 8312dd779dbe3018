import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { loadBundle, readContainer, unpackBundle } from '../../src/bundle/read.js';
import { readZip } from '../../src/bundle/zip.js';
import { buildZip } from '../../scripts/lib/zip-writer.js';
import { repoPath } from '../helpers/fixtures.js';

// An archive is read in two halves (bundle/read.ts): its bytes and their digest, which the cache
// looks up, then its entries. The bytes are handed over once, so nothing holds the archive beside
// its unpacked files.

const ARCHIVE = repoPath('fixtures/examples/hello-world.dxt');
const TRUST = { certificates: [], now: 0 };

describe('reading an archive in two halves', () => {
  it('gives the digest of the archive before unpacking it, and then the container readContainer gives', async () => {
    const loaded = await loadBundle({ kind: 'archive', path: ARCHIVE }, DEFAULT_LIMITS);
    expect(loaded.kind === 'archive' && loaded.sha256).toBe(createHash('sha256').update(readFileSync(ARCHIVE)).digest('hex'));
    const unpacked = await unpackBundle(loaded, DEFAULT_LIMITS, TRUST);
    expect(unpacked).toEqual(await readContainer({ kind: 'archive', path: ARCHIVE }, DEFAULT_LIMITS, TRUST));
  });

  it('hands the archive’s bytes over once', async () => {
    const loaded = await loadBundle({ kind: 'archive', path: ARCHIVE }, DEFAULT_LIMITS);
    await unpackBundle(loaded, DEFAULT_LIMITS, TRUST);
    await expect(unpackBundle(loaded, DEFAULT_LIMITS, TRUST)).rejects.toThrow(/unpacked already/);
  });
});

describe('the bytes an unpacked file holds', () => {
  // A file that lives on must not keep alive more than itself: not the archive (a stored entry is a
  // view on it), not a whole output chunk of zlib, not a slab of Node's shared buffer pool.
  it('are a buffer of exactly the file’s size, for stored and deflated entries, small and large', () => {
    const large = 'x'.repeat(100_000);
    const archive = buildZip([
      { name: 'stored.txt', data: 'stored bytes', method: 0 },
      { name: 'small.js', data: 'module.exports = 1;\n' },
      { name: 'large.js', data: large },
      { name: 'empty.txt', data: '' },
    ]);
    const read = readZip(archive, DEFAULT_LIMITS);
    expect(read.files.map((file) => [file.path, Buffer.from(file.bytes).toString()])).toEqual([
      ['stored.txt', 'stored bytes'],
      ['small.js', 'module.exports = 1;\n'],
      ['large.js', large],
      ['empty.txt', ''],
    ]);
    for (const file of read.files) {
      expect(file.bytes.byteOffset).toBe(0);
      expect(file.bytes.buffer.byteLength).toBe(file.bytes.length);
    }
  });
});
