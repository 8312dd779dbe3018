import { expect, it } from 'vitest';
import { buildZeroBomb } from '../../scripts/lib/zip-writer.js';
import { readZip } from '../../src/bundle/zip.js';
import { DEFAULT_LIMITS, entryByteLimit } from '../../src/bundle/limits.js';
import { constants } from 'node:buffer';
import { findingWith, scanFixture } from '../helpers/fixtures.js';

it('stops a ratio bomb and says the audit is incomplete', async () => {
  const bundle = await scanFixture('fixtures/rules/archive-limit-exceeded/invalid.dxt');
  const finding = findingWith(bundle, 'archive-limit-exceeded', '"server/assets/blob.bin" was not read');
  expect(finding.severity).toBe('high');
  expect(finding.message).toContain('100:1 ratio limit');
  expect(bundle.complete).toBe(false);
});

it('applies the per-entry, total and entry-count limits given to it', async () => {
  const fixture = 'fixtures/rules/archive-limit-exceeded/valid.dxt';
  const perEntry = await scanFixture(fixture, { limits: { maxEntryBytes: 1024 * 1024 } });
  expect(findingWith(perEntry, 'archive-limit-exceeded', 'limit for one entry').location.file).toBe('server/vendor/tables.js');
  const total = await scanFixture(fixture, { limits: { maxTotalBytes: 1024 * 1024 } });
  expect(findingWith(total, 'archive-limit-exceeded', 'bytes in total').location.file).toBe('server/vendor/tables.js');
  const entries = await scanFixture(fixture, { limits: { maxEntries: 2 } });
  expect(findingWith(entries, 'archive-limit-exceeded', 'only the first 2 were read').location.file).toBe('.');
  for (const bundle of [perEntry, total, entries]) expect(bundle.complete).toBe(false);
});

it('stops a 1 GiB zero bomb at the ratio limit without inflating it', () => {
  const bomb = buildZeroBomb(1024 * 1024 * 1024);
  const read = readZip(bomb, DEFAULT_LIMITS);
  expect(read.files).toEqual([]);
  expect(read.events).toEqual([expect.objectContaining({ kind: 'limit', limit: 'maxRatio', entry: 'server/index.js' })]);
});

it('reads no file longer than the longest string the rules could make of it, whatever --max-entry-bytes says', () => {
  // Just under 512 MiB: within maxEntryBytes, but past the runtime's longest string (512 MiB less 24).
  const size = constants.MAX_STRING_LENGTH + 1;
  expect(size).toBeLessThanOrEqual(DEFAULT_LIMITS.maxEntryBytes);
  const read = readZip(buildZeroBomb(size), { ...DEFAULT_LIMITS, maxRatio: 1_000_000 });
  expect(read.files).toEqual([]);
  expect(read.events).toEqual([
    expect.objectContaining({ kind: 'limit', limit: 'maxEntryBytes', detail: `it inflates past the ${constants.MAX_STRING_LENGTH}-byte limit for one entry` }),
  ]);
  expect(entryByteLimit({ ...DEFAULT_LIMITS, maxEntryBytes: 10 })).toBe(10);
});
