import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildSignedBundle, buildZeroBomb, buildZip, fakeSignatureBlob } from '../../scripts/lib/zip-writer.js';

// A deliberately minimal reader, independent of src/bundle, that trusts what the writer wrote:
// enough to check every field lands where the ZIP format says it should.
const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const MiB = 1024 * 1024;
const decoder = new TextDecoder();

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface Eocd {
  offset: number;
  entriesOnDisk: number;
  totalEntries: number;
  cdSize: number;
  cdOffset: number;
  comment: Uint8Array;
}

function readEocd(zip: Uint8Array, offset: number): Eocd {
  const v = view(zip);
  expect(v.getUint32(offset, true)).toBe(SIG_EOCD);
  const commentLength = v.getUint16(offset + 20, true);
  return {
    offset,
    entriesOnDisk: v.getUint16(offset + 8, true),
    totalEntries: v.getUint16(offset + 10, true),
    cdSize: v.getUint32(offset + 12, true),
    cdOffset: v.getUint32(offset + 16, true),
    comment: zip.subarray(offset + 22, offset + 22 + commentLength),
  };
}

/** Offsets of every occurrence of a 4-byte little-endian signature. */
function signatureOffsets(bytes: Uint8Array, signature: number): number[] {
  const v = view(bytes);
  const found: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i++) if (v.getUint32(i, true) === signature) found.push(i);
  return found;
}

/** The EOCD whose comment ends exactly at end of file, scanning from the end. */
function lastEocd(zip: Uint8Array): Eocd {
  const v = view(zip);
  for (let i = zip.length - 22; i >= 0; i--) {
    if (v.getUint32(i, true) === SIG_EOCD && i + 22 + v.getUint16(i + 20, true) === zip.length) return readEocd(zip, i);
  }
  throw new Error('no EOCD');
}

interface Central {
  versionMadeBy: number;
  versionNeeded: number;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressedSize: number;
  size: number;
  externalAttributes: number;
  localOffset: number;
  nameBytes: Uint8Array;
  name: string;
}

function readCentralDirectory(zip: Uint8Array, eocd: Eocd): Central[] {
  const v = view(zip);
  const entries: Central[] = [];
  let p = eocd.cdOffset;
  for (let i = 0; i < eocd.totalEntries; i++) {
    expect(v.getUint32(p, true)).toBe(SIG_CENTRAL);
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    const nameBytes = zip.subarray(p + 46, p + 46 + nameLength);
    entries.push({
      versionMadeBy: v.getUint16(p + 4, true),
      versionNeeded: v.getUint16(p + 6, true),
      flags: v.getUint16(p + 8, true),
      method: v.getUint16(p + 10, true),
      time: v.getUint16(p + 12, true),
      date: v.getUint16(p + 14, true),
      crc: v.getUint32(p + 16, true),
      compressedSize: v.getUint32(p + 20, true),
      size: v.getUint32(p + 24, true),
      externalAttributes: v.getUint32(p + 38, true),
      localOffset: v.getUint32(p + 42, true),
      nameBytes,
      name: decoder.decode(nameBytes),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  expect(p - eocd.cdOffset).toBe(eocd.cdSize);
  return entries;
}

interface Local {
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  name: string;
  data: Uint8Array;
}

function readLocal(zip: Uint8Array, offset: number): Local {
  const v = view(zip);
  expect(v.getUint32(offset, true)).toBe(SIG_LOCAL);
  const compressedSize = v.getUint32(offset + 18, true);
  const nameLength = v.getUint16(offset + 26, true);
  const dataStart = offset + 30 + nameLength + v.getUint16(offset + 28, true);
  return {
    flags: v.getUint16(offset + 6, true),
    method: v.getUint16(offset + 8, true),
    crc: v.getUint32(offset + 14, true),
    compressedSize,
    size: v.getUint32(offset + 22, true),
    name: decoder.decode(zip.subarray(offset + 30, offset + 30 + nameLength)),
    data: zip.subarray(dataStart, dataStart + compressedSize),
  };
}

function parse(zip: Uint8Array): { eocd: Eocd; central: Central[] } {
  const eocd = lastEocd(zip);
  return { eocd, central: readCentralDirectory(zip, eocd) };
}

function ascii(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

describe('buildZip', () => {
  it('writes a stored entry at the offsets the format prescribes', () => {
    const data = new TextEncoder().encode('hello, zip');
    const zip = buildZip([{ name: 'a.txt', data, method: 0 }]);

    const local = readLocal(zip, 0);
    expect(local).toMatchObject({ method: 0, flags: 0x0800, crc: crc32(data), compressedSize: 10, size: 10, name: 'a.txt' });
    expect(local.data).toEqual(data);

    const cdOffset = 30 + 5 + 10;
    const eocd = readEocd(zip, zip.length - 22);
    expect(eocd).toMatchObject({ entriesOnDisk: 1, totalEntries: 1, cdOffset, cdSize: 46 + 5 });
    expect(eocd.comment.length).toBe(0);
    expect(signatureOffsets(zip, SIG_CENTRAL)).toEqual([cdOffset]);

    const [entry] = readCentralDirectory(zip, eocd);
    // Fixed timestamp 1980-01-01 00:00 keeps the output reproducible.
    expect(entry).toMatchObject({ time: 0, date: 0x21, localOffset: 0, crc: crc32(data), versionNeeded: 10, versionMadeBy: 20 });
  });

  it('deflates method 8 entries and places each local header where the central directory says', () => {
    const files = { 'manifest.json': '{"name":"x"}\n', 'server/index.js': 'console.log(1);\n'.repeat(50), 'empty.txt': '' };
    const zip = buildZip(Object.entries(files).map(([name, data]) => ({ name, data })));
    const { eocd, central } = parse(zip);
    expect(eocd.totalEntries).toBe(3);
    expect(central.map((e) => e.name)).toEqual(Object.keys(files));
    for (const entry of central) {
      const local = readLocal(zip, entry.localOffset);
      const expected = new TextEncoder().encode(files[entry.name as keyof typeof files]);
      expect(entry).toMatchObject({ method: 8, versionNeeded: 20, size: expected.length, crc: crc32(expected) });
      expect(local.compressedSize).toBe(entry.compressedSize);
      expect(new Uint8Array(inflateRawSync(local.data))).toEqual(expected);
    }
  });

  it('is deterministic', () => {
    const entries = [
      { name: 'a.js', data: 'x'.repeat(1000) },
      { name: 'b.bin', data: Uint8Array.from([1, 2, 3]), method: 0 as const, unixMode: 0o100755 },
    ];
    expect(buildZip(entries, { comment: 'c' })).toEqual(buildZip(entries, { comment: 'c' }));
  });

  it('writes hostile names raw, as UTF-8 with flag bit 11', () => {
    const names = ['../../evil.js', '/etc/cron.d/x', 'C:\\Windows\\x.js', 'server\\util.js', 'server/héllo-✓-😀.js'];
    const { central } = parse(buildZip(names.map((name) => ({ name, data: 'x' }))));
    expect(central.map((e) => e.name)).toEqual(names);
    for (const e of central) expect(e.flags & 0x0800).toBe(0x0800);

    const rawName = Uint8Array.from([0x73, 0xff, 0x00, 0x2e, 0x6a, 0x73]);
    const [raw] = parse(buildZip([{ name: rawName, data: '' }])).central;
    expect(raw?.nameBytes).toEqual(rawName);
  });

  it('records Unix modes with "version made by" host 3, and DOS attributes otherwise', () => {
    const zip = buildZip([
      { name: 'server/link', data: '/etc/passwd', method: 0, unixMode: 0o120777 },
      { name: 'server/bin/tool', data: '#!/bin/sh\n', unixMode: 0o100755 },
      { name: 'plain.txt', data: 'x' },
      { name: 'dir/', data: '', method: 0 },
    ]);
    const [link, tool, plain, dir] = parse(zip).central;
    expect(link?.versionMadeBy).toBe((3 << 8) | 20);
    expect((link?.externalAttributes ?? 0) >>> 16).toBe(0o120777);
    expect((tool?.externalAttributes ?? 0) >>> 16).toBe(0o100755);
    expect(plain?.versionMadeBy).toBe(20);
    expect(plain?.externalAttributes).toBe(0);
    expect(dir?.externalAttributes).toBe(0x10);
  });

  it('marks encrypted entries and writes their data as given', () => {
    const opaque = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
    const zip = buildZip([{ name: 'secret.js', data: opaque, encrypted: true, method: 8 }]);
    const [entry] = parse(zip).central;
    expect(entry).toMatchObject({ flags: 0x0801, method: 8, compressedSize: 40 });
    expect(readLocal(zip, 0)).toMatchObject({ flags: 0x0801, data: opaque });
  });

  it('lies about CRC and size in both headers, and about the name in the local header only', () => {
    const zip = buildZip([
      { name: 'crc.js', data: 'abc', method: 0, crcOverride: 0xdeadbeef },
      { name: 'size.js', data: 'abc', method: 0, declaredSizeOverride: 1_000_000 },
      { name: 'server/safe.js', data: 'abc', localNameOverride: 'server/evil.js' },
    ]);
    const [crcEntry, sizeEntry, renamed] = parse(zip).central;
    expect(crcEntry?.crc).toBe(0xdeadbeef);
    expect(readLocal(zip, crcEntry?.localOffset ?? -1).crc).toBe(0xdeadbeef);
    expect(sizeEntry).toMatchObject({ size: 1_000_000, compressedSize: 3 });
    expect(readLocal(zip, sizeEntry?.localOffset ?? -1).size).toBe(1_000_000);
    expect(renamed?.name).toBe('server/safe.js');
    expect(readLocal(zip, renamed?.localOffset ?? -1).name).toBe('server/evil.js');
  });

  it('garbles deflate data so that inflating fails, and stored data so that the CRC fails', () => {
    const text = 'module.exports = 42;\n'.repeat(10);
    const zip = buildZip([
      { name: 'deflated.js', data: text, corruptData: true },
      { name: 'stored.js', data: text, method: 0, corruptData: true },
    ]);
    const [deflated, stored] = parse(zip).central.map((e) => ({ central: e, local: readLocal(zip, e.localOffset) }));
    expect(() => inflateRawSync(deflated?.local.data ?? new Uint8Array(0))).toThrow();
    expect(stored?.local.data.length).toBe(text.length);
    expect(crc32(stored?.local.data ?? new Uint8Array(0))).not.toBe(stored?.central.crc);
    expect(stored?.central.crc).toBe(crc32(text));
  });

  it('writes a comment, a prefix (offsets include it) and trailing bytes', () => {
    const prefix = new TextEncoder().encode('#!/bin/sh\nexit 0\n');
    const trailing = Uint8Array.from([1, 2, 3, 4]);
    const zip = buildZip([{ name: 'a', data: 'x', method: 0 }], { comment: 'hi there', prefix, trailing });
    expect(zip.subarray(0, prefix.length)).toEqual(prefix);
    expect(signatureOffsets(zip, SIG_LOCAL)).toEqual([prefix.length]);
    const [eocdAt] = signatureOffsets(zip, SIG_EOCD);
    const eocd = readEocd(zip, eocdAt ?? -1);
    expect(decoder.decode(eocd.comment)).toBe('hi there');
    expect(zip.subarray(eocd.offset + 22 + eocd.comment.length)).toEqual(trailing);
    const [entry] = readCentralDirectory(zip, eocd);
    expect(entry?.localOffset).toBe(prefix.length);
  });

  it('hides a second, complete EOCD at the end of the comment when asked', () => {
    const zip = buildZip([{ name: 'a', data: 'x' }], { comment: 'note', extraEocd: true });
    const offsets = signatureOffsets(zip, SIG_EOCD);
    expect(offsets).toHaveLength(2);
    const [real, fake] = offsets.map((o) => readEocd(zip, o));
    expect(fake?.offset).toBe(zip.length - 22);
    expect(fake?.comment.length).toBe(0);
    expect(real?.comment.length).toBe(4 + 22);
    expect(decoder.decode(real?.comment.subarray(0, 4))).toBe('note');
    expect(fake).toMatchObject({ totalEntries: 1, cdOffset: real?.cdOffset, cdSize: real?.cdSize });
  });

  it('refuses values that need zip64 or overflow a 16-bit field', () => {
    expect(() => buildZip([{ name: 'x'.repeat(0x10000), data: '' }])).toThrow(RangeError);
    expect(() => buildZip([{ name: 'x', data: '', declaredSizeOverride: 2 ** 32 }])).toThrow(RangeError);
  });
});

describe('buildSignedBundle', () => {
  const zip = buildZip([{ name: 'manifest.json', data: '{}' }]);
  const blob = fakeSignatureBlob(100);

  it('appends header, little-endian length, blob and footer', () => {
    const signed = buildSignedBundle(zip, 'MCPB', blob);
    expect(signed.subarray(0, zip.length)).toEqual(zip);
    let p = zip.length;
    expect(ascii(signed.subarray(p, p + 11))).toBe('MCPB_SIG_V1');
    p += 11;
    expect(view(signed).getUint32(p, true)).toBe(100);
    p += 4;
    expect(signed.subarray(p, p + 100)).toEqual(blob);
    p += 100;
    expect(ascii(signed.subarray(p))).toBe('MCPB_SIG_END');
  });

  it('uses DXT magic and supports a lying length, a missing footer and bytes after it', () => {
    const after = Uint8Array.from([9, 9]);
    const signed = buildSignedBundle(zip, 'DXT', blob, { lengthOverride: 7, afterFooter: after });
    expect(ascii(signed.subarray(zip.length, zip.length + 10))).toBe('DXT_SIG_V1');
    expect(view(signed).getUint32(zip.length + 10, true)).toBe(7);
    expect(ascii(signed.subarray(-13, -2))).toBe('DXT_SIG_END');
    expect(signed.subarray(-2)).toEqual(after);

    const noFooter = buildSignedBundle(zip, 'MCPB', blob, { omitFooter: true });
    expect(noFooter.length).toBe(zip.length + 11 + 4 + 100);
  });

  it('makes a DER-looking blob', () => {
    expect([...blob.subarray(0, 4)]).toEqual([0x30, 0x82, 0x00, 96]);
    expect(fakeSignatureBlob(100)).toEqual(blob);
  });
});

describe('buildZeroBomb', () => {
  it.each([0, 5, MiB, MiB + 3, 3 * MiB])('inflates to exactly %i zero bytes with a correct CRC', (n) => {
    const zip = buildZeroBomb(n);
    const [entry] = parse(zip).central;
    expect(entry).toMatchObject({ name: 'server/index.js', method: 8, size: n });
    const inflated = inflateRawSync(readLocal(zip, 0).data);
    expect(inflated.length).toBe(n);
    expect(inflated.every((b) => b === 0)).toBe(true);
    expect(entry?.crc).toBe(crc32(new Uint8Array(n)));
  });

  it('builds 1 GiB of zeros as about 1 MiB', () => {
    const zip = buildZeroBomb(1024 * MiB);
    const [entry] = parse(zip).central;
    expect(entry?.size).toBe(1024 * MiB);
    expect(zip.length).toBeLessThan(1.2 * MiB);
  });
});
