// What a binary's printable strings mention, sorted into the kinds a reviewer looks for: URLs and the
// hosts they name, raw public IP addresses, shell command lines, commands that download a script and
// run it, sensitive paths and persistence locations (catalog/sensitive-paths.ts), and services that
// collect data for anyone (catalog/exfiltration.ts). A string in a binary is only a string: nothing
// here says the program uses it, and the rule that reports it says so. Whether a command line
// downloads code and runs it is the command catalogue's call (catalog/commands.ts, which judges every
// command of the bundle): a downloader's name with a pipe, a substitution or `iex` next to it is a
// candidate, and the command around it is judged, a bounded number of times per file and per search
// (DOWNLOAD_CHECKS); what is left is counted in `unjudged`. Each string is classified in
// time linear in its length (bounded quantifiers only), and a string is looked at closely only when
// one test finds something to look for. The work is bounded beyond the bytes read: strings seen and
// strings looked at closely per file (a hostile file packed with tiny strings costs no more than a
// real program of the same size), URLs parsed, and what is kept per kind: the distinct values up to
// MAX_DISTINCT, and the first MAX_EXAMPLES strings that showed a new one.
import { judgeCommand } from '../catalog/commands.js';
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
  /** Candidate download commands left unjudged because the checks ran out (DOWNLOAD_CHECKS). */
  unjudged: number;
}

/** Candidate download commands judged by the catalogue, per file and per search of several files (search.ts). */
export const DOWNLOAD_CHECKS = Object.freeze({ perFile: 64, perSearch: 2000 });

/** What a search may still spend on judging candidate commands, shared by the files it searches. */
export interface CheckBudget {
  left: number;
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
export function binaryEvidence(
  bytes: Uint8Array,
  context: EvidenceContext,
  limits: EvidenceLimits = EVIDENCE_LIMITS,
  checks: CheckBudget = { left: DOWNLOAD_CHECKS.perSearch },
): BinaryEvidence {
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
  const downloads = new DownloadJudge(checks);
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
      if (classify(text, context, add, full, budget, downloads)) detailed += 1;
      return true;
    },
    limits,
  );
  if (stoppedBy === null && scan.truncated) stoppedBy = 'bytes';
  return { scan, found, strings, detailed, stoppedBy, unjudged: downloads.unjudged };
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
function classify(text: string, context: EvidenceContext, add: Add, full: Full, budget: ParseBudget, downloads: DownloadJudge): boolean {
  if (!WORTH_A_LOOK.test(text)) return false;
  if (text.length <= MAX_PATH_STRING) sensitivePaths(text, add);
  if (!full('host') && text.includes('://')) urls(text, context, add, budget);
  if (!full('ip') && ADDRESS_ANCHOR.test(text)) addresses(text, add);
  if (!full('exfiltration-host') && EXFILTRATION_ANCHOR.test(text)) exfiltrationHosts(text, add);
  if (COMMAND_ANCHOR.test(text)) commands(text, add, downloads);
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

/** How far a downloader and the pipe after it, a PowerShell program and its flag, `iex` and the DownloadString after it may be apart. */
const PIPE_WITHIN = 250;
const FLAG_WITHIN = 120;
/** Characters of a candidate command handed to the catalogue, before and after the downloader's name. */
const COMMAND_BEFORE = 200;
const COMMAND_AFTER = 300;
/** Candidates looked at per string. */
const CANDIDATES_PER_STRING = 4;

const DOWNLOADER = /\b(?:curl|wget)\s|\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b|\.DownloadString\s{0,4}\(/gi;
const PIPE = /\|/g;
const IEX_BEFORE = /\b(?:iex|Invoke-Expression)\b/i;
const POWERSHELL = /\b(?:powershell|pwsh)(?:\.exe)?\b/gi;
const ENCODED_FLAG = /\s-(?:e|ec|en|enc|enco|encod|encoded|encodedcommand)\s/gi;
const COMMAND_FLAG = /\s-(?:c|command)\s/gi;

/** Judges candidate download commands with the catalogue, each text once, within the file's and the search's checks. */
class DownloadJudge {
  unjudged = 0;
  private judged = 0;
  private readonly answers = new Map<string, Array<{ detail: string; substituted: boolean }>>();

  constructor(private readonly checks: CheckBudget) {}

  judge(command: string): Array<{ detail: string; substituted: boolean }> | null {
    const known = this.answers.get(command);
    if (known !== undefined) return known;
    if (this.judged >= DOWNLOAD_CHECKS.perFile || this.checks.left <= 0) {
      this.unjudged += 1;
      return null;
    }
    this.judged += 1;
    this.checks.left -= 1;
    const answer = judgeCommand(command)
      .signals.filter((signal) => signal.kind === 'download-and-run')
      .map((signal) => ({ detail: signal.detail, substituted: signal.entry === 'download-substituted-into-interpreter' }));
    this.answers.set(command, answer);
    return answer;
  }
}

/**
 * Download-and-run, the dropper's signature, as the catalogue judges it (`curl … | sh`, `sh -c
 * "$(curl …)"`, `iwr … | iex`, `iex (…).DownloadString(…)`): a downloader's name with a pipe after it
 * on the string, a substitution right before it, or `iex` before a DownloadString is a candidate,
 * and the command it is part of (from the last `;`, `&`, `|` or line break before it) is judged.
 * Says whether a download was found substituted into a shell (`sh -c "$(curl …)"`).
 */
function downloadAndRun(text: string, add: Add, downloads: DownloadJudge): boolean {
  const pipes = new NextMatch(text, PIPE);
  let substituted = false;
  let candidates = 0;
  DOWNLOADER.lastIndex = 0;
  for (let anchor = DOWNLOADER.exec(text); anchor !== null && candidates < CANDIDATES_PER_STRING; anchor = DOWNLOADER.exec(text)) {
    const index = anchor.index;
    const end = index + anchor[0].length;
    const pipe = pipes.from(end);
    const piped = pipe !== null && pipe.index - end <= PIPE_WITHIN;
    const before = text.slice(Math.max(0, index - 4), index).trimEnd();
    const inSubstitution = before.endsWith('$(') || before.endsWith('<(');
    const afterIex = anchor[0].startsWith('.') && IEX_BEFORE.test(text.slice(Math.max(0, index - FLAG_WITHIN), index));
    if (!piped && !inSubstitution && !afterIex) continue;
    candidates += 1;
    let start = index;
    while (start > 0 && index - start < COMMAND_BEFORE && !/[\n\r;&|]/.test(text[start - 1]!)) start -= 1;
    // `… | curl x | sh` starts at the downloader; a substitution or `iex (…)` needs what comes before it.
    if (!inSubstitution && !afterIex) start = index;
    const answer = downloads.judge(text.slice(start, Math.min(text.length, index + COMMAND_AFTER)));
    for (const found of answer ?? []) {
      add('download-and-run', found.detail, text, index, anchor[0].length);
      if (found.substituted) substituted = true;
    }
  }
  return substituted;
}

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
 * Download-and-run (judged by the catalogue, above) and ordinary shell command lines, kept as
 * context. Every pattern is anchored on a literal and checked in a window of fixed size, with the
 * next flag looked up once for all anchors, so the time is linear in the string.
 */
function commands(text: string, add: Add, downloads: DownloadJudge): void {
  const substituted = downloadAndRun(text, add, downloads);

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
