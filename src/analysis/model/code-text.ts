import type { ParseProblem } from './file-facts.js';

/** A code file's text as the interpreters read it: UTF-8, malformed bytes replaced (no copy of the bytes). */
export function codeText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Characters beyond which a file is not parsed but reported, whatever its language. A parser's tree
 * takes 60 to 200 bytes of memory per character of code (Babel: 100 on a file of calls, 200 on an
 * array of objects), so one such file could exhaust the memory of the audit, and no real server
 * module comes close (the largest of the benchmark's corpus: 1.6 MB).
 */
export const MAX_PARSED_CHARACTERS = 8 * 1024 * 1024;

/** Why a file is too large to be parsed, or null. */
export function tooLargeToParse(text: string): ParseProblem | null {
  if (text.length <= MAX_PARSED_CHARACTERS) return null;
  return { message: `file too large to parse (${text.length} characters; files over ${MAX_PARSED_CHARACTERS} are not parsed)`, line: 1, column: 1 };
}
