import { builtinModules } from 'node:module';
import type { StringFact, StringKind } from '../model/file-facts.js';
import { exfiltrationService } from './exfiltration.js';
import { loaderVariableSet } from './host-capture.js';
import { isSensitivePath } from './sensitive-paths.js';

// Which string constants in code are worth keeping as facts: endpoints (URLs, IP addresses, drop
// services named without a scheme), mail
// addresses (hard-coded recipients), sensitive paths, long encoded blobs (payloads), and text that
// sets the dynamic loader's injection variables (catalog/host-capture.ts). The rest
// of a bundle's strings are dropped at extraction, so facts stay small on megabytes of code.

/** A blob is at least this long: shorter encoded strings are hashes, ids and small icons. */
export const MIN_BLOB_LENGTH = 256;

const URL_START = /^(?:https?|wss?|ftp):\/\/[^\s/]/i;
const IP = /^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/;
const EMAIL = /^[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const ENCODED = /^[A-Za-z0-9+/=_-]+$/;
/** A host name, with a port and a path or not, and no scheme: `abc.oast.fun/track`. */
const BARE_HOST = /^([a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8})(?::\d{1,5})?(\/[^\s]{0,200})?$/i;

/**
 * A drop service (catalog/exfiltration.ts) named without its scheme (`'abc.oast.fun/track'`,
 * `'webhook.site/…'`), as code that adds `https://` or passes a host option writes it. Only drops:
 * any other bare name may be a file name or a package (`lodash.get`).
 */
function isDropHost(value: string): boolean {
  // Most constants are no dotted name at all: skip the pattern for them.
  if (value.length > 300 || !value.includes('.')) return false;
  const named = dropHostOf(value);
  return named !== null && exfiltrationService(named.host, named.path) !== undefined;
}

/** The host and path of a bare drop host (see isDropHost), or null. */
export function dropHostOf(value: string): { host: string; path: string } | null {
  const match = BARE_HOST.exec(value);
  return match === null ? null : { host: match[1]!.toLowerCase(), path: match[2] ?? '/' };
}

export function notableKind(value: string): StringKind | null {
  if (value.length >= MIN_BLOB_LENGTH) return ENCODED.test(value) ? 'blob' : null;
  if (URL_START.test(value)) return 'url';
  if (isDropHost(value)) return 'drop-host';
  if (IP.test(value) || value === '::') return 'ip';
  if (EMAIL.test(value)) return 'email';
  if (isSensitivePath(value)) return 'sensitive-path';
  if (loaderVariableSet(value) !== undefined) return 'library-injection';
  return null;
}

/** Notable strings kept per file: enough for an inventory, bounded on generated code. */
export const MAX_STRINGS_PER_FILE = 1000;
/** Characters of a notable string kept as evidence (blobs keep their length and entropy). */
const STRING_HEAD = 200;

/** The fact an extractor keeps for a string constant (any language), or null when no rule cares about it. */
export function notableString(value: string, place: Pick<StringFact, 'line' | 'column' | 'within'>, key: string | null): StringFact | null {
  const kind = notableKind(value);
  if (kind === null) return null;
  const fact: StringFact = { kind, value: value.slice(0, STRING_HEAD), length: value.length, ...place };
  if (key !== null) fact.key = key;
  if (value.length >= MIN_BLOB_LENGTH) fact.entropy = Math.round(entropy(value) * 100) / 100;
  return fact;
}

/** Shannon entropy in bits per character: about 6 for base64 of random bytes, about 4 for English. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / value.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}

/** A blob is decoded-looking random data above this entropy: hex digits carry at most 4 bits, base64 at most 6. */
export function isHighEntropyBlob(value: string, bits: number): boolean {
  return /^[0-9a-fA-F]+$/.test(value) ? bits >= 3.7 : bits >= 5.2;
}

// Blobs whose start says what they are: base64 of files code embeds as assets (images, fonts,
// WebAssembly, PDF), by the encoding of their first bytes, and well-known constants. Data URIs
// (`data:image/png;base64,…`) are not blobs at all (their prefix is not in the alphabet); these are
// the same assets stored bare.
const KNOWN_PREFIXES: ReadonlyArray<readonly [string, string]> = [
  ['iVBORw0KGgo', 'PNG image'],
  ['/9j/', 'JPEG image'],
  ['R0lGOD', 'GIF image'],
  ['UklGR', 'RIFF (WebP, WAV) file'],
  ['PHN2Zy', 'SVG image'],
  ['PD94bWwg', 'XML document'],
  ['AAABAA', 'icon'],
  ['d09GRg', 'WOFF font'],
  ['d09GMg', 'WOFF2 font'],
  ['AAEAAA', 'TrueType font'],
  ['T1RUTw', 'OpenType font'],
  ['AGFzbQ', 'WebAssembly module'],
  ['JVBERi0', 'PDF document'],
  // The Diffie-Hellman groups of RFC 2409 and RFC 3526, in hex, as crypto libraries carry them.
  ['ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1', 'Diffie-Hellman prime'],
  ['FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1', 'Diffie-Hellman prime'],
];

/** What a blob is when its start says so (an embedded image, font, module or well-known prime); undefined for anything else. */
export function knownBlob(value: string): string | undefined {
  return KNOWN_PREFIXES.find(([prefix]) => value.startsWith(prefix))?.[1];
}

// Names that malicious code hides from a text search because a reviewer would stop at them:
// modules that run programs, evaluate code, touch files or reach the network, and the functions
// and properties that do so. Kept short on purpose: an ordinary string split across lines by a
// minifier or a long message broken with `+` must not look like hiding.
const SENSITIVE_MODULES = new Set([
  'child_process',
  'fs',
  'fs/promises',
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'dgram',
  'dns',
  'vm',
  'os',
  'module',
  'worker_threads',
  'cluster',
  'inspector',
  'process',
  'shelljs',
  'execa',
  'cross-spawn',
  'node-pty',
  'axios',
  'node-fetch',
  'undici',
  // Python (`os` is above).
  'subprocess',
  'pty',
  'socket',
  'ctypes',
  'builtins',
  'importlib',
  'marshal',
  'pickle',
  'shutil',
  'requests',
  'urllib',
  'urllib.request',
]);

const SENSITIVE_NAMES = new Set([
  'eval',
  'Function',
  'constructor',
  'require',
  'mainModule',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'spawn',
  'spawnSync',
  'fork',
  'runInThisContext',
  'runInNewContext',
  'runInContext',
  'compileFunction',
  'Script',
  'binding',
  'dlopen',
  'env',
  'readFile',
  'readFileSync',
  'writeFile',
  'writeFileSync',
  'appendFile',
  'appendFileSync',
  'homedir',
  'userInfo',
  'networkInterfaces',
  'fetch',
  'request',
  'createConnection',
  // Python.
  'system',
  'popen',
  'Popen',
  '__import__',
  'import_module',
]);

/** A module specifier worth hiding: `child_process`, `node:fs/promises`, `execa`. */
export function isSensitiveModule(specifier: string): boolean {
  return SENSITIVE_MODULES.has(specifier.replace(/^node:/, ''));
}

/**
 * A canonical callee (see CallFact.callee) worth hiding: a function or property on the list above,
 * or anything of a sensitive module (`child_process.exec`, `fs.promises.rm`, `member:exec`, `eval`).
 */
export function isSensitiveCallee(callee: string): boolean {
  const name = callee.replace(/^(?:new |member:)/, '');
  const dot = name.indexOf('.');
  if (dot > 0 && SENSITIVE_MODULES.has(name.slice(0, dot))) return true;
  return SENSITIVE_NAMES.has(name.slice(name.lastIndexOf('.') + 1)) || SENSITIVE_MODULES.has(name);
}

const NODE_MODULES: ReadonlySet<string> = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

/**
 * What a decoder of the bundle's own yields (CallFact.decoded) that nobody hides for a good reason:
 * a sensitive name or module, a module of Node's, a URL.
 */
export function isWorthHiding(value: string): boolean {
  return isSensitiveCallee(value) || isSensitiveModule(value) || NODE_MODULES.has(value.replace(/^node:/, '')) || /^[a-z][a-z0-9+.-]*:\/\/[^\s/]/i.test(value);
}
