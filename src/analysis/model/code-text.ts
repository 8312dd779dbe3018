import { MAX_PARSED_CHARACTERS } from '../../bundle/limits.js';
import type { ParseProblem } from './file-facts.js';

/** A code file's text as the interpreters read it: UTF-8, malformed bytes replaced (no copy of the bytes). */
export function codeText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Why a file is too large to be parsed (MAX_PARSED_CHARACTERS), or null. */
export function tooLargeToParse(text: string): ParseProblem | null {
  if (text.length <= MAX_PARSED_CHARACTERS) return null;
  return { message: `file too large to parse (${text.length} characters; files over ${MAX_PARSED_CHARACTERS} are not parsed)`, line: 1, column: 1 };
}
