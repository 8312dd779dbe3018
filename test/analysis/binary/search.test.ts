import { describe, expect, it } from 'vitest';
import { searchNativeFiles } from '../../../src/analysis/binary/search.js';
import { declaredHosts } from '../../../src/analysis/hosts.js';
import type { VirtualFile } from '../../../src/bundle/container.js';
import { withStrings } from '../../../scripts/lib/native-headers.js';

const file = (path: string, bytes: Uint8Array): VirtualFile => ({ path, bytes, executable: true });
const padded = (size: number, strings: string[]): Uint8Array => {
  const bytes = new Uint8Array(size);
  bytes.set(withStrings(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46), strings));
  return bytes;
};

describe('searchNativeFiles', () => {
  it('reads files in order up to the limit per file and per bundle, and lists those it never reached', () => {
    const files = [
      file('a', padded(100, ['/bin/sh -c %s'])),
      file('b', padded(300, ['rm -rf /tmp/acme'])),
      file('c', padded(300, ['rm -rf /tmp/acme'])),
      file('d', padded(40, ['rm -rf /tmp/acme'])),
    ];
    const { searched, skipped } = searchNativeFiles(files, { declared: declaredHosts({}) }, { perFile: 200, perBundle: 350 });
    expect(searched.map(({ file, cutBy, evidence }) => [file.path, cutBy, evidence.scan.scannedBytes])).toEqual([
      ['a', null, 100],
      ['b', 'file', 200],
      ['c', 'bundle', 50],
    ]);
    expect(searched[0]!.evidence.found.get('command')?.values).toEqual(['sh -c']);
    expect(skipped.map(({ path }) => path)).toEqual(['d']);
  });
});
