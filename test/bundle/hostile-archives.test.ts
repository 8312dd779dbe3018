import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { readZip } from '../../src/bundle/zip.js';
import { repoPath } from '../helpers/fixtures.js';

// Deterministic mutations of a real bundle: every truncation point of the central directory and
// EOCD, and byte flips spread over the whole file. Each must give a report, never a throw. A
// mutant may come out complete and clean only when it changed nothing that matters (a timestamp,
// say): the tree read from it must then equal the original's, byte for byte.
const original = readFileSync(repoPath('fixtures/examples/hello-world.dxt'));
const scratch = mkdtempSync(path.join(tmpdir(), 'dxt-audit-mutants-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const treeOf = (bytes: Uint8Array) => readZip(bytes, DEFAULT_LIMITS).files.map((file) => [file.path, Buffer.from(file.bytes).toString('hex'), file.executable]);
const originalTree = treeOf(original);

function mutants(): Array<[string, Uint8Array]> {
  const list: Array<[string, Uint8Array]> = [];
  for (let length = 0; length < original.length; length += length < original.length - 400 ? 37 : 1) {
    list.push([`truncated to ${length}`, original.subarray(0, length)]);
  }
  for (let at = 0; at < original.length; at += 7) {
    const copy = Buffer.from(original);
    copy[at] = copy[at]! ^ 0xff;
    list.push([`byte ${at} flipped`, copy]);
  }
  return list;
}

it('survives every mutation with a report, and never calls a damaged bundle clean', async () => {
  const cases = mutants();
  const files = cases.map(([, bytes], index) => {
    const file = path.join(scratch, `mutant-${String(index).padStart(4, '0')}.dxt`);
    writeFileSync(file, bytes);
    return file;
  });
  const report = await audit(files);
  expect(report.summary.internalError).toBe(false);
  expect(report.bundles).toHaveLength(cases.length);
  report.bundles.forEach((bundle, index) => {
    const [label, bytes] = cases[index]!;
    if (Buffer.compare(Buffer.from(bytes), original) === 0) return;
    const silent = bundle.complete && bundle.findings.every((finding) => finding.severity === 'info');
    if (silent) expect(treeOf(bytes), `${label} looks clean`).toEqual(originalTree);
  });
});
