import { describe, expect, it } from 'vitest';
import { buildSignedBundle, buildZip, fakeSignatureBlob } from '../../scripts/lib/zip-writer.js';
import { DEFAULT_LIMITS } from '../../src/bundle/limits.js';
import { readZip } from '../../src/bundle/zip.js';

const zip = buildZip([{ name: 'manifest.json', data: '{}' }]);
const layoutOf = (bytes: Uint8Array) => readZip(bytes, DEFAULT_LIMITS).layout!;
const blob = fakeSignatureBlob(64);

describe('signature block', () => {
  it.each(['MCPB', 'DXT'] as const)('accepts a well-formed %s block at the end of the file', (flavour) => {
    const layout = layoutOf(buildSignedBundle(zip, flavour, blob));
    expect(layout.signature).toEqual({ flavour, offset: zip.length, length: 64, problems: [] });
    expect(layout.trailingBytes).toBe(0);
  });

  it.each([
    ['a length past the end marker', { lengthOverride: 80 }, 'declared length 80 does not reach the MCPB_SIG_END marker'],
    ['no end marker', { omitFooter: true }, 'no MCPB_SIG_END marker'],
    ['bytes after the end marker', { afterFooter: Buffer.from('appended') }, '8 bytes follow the MCPB_SIG_END marker'],
  ])('is malformed with %s', (_, options, problem) => {
    const layout = layoutOf(buildSignedBundle(zip, 'MCPB', blob, options));
    expect(layout.signature?.problems).toContain(problem);
  });

  it('is malformed when it ends before its length field', () => {
    const truncated = Buffer.concat([zip, Buffer.from('DXT_SIG_V1\u0001')]);
    expect(layoutOf(truncated).signature?.problems).toEqual(['the block ends before its length field']);
  });

  it('counts anything else after the archive as trailing data', () => {
    const layout = layoutOf(Buffer.concat([zip, Buffer.from('MCPB_SIG_V0 not a block')]));
    expect(layout).toMatchObject({ signature: null, trailingBytes: 23 });
  });
});

describe('ZIP layout', () => {
  it('does not take a chance end-of-directory signature inside data for a second archive', () => {
    const decoy = buildZip([{ name: 'data.bin', data: Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0xff)]), method: 0 }]);
    expect(layoutOf(decoy).eocdCount).toBe(1);
  });

  it('reports ZIP64 archives as unread rather than misreading them', () => {
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50);
    const bytes = Buffer.concat([locator, Buffer.from(buildZip([]))]);
    bytes.writeUInt16LE(0xffff, bytes.length - 22 + 10);
    const read = readZip(bytes, DEFAULT_LIMITS);
    expect(read.events).toEqual([expect.objectContaining({ kind: 'unreadable', detail: expect.stringContaining('ZIP64') })]);
  });
});
