// The printable strings of a binary file, as `strings(1)` finds them: runs of printable ASCII, and
// runs of printable ASCII stored as UTF-16LE (how Windows programs keep wide string literals and
// resources). A native file can be a hundred megabytes, so the bytes read per file are counted and
// bounded, and the caller learns when the scan stopped short. Runs are found by regular expressions
// over a Latin-1 view of the bytes (one character per byte, so offsets stay byte offsets): linear in
// the bytes read, whatever they hold.

export interface StringScanLimits {
  /** Shortest run reported, in characters: shorter runs are mostly chance bytes of code and tables. */
  minLength: number;
  /** Bytes read from the start of one file; the rest is not scanned. */
  maxBytes: number;
}

const MiB = 1024 * 1024;

export const STRING_SCAN_LIMITS: Readonly<StringScanLimits> = Object.freeze({ minLength: 6, maxBytes: 64 * MiB });

const PRINTABLE = /[\t\x20-\x7e]/;

export type StringEncoding = 'ascii' | 'utf-16le';

/** What a scan read: `scannedBytes` of `totalBytes`, and whether it stopped before the end (the limit, or the visitor). */
export interface StringScan {
  scannedBytes: number;
  totalBytes: number;
  truncated: boolean;
}

/**
 * Calls `visit` with each printable run of `bytes` (within `limits.maxBytes`): first every ASCII run
 * in file order, then every UTF-16LE run. Tab counts as printable, line breaks do not. `visit`
 * returns `false` to stop the scan, which then counts as truncated.
 */
export function scanPrintableStrings(
  bytes: Uint8Array,
  visit: (text: string, offset: number, encoding: StringEncoding) => boolean | void,
  limits: StringScanLimits = STRING_SCAN_LIMITS,
): StringScan {
  const scannedBytes = Math.min(bytes.byteLength, Math.max(0, limits.maxBytes));
  const scan: StringScan = { scannedBytes, totalBytes: bytes.byteLength, truncated: scannedBytes < bytes.byteLength };
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, scannedBytes).toString('latin1');
  const min = Math.max(1, Math.floor(limits.minLength));
  const ascii = new RegExp(`[\\t\\x20-\\x7e]{${min},}`, 'g');
  for (let match = ascii.exec(text); match !== null; match = ascii.exec(text)) {
    if (visit(match[0], match.index, 'ascii') === false) return { ...scan, truncated: true };
  }
  const wide = new RegExp(`(?:[\\t\\x20-\\x7e]\\x00){${min},}`, 'g');
  for (let match = wide.exec(text); match !== null; match = wide.exec(text)) {
    // The last letter of an ASCII string and its terminator look like one UTF-16 character: a run
    // right after printable text starts one character later.
    const tail = match.index > 0 && PRINTABLE.test(text[match.index - 1]!) ? 2 : 0;
    if (match[0].length - tail < 2 * min) continue;
    const value = match[0].slice(tail).replace(/\x00/g, '');
    if (visit(value, match.index + tail, 'utf-16le') === false) return { ...scan, truncated: true };
  }
  return scan;
}
