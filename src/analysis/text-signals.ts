import type { VirtualFile } from '../bundle/container.js';
import { judgeCommand } from './catalog/commands.js';
import { EXFILTRATION_SERVICES, exfiltrationService } from './catalog/exfiltration.js';
import type { ScanResult, SignalKind, TextSignal } from './model/code-facts.js';

// A text scan, without parsing, of script files the server's entry point never loads: dead code,
// tests, other entry points of bundled packages, and anything planted where the module graph does
// not look. Parsing all of them would cost seconds on a real bundle; a handful of strong signals
// can be found in one regex pass instead: code decoded and run (`eval(atob(`), exfiltration
// services (catalog/exfiltration.ts), a download piped into a shell, and persistence (LaunchAgents,
// `>> ~/.bashrc`, the Windows Run key). Everything is matched on short literal anchors and then
// checked in bounded windows around them, so the time is linear in the bytes scanned whatever a
// hostile file contains. A downloader's name (`curl`, `wget`, `iwr`, `DownloadString`) with a pipe
// or a substitution next to it is only a candidate: the command written around it (the string
// literal it sits in, else its line) is judged by the command catalogue (catalog/commands.ts), the
// one that judges every command of the bundle, and counts when the catalogue calls it
// download-and-run. Judging costs more than matching, so it is bounded per file and per scan
// (DOWNLOAD_CHECKS), and what was left unjudged is a gap. Directory names are never a reason to skip a file: `dist/`, `build/` and
// `node_modules/` hide real payloads. Python files carry the same signals in Python's words:
// `exec(base64.b64decode(`, `exec(urlopen(…).read())`, a shell start-up file opened for appending;
// their comments start with `#`.

/**
 * Bytes scanned per bundle. The largest real bundle measured ships 73 MB of scripts in all and
 * scans in about 0.15 s; a hostile file dense with anchors costs up to about 30 ms per MB, so the
 * budget bounds the worst case to a few seconds. Smaller files go first, so that one padded file
 * cannot starve the rest, and what is left is reported as a gap.
 */
export const SCAN_BUDGET_BYTES = 128 * 1024 * 1024;

/** Accepted matches examined per file: a hostile file repeating a signal a million times costs no more than this. */
const MAX_HITS_PER_FILE = 50;
/** How far back a check looks for the start of the line (a comment) or of a shell command. */
const LOOK_BACK = 200;
const EXCERPT_BEFORE = 60;
const EXCERPT_AFTER = 100;

const TLDS = [...new Set(EXFILTRATION_SERVICES.map((service) => service.host.slice(service.host.lastIndexOf('.') + 1)))];

/**
 * One pass, every anchor: a decoder right after an opening parenthesis, the top-level domain of an
 * exfiltration service, a downloader's name, a persistence location. Each alternative starts with a
 * literal and has only bounded repetition; what it found is confirmed by the checks below, in
 * windows of fixed size. Case-insensitive for host names and PowerShell; the checks of JavaScript
 * and shell words are not.
 */
/**
 * Python calls whose result, run by exec, eval or compile, is decoded or downloaded code, and the
 * modules each is written with (`''`: imported by name, `from base64 import b64decode`). The anchor
 * matches any pairing, case-insensitively; this table confirms it as written.
 */
const PY_CALLS: Readonly<Record<string, { kind: 'decode-and-run' | 'download-and-run'; modules: readonly string[] }>> = {
  b64decode: { kind: 'decode-and-run', modules: ['', 'base64'] },
  b32decode: { kind: 'decode-and-run', modules: ['', 'base64'] },
  b85decode: { kind: 'decode-and-run', modules: ['', 'base64'] },
  a85decode: { kind: 'decode-and-run', modules: ['', 'base64'] },
  urlsafe_b64decode: { kind: 'decode-and-run', modules: ['', 'base64'] },
  decodebytes: { kind: 'decode-and-run', modules: ['base64'] },
  decompress: { kind: 'decode-and-run', modules: ['zlib', 'gzip', 'lzma', 'bz2'] },
  loads: { kind: 'decode-and-run', modules: ['marshal'] },
  decode: { kind: 'decode-and-run', modules: ['codecs'] },
  fromhex: { kind: 'decode-and-run', modules: ['bytes'] },
  unhexlify: { kind: 'decode-and-run', modules: ['binascii'] },
  a2b_base64: { kind: 'decode-and-run', modules: ['binascii'] },
  urlopen: { kind: 'download-and-run', modules: ['', 'request', 'urllib.request'] },
  get: { kind: 'download-and-run', modules: ['requests', 'httpx'] },
};
const PY_MODULES = String.raw`(?:base64|zlib|gzip|lzma|bz2|marshal|codecs|bytes|binascii|requests|httpx|request|urllib\s{0,4}\.\s{0,4}request)`;
const PY_CALL = /^\(\s*(?:([\w.\s]+?)\s*\.\s*)?(\w+)\s*\($/;
/** Python builtins that run the code they are given. */
const PY_EVALUATORS = new Set(['exec', 'eval', 'compile']);
const PY_APPEND = /\bopen\s*\([^\n]*["']a[+b]?["']|\.open\s*\(\s*["']a[+b]?["']/;

const ANCHORS = new RegExp(
  [
    String.raw`\(\s{0,8}(?:atob|Buffer|String\s{0,4}\.\s{0,4}fromCharCode)\b`,
    // Python: a decoder or a download right after an opening parenthesis (`exec(zlib.decompress(`, `exec(urlopen(`).
    String.raw`\(\s{0,8}(?:${PY_MODULES}\s{0,4}\.\s{0,4})?(?:${Object.keys(PY_CALLS).join('|')})\s{0,8}\(`,
    String.raw`\.(?:bashrc|zshrc|bash_profile|bash_login|zprofile|zshenv|profile)["']`,
    String.raw`\.(?:${TLDS.join('|')})(?![\w-]|\.\w)`,
    String.raw`curl|wget|\biwr\s|\birm\s|Invoke-WebRequest|Invoke-RestMethod|DownloadString`,
    String.raw`LaunchAgents|CurrentVersion\\{1,2}Run(?:Once)?\b`,
    String.raw`>>\s{0,8}(?:~\/|\$HOME\/|\$\{HOME\}\/|"\$HOME"\/)?\.(?:bashrc|zshrc|bash_profile|bash_login|zprofile|zshenv|profile)\b`,
  ].join('|'),
  'gi',
);

const DECODER = /^\(\s*(atob|Buffer|String\s*\.\s*fromCharCode)$/;
const EVALUATORS = new Set(['eval', 'Function', 'require', 'import', 'runInThisContext', 'runInNewContext', 'runInContext', 'compileFunction', 'Script']);
const CALL_AFTER = /\s{0,8}\(/y;
const BUFFER_FROM_AFTER = /\s{0,4}(?:\.\s{0,4}from|\[\s{0,4}["'`]from["'`]\s{0,4}\])\s{0,8}\(/y;
const POWERSHELL_IEX_BEFORE = /\b(?:iex|Invoke-Expression)\b[^\n]{0,80}$/i;
const SHELL_RC = /\.(bashrc|zshrc|bash_profile|bash_login|zprofile|zshenv|profile)$/i;
const BEFORE_HOST = new Set(['/', '@', '"', "'", '`', '}']);
/** A downloaded command and the pipe that runs it are on one line, this close. */
const PIPE_WITHIN = 250;
/** Characters of a candidate command handed to the catalogue, before and after the downloader's name. */
const COMMAND_BEFORE = 200;
const COMMAND_AFTER = 300;

/**
 * Candidate download commands judged by the catalogue: per file, and per scan (shared by the files
 * of one scanFiles call). Real bundles have a handful; a hostile one packed with `curl x|y` costs
 * no more than this, and what is left is reported.
 */
export const DOWNLOAD_CHECKS = Object.freeze({ perFile: 64, perScan: 4000 });

/** What a scan may still spend on judging candidate commands, and what it could not judge. */
export interface CheckBudget {
  left: number;
  unjudged: number;
}

/**
 * The strong signals in one file's bytes, one entry per kind and detail, in order of first
 * occurrence. `budget`: what the scan of several files may still spend on judging commands.
 */
export function scanText(bytes: Uint8Array, python = false, budget: CheckBudget = { left: DOWNLOAD_CHECKS.perScan, unjudged: 0 }): TextSignal[] {
  // latin1 keeps one character per byte: every signal is ASCII, offsets stay byte offsets, and
  // decoding costs a copy instead of UTF-8 validation.
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const scan = new Scan(text, budget);
  const found = new Map<string, TextSignal>();
  const cursor = new LineCursor(text, bytes);
  let accepted = 0;
  ANCHORS.lastIndex = 0;
  for (let match = ANCHORS.exec(text); match !== null && accepted < MAX_HITS_PER_FILE; match = ANCHORS.exec(text)) {
    const hit = scan.judge(match.index, match[0]);
    if (hit === null || inCommentLine(text, match.index, python)) continue;
    accepted += 1;
    const key = `${hit.kind}\u0000${hit.detail}`;
    const known = found.get(key);
    if (known) {
      known.occurrences += 1;
      continue;
    }
    const at = hit.at ?? match.index;
    const { line, column } = cursor.at(at);
    found.set(key, { kind: hit.kind, detail: hit.detail, line, column, excerpt: excerptAt(bytes, text, at), occurrences: 1 });
  }
  return [...found.values()];
}

/** What a check confirmed; `at` moves the reported place back to where it starts (the callee, the host). */
type Hit = { kind: SignalKind; detail: string; at?: number } | null;

/** The checks behind each anchor. Anchors come in increasing order, which lets the pipe and newline lookups be cached. */
class Scan {
  private nextPipe = -1;
  private nextNewline = -1;
  /** Candidate commands judged in this file, and the catalogue's answer for each text (repeated texts are judged once). */
  private judged = 0;
  private readonly answers = new Map<string, string | null>();
  private last: { start: number; end: number; answer: string | null } = { start: 0, end: 0, answer: null };

  constructor(
    private readonly text: string,
    private readonly budget: CheckBudget,
  ) {}

  judge(index: number, anchor: string): Hit {
    const end = index + anchor.length;
    switch (anchor[0]) {
      case '(':
        return anchor.endsWith('(') ? this.pythonRun(index, anchor) : this.decodeAndRun(index, end, anchor);
      case '.':
        return anchor.endsWith('"') || anchor.endsWith("'") ? this.pythonStartup(index, end, anchor) : this.exfiltrationHost(index, end);
      case '>':
        return this.shellStartup(index, anchor);
      default:
        break;
    }
    const lower = anchor.toLowerCase();
    if (lower === 'launchagents') {
      const before = this.text[index - 1];
      const separated = before === '/' || before === '\\' || before === '"' || before === "'" || before === '`';
      return separated && !isWordCharacter(this.text.charCodeAt(end)) ? { kind: 'persistence', detail: 'Library/LaunchAgents' } : null;
    }
    if (lower.startsWith('currentversion')) return { kind: 'persistence', detail: 'Windows Run key' };
    return this.downloadAndRun(index, end, anchor);
  }

  /** `eval(atob(`, `new Function(Buffer.from(`, `require(String.fromCharCode(`: decoded text run as code or loaded. */
  private decodeAndRun(index: number, end: number, anchor: string): Hit {
    const name = DECODER.exec(anchor)?.[1];
    if (name === undefined) return null;
    const decoder = name === 'atob' ? 'atob' : name === 'Buffer' ? 'Buffer.from' : 'String.fromCharCode';
    const after = decoder === 'Buffer.from' ? BUFFER_FROM_AFTER : CALL_AFTER;
    after.lastIndex = end;
    if (!after.test(this.text)) return null;
    const callee = identifierBefore(this.text, index);
    return callee !== undefined && EVALUATORS.has(callee.name) ? { kind: 'decode-and-run', detail: `${callee.name}(${decoder}(…))`, at: callee.start } : null;
  }

  /** `exec(base64.b64decode(`, `exec(zlib.decompress(`, `exec(urlopen(`, `eval(requests.get(`: Python running decoded or downloaded code. */
  private pythonRun(index: number, anchor: string): Hit {
    const [, written, name] = PY_CALL.exec(anchor) ?? [];
    const call = name === undefined || !Object.hasOwn(PY_CALLS, name) ? undefined : PY_CALLS[name]!;
    const module = (written ?? '').replace(/\s+/g, '');
    if (call === undefined || !call.modules.includes(module)) return null;
    const callee = identifierBefore(this.text, index);
    if (callee === undefined || !PY_EVALUATORS.has(callee.name)) return null;
    return { kind: call.kind, detail: `${callee.name}(${module === '' ? '' : `${module}.`}${name}(…))`, at: callee.start };
  }

  /** `open(os.path.expanduser("~/.zshrc"), "a")`, `(home / ".bashrc").open("a")`: a shell start-up file opened for appending, on one line. */
  private pythonStartup(index: number, end: number, anchor: string): Hit {
    const { text } = this;
    const lineStart = text.lastIndexOf('\n', index) + 1;
    const newline = text.indexOf('\n', end);
    const lineEnd = newline === -1 ? text.length : newline;
    if (index - lineStart > LOOK_BACK || lineEnd - end > LOOK_BACK) return null;
    return PY_APPEND.test(text.slice(lineStart, lineEnd)) ? { kind: 'persistence', detail: `~/${anchor.slice(0, -1).toLowerCase()} opened for appending` } : null;
  }

  /** `https://abc.ngrok.io`, `'webhook.site'`, `discord.com/api/webhooks/…`: a host of catalog/exfiltration.ts. */
  private exfiltrationHost(index: number, end: number): Hit {
    const { text } = this;
    let start = index;
    while (start > 0 && index - start < 253 && isHostCharacter(text.charCodeAt(start - 1))) start -= 1;
    if (!BEFORE_HOST.has(text[start - 1] ?? '')) return null;
    const host = text.slice(start, end).toLowerCase().replace(/^[.-]+/, '');
    const tail = /^(?::\d{1,5})?(\/[^\s'"`<>\\)]{0,40})?/.exec(text.slice(end, end + 48));
    const service = exfiltrationService(host, tail?.[1] ?? '/');
    return service === undefined ? null : { kind: 'exfiltration-host', detail: `${host}${service.path ?? ''} (${service.service})`, at: end - host.length };
  }

  /**
   * `curl … | sh`, `sh -c "$(curl …)"`, `bash <(wget …)`, `iwr … | iex`, `iex (…).DownloadString(…)`:
   * a downloader with a pipe after it on its line, or inside a substitution, or a DownloadString
   * after `iex`, is a candidate; the catalogue judges the command around it.
   */
  private downloadAndRun(index: number, end: number, anchor: string): Hit {
    const { text } = this;
    if (index > 0 && isWordCharacter(text.charCodeAt(index - 1))) return null;
    const lower = anchor.toLowerCase().trim();
    let candidate: boolean;
    if (anchor === 'curl' || anchor === 'wget') {
      if (!isSpace(text.charCodeAt(end))) return null;
      let before = index;
      while (before > 0 && index - before < 4 && isSpace(text.charCodeAt(before - 1))) before -= 1;
      candidate = this.pipeOnLine(end) !== -1 || (text[before - 1] === '(' && (text[before - 2] === '$' || text[before - 2] === '<'));
    } else if (lower === 'curl' || lower === 'wget') {
      return null;
    } else if (lower === 'downloadstring') {
      candidate = POWERSHELL_IEX_BEFORE.test(text.slice(Math.max(0, index - 120), index)) || this.pipeOnLine(end) !== -1;
    } else {
      candidate = this.pipeOnLine(end) !== -1;
    }
    if (!candidate) return null;
    const detail = this.judgeDownload(index);
    return detail === null ? null : { kind: 'download-and-run', detail };
  }

  /** What the catalogue calls the command written around `index` when it is download-and-run, else null. */
  private judgeDownload(index: number): string | null {
    // Anchors inside the text judged last share its answer (the anchors of one string literal).
    if (index >= this.last.start && index < this.last.end) return this.last.answer;
    if (this.judged >= DOWNLOAD_CHECKS.perFile || this.budget.left <= 0) {
      this.budget.unjudged += 1;
      return null;
    }
    const { start, end } = commandBounds(this.text, index);
    const command = unescape(this.text.slice(start, end));
    let answer = this.answers.get(command);
    if (answer === undefined) {
      this.judged += 1;
      this.budget.left -= 1;
      const signal = judgeCommand(command).signals.find((found) => found.kind === 'download-and-run');
      answer = signal === undefined ? null : signal.detail;
      this.answers.set(command, answer);
    }
    this.last = { start, end, answer };
    return answer;
  }

  /** The first `|` after `from` on the same line and within PIPE_WITHIN characters, or -1. */
  private pipeOnLine(from: number): number {
    if (this.nextPipe !== Infinity && this.nextPipe < from) this.nextPipe = positionOrInfinity(this.text.indexOf('|', from));
    if (this.nextNewline !== Infinity && this.nextNewline < from) this.nextNewline = positionOrInfinity(this.text.indexOf('\n', from));
    return this.nextPipe - from <= PIPE_WITHIN && this.nextPipe < this.nextNewline ? this.nextPipe : -1;
  }

  /** `>> ~/.bashrc` outside a shell comment (completion scripts print `# … >> ~/.bashrc` as advice). */
  private shellStartup(index: number, anchor: string): Hit {
    const rc = SHELL_RC.exec(anchor)?.[1];
    if (rc === undefined) return null;
    const before = this.text.slice(Math.max(0, index - LOOK_BACK), index);
    // The line so far: after the last newline, or the last `\n` escape inside a string.
    const escaped = before.lastIndexOf('\\n');
    const lineStart = Math.max(before.lastIndexOf('\n') + 1, escaped === -1 ? 0 : escaped + 2);
    return before.slice(lineStart).includes('#') ? null : { kind: 'persistence', detail: `>> ~/.${rc.toLowerCase()}` };
  }
}

/**
 * Where the command a downloader's name at `index` is written in lies: inside the string literal
 * around it when one opens on the same line (its escapes are resolved by `unescape`), else the line;
 * at most COMMAND_BEFORE and COMMAND_AFTER characters either side.
 */
function commandBounds(text: string, index: number): { start: number; end: number } {
  // Both walks are bounded: on a megabyte-long line an unbounded search for the newline would make the scan quadratic.
  let lineStart = index;
  while (lineStart > 0 && index - lineStart < COMMAND_BEFORE && text.charCodeAt(lineStart - 1) !== 10) lineStart -= 1;
  let lineEnd = index;
  const last = Math.min(text.length, index + COMMAND_AFTER);
  while (lineEnd < last && text.charCodeAt(lineEnd) !== 10) lineEnd += 1;
  let open = -1;
  for (let at = index - 1; at >= lineStart; at--) {
    const code = text.charCodeAt(at);
    if ((code === 34 || code === 39 || code === 96) && !escaped(text, at, lineStart)) {
      open = at;
      break;
    }
  }
  if (open === -1) return { start: lineStart, end: lineEnd };
  const quote = text.charCodeAt(open);
  let close = lineEnd;
  for (let at = index; at < lineEnd; at++) {
    if (text.charCodeAt(at) === quote && !escaped(text, at, index)) {
      close = at;
      break;
    }
  }
  return { start: open + 1, end: close };
}

/** An odd number of backslashes before `at` (looking no further back than `from`). */
function escaped(text: string, at: number, from: number): boolean {
  let count = 0;
  for (let before = at - 1; before >= from && text.charCodeAt(before) === 92 && count < 16; before--) count += 1;
  return count % 2 === 1;
}

/** JavaScript and Python string escapes, as the string holds them: `\"` is `"`, `\n` a newline. */
function unescape(literal: string): string {
  return literal.replace(/\\(.)/g, (_, character: string) => (character === 'n' ? '\n' : character === 't' ? '\t' : character));
}

function positionOrInfinity(position: number): number {
  return position === -1 ? Infinity : position;
}

/** The identifier that ends right before `index`, over at most 8 spaces (`eval (`), and where it starts. */
function identifierBefore(text: string, index: number): { name: string; start: number } | undefined {
  let end = index;
  while (end > 0 && index - end < 8 && isSpace(text.charCodeAt(end - 1))) end -= 1;
  let start = end;
  while (start > 0 && end - start <= 20 && isWordCharacter(text.charCodeAt(start - 1))) start -= 1;
  return start === end || end - start > 20 ? undefined : { name: text.slice(start, end), start };
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isWordCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36;
}

/** A line starting with `//`, `/*` or `*`, or `#` in Python (looking back at most LOOK_BACK characters: a longer line is code). */
function inCommentLine(text: string, index: number, python: boolean): boolean {
  const before = text.slice(Math.max(0, index - LOOK_BACK), index);
  const newline = before.lastIndexOf('\n');
  if (newline === -1 && index > LOOK_BACK) return false;
  const line = before.slice(newline + 1).trimStart();
  if (python) return line.startsWith('#');
  return line.startsWith('//') || line.startsWith('/*') || line.startsWith('*');
}

function isHostCharacter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 46 || code === 45;
}

function excerptAt(bytes: Uint8Array, text: string, index: number): string {
  let start = Math.max(0, index - EXCERPT_BEFORE);
  const newlineBefore = text.lastIndexOf('\n', index);
  if (newlineBefore >= start) start = newlineBefore + 1;
  let end = Math.min(text.length, index + EXCERPT_AFTER);
  const newlineAfter = text.indexOf('\n', index);
  if (newlineAfter !== -1 && newlineAfter < end) end = newlineAfter;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8').replace(/\s+/g, ' ').trim();
}

/** Line and character column of byte offsets, in one forward pass over the file when they increase (they do but for overlaps). */
class LineCursor {
  private position = 0;
  private line = 1;
  private column = 1;

  constructor(
    private readonly text: string,
    private readonly bytes: Uint8Array,
  ) {}

  at(offset: number): { line: number; column: number } {
    if (offset < this.position) {
      this.position = 0;
      this.line = 1;
      this.column = 1;
    }
    for (let newline = this.text.indexOf('\n', this.position); newline !== -1 && newline < offset; newline = this.text.indexOf('\n', this.position)) {
      this.line += 1;
      this.column = 1;
      this.position = newline + 1;
    }
    // UTF-8 continuation bytes do not start a character.
    for (let index = this.position; index < offset; index++) if ((this.bytes[index]! & 0xc0) !== 0x80) this.column += 1;
    this.position = offset;
    return { line: this.line, column: this.column };
  }
}

/** Scans files smallest first, within `budget` bytes; a file that crosses the budget is scanned up to it. */
export function scanFiles(files: readonly VirtualFile[], budget = SCAN_BUDGET_BYTES): ScanResult {
  const result: ScanResult = { signals: [], unscanned: { files: 0, bytes: 0 }, unjudged: 0 };
  const checks: CheckBudget = { left: DOWNLOAD_CHECKS.perScan, unjudged: 0 };
  const ordered = [...files].sort((a, b) => a.bytes.byteLength - b.bytes.byteLength || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let left = budget;
  for (const file of ordered) {
    const size = file.bytes.byteLength;
    if (left <= 0) {
      result.unscanned.files += 1;
      result.unscanned.bytes += size;
      continue;
    }
    const scanned = size <= left ? file.bytes : file.bytes.subarray(0, left);
    if (scanned !== file.bytes) {
      result.unscanned.files += 1;
      result.unscanned.bytes += size - left;
    }
    left -= scanned.byteLength;
    for (const signal of scanText(scanned, /\.pyw?$/i.test(file.path), checks)) result.signals.push({ file: file.path, ...signal });
  }
  result.unjudged = checks.unjudged;
  return result;
}
