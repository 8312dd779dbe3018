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
    const many = 1_000_000;
    const { searched, skipped } = searchNativeFiles(files, { declared: declaredHosts({}) }, {
      perFile: { bytes: 200, strings: many, detailed: many },
      perBundle: { bytes: 350, strings: many, detailed: many },
    });
    expect(searched.map(({ file, cutBy, evidence }) => [file.path, cutBy, evidence.scan.scannedBytes])).toEqual([
      ['a', null, 100],
      ['b', { measure: 'bytes', scope: 'file' }, 200],
      ['c', { measure: 'bytes', scope: 'bundle' }, 50],
    ]);
    expect(searched[0]!.evidence.found.get('command')?.values).toEqual(['sh -c']);
    expect(skipped.map(({ path }) => path)).toEqual(['d']);
  });

  it('counts strings seen and strings looked at closely, per file and per bundle', () => {
    const many = 1_000_000;
    const strings = ['plain string one', 'plain string two', '/bin/sh -c one', '/bin/sh -c two', 'plain string three'];
    const files = [file('a', padded(200, strings)), file('b', padded(200, strings)), file('c', padded(200, strings))];
    const { searched, skipped } = searchNativeFiles(files, { declared: declaredHosts({}) }, {
      perFile: { bytes: many, strings: 4, detailed: many },
      perBundle: { bytes: many, strings: many, detailed: 3 },
    });
    expect(searched.map(({ file, cutBy, evidence: { strings: seen, detailed } }) => [file.path, cutBy, seen, detailed])).toEqual([
      ['a', { measure: 'strings', scope: 'file' }, 4, 2],
      ['b', { measure: 'detailed', scope: 'bundle' }, 3, 1],
    ]);
    expect(skipped.map(({ path }) => path)).toEqual(['c']);
  });
});
