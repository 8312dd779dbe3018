// Searching several native files for strings under one budget: each file is read up to the limit
// per file, in the order given (the caller puts what matters most first), until the bytes read reach
// the limit per bundle; the file that crosses it is read up to it, and the rest are not read at all.
import type { VirtualFile } from '../../bundle/container.js';
import { binaryEvidence, type BinaryEvidence, type EvidenceContext } from './evidence.js';
import { STRING_SCAN_LIMITS } from './strings.js';

export interface SearchLimits {
  /** Bytes read from one file. */
  perFile: number;
  /** Bytes read from all files together. */
  perBundle: number;
}

const MiB = 1024 * 1024;

/** At the throughput measured (about 60 to 120 MB/s on one core), a few seconds at worst per bundle. */
export const SEARCH_LIMITS: Readonly<SearchLimits> = Object.freeze({ perFile: STRING_SCAN_LIMITS.maxBytes, perBundle: 128 * MiB });

export interface SearchedFile {
  file: VirtualFile;
  evidence: BinaryEvidence;
  /** Which limit stopped the read before the end of the file, if one did. */
  cutBy: 'file' | 'bundle' | null;
}

export function searchNativeFiles(
  files: readonly VirtualFile[],
  context: EvidenceContext,
  limits: SearchLimits = SEARCH_LIMITS,
): { searched: SearchedFile[]; skipped: VirtualFile[] } {
  const searched: SearchedFile[] = [];
  const skipped: VirtualFile[] = [];
  let left = limits.perBundle;
  for (const file of files) {
    if (left <= 0) {
      skipped.push(file);
      continue;
    }
    const maxBytes = Math.min(limits.perFile, left);
    const evidence = binaryEvidence(file.bytes, context, { ...STRING_SCAN_LIMITS, maxBytes });
    left -= evidence.scan.scannedBytes;
    const cut = evidence.scan.scannedBytes < evidence.scan.totalBytes;
    searched.push({ file, evidence, cutBy: !cut ? null : maxBytes < limits.perFile ? 'bundle' : 'file' });
  }
  return { searched, skipped };
}
