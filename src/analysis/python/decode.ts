import { gunzipSync, inflateSync } from 'node:zlib';

// Python's standard decoders, folded over constants as a deobfuscator would: what
// `exec(base64.b64decode("…"))`, `getattr(builtins, b"\x85\xa5\x81\x93".decode("cp1026"))`,
// `codecs.decode("riny", "rot13")` or `bytes.fromhex("6576616c").decode()` hand on is known without
// running anything. Bytes are held as strings of one character per byte (latin1); a text codec turns
// them into text. Nothing is folded past MAX_OUTPUT characters, and a decoder that fails (a bad
// padding, a byte a codec does not map) folds nothing.

/** Longest value a decoding may produce: enough for a module name, a command or a payload's start. */
export const MAX_OUTPUT = 64 * 1024;

/** Decoders by canonical callee; each takes the folded arguments (a method's object first). */
const DECODERS: Readonly<Record<string, (args: readonly string[]) => string | undefined>> = {
  'member:decode': ([bytes, codec]) => (bytes === undefined ? undefined : textOf(bytes, codec ?? 'utf-8')),
  'member:encode': ([text, codec]) => (text === undefined ? undefined : bytesOf(text, codec ?? 'utf-8')),
  'bytes.fromhex': ([text]) => hex(text),
  'binascii.unhexlify': ([text]) => hex(text),
  'binascii.a2b_hex': ([text]) => hex(text),
  'base64.b16decode': ([text]) => hex(text),
  'base64.b64decode': ([text]) => base64(text),
  'base64.standard_b64decode': ([text]) => base64(text),
  'base64.urlsafe_b64decode': ([text]) => base64(text),
  'base64.decodebytes': ([text]) => base64(text),
  'binascii.a2b_base64': ([text]) => base64(text),
  'base64.b32decode': ([text]) => base32(text),
  'zlib.decompress': ([bytes]) => inflate(bytes, inflateSync),
  'gzip.decompress': ([bytes]) => inflate(bytes, gunzipSync),
  'codecs.decode': ([value, codec]) => codecsDecode(value, codec ?? 'utf-8'),
  'codecs.encode': ([value, codec]) => (codec !== undefined && ROT13.has(normalise(codec)) ? rot13(value) : undefined),
};

export function isDecoder(callee: string): boolean {
  return Object.hasOwn(DECODERS, callee);
}

/** The last names of the decoders' callees (`decode`, `b64decode`): a call by any other name decodes nothing, whatever it is bound to. */
export const DECODER_NAMES: ReadonlySet<string> = new Set(Object.keys(DECODERS).map((callee) => callee.slice(Math.max(callee.lastIndexOf('.'), callee.lastIndexOf(':')) + 1)));

/** What a decoder yields from constant arguments, or undefined when it cannot be told. */
export function decode(callee: string, args: readonly string[]): string | undefined {
  if (!Object.hasOwn(DECODERS, callee) || args.some((arg) => arg.length > MAX_OUTPUT * 4)) return undefined;
  const value = DECODERS[callee]!(args);
  return value !== undefined && value.length <= MAX_OUTPUT ? value : undefined;
}

const ROT13 = new Set(['rot13', 'rot_13']);

function normalise(codec: string): string {
  return codec.toLowerCase().replace(/-/g, '_');
}

function codecsDecode(value: string | undefined, codec: string): string | undefined {
  if (value === undefined) return undefined;
  const name = normalise(codec);
  if (ROT13.has(name)) return rot13(value);
  if (name === 'hex' || name === 'hex_codec') return hex(value);
  if (name === 'base64' || name === 'base64_codec') return base64(value);
  if (name === 'zlib' || name === 'zlib_codec') return inflate(value, inflateSync);
  return textOf(value, codec);
}

function rot13(text: string | undefined): string | undefined {
  return text?.replace(/[a-z]/gi, (letter) => {
    const base = letter <= 'Z' ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}

function hex(text: string | undefined): string | undefined {
  const digits = text?.replace(/\s+/g, '');
  if (digits === undefined || digits.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(digits)) return undefined;
  return Buffer.from(digits, 'hex').toString('latin1');
}

function base64(text: string | undefined): string | undefined {
  const body = text?.replace(/\s+/g, '');
  if (body === undefined || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) return undefined;
  return Buffer.from(body, 'base64').toString('latin1');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(text: string | undefined): string | undefined {
  const body = text?.replace(/=+$/, '').toUpperCase();
  if (body === undefined || ![...body].every((letter) => BASE32.includes(letter))) return undefined;
  let bits = 0;
  let value = 0;
  let out = '';
  for (const letter of body) {
    value = (value << 5) | BASE32.indexOf(letter);
    bits += 5;
    if (bits >= 8) {
      out += String.fromCharCode((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

function inflate(bytes: string | undefined, method: typeof inflateSync): string | undefined {
  if (bytes === undefined || !isBytes(bytes)) return undefined;
  try {
    return method(Buffer.from(bytes, 'latin1'), { maxOutputLength: MAX_OUTPUT }).toString('latin1');
  } catch {
    return undefined;
  }
}

function isBytes(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) > 0xff) return false;
  return true;
}

/** Bytes read with a text codec: UTF-8, ASCII, Latin-1, UTF-16, and the EBCDIC code pages obfuscators like. */
function textOf(bytes: string, codec: string): string | undefined {
  if (!isBytes(bytes)) return undefined;
  const name = normalise(codec);
  const buffer = Buffer.from(bytes, 'latin1');
  if (name === 'utf_8' || name === 'utf8' || name === 'ascii' || name === 'us_ascii') return buffer.toString('utf8');
  if (name === 'latin_1' || name === 'latin1' || name === 'iso_8859_1' || name === 'iso8859_1') return bytes;
  if (name === 'utf_16_le' || name === 'utf_16') return buffer.toString('utf16le');
  const page = EBCDIC_PAGES[name];
  return page === undefined ? undefined : ebcdic(bytes, page);
}

function bytesOf(text: string, codec: string): string | undefined {
  const name = normalise(codec);
  if (name === 'utf_8' || name === 'utf8' || name === 'ascii') return Buffer.from(text, 'utf8').toString('latin1');
  if (name === 'latin_1' || name === 'latin1') return isBytes(text) ? text : undefined;
  return undefined;
}

// EBCDIC: the letters, digits and the punctuation the code pages agree on, and what each page puts
// where they differ (only the bytes known for sure: any other byte folds nothing).
const EBCDIC_CORE: ReadonlyMap<number, string> = new Map([
  [0x05, '\t'], [0x0d, '\r'], [0x25, '\n'], [0x40, ' '], [0x4b, '.'], [0x4c, '<'], [0x4d, '('], [0x4e, '+'], [0x50, '&'],
  [0x5c, '*'], [0x5d, ')'], [0x5e, ';'], [0x60, '-'], [0x61, '/'], [0x6b, ','], [0x6c, '%'], [0x6d, '_'], [0x6e, '>'],
  [0x6f, '?'], [0x7a, ':'], [0x7d, "'"], [0x7e, '='],
  ...range(0x81, 'abcdefghi'), ...range(0x91, 'jklmnopqr'), ...range(0xa2, 'stuvwxyz'),
  ...range(0xc1, 'ABCDEFGHI'), ...range(0xd1, 'JKLMNOPQR'), ...range(0xe2, 'STUVWXYZ'), ...range(0xf0, '0123456789'),
]);
const EBCDIC_PAGES: Readonly<Record<string, ReadonlyMap<number, string>>> = {
  cp037: new Map([[0x7f, '"'], [0x7b, '#'], [0x7c, '@'], [0x5b, '$'], [0x5a, '!'], [0x4f, '|']]),
  cp500: new Map([[0x7f, '"'], [0x7b, '#'], [0x7c, '@'], [0x5b, '$'], [0x4a, '['], [0x5a, ']'], [0x4f, '!']]),
  cp1140: new Map([[0x7f, '"'], [0x7b, '#'], [0x7c, '@'], [0x5b, '$'], [0x5a, '!'], [0x4f, '|']]),
  cp1026: new Map([[0xfc, '"'], [0x4f, '!']]),
};

function range(start: number, letters: string): Array<[number, string]> {
  return [...letters].map((letter, index) => [start + index, letter]);
}

function ebcdic(bytes: string, page: ReadonlyMap<number, string>): string | undefined {
  let out = '';
  for (let index = 0; index < bytes.length; index++) {
    const code = bytes.charCodeAt(index);
    const char = page.get(code) ?? EBCDIC_CORE.get(code);
    if (char === undefined) return undefined;
    out += char;
  }
  return out;
}
