/** A code file's text as the interpreters read it: UTF-8, malformed bytes replaced (no copy of the bytes). */
export function codeText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
