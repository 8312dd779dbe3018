import type { SignatureBlock } from './container.js';

// Layout (mcpb-format.md): `<F>_SIG_V1`, uint32 LE length N, N bytes of PKCS#7, `<F>_SIG_END`, then
// end of file. The reference library finds the footer with a last-index search and checks nothing
// else; we parse it strictly so that appended bytes cannot hide behind a plausible block.

const FLAVOURS = ['MCPB', 'DXT'] as const;

export interface TailParse {
  signature: SignatureBlock | null;
  /** Bytes of the tail that are neither EOCD comment nor a well-formed signature block. */
  trailingBytes: number;
}

/** Interprets the bytes after the end-of-central-directory record, starting at `tailStart`. */
export function parseTail(file: Uint8Array, tailStart: number): TailParse {
  const tail = Buffer.from(file.buffer, file.byteOffset + tailStart, file.length - tailStart);
  if (tail.length === 0) return { signature: null, trailingBytes: 0 };
  const flavour = FLAVOURS.find((name) => tail.subarray(0, headerOf(name).length).toString('latin1') === headerOf(name));
  if (!flavour) return { signature: null, trailingBytes: tail.length };

  const header = headerOf(flavour);
  const footer = `${flavour}_SIG_END`;
  const problems: string[] = [];
  const signature: SignatureBlock = { flavour, offset: tailStart, length: 0, problems };
  if (tail.length < header.length + 4) {
    problems.push('the block ends before its length field');
    return { signature, trailingBytes: 0 };
  }
  signature.length = tail.readUInt32LE(header.length);
  const footerAt = header.length + 4 + signature.length;
  const footerFound = tail.lastIndexOf(footer, undefined, 'latin1');
  if (footerFound === -1) {
    problems.push(`no ${footer} marker`);
    return { signature, trailingBytes: 0 };
  }
  if (footerFound !== footerAt) {
    problems.push(`declared length ${signature.length} does not reach the ${footer} marker`);
  }
  if (signature.length === 0) problems.push('the signature is empty');
  const trailingBytes = tail.length - (footerFound + footer.length);
  if (trailingBytes > 0) problems.push(`${trailingBytes} bytes follow the ${footer} marker`);
  return { signature, trailingBytes };
}

function headerOf(flavour: (typeof FLAVOURS)[number]): string {
  return `${flavour}_SIG_V1`;
}
