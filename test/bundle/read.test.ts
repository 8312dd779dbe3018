import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { loadBundle, readContainer, unpackBundle } from '../../src/bundle/read.js';
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
