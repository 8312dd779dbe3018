import { describe, expect, it } from 'vitest';
import { scanPrintableStrings, type StringEncoding } from '../../../src/analysis/binary/strings.js';
import { withStrings } from '../../../scripts/lib/native-headers.js';

function strings(bytes: Uint8Array, limits = { minLength: 6, maxBytes: 1 << 20 }): Array<[string, number, StringEncoding]> {
  const found: Array<[string, number, StringEncoding]> = [];
  scanPrintableStrings(bytes, (text, offset, encoding) => void found.push([text, offset, encoding]), limits);
  return found;
}

const bytesOf = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...new TextEncoder().encode(part)] : part)));

describe('scanPrintableStrings', () => {
  it('finds ASCII runs of the minimum length and more, tabs included, line breaks not', () => {
    const bytes = bytesOf([0x7f, 0x01], 'short', [0], 'long enough', [0, 1], 'a\tb\tc\td', [0x0a], 'next line', [0xff]);
    expect(strings(bytes)).toEqual([
      ['long enough', 8, 'ascii'],
      ['a\tb\tc\td', 21, 'ascii'],
      ['next line', 29, 'ascii'],
    ]);
  });

  it('finds UTF-16LE runs, without the last letter of an ASCII string before them', () => {
    const bytes = withStrings(new Uint8Array(4), ['%s/.ssh/id_rsa', { utf16: 'Login Data' }]);
    expect(strings(bytes)).toEqual([
      ['%s/.ssh/id_rsa', 4, 'ascii'],
      ['Login Data', 19, 'utf-16le'],
    ]);
    // A wide string right after binary bytes keeps its first letter.
    expect(strings(withStrings(Uint8Array.from([0x01]), [{ utf16: 'Software\\Run' }]))).toEqual([['Software\\Run', 1, 'utf-16le']]);
    // Too short once the borrowed letter is dropped.
    expect(strings(bytesOf('abcdefg', [0], 'h', [0], 'i', [0], 'j', [0], 'k', [0], 'l', [0, 0, 0]))).toEqual([['abcdefg', 0, 'ascii']]);
  });

  it('reads at most maxBytes and says when it stopped short', () => {
    const bytes = bytesOf('first string', [0], 'second string');
    const found: string[] = [];
    expect(scanPrintableStrings(bytes, (text) => void found.push(text), { minLength: 6, maxBytes: 16 })).toEqual({
      scannedBytes: 16,
      totalBytes: 26,
      truncated: true,
    });
    expect(found).toEqual(['first string']);
    expect(scanPrintableStrings(bytes, () => undefined, { minLength: 6, maxBytes: 100 })).toEqual({ scannedBytes: 26, totalBytes: 26, truncated: false });
  });

  it('stops when the visitor says so', () => {
    const found: string[] = [];
    const scan = scanPrintableStrings(bytesOf('first string', [0], 'second string'), (text) => {
      found.push(text);
      return false;
    });
    expect(found).toEqual(['first string']);
    expect(scan.truncated).toBe(true);
  });

  it('reads a subarray from its own start', () => {
    const whole = bytesOf('ignored prefix', [0], 'kept string');
    expect(strings(whole.subarray(15))).toEqual([['kept string', 0, 'ascii']]);
  });
});
