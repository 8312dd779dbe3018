import { crc32, inflateRawSync } from 'node:zlib';
import type { ArchiveLayout, ContainerEntry, EntryKind, ReaderEvent, VirtualFile } from './container.js';
import { entryByteLimit, type Limits } from './limits.js';
import { entryNameShape } from './paths.js';
import { parseTail, type TailParse } from './signature.js';

// A ZIP reader written for hostile input. Zip libraries (jszip included) silently keep one of two
// duplicate names, sanitise `..` away, trust header sizes and give up on the whole archive at the
// first bad local header; an auditor needs every central-directory record as stored, and each
// entry's bytes inflated under counted limits. The structure is small enough to read by hand;
// inflating is node:zlib, whose `maxOutputLength` stops a bomb at the limit instead of after it.

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const FLAG_UTF8 = 0x800;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;

interface Eocd {
  offset: number;
  entryCount: number;
  centralSize: number;
  centralOffset: number;
  end: number;
}

interface CentralRecord {
  entry: ContainerEntry;
  nameBytes: Uint8Array;
  method: number;
  crc: number;
}

export interface ZipRead {
  entries: ContainerEntry[];
  files: VirtualFile[];
  events: ReaderEvent[];
  layout: ArchiveLayout | null;
}

export function readZip(bytes: Uint8Array, limits: Limits): ZipRead {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const candidates = findEocds(buffer);
  const eocd = candidates.at(-1);
  if (!eocd) {
    if (buffer.length === 0) return { entries: [], files: [], events: [{ kind: 'empty', detail: 'is empty (0 bytes), so it is not an extension' }], layout: null };
    const looksZip = buffer.length >= 4 && buffer.readUInt32LE(0) === LOCAL_SIGNATURE;
    const detail = looksZip
      ? 'starts like a ZIP but has no valid end-of-central-directory record (truncated or corrupt)'
      : 'is not a ZIP archive';
    return { entries: [], files: [], events: [{ kind: looksZip ? 'corrupt' : 'not-zip', detail }], layout: null };
  }

  const events: ReaderEvent[] = [];
  const records = readCentralDirectory(buffer, eocd, limits, events);
  const tail = commentSignature(bytes, eocd) ?? parseTail(bytes, eocd.end);
  const layout: ArchiveLayout = {
    eocdCount: candidates.length,
    prefixBytes: records.reduce((lowest, r) => Math.min(lowest, r.entry.localHeaderOffset ?? 0), records.length > 0 ? Infinity : 0),
    trailingBytes: tail.trailingBytes,
    signature: tail.signature,
  };
  const files = inflateEntries(buffer, records, limits, events);
  return { entries: records.map((r) => r.entry), files, events, layout };
}

/**
 * A signature block declared as the archive comment, which `mcpb sign` writes since it learnt to keep
 * signed archives valid for strict readers; null when the comment is not one.
 */
function commentSignature(bytes: Uint8Array, eocd: Eocd): TailParse | null {
  const commentStart = eocd.offset + EOCD_SIZE;
  if (eocd.end !== bytes.length || commentStart === eocd.end) return null;
  const inComment = parseTail(bytes, commentStart);
  if (inComment.signature === null) return null;
  return { ...inComment, signature: { ...inComment.signature, commentLengthAt: eocd.offset + 20 } };
}

/** Every EOCD record whose central directory is where it says, in file order. */
function findEocds(buffer: Buffer): Eocd[] {
  const found: Eocd[] = [];
  const marker = Buffer.alloc(4);
  marker.writeUInt32LE(EOCD_SIGNATURE);
  for (let at = buffer.indexOf(marker); at !== -1; at = buffer.indexOf(marker, at + 1)) {
    if (at + EOCD_SIZE > buffer.length) break;
    const eocd: Eocd = {
      offset: at,
      entryCount: buffer.readUInt16LE(at + 10),
      centralSize: buffer.readUInt32LE(at + 12),
      centralOffset: buffer.readUInt32LE(at + 16),
      end: at + EOCD_SIZE + buffer.readUInt16LE(at + 20),
    };
    if (isPlausibleEocd(buffer, eocd)) found.push(eocd);
  }
  return found;
}

// A chance `PK\5\6` inside compressed data must not count as a second archive: only a record
// whose central directory lies before it and starts with a central header is taken as real.
function isPlausibleEocd(buffer: Buffer, eocd: Eocd): boolean {
  if (eocd.end > buffer.length) return false;
  if (isZip64(eocd)) return eocd.offset >= ZIP64_LOCATOR_SIZE && buffer.readUInt32LE(eocd.offset - ZIP64_LOCATOR_SIZE) === ZIP64_LOCATOR_SIGNATURE;
  if (eocd.centralOffset + eocd.centralSize > eocd.offset) return false;
  if (eocd.entryCount === 0) return eocd.centralSize === 0;
  return eocd.centralOffset + 4 <= buffer.length && buffer.readUInt32LE(eocd.centralOffset) === CENTRAL_SIGNATURE;
}

// ZIP64 marks its real counts and offsets with all-ones values in the classic record. Bundles are
// capped well below 4 GiB, so only the entry count could need it; such archives are reported unread.
function isZip64(eocd: Eocd): boolean {
  return eocd.entryCount === 0xffff || eocd.centralOffset === 0xffffffff || eocd.centralSize === 0xffffffff;
}

function readCentralDirectory(buffer: Buffer, eocd: Eocd, limits: Limits, events: ReaderEvent[]): CentralRecord[] {
  if (isZip64(eocd)) {
    events.push({ kind: 'unreadable', detail: 'ZIP64 archives are not supported; no entry was read' });
    return [];
  }
  let count = eocd.entryCount;
  if (count > limits.maxEntries) {
    events.push({
      kind: 'limit',
      limit: 'maxEntries',
      detail: `the archive declares ${count} entries; only the first ${limits.maxEntries} were read`,
    });
    count = limits.maxEntries;
  }
  const records: CentralRecord[] = [];
  let at = eocd.centralOffset;
  for (let index = 0; index < count; index++) {
    if (at + CENTRAL_SIZE > eocd.offset || buffer.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      events.push({ kind: 'corrupt', detail: `central directory record ${index + 1} of ${count} is missing or damaged` });
      break;
    }
    const nameLength = buffer.readUInt16LE(at + 28);
    const recordEnd = at + CENTRAL_SIZE + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    if (recordEnd > eocd.offset) {
      events.push({ kind: 'corrupt', detail: `central directory record ${index + 1} runs past the directory` });
      break;
    }
    const flags = buffer.readUInt16LE(at + 8);
    const nameBytes = buffer.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
    const name = decodeName(nameBytes, flags);
    const host = buffer.readUInt8(at + 5);
    const mode = host === UNIX_HOST ? buffer.readUInt32LE(at + 38) >>> 16 : null;
    records.push({
      nameBytes,
      method: buffer.readUInt16LE(at + 10),
      crc: buffer.readUInt32LE(at + 16),
      entry: {
        name,
        kind: entryKind(name, mode, buffer.readUInt32LE(at + 38)),
        mode,
        encrypted: (flags & FLAG_ENCRYPTED) !== 0,
        compressedSize: buffer.readUInt32LE(at + 20),
        declaredSize: buffer.readUInt32LE(at + 24),
        localHeaderOffset: buffer.readUInt32LE(at + 42),
      },
    });
    at = recordEnd;
  }
  return records;
}

function decodeName(bytes: Uint8Array, flags: number): string {
  // Without the UTF-8 flag the spec says CP437, but macOS and most packers write UTF-8 unflagged.
  // Valid UTF-8 is read as such; anything else as Latin-1, so that every byte stays visible.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return (flags & FLAG_UTF8) !== 0 ? new TextDecoder('utf-8').decode(bytes) : Buffer.from(bytes).toString('latin1');
  }
}

function entryKind(name: string, mode: number | null, externalAttributes: number): EntryKind {
  if (mode !== null && mode !== 0) {
    switch (mode & S_IFMT) {
      case 0o120000:
        return 'symlink';
      case 0o040000:
        return 'directory';
      case 0o100000:
      case 0:
        break;
      default:
        return 'other';
    }
  }
  const msDosDirectory = (externalAttributes & 0x10) !== 0;
  return name.endsWith('/') || name.endsWith('\\') || msDosDirectory ? 'directory' : 'file';
}

function inflateEntries(buffer: Buffer, records: CentralRecord[], limits: Limits, events: ReaderEvent[]): VirtualFile[] {
  const files: VirtualFile[] = [];
  const ranges: Array<{ start: number; end: number; name: string }> = [];
  let totalBytes = 0;
  for (const record of records) {
    const { entry } = record;
    if (entry.kind !== 'file' && entry.kind !== 'symlink') continue;
    const data = locateData(buffer, record, events);
    if (!data) continue;
    ranges.push({ start: entry.localHeaderOffset ?? 0, end: data.end, name: entry.name });
    if (entry.encrypted) {
      events.push({ kind: 'encrypted', entry: entry.name, detail: 'the entry is encrypted and cannot be read' });
      continue;
    }
    const remaining = limits.maxTotalBytes - totalBytes;
    const content = inflateEntry(buffer.subarray(data.start, data.end), record, limits, remaining, events);
    if (content === 'total-exceeded') {
      events.push({
        kind: 'limit',
        limit: 'maxTotalBytes',
        entry: entry.name,
        detail: `inflating stopped at ${limits.maxTotalBytes} bytes in total; this and later entries were not read`,
      });
      break;
    }
    if (!content) continue;
    totalBytes += content.length;
    if (entry.kind === 'symlink') {
      entry.linkTarget = content.toString('utf8');
      continue;
    }
    const path = entryNameShape(entry.name).path;
    if (path !== null) files.push({ path, bytes: content, executable: entry.mode !== null && (entry.mode & 0o111) !== 0 });
  }
  reportOverlaps(ranges, events);
  return files;
}

function locateData(buffer: Buffer, record: CentralRecord, events: ReaderEvent[]): { start: number; end: number } | null {
  const { entry } = record;
  const at = entry.localHeaderOffset ?? 0;
  if (at + LOCAL_SIZE > buffer.length || buffer.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    events.push({ kind: 'corrupt', entry: entry.name, detail: 'its local file header is missing' });
    return null;
  }
  const nameLength = buffer.readUInt16LE(at + 26);
  const start = at + LOCAL_SIZE + nameLength + buffer.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > buffer.length) {
    events.push({ kind: 'corrupt', entry: entry.name, detail: 'its data runs past the end of the file' });
    return null;
  }
  for (const detail of localHeaderDisagreements(buffer, at, record)) {
    events.push({ kind: 'header-mismatch', entry: entry.name, detail });
  }
  return { start, end };
}

// Streaming extractors trust the local header, seeking ones the central directory: any field they
// disagree on lets two tools install two different files.
function localHeaderDisagreements(buffer: Buffer, at: number, record: CentralRecord): string[] {
  const flags = buffer.readUInt16LE(at + 6);
  const nameLength = buffer.readUInt16LE(at + 26);
  const localName = buffer.subarray(at + LOCAL_SIZE, at + LOCAL_SIZE + nameLength);
  const disagreements: string[] = [];
  if (!localName.equals(record.nameBytes)) disagreements.push(`its local header names it "${decodeName(localName, flags)}"`);
  const method = buffer.readUInt16LE(at + 8);
  if (method !== record.method) disagreements.push(`its local header says compression method ${method}, the directory ${record.method}`);
  if (((flags & FLAG_ENCRYPTED) !== 0) !== record.entry.encrypted) disagreements.push('its headers disagree on whether it is encrypted');
  // With a data descriptor (flag bit 3) the local CRC and sizes are legitimately zero.
  if ((flags & FLAG_DATA_DESCRIPTOR) === 0) {
    const local = { crc: buffer.readUInt32LE(at + 14), compressed: buffer.readUInt32LE(at + 18), size: buffer.readUInt32LE(at + 22) };
    if (local.crc !== record.crc) disagreements.push('its local header declares another CRC-32');
    if (local.compressed !== record.entry.compressedSize || local.size !== record.entry.declaredSize) {
      disagreements.push('its local header declares other sizes');
    }
  }
  return disagreements;
}

function inflateEntry(
  stored: Buffer,
  record: CentralRecord,
  limits: Limits,
  remainingTotal: number,
  events: ReaderEvent[],
): Buffer | null | 'total-exceeded' {
  const { entry } = record;
  const caps = [
    { limit: 'maxRatio', bytes: Math.max(limits.ratioFloorBytes, stored.length * limits.maxRatio) },
    { limit: 'maxEntryBytes', bytes: entryByteLimit(limits) },
    { limit: 'maxTotalBytes', bytes: remainingTotal },
  ] as const;
  const binding = caps.reduce((smallest, cap) => (cap.bytes < smallest.bytes ? cap : smallest));
  let content: Buffer;
  if (record.method === 0) {
    content = ownBytes(stored);
  } else if (record.method === 8) {
    try {
      content = ownBytes(inflateRawSync(stored, { maxOutputLength: Math.max(1, binding.bytes + 1), chunkSize: chunkSizeFor(entry.declaredSize, binding.bytes) }));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return exceeded();
      events.push({ kind: 'corrupt', entry: entry.name, detail: `its compressed data is damaged (${(error as Error).message})` });
      return null;
    }
  } else {
    events.push({ kind: 'unsupported-method', entry: entry.name, detail: `compression method ${record.method} is not supported` });
    return null;
  }
  if (content.length > binding.bytes) return exceeded();
  if (crc32(content) >>> 0 !== record.crc >>> 0) {
    events.push({ kind: 'corrupt', entry: entry.name, detail: 'its CRC-32 does not match its content' });
    return null;
  }
  if (content.length !== entry.declaredSize) {
    events.push({
      kind: 'corrupt',
      entry: entry.name,
      detail: `its header declares ${entry.declaredSize} bytes but it inflates to ${content.length}`,
    });
  }
  return content;

  function exceeded(): null | 'total-exceeded' {
    if (binding.limit === 'maxTotalBytes') return 'total-exceeded';
    events.push({
      kind: 'limit',
      limit: binding.limit,
      entry: entry.name,
      detail:
        binding.limit === 'maxEntryBytes'
          ? `it inflates past the ${binding.bytes}-byte limit for one entry`
          : `it inflates past ${binding.bytes} bytes from ${stored.length} stored, beyond the ${limits.maxRatio}:1 ratio limit (a ZIP bomb)`,
    });
    return null;
  }
}

/** zlib's smallest output chunk; and the largest we ask for, whatever a header declares. */
const MIN_CHUNK = 64;
const MAX_CHUNK = 1 << 20;

/**
 * The output chunk for an entry: its declared size, so that most files inflate into one buffer of
 * their own size instead of 16 KiB chunks joined (about 12% less CPU over desktop-commander's 17,000
 * entries). The size is the archive's word, so it is only a hint: bounded by the limit that binds
 * and by 1 MiB, and a file longer than declared simply takes more chunks.
 */
function chunkSizeFor(declared: number, limit: number): number {
  return Math.max(MIN_CHUNK, Math.min(declared, limit + 1, MAX_CHUNK));
}

// Each file's bytes in a buffer of exactly their size, their own. Output that fits one of zlib's
// chunks comes back as a view on the whole chunk; `Buffer.from` would copy a small one into Node's
// shared 8 KiB pool, where one file that lives on keeps a slab of dead allocations with it (31 MB
// of desktop-commander's 148 MB); and a stored entry is a view on the archive, which must not stay
// in memory for it.
function ownBytes(content: Buffer): Buffer {
  if (content.byteOffset === 0 && content.buffer.byteLength === content.length) return content;
  const own = Buffer.allocUnsafeSlow(content.length);
  content.copy(own);
  return own;
}

// Overlapping entries are how the smallest ZIP bombs reuse one compressed stream many times.
function reportOverlaps(ranges: Array<{ start: number; end: number; name: string }>, events: ReaderEvent[]): void {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (let index = 1; index < sorted.length; index++) {
    const previous = sorted[index - 1]!;
    const current = sorted[index]!;
    if (current.start < previous.end) {
      events.push({ kind: 'overlap', entry: current.name, detail: `its bytes overlap those of "${previous.name}"` });
    }
  }
}
