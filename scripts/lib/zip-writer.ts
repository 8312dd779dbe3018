// A small, deterministic ZIP writer for crafting hostile archives byte by byte. It is test
// tooling, not a general packer: every header field it writes can be made to lie, and nothing
// here validates names. Output depends only on the inputs and on Node's bundled zlib (for
// method 8), never on the clock or the file system. No zip64: sizes and counts must fit the
// classic 16/32-bit fields, and anything larger throws.
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntrySpec {
  /** Written raw: `..`, `/abs`, `C:\x`, backslashes and any Unicode are kept as given. A Uint8Array is written byte for byte (e.g. invalid UTF-8). */
  name: string | Uint8Array;
  /** Entry contents; `{ zeros: n }` is n zero bytes, deflated in chunks without ever holding them all. */
  data: Uint8Array | string | { zeros: number };
  /** 8 (deflate, the default) or 0 (stored). */
  method?: 0 | 8;
  /** Unix mode (e.g. 0o100644, 0o120777 for a symlink): external attributes `mode << 16`, "version made by" host 3 (Unix). */
  unixMode?: number;
  /** Sets general-purpose flag bit 0 and writes `data` as-is, uncompressed, whatever `method` says. */
  encrypted?: boolean;
  /** CRC-32 written to both headers instead of the real one. */
  crcOverride?: number;
  /** Name written to the local file header; the central directory keeps `name`. */
  localNameOverride?: string | Uint8Array;
  /** Uncompressed size written to both headers instead of the real one. */
  declaredSizeOverride?: number;
  /** Garbles the bytes as stored, after compression (see `garble`). */
  corruptData?: boolean;
}

export interface ZipOptions {
  /** Archive comment, written after the EOCD record. */
  comment?: string | Uint8Array;
  /** Bytes appended after the EOCD record and its comment. */
  trailing?: Uint8Array;
  /**
   * Embeds a second, complete EOCD record (comment length 0, same central directory) at the end
   * of the archive comment. It then ends exactly at end of file, so a reader scanning backwards
   * accepts it as readily as the real one: two EOCD records, no trailing bytes.
   */
  extraEocd?: boolean;
  /** Bytes before the first local header (a self-extractor stub, a polyglot). Offsets in the central directory count them, as `zip -A` would leave them. */
  prefix?: Uint8Array;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const HOST_UNIX = 3;
// 1980-01-01 00:00:00, the earliest DOS timestamp: fixed so that rebuilding changes no byte.
const DOS_TIME = 0x0000;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const EOCD_SIZE = 22;
// Zero chunks are compressed once and repeated; 1 MiB keeps memory small while the per-chunk
// flush overhead (a few bytes per ~1 KB of output) stays under 1%.
const ZERO_CHUNK = 1024 * 1024;

const utf8 = new TextEncoder();

/** An entry reduced to the exact bytes and header values the assembler writes. */
interface PreparedEntry {
  centralName: Uint8Array;
  localName: Uint8Array;
  method: number;
  flags: number;
  crc: number;
  uncompressedSize: number;
  stored: Uint8Array;
  versionMadeBy: number;
  externalAttributes: number;
}

class ByteSink {
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  u16(value: number, field: string): void {
    checkRange(value, 0xffff, field);
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, value, true);
    this.bytes(b);
  }

  u32(value: number, field: string): void {
    checkRange(value, 0xffffffff, field);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value, true);
    this.bytes(b);
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

function checkRange(value: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${field} = ${value} does not fit (max ${max}; this writer has no zip64)`);
  }
}

function toBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? utf8.encode(value) : value;
}

/**
 * Makes stored bytes unreadable, deterministically. For deflate the first block header is forced
 * to BTYPE 3 (reserved), so every inflater fails at byte 0 instead of perhaps producing output
 * that only a CRC check would catch; the rest is XORed so no stray valid block survives. Stored
 * data is XORed, which leaves the CRC wrong.
 */
function garble(stored: Uint8Array, method: number): Uint8Array {
  if (stored.length === 0) throw new Error('corruptData needs at least one stored byte');
  const out = stored.map((b) => b ^ 0xa5);
  if (method === 8) out[0] = (out[0] ?? 0) | 0b111;
  return out;
}

/** Deflates `count` zero bytes as independent sync-flushed segments, then a final empty block. */
function deflateZeros(count: number): { stored: Uint8Array; crc: number } {
  const sink = new ByteSink();
  const syncFlush = { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH };
  const chunk = new Uint8Array(Math.min(count, ZERO_CHUNK));
  const fullSegment = deflateRawSync(chunk, syncFlush);
  let crc = 0;
  let remaining = count;
  while (remaining > 0) {
    const n = Math.min(remaining, chunk.length);
    const piece = n === chunk.length ? chunk : chunk.subarray(0, n);
    // A sync flush ends byte-aligned without BFINAL, so segments concatenate into one valid
    // stream; each starts with an empty window, which costs nothing for zeros.
    sink.bytes(n === chunk.length ? fullSegment : deflateRawSync(piece, syncFlush));
    crc = crc32(piece, crc);
    remaining -= n;
  }
  sink.bytes(deflateRawSync(new Uint8Array(0)));
  return { stored: sink.toBytes(), crc };
}

function prepare(spec: ZipEntrySpec): PreparedEntry {
  const method = spec.method ?? 8;
  const centralName = toBytes(spec.name);
  const localName = spec.localNameOverride === undefined ? centralName : toBytes(spec.localNameOverride);

  let stored: Uint8Array;
  let crc: number;
  let size: number;
  if (typeof spec.data === 'object' && !(spec.data instanceof Uint8Array)) {
    size = spec.data.zeros;
    if (method === 8 && !spec.encrypted) {
      ({ stored, crc } = deflateZeros(size));
    } else {
      stored = new Uint8Array(size);
      crc = crc32(stored);
    }
  } else {
    const data = toBytes(spec.data);
    size = data.length;
    crc = crc32(data);
    stored = method === 8 && !spec.encrypted ? deflateRawSync(data) : data;
  }
  if (spec.corruptData) stored = garble(stored, method);

  const unix = spec.unixMode !== undefined;
  const isDirectory = centralName[centralName.length - 1] === 0x2f;
  return {
    centralName,
    localName,
    method,
    flags: FLAG_UTF8 | (spec.encrypted ? FLAG_ENCRYPTED : 0),
    crc: spec.crcOverride ?? crc,
    uncompressedSize: spec.declaredSizeOverride ?? size,
    stored,
    versionMadeBy: unix ? (HOST_UNIX << 8) | 20 : 20,
    // MS-DOS attributes when no mode is given: 0x10 marks a directory.
    externalAttributes: unix ? ((spec.unixMode ?? 0) & 0xffff) * 0x10000 : isDirectory ? 0x10 : 0,
  };
}

function versionNeeded(entry: PreparedEntry): number {
  return entry.method === 8 ? 20 : 10;
}

function writeEocd(sink: ByteSink, count: number, cdSize: number, cdOffset: number, commentLength: number): void {
  sink.u32(SIG_EOCD, 'signature');
  sink.u16(0, 'disk number');
  sink.u16(0, 'central directory disk');
  sink.u16(count, 'entries on this disk');
  sink.u16(count, 'total entries');
  sink.u32(cdSize, 'central directory size');
  sink.u32(cdOffset, 'central directory offset');
  sink.u16(commentLength, 'comment length');
}

/** The fields the local header and the central-directory record share, in the same order. */
function writeSharedFields(sink: ByteSink, e: PreparedEntry): void {
  sink.u16(versionNeeded(e), 'version needed');
  sink.u16(e.flags, 'flags');
  sink.u16(e.method, 'method');
  sink.u16(DOS_TIME, 'time');
  sink.u16(DOS_DATE, 'date');
  sink.u32(e.crc >>> 0, 'crc-32');
  sink.u32(e.stored.length, 'compressed size');
  sink.u32(e.uncompressedSize, 'uncompressed size');
}

function assemble(entries: PreparedEntry[], options: ZipOptions): Uint8Array {
  const sink = new ByteSink();
  if (options.prefix) sink.bytes(options.prefix);

  const offsets: number[] = [];
  for (const e of entries) {
    offsets.push(sink.length);
    sink.u32(SIG_LOCAL, 'signature');
    writeSharedFields(sink, e);
    sink.u16(e.localName.length, 'name length');
    sink.u16(0, 'extra length');
    sink.bytes(e.localName);
    sink.bytes(e.stored);
  }

  const cdOffset = sink.length;
  entries.forEach((e, i) => {
    sink.u32(SIG_CENTRAL, 'signature');
    sink.u16(e.versionMadeBy, 'version made by');
    writeSharedFields(sink, e);
    sink.u16(e.centralName.length, 'name length');
    sink.u16(0, 'extra length');
    sink.u16(0, 'comment length');
    sink.u16(0, 'disk start');
    sink.u16(0, 'internal attributes');
    sink.u32(e.externalAttributes, 'external attributes');
    sink.u32(offsets[i] ?? 0, 'local header offset');
    sink.bytes(e.centralName);
  });
  const cdSize = sink.length - cdOffset;

  const comment = options.comment === undefined ? new Uint8Array(0) : toBytes(options.comment);
  const embedded = options.extraEocd ? EOCD_SIZE : 0;
  writeEocd(sink, entries.length, cdSize, cdOffset, comment.length + embedded);
  sink.bytes(comment);
  if (options.extraEocd) writeEocd(sink, entries.length, cdSize, cdOffset, 0);
  if (options.trailing) sink.bytes(options.trailing);
  return sink.toBytes();
}

/** Builds a ZIP archive with entries in the given order (duplicates allowed). */
export function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Uint8Array {
  return assemble(entries.map(prepare), options);
}

/** A valid ZIP with one deflated entry, `server/index.js`, of `uncompressedBytes` zeros. */
export function buildZeroBomb(uncompressedBytes: number): Uint8Array {
  return buildZip([{ name: 'server/index.js', data: { zeros: uncompressedBytes }, method: 8 }]);
}

export interface SignatureOptions {
  /** Length written after the header magic instead of the blob's real length. */
  lengthOverride?: number;
  /** Leaves out the `*_SIG_END` footer. */
  omitFooter?: boolean;
  /** Bytes appended after the footer (e.g. a second ZIP). */
  afterFooter?: Uint8Array;
}

/** Appends a signature block: `<F>_SIG_V1`, uint32 LE length, blob, `<F>_SIG_END`. */
export function buildSignedBundle(
  zip: Uint8Array,
  flavour: 'MCPB' | 'DXT',
  blob: Uint8Array,
  opts: SignatureOptions = {},
): Uint8Array {
  const sink = new ByteSink();
  sink.bytes(zip);
  sink.bytes(utf8.encode(`${flavour}_SIG_V1`));
  sink.u32(opts.lengthOverride ?? blob.length, 'signature length');
  sink.bytes(blob);
  if (!opts.omitFooter) sink.bytes(utf8.encode(`${flavour}_SIG_END`));
  if (opts.afterFooter) sink.bytes(opts.afterFooter);
  return sink.toBytes();
}

/**
 * A deterministic stand-in for a DER PKCS#7 blob: a SEQUENCE with a two-byte length, the
 * signedData OID, then filler. Enough to look right to a parser; nobody verifies it.
 */
export function fakeSignatureBlob(length = 256): Uint8Array {
  if (length < 15 || length > 0xffff + 4) throw new RangeError(`fake signature length ${length} out of range`);
  const out = new Uint8Array(length);
  const body = length - 4;
  out.set([0x30, 0x82, body >> 8, body & 0xff]);
  // OBJECT IDENTIFIER 1.2.840.113549.1.7.2 (signedData)
  out.set([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02], 4);
  for (let i = 15; i < length; i++) out[i] = (i * 31 + 7) & 0xff;
  return out;
}
