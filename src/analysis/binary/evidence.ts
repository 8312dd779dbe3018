// What a binary's printable strings mention, sorted into the kinds a reviewer looks for: URLs and the
// hosts they name, raw public IP addresses, shell command lines, commands that download a script and
// run it, sensitive paths and persistence locations (catalog/sensitive-paths.ts), and services that
// collect data for anyone (catalog/exfiltration.ts). A string in a binary is only a string: nothing
// here says the program uses it, and the rule that reports it says so. Each string is classified in
// time linear in its length (bounded quantifiers only), and a string is looked at closely only when
// one test finds something to look for. The work is bounded beyond the bytes read: strings seen and
// strings looked at closely per file (a hostile file packed with tiny strings costs no more than a
// real program of the same size), URLs parsed, and what is kept per kind: the distinct values up to
// MAX_DISTINCT, and the first MAX_EXAMPLES strings that showed a new one.
import { EXFILTRATION_SERVICES, exfiltrationService } from '../catalog/exfiltration.js';
import { sensitivePathOf, type SensitivePath } from '../catalog/sensitive-paths.js';
import { classifyHost, hostOfUrl, type DeclaredHosts } from '../hosts.js';
import { scanPrintableStrings, STRING_SCAN_LIMITS, type StringScan, type StringScanLimits } from './strings.js';

export type BinaryStringKind = 'host' | 'ip' | 'command' | 'download-and-run' | 'sensitive-path' | 'exfiltration-host';

export interface KindEvidence {
  /** The distinct things found, in order of first occurrence: host names, addresses, command names, kinds of sensitive location. */
  values: string[];
  /** `values` stopped growing at MAX_DISTINCT. */
  capped: boolean;
  /** The strings that showed the first values, each cut to MAX_EXAMPLE_CHARS around what matched. */
  examples: string[];
}

export interface BinaryEvidence {
  scan: StringScan;
  found: Map<BinaryStringKind, KindEvidence>;
  /** Strings seen, and of those looked at closely. */
  strings: number;
  detailed: number;
  /** What stopped the search before the end of the file: the bytes read, or a count of strings. */
  stoppedBy: 'bytes' | 'strings' | 'detailed' | null;
}

export interface EvidenceLimits extends StringScanLimits {
  /** Strings seen per file. */
  maxStrings: number;
  /** Strings looked at closely per file (those that mention something worth a check). */
  maxDetailed: number;
}

// Real programs hold about 5,000 to 8,000 strings per MB, a third of them worth a closer look (Node's
// 94 MB binary: 438,000 and 124,000 in all); these leave room for a 64 MB program several times denser.
export const EVIDENCE_LIMITS: Readonly<EvidenceLimits> = Object.freeze({ ...STRING_SCAN_LIMITS, maxStrings: 2_000_000, maxDetailed: 500_000 });

export interface EvidenceContext {
  /** Hosts the manifest or the user vouch for: their URLs are the server's own business. */
  declared: DeclaredHosts;
}

export const MAX_DISTINCT = 1000;
export const MAX_EXAMPLES = 5;
export const MAX_EXAMPLE_CHARS = 160;
/** Longer strings are not tested as a whole for a sensitive path (the catalog ignores them too): paths are short. */
const MAX_PATH_STRING = 512;

/** Classifies the printable strings of `bytes` (see strings.ts for what is read and how much). */
export function binaryEvidence(bytes: Uint8Array, context: EvidenceContext, limits: EvidenceLimits = EVIDENCE_LIMITS): BinaryEvidence {
  const found = new Map<BinaryStringKind, KindEvidence>();
  const seen = new Map<BinaryStringKind, Set<string>>();
  const add = (kind: BinaryStringKind, value: string, text: string, at: number, length: number): void => {
    let values = seen.get(kind);
    if (values === undefined) {
      values = new Set();
      seen.set(kind, values);
      found.set(kind, { values: [], capped: false, examples: [] });
    }
    const evidence = found.get(kind)!;
    if (values.has(value)) return;
    if (values.size >= MAX_DISTINCT) {
      evidence.capped = true;
      return;
    }
    values.add(value);
    evidence.values.push(value);
    if (evidence.examples.length < MAX_EXAMPLES) evidence.examples.push(excerpt(text, at, length));
  };
  const full: Full = (kind) => found.get(kind)?.capped ?? false;
  const budget: ParseBudget = { urls: MAX_URLS_PARSED };
  let strings = 0;
  let detailed = 0;
  let stoppedBy: BinaryEvidence['stoppedBy'] = null;
  const scan = scanPrintableStrings(
    bytes,
    (text) => {
      if (strings >= limits.maxStrings || detailed >= limits.maxDetailed) {
        stoppedBy = strings >= limits.maxStrings ? 'strings' : 'detailed';
        return false;
      }
      strings += 1;
      if (classify(text, context, add, full, budget)) detailed += 1;
      return true;
    },
    limits,
  );
  if (stoppedBy === null && scan.truncated) stoppedBy = 'bytes';
  return { scan, found, strings, detailed, stoppedBy };
}

type Add = (kind: BinaryStringKind, value: string, text: string, at: number, length: number) => void;

// A test or two per string decides whether a detailed check is worth running: nearly all strings in
// a binary are symbol names, messages and format strings that mention none of these.
const EXFILTRATION_HOSTS = EXFILTRATION_SERVICES.map((service) => service.host.replace(/[.]/g, '\\.'));
const EXFILTRATION_ANCHOR = new RegExp(EXFILTRATION_HOSTS.join('|'), 'i');
const ADDRESS_ANCHOR = /\d\.\d{1,3}\.\d{1,3}\.\d/;
const COMMAND_ANCHOR = new RegExp(
  [
    String.raw`sh\s{1,4}-c\b`,
    String.raw`\bcmd(?:\.exe)?\s`,
    String.raw`\bpowershell|\bpwsh`,
    String.raw`\brm\s{1,4}-`,
    String.raw`\b(?:curl|wget|iwr|irm|iex)\b|Invoke-(?:WebRequest|RestMethod|Expression)|DownloadString`,
    String.raw`\bschtasks|\blaunchctl\s|\bosascript\s|\breg(?:\.exe)?\s{1,4}add\b`,
  ].join('|'),
  'i',
);

/** Whether a kind has stopped collecting (MAX_DISTINCT values): its checks are skipped from then on. */
type Full = (kind: BinaryStringKind) => boolean;

/** Anything any check below looks for; most strings have none of it. */
const WORTH_A_LOOK = new RegExp(String.raw`[/\\]|\d\.\d|${COMMAND_ANCHOR.source}|${EXFILTRATION_ANCHOR.source}`, 'i');

/** Runs the checks a string calls for; says whether it called for any. */
function classify(text: string, context: EvidenceContext, add: Add, full: Full, budget: ParseBudget): boolean {
  if (!WORTH_A_LOOK.test(text)) return false;
  if (text.length <= MAX_PATH_STRING) sensitivePaths(text, add);
  if (!full('host') && text.includes('://')) urls(text, context, add, budget);
  if (!full('ip') && ADDRESS_ANCHOR.test(text)) addresses(text, add);
  if (!full('exfiltration-host') && EXFILTRATION_ANCHOR.test(text)) exfiltrationHosts(text, add);
  if (COMMAND_ANCHOR.test(text)) commands(text, add);
  return true;
}

/** URLs parsed per file at most; a binary dense with URL-like strings costs no more than this. */
const MAX_URLS_PARSED = 20_000;

interface ParseBudget {
  urls: number;
}

// Hosts of the certificate chains that signed Windows programs carry (CRL, OCSP and issuer URLs):
// every signed binary has them, and they say nothing about the program.
const PKI_HOST = /^(?:ocsp|crl\d*|cacerts|certificates)\./;
const PKI_PATH = /\.(?:crl|crt|cer|p7c)$/i;
const AUTHORITY = /^[a-z]{2,5}:\/\/(?:[^@/?#]{0,100}@)?(?:[a-z0-9][a-z0-9.-]{0,252}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?(?:[/?#]|$)/i;
const DNS_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const URL_IN_TEXT = /\b(?:https?|wss?|ftp):\/\/[^\s"'<>`\\^{}|]{1,2000}/gi;

function urls(text: string, context: EvidenceContext, add: Add, budget: ParseBudget): void {
  URL_IN_TEXT.lastIndex = 0;
  for (let match = URL_IN_TEXT.exec(text); match !== null && budget.urls > 0; match = URL_IN_TEXT.exec(text)) {
    // Format strings and garbage (`https://%s/`, `http://.x`) are rejected before the URL parser sees them.
    if (!AUTHORITY.test(match[0])) continue;
    budget.urls -= 1;
    const located = hostOfUrl(match[0]);
    if (located === null) continue;
    const { host, path } = located;
    if (PKI_HOST.test(host) || PKI_PATH.test(path)) continue;
    if (exfiltrationService(host, path) !== undefined) continue; // reported as an exfiltration host
    const hostClass = classifyHost(host);
    if (hostClass === 'loopback' || hostClass === 'unspecified' || hostClass === 'placeholder' || context.declared.covers(host)) continue;
    // `http://x` and other one-word names in tests and format strings, and names that are no DNS name at
    // all (where strings without terminators run together), are no endpoint to look up.
    if ((hostClass === 'private' && !host.includes('.')) || (hostClass === 'name' && !DNS_NAME.test(host))) continue;
    add('host', host, text, match.index, match[0].length);
  }
}

const IPV4 = /(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::(\d{1,5}))?(?![\w.-])/g;

/**
 * Raw public addresses (and cloud metadata addresses) written outside a URL. Version numbers, section
 * numbers and object identifiers look the same (`1.0.0.0`, `21.4.2.1`, `2.5.4.3`), so an address
 * counts when it comes with a port, or when it is the whole string, does not end in `.0` and does not
 * start with two one-digit numbers.
 */
function addresses(text: string, add: Add): void {
  IPV4.lastIndex = 0;
  const whole = text.trim();
  for (let match = IPV4.exec(text); match !== null; match = IPV4.exec(text)) {
    const octets = match.slice(1, 5).map(Number);
    if (octets.some((octet) => octet > 255)) continue;
    if (match[5] === undefined && (match[0] !== whole || octets[3] === 0 || (octets[0]! < 10 && octets[1]! < 10))) continue;
    const address = octets.join('.');
    const hostClass = classifyHost(address);
    if (hostClass !== 'public-ip' && hostClass !== 'metadata') continue;
    add('ip', address, text, match.index, match[0].length);
  }
}

const EXFILTRATION_DOMAIN = new RegExp(String.raw`(?:${EXFILTRATION_HOSTS.join('|')})(?![\w-]|\.\w)`, 'gi');
const PATH_AFTER_HOST = /\/[^\s"'<>\x60]{0,60}/y;
const MAX_HOST_CHARS = 253;

/**
 * Names of services that collect data for anyone, in a URL or bare (`abc.ngrok.io`). Found by the
 * registered domain, then walked back over the host's other labels (never past the previous match,
 * so that the walk is linear in the string whatever it holds).
 */
function exfiltrationHosts(text: string, add: Add): void {
  EXFILTRATION_DOMAIN.lastIndex = 0;
  let previousEnd = 0;
  for (let match = EXFILTRATION_DOMAIN.exec(text); match !== null; match = EXFILTRATION_DOMAIN.exec(text)) {
    const end = match.index + match[0].length;
    const boundary = text[match.index - 1];
    // `notwebhook.site` is another domain; `x.webhook.site` and `//webhook.site` are the service.
    if (boundary !== undefined && isHostCharacter(boundary.charCodeAt(0)) && boundary !== '.') {
      previousEnd = end;
      continue;
    }
    let start = match.index;
    while (start > previousEnd && match.index - start < MAX_HOST_CHARS && isHostCharacter(text.charCodeAt(start - 1))) start -= 1;
    previousEnd = end;
    const host = text.slice(start, end).toLowerCase().replace(/^[.-]+/, '');
    PATH_AFTER_HOST.lastIndex = end;
    const service = exfiltrationService(host, PATH_AFTER_HOST.exec(text)?.[0] ?? '/');
    if (service === undefined) continue;
    add('exfiltration-host', `${host}${service.path ?? ''} (${service.service})`, text, start, end - start);
  }
}

function isHostCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 46 || code === 45;
}

/**
 * The next match of a global pattern at or after a position, remembered: asked at positions that
 * never decrease, the string is searched once in all, however many times it is asked.
 */
class NextMatch {
  private asked = -1;
  private found: RegExpExecArray | null = null;

  constructor(
    private readonly text: string,
    private readonly pattern: RegExp,
  ) {}

  from(position: number): RegExpExecArray | null {
    if (this.asked !== -1 && position >= this.asked && (this.found === null || this.found.index >= position)) return this.found;
    this.pattern.lastIndex = position;
    this.found = this.pattern.exec(this.text);
    this.asked = position;
    return this.found;
  }
}

/** How far a downloaded command and the pipe that runs it, or a PowerShell program and its flag, may be apart. */
const PIPE_WITHIN = 250;
const FLAG_WITHIN = 120;

const DOWNLOADER = /\b(?:curl|wget)\s/g;
const PS_DOWNLOADER = /\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b/gi;
const PIPE = /\|/g;
const TO_SHELL = /\|\s{0,8}(?:sudo\s{1,8})?(?:ba|z|da|k)?sh\b/y;
const TO_IEX = /\|\s{0,8}(?:iex|Invoke-Expression)\b/iy;
const SUBSTITUTED_DOWNLOAD = /[$<]\(\s{0,4}(?:curl|wget)\s/g;
const SHELL_BEFORE = /\b(?:(?:ba|z|da|k)?sh\s{1,8}(?:-c\s{1,8})?\\?["']?|source\s{1,8}|eval\s{1,8}\\?["']?)$/;
const DOWNLOAD_STRING = /\.DownloadString\s{0,4}\(/gi;
const IEX_BEFORE = /\b(?:iex|Invoke-Expression)\b/i;
const POWERSHELL = /\b(?:powershell|pwsh)(?:\.exe)?\b/gi;
const ENCODED_FLAG = /\s-(?:e|ec|en|enc|enco|encod|encoded|encodedcommand)\s/gi;
const COMMAND_FLAG = /\s-(?:c|command)\s/gi;

// Command lines as a program hands them to a shell, each a bounded pattern tried once per string.
const SHELL_COMMANDS: ReadonlyArray<readonly [string, RegExp]> = [
  ['sh -c', /(?<![\w.-])(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k)?sh\s{1,4}-c\b/],
  ['cmd /c', /\bcmd(?:\.exe)?(?:\s{1,4}\/[a-z]){0,6}\s{1,4}\/[ck]\b/i],
  ['rm -rf', /\brm\s{1,4}(?:-rf|-fr|-r\s{1,4}-f|-f\s{1,4}-r)\b/],
  ['schtasks /create', /\bschtasks(?:\.exe)?\s{1,4}\/create\b/i],
  ['launchctl load', /\blaunchctl\s{1,4}(?:load|bootstrap|submit)\b/],
  ['reg add', /\breg(?:\.exe)?\s{1,4}add\b/i],
  ['osascript -e', /\bosascript\s{1,4}-e\b/],
];

/**
 * Download-and-run (`curl … | sh`, `sh -c "$(curl …)"`, `iwr … | iex`, `iex (…).DownloadString(…)`),
 * the dropper's signature, and ordinary shell command lines, kept as context. Every pattern is
 * anchored on a literal and checked in a window of fixed size, with the next pipe or flag looked up
 * once for all anchors, so the time is linear in the string.
 */
function commands(text: string, add: Add): void {
  const pipes = new NextMatch(text, PIPE);
  const pipedInto = (anchors: RegExp, into: RegExp, name: string): void => {
    anchors.lastIndex = 0;
    for (let anchor = anchors.exec(text); anchor !== null; anchor = anchors.exec(text)) {
      const end = anchor.index + anchor[0].length;
      const pipe = pipes.from(end);
      if (pipe === null) return;
      if (pipe.index - end > PIPE_WITHIN) continue;
      into.lastIndex = pipe.index;
      if (into.test(text)) return add('download-and-run', name, text, anchor.index, pipe.index + 1 - anchor.index);
    }
  };
  const before = (anchors: RegExp, context: RegExp, within: number, name: string): boolean => {
    anchors.lastIndex = 0;
    for (let anchor = anchors.exec(text); anchor !== null; anchor = anchors.exec(text)) {
      if (context.test(text.slice(Math.max(0, anchor.index - within), anchor.index))) {
        add('download-and-run', name, text, anchor.index, anchor[0].length);
        return true;
      }
    }
    return false;
  };
  pipedInto(DOWNLOADER, TO_SHELL, 'curl … | sh');
  const substituted = before(SUBSTITUTED_DOWNLOAD, SHELL_BEFORE, 40, 'sh -c "$(curl …)"');
  pipedInto(PS_DOWNLOADER, TO_IEX, 'iwr … | iex');
  before(DOWNLOAD_STRING, IEX_BEFORE, FLAG_WITHIN, 'iex (…).DownloadString(…)');

  for (const [name, pattern] of SHELL_COMMANDS) {
    // `sh -c "$(curl …)"` was said as the stronger kind.
    if (name === 'sh -c' && substituted) continue;
    const match = pattern.exec(text);
    if (match !== null) add('command', name, text, match.index, match[0].length);
  }
  const encoded = new NextMatch(text, ENCODED_FLAG);
  const command = new NextMatch(text, COMMAND_FLAG);
  const said = new Set<string>();
  POWERSHELL.lastIndex = 0;
  for (let program = POWERSHELL.exec(text); program !== null && said.size < 2; program = POWERSHELL.exec(text)) {
    const end = program.index + program[0].length;
    for (const [name, flags] of [['powershell -EncodedCommand', encoded], ['powershell -Command', command]] as const) {
      const flag = flags.from(end);
      if (flag === null || flag.index - end > FLAG_WITHIN || said.has(name)) continue;
      said.add(name);
      add('command', name, text, program.index, flag.index + flag[0].length - program.index);
    }
  }
}

// The C library reads the user database to look up names (getpwnam): every statically linked program
// and Go's os/user carry this path, which says nothing about what the program is after.
const LIBC_FILES = /^\/etc\/passwd$/;

const SEPARATOR = /[/\\]/;
const TOKEN_SEPARATORS = /[\s"'`<>|;,()=]+/;

/**
 * A sensitive location named by the whole string (paths are usually strings of their own, spaces
 * included: `Library/Application Support/Google/Chrome/User Data`), or by a word of a command line
 * (`cat ~/.ssh/id_rsa`). Locations the catalog calls weak (a `.env` file, routinely the program's own)
 * are left out, and so are bare file names without a folder (`.netrc`, `id_rsa`: libcurl and SSH
 * libraries name their defaults so), which say nothing about where the program looks.
 */
function sensitivePaths(text: string, add: Add): void {
  const report = (entry: SensitivePath | null, at: number, length: number): boolean => {
    if (entry === null || entry.weak || LIBC_FILES.test(text.slice(at, at + length))) return false;
    add('sensitive-path', entry.name, text, at, length);
    return true;
  };
  if (!SEPARATOR.test(text)) return;
  if (report(sensitivePathOf(text), 0, text.length)) return;
  if (!/\s/.test(text)) return;
  let at = 0;
  for (const token of text.split(TOKEN_SEPARATORS)) {
    at = text.indexOf(token, at);
    if (token.length >= 4 && SEPARATOR.test(token)) report(sensitivePathOf(token), at, token.length);
    at += token.length;
  }
}

/** `text` cut to MAX_EXAMPLE_CHARS around `[at, at + length)`, with `…` where it was cut. */
export function excerpt(text: string, at: number, length: number): string {
  if (text.length <= MAX_EXAMPLE_CHARS) return text;
  const room = MAX_EXAMPLE_CHARS - 2;
  const start = Math.max(0, Math.min(at - (length >= room ? 0 : Math.min(40, room - length)), text.length - room));
  const end = Math.min(text.length, start + room);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
