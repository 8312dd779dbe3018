// Small readers of command-line text for catalog/commands.ts: options as GNU and PowerShell programs
// take them, URLs and hosts in a word, file paths compared as one file, what a path names
// (catalog/sensitive-paths.ts), and constant base64 decoded to see what it hides. Each is linear in
// its input and bounded; none throws.
import { isIP } from 'node:net';
import { exfiltrationService } from './exfiltration.js';
import { sensitivePathOf, type SensitivePath } from './sensitive-paths.js';
import { classifyHost, hostOfUrl } from '../hosts.js';
import type { Word } from './command-syntax.js';

export interface OptionValue {
  text: string;
  /** The word the value was read from (for its substitutions). */
  word: Word;
}

export interface Options {
  /** Each option given, by the name written (`-o`, `--output`), with its values (`''` for a switch). */
  flags: Map<string, OptionValue[]>;
  operands: Word[];
}

/**
 * GNU-style options: `-abc` clusters, `-oFILE` and `-o FILE` for the short options in `shortValues`,
 * `--name=value` and `--name value` for the long ones in `longValues`, `--` ending options.
 */
export function parseOptions(args: readonly Word[], shortValues: string, longValues: ReadonlySet<string>): Options {
  const flags = new Map<string, OptionValue[]>();
  const operands: Word[] = [];
  const set = (name: string, value: OptionValue) => {
    const values = flags.get(name);
    if (values === undefined) flags.set(name, [value]);
    else values.push(value);
  };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const text = word.text;
    if (text === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (text.startsWith('--') && text.length > 2) {
      const equals = text.indexOf('=');
      const name = equals === -1 ? text : text.slice(0, equals);
      if (equals !== -1) set(name, { text: text.slice(equals + 1), word });
      else if (longValues.has(name.slice(2)) && i + 1 < args.length) set(name, { text: args[++i]!.text, word: args[i]! });
      else set(name, { text: '', word });
      continue;
    }
    if (text.startsWith('-') && text.length > 1) {
      for (let at = 1; at < text.length; at++) {
        const letter = text[at]!;
        if (shortValues.includes(letter)) {
          const rest = text.slice(at + 1);
          if (rest !== '') set(`-${letter}`, { text: rest, word });
          else if (i + 1 < args.length) set(`-${letter}`, { text: args[++i]!.text, word: args[i]! });
          else set(`-${letter}`, { text: '', word });
          break;
        }
        set(`-${letter}`, { text: '', word });
      }
      continue;
    }
    operands.push(word);
  }
  return { flags, operands };
}

/** The first value of any of `names`, or undefined. */
export function optionValue(options: Options, ...names: string[]): OptionValue | undefined {
  for (const name of names) {
    const value = options.flags.get(name)?.[0];
    if (value !== undefined) return value;
  }
  return undefined;
}

export function hasOption(options: Options, ...names: string[]): boolean {
  return names.some((name) => options.flags.has(name));
}

/**
 * PowerShell parameters: `-Name value` or `-Name:value`, names matched case-insensitively by any
 * prefix (`-Out` for `-OutFile`), in the order `names` gives (the first that fits wins). Names that
 * end in `:` take a value; the others are switches. Other words are positional.
 */
export function psParameters(args: readonly Word[], names: readonly string[]): { named: Map<string, Word | null>; positional: Word[] } {
  const named = new Map<string, Word | null>();
  const positional: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const flag = /^[-\u2013\u2014/]([A-Za-z][\w]{0,40})(?::(.*))?$/s.exec(word.text);
    const name = flag === null || word.quoted ? undefined : names.find((candidate) => candidate.replace(/:$/, '').startsWith(flag[1]!.toLowerCase()));
    if (flag === null || name === undefined) {
      positional.push(word);
      continue;
    }
    const key = name.replace(/:$/, '');
    if (!name.endsWith(':')) named.set(key, null);
    else if (flag[2] !== undefined) named.set(key, { ...word, text: flag[2] });
    else if (i + 1 < args.length) named.set(key, args[++i]!);
  }
  return { named, positional };
}

/** The URLs written in a word (`https://…`, `ftp://…`, `file://…`), at most 16. */
export function urlsIn(text: string): string[] {
  const urls: string[] = [];
  let from = 0;
  while (urls.length < 16) {
    const at = text.indexOf('://', from);
    if (at === -1) break;
    let start = at;
    while (start > 0 && at - start < 12 && /[A-Za-z0-9+.-]/.test(text[start - 1]!)) start -= 1;
    let end = at + 3;
    while (end < text.length && end - at < 2048 && !/[\s"'<>|;()`{}\\^]/.test(text[end]!)) end += 1;
    if (start < at) urls.push(text.slice(start, end));
    from = end;
  }
  return urls;
}

export type HostKind = 'raw-ip' | 'drop-box' | 'metadata' | 'local' | 'named';

export interface HostSeen {
  host: string;
  kind: HostKind;
  /** For drop boxes: `webhook.site (request catcher)`, as text-signals.ts says it. */
  label: string;
}

/** What a host (and the path asked of it) is: a raw public address, a drop box, the cloud metadata service, this machine or its network, or a name. */
export function hostSeen(host: string, path = '/'): HostSeen | null {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === '' || name.length > 253) return null;
  const service = exfiltrationService(name, path);
  if (service !== undefined) return { host: name, kind: 'drop-box', label: `${name}${service.path ?? ''} (${service.service})` };
  const hostClass = classifyHost(name);
  if (hostClass === 'public-ip') return { host: name, kind: 'raw-ip', label: name };
  if (hostClass === 'metadata') return { host: name, kind: 'metadata', label: name };
  if (hostClass === 'name') return { host: name, kind: 'named', label: name };
  return { host: name, kind: 'local', label: name };
}

/** The host a URL names, classified, or null (not a network URL). */
export function hostOfUrlSeen(url: string): HostSeen | null {
  const located = hostOfUrl(url);
  return located === null ? null : hostSeen(located.host, located.path);
}

/** A bare host operand (`nc 1.2.3.4 80`, `user@host`, `host:22`): its host, when it looks like an address or a dotted name. */
export function bareHost(text: string): HostSeen | null {
  let host = text.includes('@') ? text.slice(text.lastIndexOf('@') + 1) : text;
  if (isIP(host) === 0) host = host.replace(/:[^:]*$/, '');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIP(host) === 0 && !/^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}$/i.test(host)) return null;
  return hostSeen(host);
}

const SEVERE_HOSTS: readonly HostKind[] = ['drop-box', 'raw-ip', 'metadata', 'named', 'local'];

/** The host most worth naming among several (a drop box before a raw address before a name). */
export function worstHost(hosts: readonly HostSeen[]): HostSeen | undefined {
  let best: HostSeen | undefined;
  for (const host of hosts) if (best === undefined || SEVERE_HOSTS.indexOf(host.kind) < SEVERE_HOSTS.indexOf(best.kind)) best = host;
  return best;
}

/**
 * A path as a key for "the same file": case and separators folded, `~`, `${HOME}`, `%USERPROFILE%`
 * and `$env:USERPROFILE` as one home, `./` dropped.
 */
export function fileKey(path: string): string {
  let key = path.slice(0, 1024).toLowerCase().replace(/\\/g, '/');
  key = key.replace(/\$\{(\w{1,64})\}/g, '$$$1').replace(/%(\w{1,64})%/g, '$$$1').replace(/\$env:(\w{1,64})/g, '$$$1');
  key = key.replace(/^~(?=\/|$)/, '$home').replace(/^\$userprofile(?=\/|$)/, '$home');
  key = key.replace(/\/{2,}/g, '/').replace(/^(?:\.\/)+/, '');
  return key.length > 1 ? key.replace(/\/$/, '') : key;
}

/** The file name a download of `url` gets when none is given (`curl -O`, `wget`). */
export function urlFileName(url: string): string {
  const path = /^[a-z][a-z0-9+.-]{0,10}:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? '';
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === '' ? 'index.html' : name;
}

/** Public halves of keys and files that hold no secret (`id_ed25519.pub`, `known_hosts`, `~/.ssh/config`). */
const NOT_SECRET = /\.pub$|(?:^|\/)known_hosts2?$|(?:^|\/)\.ssh\/config$|^\/etc\/passwd$/i;

/**
 * The credential store a path names (SSH and cloud keys, browser data, keychains, other AI clients'
 * configuration), looked for in the whole word and in what follows its last `@`, `=` or `<`
 * (`-F f=@~/.aws/credentials`, `if=~/.ssh/id_rsa`). Weak entries (a `.env` file) and files with no
 * secret in them are left out.
 */
export function credentialPathOf(text: string): SensitivePath | null {
  const entry = sensitiveIn(text);
  if (entry === null || entry.weak || entry.class === 'persistence') return null;
  return NOT_SECRET.test(pathPart(text).replace(/\\/g, '/')) ? null : entry;
}

/** The persistence location a path names (shell start-up files, LaunchAgents, cron, Run keys …). */
export function persistencePathOf(text: string): SensitivePath | null {
  const entry = sensitiveIn(text);
  return entry !== null && entry.class === 'persistence' ? entry : null;
}

function sensitiveIn(text: string): SensitivePath | null {
  if (text.length > 512) return null;
  const whole = sensitivePathOf(text);
  if (whole !== null) return whole;
  const part = pathPart(text);
  return part === text ? null : sensitivePathOf(part);
}

function pathPart(text: string): string {
  const cut = Math.max(text.lastIndexOf('@'), text.lastIndexOf('='), text.lastIndexOf('<'));
  return cut === -1 ? text : text.slice(cut + 1);
}

/** Names of environment variables that hold secrets (`$GITHUB_TOKEN`, `%API_KEY%`, `$env:AWS_SECRET_ACCESS_KEY`). */
const SECRET_NAME = /TOKEN|SECRET|PASSW|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|SESSION/i;
const VARIABLE = /\$\{?(\w{1,64})|%(\w{1,64})%|\$env:(\w{1,64})/gi;

/** The variables a word refers to (`$x`, `${x}`, `%x%`, `$env:x`), at most 32. */
export function variablesIn(text: string): string[] {
  if (!text.includes('$') && !text.includes('%')) return [];
  const names: string[] = [];
  VARIABLE.lastIndex = 0;
  for (let match = VARIABLE.exec(text); match !== null && names.length < 32; match = VARIABLE.exec(text)) {
    names.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return names;
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Constant base64 decoded, when it decodes to text (UTF-8, or UTF-16LE as PowerShell encodes), or
 * null. At most 64 KiB of it is read.
 */
export function decodeBase64Text(encoded: string, utf16 = false): string | null {
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length < 4 || compact.length > 65_536 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return null;
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  if (bytes.length === 0) return null;
  const asUtf16 = utf16 || (bytes.length >= 4 && bytes.length % 2 === 0 && bytes[1] === 0 && bytes[3] === 0);
  if (asUtf16 && bytes.length % 2 !== 0) return null;
  const text = bytes.toString(asUtf16 ? 'utf16le' : 'utf8');
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 32 && code !== 0xfffd) || code === 9 || code === 10 || code === 13) printable += 1;
  }
  return printable >= text.length * 0.95 ? text : null;
}

/** Raw text cut to at most `max` characters, on one line. */
export function clip(text: string, max = 200): string {
  const line = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
