import { constants } from 'node:buffer';

// Every limit on hostile input lives here, so the documentation (docs/limits.md) and the
// `--max-*` flags have one source. Defaults follow what Claude Desktop itself enforces when
// installing (512 MB per file, 1 GB total, 100,000 files): anything a real client would install
// fits, anything beyond is refused before it can exhaust memory. The ratio is the exception: the
// client flags 50:1, but generated googleapis files in a real calendar bundle reach 53:1, while
// deflate bombs sit near its 1032:1 maximum; 100:1 keeps both apart.

export interface Limits {
  /** Bytes of the archive file itself (read into memory whole). */
  maxArchiveBytes: number;
  /** Uncompressed bytes of all entries together, counted while inflating. */
  maxTotalBytes: number;
  /** Uncompressed bytes of one entry, counted while inflating. */
  maxEntryBytes: number;
  /** Entries in the central directory, or files in an unpacked directory. */
  maxEntries: number;
  /** Inflated-to-compressed ratio of one entry, enforced once it passes `ratioFloorBytes`. */
  maxRatio: number;
  /** Below this many inflated bytes the ratio is not judged: small, very compressible files are normal. */
  ratioFloorBytes: number;
  /** Directory nesting depth for unpacked bundles. */
  maxDepth: number;
  /**
   * Bytes of code the analysis reads for one server: its distinct files, in the order it loads them.
   * The files it loads past this are reported, not parsed: the facts of a file take up to 30 times
   * its size in memory, so a bundle of dense code could otherwise exhaust it.
   */
  maxCodeBytes: number;
}

const MiB = 1024 * 1024;

/**
 * Characters beyond which a code file is not parsed but reported, whatever its language: a parser's
 * tree takes 100 to 200 bytes of memory per character of code (Babel: 100 on a file of calls, 200
 * on an array of objects), so one such file could exhaust the audit's memory, and no real server
 * module comes close (the largest of the benchmark's corpus: 1.6 MB). A constant, not a flag: the
 * facts of a file are cached by its content alone.
 */
export const MAX_PARSED_CHARACTERS = 8 * MiB;

/**
 * The bytes one file may hold: `maxEntryBytes`, but never more than the longest string the runtime
 * can make (512 MiB less 24 bytes on 64-bit Node), since the rules read files as text. Without
 * this, a file just under 512 MiB could only end in a rule's internal error.
 */
export function entryByteLimit(limits: Limits): number {
  return Math.min(limits.maxEntryBytes, constants.MAX_STRING_LENGTH);
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxArchiveBytes: 1024 * MiB,
  maxTotalBytes: 1024 * MiB,
  maxEntryBytes: 512 * MiB,
  maxEntries: 100_000,
  maxRatio: 100,
  ratioFloorBytes: 1 * MiB,
  maxDepth: 64,
  maxCodeBytes: 64 * MiB,
});
