// What a constant command does, judged from its text: the one catalogue of commands that JavaScript
// and Python analysis, shell scripts shipped in a bundle and strings handed to interpreters all use
// (docs/commands.md documents every entry). A command line or an argument list is read as a shell
// reads it (catalog/command-syntax.ts), interpreters are unwrapped (`sh -c`, `cmd /c`, `powershell
// -Command` and `-EncodedCommand`, `python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`,
// `osascript -e`, `eval`, `iex`), and what flows between its parts is followed: a download piped into
// a shell, a key file piped to a raw address, a decoded blob handed to eval, a fetched file made
// executable and run later in the same script.
//
// Severity is by what the text says: critical for download-and-run, reverse shells, wiping and
// secrets sent off; high for persistence, credential reads, raw-IP and drop-box hosts, decoded code
// run and defences switched off; medium for a request for admin rights and for text too long or too
// deeply nested to judge; low for any other command, info for one that only opens a web page. When
// a command runs (at load, from a tool) is the engine's business, not this file's.
//
// Hostile input: a command is read up to COMMAND_LIMITS.commandChars, a script up to scriptChars, and
// interpreters are unwrapped COMMAND_LIMITS.depth levels deep; what lies past a limit is reported as an
// `opaque` signal (medium), so padding or nesting cannot make a command look harmless. Every reader is
// linear in its text (bounded windows, no nested unbounded quantifiers); nothing throws.
import { commandName } from '../../manifest/mcp-config.js';
import type { CommandSeverity, CommandSignalKind } from '../model/code-facts.js';
import { readCode, type CodeLanguage } from './command-code.js';
import { LOADER_VARIABLES } from './host-capture.js';
import { parseCommands, type CommandList, type Pipeline, type Redirect, type ShellDialect, type SimpleCommand, type Stage, type Word } from './command-syntax.js';
import {
  bareHost,
  clip,
  credentialPathOf,
  decodeBase64Text,
  fileKey,
  hasOption,
  hostOfUrlSeen,
  hostSeen,
  isSecretName,
  optionValue,
  parseOptions,
  persistencePathOf,
  psParameters,
  urlFileName,
  urlsIn,
  variablesIn,
  worstHost,
  type HostSeen,
} from './command-text.js';

export type { ShellDialect } from './command-syntax.js';

export type { CommandSeverity, CommandSignalKind };

export interface CommandSignal {
  kind: CommandSignalKind;
  severity: CommandSeverity;
  /** Short words: `curl … | sh`, `reverse shell via /dev/tcp/1.2.3.4/4444`. */
  detail: string;
  /** The text that matched, raw, on one line, at most 200 characters. */
  evidence: string;
  /** The catalogue entry (a heading of docs/commands.md). */
  entry: string;
}

export interface CommandJudgement {
  signals: CommandSignal[];
  /** The highest signal's; without one, `low` when a program runs and `info` when it only opens web pages. */
  severity: CommandSeverity;
  /** Programs run, after unwrapping, by name (`/usr/bin/curl` -> `curl`), in order of first appearance. */
  programs: string[];
  /** Script files it runs, as written (`./setup.sh`, `install.ps1`), for the caller to link to shipped files. */
  scripts: string[];
  /** Text decoded from `-EncodedCommand` or a base64 constant that is run, for the finding to show (at most 4 KiB). */
  decoded?: string;
}

export type ScriptDialect = 'sh' | 'powershell' | 'batch' | 'applescript';

export interface ScriptSignal extends CommandSignal {
  /** 1-based. */
  line: number;
  /** 1-based, in characters, where the signal's command starts on its line (a signal found in decoded text points at what decodes it). */
  column: number;
}

export interface ScriptJudgement extends Omit<CommandJudgement, 'signals'> {
  signals: ScriptSignal[];
}

export const COMMAND_LIMITS = Object.freeze({
  /** Characters of one command line (or of an argument list, joined) that are read. */
  commandChars: 64 * 1024,
  /** Characters of one script that are read. */
  scriptChars: 1024 * 1024,
  /** Interpreters unwrapped inside each other (`sh -c "bash -c '…'"` is two). */
  depth: 4,
  /** Simple commands judged per command or script, counting those inside substitutions and interpreters. */
  commands: 100_000,
  /** Signals kept per command and per script. */
  commandSignals: 64,
  scriptSignals: 500,
  /** Programs and scripts listed. */
  names: 200,
  decodedChars: 4096,
});

const SEVERITY_RANK: Readonly<Record<CommandSeverity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** Variables that make the dynamic linker load a library into every program started (dynamic linker hijacking). */
const LIBRARY_INJECTION = new RegExp(`^(?:${LOADER_VARIABLES.join('|')})$`);

/** `export LD_PRELOAD=/tmp/x.so`: one of LIBRARY_INJECTION given a value. */
function injectsLibrary(text: string): boolean {
  const equals = text.indexOf('=');
  return equals > 0 && equals < text.length - 1 && LIBRARY_INJECTION.test(text.slice(0, equals));
}

/** Each kind's usual severity; entries that differ say so where they add the signal. */
const KIND_SEVERITY: Readonly<Record<CommandSignalKind, CommandSeverity>> = {
  'download-and-run': 'critical',
  'reverse-shell': 'critical',
  exfiltration: 'critical',
  destructive: 'critical',
  'decode-and-run': 'high',
  persistence: 'high',
  'credential-read': 'high',
  'raw-ip-host': 'high',
  'drop-box-host': 'high',
  'defence-evasion': 'high',
  privilege: 'medium',
  opaque: 'medium',
};

/**
 * Judges a command line or an argument list. A line is read as `sh` unless `dialect` says otherwise
 * or it is plainly a Windows line (it starts with a Windows-only program, or names `C:\`, `%APPDATA%`
 * or a registry hive), which Node and Python run through cmd.exe on Windows.
 */
export function judgeCommand(command: string | readonly string[], options: { dialect?: ShellDialect } = {}): CommandJudgement {
  const judge = new Judge(COMMAND_LIMITS.commandSignals, null);
  try {
    if (typeof command === 'string') {
      const text = judge.capped(command, COMMAND_LIMITS.commandChars, 'command');
      judge.text(text, options.dialect ?? guessDialect(text), 0, 0, false);
    } else {
      judge.argv(judge.cappedArgv(command), 0, 0, false);
    }
  } catch {
    judge.failed();
  }
  return judge.result();
}

/** Judges a script's text: every line through the same catalogue, signals with line numbers. */
export function judgeScript(text: string, dialect: ScriptDialect): ScriptJudgement {
  const source = text.length > COMMAND_LIMITS.scriptChars ? text.slice(0, COMMAND_LIMITS.scriptChars) : text;
  const lines = lineStarts(source);
  const judge = new Judge(COMMAND_LIMITS.scriptSignals, (at) => lineOf(lines, at));
  try {
    const body = judge.capped(text, COMMAND_LIMITS.scriptChars, 'script');
    if (dialect === 'applescript') judge.code(body, 'applescript', 0, 0, false);
    else judge.text(body, dialect, 0, 0, false);
  } catch {
    judge.failed();
  }
  const result = judge.result();
  return { ...result, signals: judge.lines((at) => placeOf(lines, at)) };
}

const WINDOWS_PROGRAMS: ReadonlySet<string> = new Set([
  'cmd', 'reg', 'schtasks', 'certutil', 'bitsadmin', 'mshta', 'rundll32', 'regsvr32', 'msiexec', 'wmic', 'vssadmin', 'bcdedit', 'wbadmin',
  'netsh', 'cmdkey', 'vaultcmd', 'wevtutil', 'start', 'copy', 'del', 'rd', 'type', 'xcopy', 'robocopy', 'taskkill', 'tasklist', 'where',
]);

/** `batch` for a line that is plainly for cmd.exe, else `sh`. */
function guessDialect(text: string): ShellDialect {
  const first = /^\s{0,64}@?([^\s"]{1,260})/.exec(text.slice(0, 400))?.[1] ?? '';
  if (WINDOWS_PROGRAMS.has(commandName(first))) return 'batch';
  if (/^(?:iwr|irm|iex|(?:invoke|new|start|set|get|add|remove|register)-\w{2,40}|\$[\w:]{1,64})$/i.test(first)) return 'powershell';
  if (first.startsWith('\\\\')) return 'batch';
  return /(?:^|[\s"'=])(?:[A-Za-z]:|\.{1,2})\\[^\s\\]|%[A-Za-z_]\w{0,40}%|\bHK(?:CU|LM|CR|EY_[A-Z_]{4,20})\\/.test(text.slice(0, 4096)) ? 'batch' : 'sh';
}

/** A word ending in a script file's name after a folder (`$(dirname "$0")/lib/x.sh`). */
const SCRIPT_IN_COMPUTED_FOLDER = /[\\/][^\\/$`()]{1,200}\.(?:sh|bash|zsh|command|ps1|psm1|bat|cmd)$/i;

/** How far after a TCPClient its stream must be run through iex to count as a reverse shell. */
const PS_SHELL_WINDOW = 2000;

const SCRIPT_EXTENSIONS: ReadonlyArray<readonly [RegExp, ScriptDialect]> = [
  [/\.(?:sh|bash|zsh|ksh|command)$/i, 'sh'],
  [/\.(?:ps1|psm1)$/i, 'powershell'],
  [/\.(?:bat|cmd)$/i, 'batch'],
  [/\.(?:applescript|scpt)$/i, 'applescript'],
];

/**
 * The dialect of a file by its name or its `#!` line, or null for anything else (Python and
 * JavaScript have analyses of their own). A compiled `.scpt` (it starts `FasdUAS`) is no text.
 */
export function scriptDialect(path: string, firstLine: string): ScriptDialect | null {
  if (firstLine.startsWith('FasdUAS')) return null;
  const shebang = /^#!\s{0,8}(\S{1,200})(?:[ \t]{1,8}(\S{1,100}))?(?:[ \t]{1,8}(\S{1,100}))?/.exec(firstLine.slice(0, 400));
  if (shebang !== null) {
    // `#!/usr/bin/env bash`, `#!/usr/bin/env -S pwsh -NoProfile`: the interpreter is the first word env is given.
    const words = [shebang[1]!, shebang[2], shebang[3]].filter((word): word is string => word !== undefined);
    const program = commandName(words[0]!) === 'env' ? words.slice(1).find((word) => !word.startsWith('-')) : words[0];
    const name = commandName(program ?? '');
    if (SHELLS.has(name)) return 'sh';
    if (name === 'pwsh' || name === 'powershell') return 'powershell';
    if (name === 'osascript') return 'applescript';
    return null;
  }
  return SCRIPT_EXTENSIONS.find(([pattern]) => pattern.test(path))?.[1] ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Programs, by family.

const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash']);
const PYTHON = /^(?:python(?:\d(?:\.\d{1,2})?)?|py|pypy3?)$/;
const POWERSHELLS: ReadonlySet<string> = new Set(['powershell', 'pwsh', 'powershell_ise']);
/** Programs that print their arguments: a URL in `echo` is printed, not fetched. */
const PRINTERS: ReadonlySet<string> = new Set(['echo', 'printf', 'print', 'write-host', 'write-output', 'write', 'say']);
/** Programs that show a path or a URL to the user (the OS opener). */
const OPENERS: ReadonlySet<string> = new Set(['open', 'xdg-open', 'gio', 'wslview', 'explorer', 'sensible-browser', 'x-www-browser', 'gnome-open', 'kde-open']);
/** Programs that read the content of the files they are given (a credential file named to them is read). */
const READERS: ReadonlySet<string> = new Set([
  'cat', 'tac', 'head', 'tail', 'less', 'more', 'nl', 'od', 'xxd', 'hexdump', 'hd', 'strings', 'base64', 'base32', 'gpg', 'grep',
  'egrep', 'fgrep', 'rg', 'ag', 'awk', 'gawk', 'sed', 'cut', 'sort', 'uniq', 'jq', 'yq', 'sqlite3', 'cp', 'scp', 'rsync', 'ditto',
  'tar', 'zip', '7z', '7za', 'gzip', 'bzip2', 'xz', 'zstd', 'rar', 'dd', 'openssl', 'type', 'get-content', 'gc', 'copy-item', 'cpi',
  'copy', 'xcopy', 'robocopy', 'compress-archive', 'plutil', 'security', 'curl', 'wget', 'nc', 'ncat', 'netcat', 'socat',
]);
/** Words that start shell syntax rather than a program: the program follows them. */
const KEYWORDS: ReadonlySet<string> = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'time', '{', 'exec', 'command', 'builtin']);
/** Words that end shell syntax or name no program. */
const PS_KEYWORDS: ReadonlySet<string> = new Set(['if', 'elseif', 'else', 'while', 'for', 'foreach', 'switch', 'do', 'until', 'try', 'catch', 'finally', 'function', 'filter', 'param', 'return', 'trap', 'throw', 'break', 'continue', 'begin', 'process', 'end']);
const NOT_PROGRAMS: ReadonlySet<string> = new Set(['fi', 'done', 'esac', 'for', 'case', 'in', 'function', 'select', '}', '[[', ']]', '((', 'foreach', 'return', 'exit', 'local', 'readonly', 'declare', 'typeset', 'param', 'try', 'catch', 'finally', 'goto', 'shift', 'true', 'false', ':']);

/** Programs that run the command that follows them, and the options of theirs that take a value. */
const WRAPPERS: Readonly<Record<string, { values: string; operands?: number; elevates?: true }>> = {
  env: { values: 'uCS' },
  nohup: { values: '' },
  setsid: { values: '' },
  unbuffer: { values: '' },
  caffeinate: { values: 'tw' },
  nice: { values: 'n' },
  ionice: { values: 'cnp' },
  timeout: { values: 'ks', operands: 1 },
  stdbuf: { values: 'ioe' },
  xargs: { values: 'IinPLdEsa' },
  chroot: { values: '', operands: 1 },
  flock: { values: 'wEc', operands: 1 },
  sudo: { values: 'ugCDhprtUT', elevates: true },
  doas: { values: 'uC', elevates: true },
  pkexec: { values: '', elevates: true },
  gsudo: { values: '', elevates: true },
  busybox: { values: '' },
  call: { values: '' },
  torsocks: { values: '' },
  proxychains: { values: 'f' },
  proxychains4: { values: 'f' },
};

interface Flow {
  /** Downloaded content, and the program that fetched it (`curl`). */
  download?: string;
  /** Decoded content, and the decoder (`base64 -d`). */
  decode?: string;
  /** Secret content, and what it is (`SSH keys`, `the environment`). */
  secret?: string;
  /** What a remote host sends, and the client (`nc`). */
  socket?: string;
  /** Constant text printed (`echo …`), and the same decoded when a decoder follows. */
  constant?: string;
  decoded?: string;
  /** Where in the list's text the first of these came in (for evidence). */
  from?: number;
}

function merge(a: Flow, b: Flow): Flow {
  if (b.download === undefined && b.decode === undefined && b.secret === undefined && b.socket === undefined && b.constant === undefined && b.decoded === undefined) return a;
  return {
    download: a.download ?? b.download,
    decode: a.decode ?? b.decode,
    secret: a.secret ?? b.secret,
    socket: a.socket ?? b.socket,
    constant: b.constant ?? a.constant,
    decoded: b.decoded ?? a.decoded,
    from: a.from ?? b.from,
  };
}

function hasFlow(flow: Flow): boolean {
  return flow.download !== undefined || flow.decode !== undefined || flow.secret !== undefined || flow.socket !== undefined;
}

interface Ctx {
  /** Interpreters unwrapped so far. */
  depth: number;
  dialect: ShellDialect;
  list: CommandList;
  /** Where offset 0 of the judged text sits in the text first given. */
  base: number;
  /** The judged text was decoded: its offsets are not the first text's, and every signal points at `base`. */
  pinned: boolean;
  /** The caller already judged what the substitutions of this text produce (`sh -c "$(curl …)"`). */
  quiet: boolean;
}

interface StageResult {
  out: Flow;
  /** A program that runs what it reads (a shell, an interpreter, iex), by name. */
  runsInput?: string;
  /** A program that sends what it reads to a host. */
  sendsInput?: { name: string; host: HostSeen | undefined };
  /** A shell whose input comes from the pipe (its output may go to a socket). */
  shell?: string;
  /** A network client (a shell piped into it is remote-controlled). */
  netClient?: string;
}

interface Cmd {
  stage: SimpleCommand;
  name: string;
  program: Word;
  args: Word[];
  texts: string[];
  ctx: Ctx;
  input: Flow;
  /** The command's text, for evidence. */
  evidence: string;
  at: number;
}

interface FetchedFile {
  kind: 'download' | 'decode';
  by: string;
  /** Its run was reported (once per file is enough). */
  reported?: true;
}

interface Found extends CommandSignal {
  at: number;
}

class Judge {
  private readonly found = new Map<string, Found>();
  private readonly programs = new Set<string>();
  private readonly scripts = new Set<string>();
  private decoded: string | undefined;
  private leaves = 0;
  private openers = 0;
  /** Files written with downloaded or decoded content, by fileKey. */
  private readonly files = new Map<string, FetchedFile>();
  /** Files written with secrets, by fileKey, and what the secret is. */
  private readonly tainted = new Map<string, string>();
  /** Shell and PowerShell variables assigned what a command produced. */
  private readonly vars = new Map<string, Flow>();
  private readonly listFlows = new WeakMap<CommandList, Flow>();
  /** Simple commands judged so far. */
  private stages = 0;

  constructor(
    private readonly maxSignals: number,
    private readonly lineAt: ((at: number) => number) | null,
  ) {}

  // ------------------------------------------------------------------------------------------------
  // Results.

  add(kind: CommandSignalKind, entry: string, detail: string, evidence: string, at: number, severity: CommandSeverity = KIND_SEVERITY[kind]): void {
    const key = `${kind}\u0000${detail}\u0000${this.lineAt === null ? '' : this.lineAt(at)}`;
    const known = this.found.get(key);
    if (known !== undefined) {
      if (SEVERITY_RANK[severity] > SEVERITY_RANK[known.severity]) known.severity = severity;
      return;
    }
    if (this.found.size >= this.maxSignals) return;
    this.found.set(key, { kind, severity, detail, evidence: clip(evidence), entry, at });
  }

  result(): CommandJudgement {
    const signals = [...this.found.values()].map(({ at: _at, ...signal }) => signal);
    let severity: CommandSeverity = this.leaves > 0 && this.openers < this.leaves ? 'low' : this.programs.size > 0 && this.leaves === 0 ? 'low' : 'info';
    for (const signal of signals) if (SEVERITY_RANK[signal.severity] > SEVERITY_RANK[severity]) severity = signal.severity;
    const judgement: CommandJudgement = { signals, severity, programs: [...this.programs], scripts: [...this.scripts] };
    if (this.decoded !== undefined) judgement.decoded = this.decoded;
    return judgement;
  }

  lines(place: (at: number) => { line: number; column: number }): ScriptSignal[] {
    return [...this.found.values()].map(({ at, ...signal }) => ({ ...signal, ...place(at) }));
  }

  failed(): void {
    this.add('opaque', 'not-judged', 'the command could not be read', '', 0);
  }

  capped(text: string, max: number, what: string): string {
    if (text.length <= max) return text;
    this.add('opaque', 'too-long', `${what} longer than ${max / 1024} KiB: the rest was not judged`, text.slice(max - 100, max), max - 1);
    return text.slice(0, max);
  }

  cappedArgv(argv: readonly string[]): string[] {
    const kept: string[] = [];
    let total = 0;
    for (const arg of argv) {
      const text = String(arg);
      if (total + text.length > COMMAND_LIMITS.commandChars) {
        kept.push(this.capped(text, COMMAND_LIMITS.commandChars - total, 'command'));
        break;
      }
      kept.push(text);
      total += text.length + 1;
    }
    return kept;
  }

  private program(name: string): void {
    if (/^[\w.+@-]{1,100}$|^\[$/.test(name) && this.programs.size < COMMAND_LIMITS.names) this.programs.add(name);
  }

  private script(path: string): void {
    if (path !== '' && this.scripts.size < COMMAND_LIMITS.names) this.scripts.add(path);
  }

  private showDecoded(text: string): void {
    this.decoded ??= text.length > COMMAND_LIMITS.decodedChars ? `${text.slice(0, COMMAND_LIMITS.decodedChars - 1)}…` : text;
  }

  // ------------------------------------------------------------------------------------------------
  // Texts: a command line, a script, an argument list, interpreter code.

  text(text: string, dialect: ShellDialect, depth: number, base: number, pinned: boolean, quiet = false): Flow {
    if (depth > COMMAND_LIMITS.depth) {
      this.add('opaque', 'nesting-too-deep', `interpreters nested more than ${COMMAND_LIMITS.depth} deep: the innermost command was not judged`, text, base);
      return {};
    }
    if (dialect === 'powershell') this.psText(text, base);
    let out: Flow = {};
    let ctx: Ctx | undefined;
    const parsed = parseCommands(text, dialect, (pipeline, list) => {
      ctx ??= { depth, dialect, list, base, pinned, quiet };
      out = merge(out, this.pipeline(pipeline, ctx));
      if (this.stages <= COMMAND_LIMITS.commands) return true;
      this.add('opaque', 'too-long', `more than ${COMMAND_LIMITS.commands} commands: the rest was not judged`, text.slice(pipeline.start, pipeline.end), this.top(ctx, pipeline.start));
      return false;
    });
    if (parsed.limited) this.add('opaque', 'nesting-too-deep', 'substitutions nested too deep: the innermost were not judged', text, base);
    return { ...out, from: undefined };
  }

  /** PowerShell's reverse shell: a TCPClient's stream read and run through iex (its statements are too varied to follow one by one). */
  private psText(text: string, base: number): void {
    const client = text.search(/sockets\.tcpclient/i);
    if (client === -1) return;
    // The stream is read and run within the next few statements.
    const after = text.slice(client, client + PS_SHELL_WINDOW).toLowerCase();
    if (!/\b(?:iex|invoke-expression)\b/.test(after) || !/\.getstream\s{0,4}\(/.test(after)) return;
    this.add('reverse-shell', 'code-socket-shell', 'PowerShell TCPClient stream wired to iex or a shell', text.slice(Math.max(0, client - 60), client + 140), base);
  }

  argv(argv: readonly string[], depth: number, base: number, pinned: boolean): void {
    if (argv.length === 0) return;
    if (depth > COMMAND_LIMITS.depth) {
      this.add('opaque', 'nesting-too-deep', `interpreters nested more than ${COMMAND_LIMITS.depth} deep: the innermost command was not judged`, argv.join(' '), base);
      return;
    }
    const words: Word[] = [];
    let at = 0;
    for (const text of argv) {
      words.push({ text, start: at, end: at + text.length, subs: [], quoted: true });
      at += text.length + 1;
    }
    const joined = argv.join(' ');
    const list: CommandList = { pipelines: [], text: joined, origin: 0 };
    const stage: SimpleCommand = { kind: 'simple', assigns: [], words, redirects: [], start: 0, end: joined.length };
    this.simple(stage, { depth, dialect: 'sh', list, base, pinned, quiet: false }, {});
  }

  /** Interpreter code: what it hands to a shell, and the shapes of the catalogue it has. */
  code(text: string, language: CodeLanguage, depth: number, base: number, pinned: boolean): void {
    if (depth > COMMAND_LIMITS.depth) {
      this.add('opaque', 'nesting-too-deep', `interpreters nested more than ${COMMAND_LIMITS.depth} deep: the innermost command was not judged`, text, base);
      return;
    }
    const facts = readCode(text, language);
    const place = (offset: number) => (pinned ? base : base + offset);
    const ids = facts.idents;
    const strings = facts.strings.map((string) => string.text);
    const has = (...names: string[]) => names.some((name) => ids.has(name));
    const evidence = text;
    this.leaves += 1;

    for (const shell of facts.shell) this.text(shell.text, 'sh', depth + 1, place(shell.start + 1), pinned);
    for (const argv of facts.argv) this.argv(argv.map((word) => word.text), depth + 1, place(argv[0]!.start + 1), pinned);

    if (language === 'applescript') {
      this.appleScript(facts.idents, evidence, base);
      if (has('open') && has('location') && facts.shell.length === 0 && strings.some((string) => /^https?:\/\//i.test(string))) this.openers += 1;
    }
    const shellString = strings.some((string) => /(?:^|\/)(?:ba|z|da|k)?sh(?:\s+-i)?$|\/bin\/(?:ba|z|da|k)?sh\b|^cmd(?:\.exe)?$|^powershell/i.test(string));
    const socket =
      has('socket', 'Socket', 'TCPSocket', 'fsockopen', 'stream_socket_client', 'socket_create', 'TCPClient', 'createConnection', 'INET', 'IO') ||
      (strings.includes('net') && has('connect', 'Socket'));
    const shellish = has('dup2', 'pty') || shellString;
    if (socket && shellish) this.add('reverse-shell', 'code-socket-shell', `${language} code wiring a network socket to a shell`, evidence, base);

    // Co-occurrence is enough in a one-liner; a call applied straight to another (`eval(atob(`) is enough anywhere.
    const evaluators = EVALUATORS[language];
    const nested = (inner: readonly string[]) => [...facts.calls].some((call) => {
      const [outer = '', callee = ''] = call.split('(');
      return (evaluators.includes(outer) || (language === 'node' && (outer === 'require' || outer === 'import'))) && inner.includes(callee);
    });
    const url = strings.some((string) => /^[a-z]{2,8}:\/\//i.test(string));
    const fetches =
      has('urlopen', 'urlretrieve', 'requests', 'httpx', 'getstore', 'LWP', 'curl_exec', 'axios') ||
      (url && has('urllib', 'fetch', 'got', 'get', 'file_get_contents', 'http', 'https', 'HTTP', 'URI', 'open')) ||
      nested(['urlopen', 'get', 'fetch', 'file_get_contents']);
    const evaluates = has(...evaluators);
    const decodes =
      has(...DECODERS) ||
      (has('Buffer') && strings.some((string) => string === 'base64' || string === 'hex')) ||
      (has('unpack') && strings.some((string) => /^[mu]\*?0?$/.test(string))) ||
      nested([...DECODERS, 'fromCharCode', 'from']);
    if (fetches && (evaluates || nested(['urlopen', 'get', 'fetch', 'file_get_contents']))) this.add('download-and-run', 'code-fetch-and-eval', `${language} code that downloads code and evaluates it`, evidence, base);
    if (fetches && has('urlretrieve', 'getstore') && (facts.shell.length > 0 || facts.argv.length > 0 || has('chmod', 'startfile'))) {
      this.add('download-and-run', 'code-fetch-and-eval', `${language} code that downloads a file and runs it`, evidence, base);
    }
    if (decodes && (evaluates || nested([...DECODERS, 'fromCharCode', 'from']))) {
      this.add('decode-and-run', 'code-decode-and-eval', `${language} code that decodes a blob and evaluates it`, evidence, base);
      const blob = facts.strings.reduce<{ text: string; start: number } | undefined>((best, string) => (string.text.length >= 16 && (best === undefined || string.text.length > best.text.length) ? string : best), undefined);
      const decoded = blob === undefined ? null : decodeBase64Text(blob.text);
      if (decoded !== null && blob !== undefined) {
        this.showDecoded(decoded);
        this.code(decoded, language, depth + 1, place(blob.start), true);
      }
    }

    const writes = has('write', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'write_text', 'write_bytes', 'writelines', 'file_put_contents', 'fwrite', 'syswrite', 'print') || strings.some((string) => /^(?:[aw]b?\+?|>>?)$/.test(string));
    let secret: string | undefined;
    const hosts: HostSeen[] = [];
    for (const string of facts.strings) {
      const credential = credentialPathOf(string.text);
      if (credential !== null) {
        secret ??= credential.name;
        this.add('credential-read', 'code-credential-path', `${language} code naming ${credential.name}`, string.text, place(string.start));
      }
      const persistence = persistencePathOf(string.text);
      if (persistence !== null && writes) this.add('persistence', 'persistence-path-write', `${language} code writing to ${persistence.name}`, string.text, place(string.start));
      for (const found of urlsIn(string.text)) {
        const host = this.hostSignal(found, string.text, place(string.start));
        if (host !== null) hosts.push(host);
      }
    }
    const destination = worstHost(hosts);
    if (secret !== undefined && destination !== undefined && (destination.kind === 'raw-ip' || destination.kind === 'drop-box')) {
      this.add('exfiltration', 'credential-file-uploaded', `${secret} sent to ${destination.label}`, evidence, base);
    }
  }

  /** AppleScript beyond `do shell script`: admin rights, login items, fake password prompts. */
  private appleScript(ids: ReadonlySet<string>, evidence: string, at: number): void {
    if (ids.has('administrator') && ids.has('privileges')) this.add('privilege', 'elevation', 'AppleScript "with administrator privileges"', evidence, at);
    if (ids.has('login') && ids.has('item') && ids.has('make')) this.add('persistence', 'login-item', 'AppleScript making a login item', evidence, at);
    if (ids.has('dialog') && ids.has('hidden') && ids.has('answer')) this.add('credential-read', 'password-dialog', 'AppleScript dialog asking for a hidden answer (a password prompt)', evidence, at);
  }

  // ------------------------------------------------------------------------------------------------
  // Shell structure.

  private list(list: CommandList, ctx: Ctx): Flow {
    const known = this.listFlows.get(list);
    if (known !== undefined) return known;
    this.listFlows.set(list, {});
    const inner: Ctx = list === ctx.list ? ctx : { ...ctx, list };
    let out: Flow = {};
    for (const pipeline of list.pipelines) out = merge(out, this.pipeline(pipeline, inner));
    const flow = { ...out, from: undefined };
    this.listFlows.set(list, flow);
    return flow;
  }

  private top(ctx: Ctx, offset: number): number {
    return ctx.pinned ? ctx.base : ctx.base + ctx.list.origin + offset;
  }

  private pipeline(pipeline: Pipeline, ctx: Ctx): Flow {
    let current: Flow = {};
    let shell: { name: string; start: number } | undefined;
    for (let i = 0; i < pipeline.stages.length && this.stages <= COMMAND_LIMITS.commands; i++) {
      const stage = pipeline.stages[i]!;
      const result = this.stage(stage, ctx, current);
      const from = current.from ?? pipeline.start;
      const evidence = ctx.list.text.slice(from, stage.end);
      const at = this.top(ctx, from);
      if (i > 0 && result.runsInput !== undefined) {
        const runs = result.runsInput;
        if (current.download !== undefined) this.add('download-and-run', 'download-piped-to-interpreter', `${current.download} … | ${runs}`, evidence, at);
        if (current.socket !== undefined) this.add('reverse-shell', 'shell-piped-through-socket', `${current.socket} … | ${runs}: commands from a remote host run`, evidence, at);
        if (current.decode !== undefined) {
          this.add('decode-and-run', 'decoded-piped-to-interpreter', `${current.decode} | ${runs}`, evidence, at);
          if (current.decoded !== undefined) this.runDecoded(current.decoded, runs, ctx, at);
        }
      }
      if (i > 0 && result.sendsInput !== undefined && current.secret !== undefined) {
        this.exfiltration('secret-piped-to-sender', current.secret, result.sendsInput.host, evidence, at);
      }
      if (result.netClient !== undefined && shell !== undefined) {
        this.add('reverse-shell', 'shell-piped-through-socket', `${shell.name} piped into ${result.netClient}: a shell served to a remote host`, ctx.list.text.slice(shell.start, stage.end), this.top(ctx, shell.start));
      }
      if (result.shell !== undefined) shell = { name: result.shell, start: stage.start };
      current = result.out;
      if (hasFlow(current) && current.from === undefined) current = { ...current, from: stage.start };
    }
    return current;
  }

  /** Decoded constant text that a shell or an interpreter runs: judged as what runs it. */
  private runDecoded(decoded: string, runner: string, ctx: Ctx, at: number): void {
    this.showDecoded(decoded);
    const language = codeLanguage(runner);
    if (language !== null) this.code(decoded, language, ctx.depth + 1, at, true);
    else this.text(decoded, POWERSHELLS.has(runner) || runner === 'iex' || runner === 'invoke-expression' ? 'powershell' : 'sh', ctx.depth + 1, at, true);
  }

  private stage(stage: Stage, ctx: Ctx, input: Flow): StageResult {
    if (stage.kind === 'simple') return this.simple(stage, ctx, input);
    const out = merge(input, this.list(stage.list, ctx));
    const evidence = ctx.list.text.slice(stage.start, stage.end);
    return { out: this.redirects(stage.redirects, out, null, ctx, evidence, this.top(ctx, stage.start)) };
  }

  /** What the substitutions in a word produce, with PowerShell's member calls and the variables it names. */
  private wordFlow(word: Word, ctx: Ctx): Flow {
    let flow: Flow = {};
    for (const sub of word.subs) flow = merge(flow, this.list(sub.list, ctx));
    for (const name of variablesIn(word.text)) {
      const known = this.vars.get(name.toLowerCase());
      if (known !== undefined) flow = merge(flow, known);
      else if (isSecretName(name)) flow = merge(flow, { secret: `$${name}` });
    }
    if (ctx.dialect === 'powershell') {
      const lower = word.text.toLowerCase();
      if (lower.includes('.downloadstring') || lower.includes('.downloaddata')) flow = merge(flow, { download: 'DownloadString' });
      if (lower.includes('frombase64string')) flow = merge(flow, { decode: 'FromBase64String', decoded: this.psBase64(word) });
      if (lower.includes('getenvironmentvariables') || /^env:\\?\*?$/.test(lower)) flow = merge(flow, { secret: 'the environment' });
    }
    return { ...flow, from: undefined };
  }

  /** The constant that `[Convert]::FromBase64String('…')` decodes, as text. */
  private psBase64(word: Word): string | undefined {
    const lower = word.text.toLowerCase();
    const at = lower.indexOf('frombase64string');
    const sub = word.subs.find((candidate) => candidate.at > at);
    const literal = sub?.list.pipelines[0]?.stages[0];
    if (literal === undefined || literal.kind !== 'simple') return undefined;
    const text = literal.words[0]?.text;
    if (text === undefined) return undefined;
    return decodeBase64Text(text, lower.slice(0, at).includes('unicode')) ?? undefined;
  }

  private simple(stage: SimpleCommand, ctx: Ctx, input: Flow): StageResult {
    this.stages += 1;
    const evidence = ctx.list.text.slice(stage.start, stage.end);
    const at = this.top(ctx, stage.start);
    for (const assign of stage.assigns) this.assignment(assign, ctx, evidence, at, stage.words.length === 0);
    const reverse = this.devTcp(stage, evidence, at);
    let i = 0;
    let called = false;
    // Shell keywords and programs that run the rest of the line.
    while (i < stage.words.length) {
      const word = stage.words[i]!;
      const name = programName(word.text);
      if (KEYWORDS.has(name) && !word.quoted) {
        i += 1;
        continue;
      }
      if (name === 'env' && stage.words.length === i + 1) break;
      const wrapper = Object.hasOwn(WRAPPERS, name) && !(ctx.dialect === 'powershell' && name === 'call') ? WRAPPERS[name]! : undefined;
      if (ctx.dialect === 'powershell' && word.text === '&' && !word.quoted && i + 1 < stage.words.length) {
        // The call operator: what follows is run, even a variable or a string.
        called = true;
        i += 1;
        continue;
      }
      if (wrapper === undefined) break;
      this.program(name);
      const next = skipOptions(stage.words, i + 1, wrapper.values, wrapper.operands ?? 0, name === 'env');
      if (wrapper.elevates) this.elevation(name, stage.words.slice(i + 1, next), evidence, at);
      i = next;
    }
    const words = stage.words.slice(i);
    if (words.length === 0 || NOT_PROGRAMS.has(programName(words[0]!.text)) || (ctx.dialect === 'powershell' && PS_KEYWORDS.has(words[0]!.text.toLowerCase()))) {
      for (const word of stage.words) this.wordFlow(word, ctx);
      return { out: this.redirects(stage.redirects, input, null, ctx, evidence, at) };
    }
    const program = words[0]!;
    if (ctx.dialect === 'powershell' && !called && isExpression(program)) return this.expression(stage, words, ctx, input, evidence, at);
    const cmd: Cmd = { stage, name: programName(program.text), program, args: words.slice(1), texts: words.slice(1).map((word) => word.text), ctx, input, evidence, at };
    const result = this.command(cmd);
    if (reverse !== null) result.shell = undefined;
    result.out = this.redirects(stage.redirects, result.out, cmd, ctx, evidence, at);
    return result;
  }

  /** `NAME=value`: remembers what a substitution in it produced; `HISTFILE=/dev/null` hides the shell's history. */
  private assignment(word: Word, ctx: Ctx, evidence: string, at: number, alone: boolean): void {
    const equals = word.text.indexOf('=');
    const name = word.text.slice(0, equals).replace(/\+$/, '');
    const value = word.text.slice(equals + 1);
    const flow = this.wordFlow(word, ctx);
    if (alone) this.vars.set(name.toLowerCase(), flow);
    if ((/^HISTFILE$/.test(name) && /^\/dev\/null$/.test(value)) || (/^(?:HISTSIZE|HISTFILESIZE|SAVEHIST)$/.test(name) && value === '0')) {
      this.add('defence-evasion', 'history-tampering', `${name}=${value}: the shell's history is not kept`, evidence, at);
    }
    if (LIBRARY_INJECTION.test(name) && value !== '') this.libraryInjected(`${name}=${value}`, evidence, at);
  }

  /** `LD_PRELOAD=/tmp/x.so prog`, `export DYLD_INSERT_LIBRARIES=…`: a library loaded into the programs started. */
  private libraryInjected(text: string, evidence: string, at: number): void {
    this.add('defence-evasion', 'library-injection', `${clip(text, 80)}: a library loaded into every program started with it`, evidence, at);
  }

  /** PowerShell statements that are expressions: `$x = (iwr …).Content`, `(New-Object Net.WebClient).DownloadString(…)`. */
  private expression(stage: SimpleCommand, words: Word[], ctx: Ctx, input: Flow, evidence: string, at: number): StageResult {
    const first = words[0]!;
    const assigned = /^\$([\w:]{1,64})\s*=?$/.exec(first.text);
    const assignment = assigned !== null && (first.text.endsWith('=') || words[1]?.text === '=');
    const rest = assignment ? words.slice(first.text.endsWith('=') ? 1 : 2) : words;
    let flow: Flow = {};
    if (assignment && rest.length > 0 && !isExpression(rest[0]!)) {
      const inner: SimpleCommand = { ...stage, words: rest, assigns: [], redirects: [] };
      flow = this.simple(inner, ctx, {}).out;
    } else {
      for (const word of rest) {
        flow = merge(flow, this.wordFlow(word, ctx));
        this.hosts(word.text, evidence, at);
        this.memberCalls(word, ctx, evidence, at);
      }
    }
    if (assignment) this.vars.set(assigned[1]!.toLowerCase(), { ...flow, from: undefined });
    return { out: this.redirects(stage.redirects, merge(input, flow), null, ctx, evidence, at) };
  }

  /** PowerShell member calls that download to a file, upload, or build code from text. */
  private memberCalls(word: Word, ctx: Ctx, evidence: string, at: number): void {
    const lower = word.text.toLowerCase();
    const argsAfter = (marker: string): string[] => {
      const index = lower.indexOf(marker);
      const sub = word.subs.find((candidate) => candidate.at > index);
      const stage = sub?.list.pipelines[0]?.stages[0];
      return stage?.kind === 'simple' ? stage.words.map((arg) => arg.text) : [];
    };
    if (lower.includes('.downloadfile')) {
      const [url, file] = argsAfter('.downloadfile');
      if (file !== undefined) this.files.set(fileKey(file), { kind: 'download', by: 'WebClient.DownloadFile' });
      if (url !== undefined) this.hosts(url, evidence, at);
    }
    for (const marker of ['.uploadfile', '.uploadstring', '.uploaddata', '.uploadvalues']) {
      if (!lower.includes(marker)) continue;
      const [url, data] = argsAfter(marker);
      const host = url === undefined ? undefined : (hostOfUrlSeen(url) ?? undefined);
      const secret = data === undefined ? undefined : (credentialPathOf(data)?.name ?? this.tainted.get(fileKey(data)));
      if (secret !== undefined) this.exfiltration('credential-file-uploaded', secret, host, evidence, at);
    }
    if (lower.includes('[scriptblock]::create')) {
      const flow = this.wordFlow(word, ctx);
      this.evaluated(flow, 'ScriptBlock::Create', evidence, at);
    }
    if (lower.includes('net.sockets.tcpclient') || lower.includes('sockets.tcpclient')) this.vars.set('@tcpclient', { socket: 'TCPClient' });
  }

  // ------------------------------------------------------------------------------------------------
  // One command, after its wrappers.

  private command(c: Cmd): StageResult {
    const { name, program, ctx } = c;
    // The program itself is produced by a substitution or a variable: `$(curl …)`, `$payload`.
    if (!ctx.quiet && (program.subs.length > 0 || program.text.includes('$'))) {
      const flow = this.wordFlow(program, ctx);
      this.evaluated(flow, `${program.text.slice(0, 40)} run as a command`, c.evidence, c.at);
    }
    const known = this.fetched(program.text);
    if (known !== undefined) this.fileRun(known, program.text, c);
    if (/^\\\\[^\\]/.test(program.text)) {
      this.hosts(program.text, c.evidence, c.at);
      this.add('download-and-run', 'remote-code-host', `program run from the network share ${program.text.split('\\')[2] ?? ''}`, c.evidence, c.at);
    }
    if (!/^[$`]/.test(program.text)) this.program(name);
    if (/\.(?:sh|bash|zsh|command|ps1|psm1|bat|cmd|py|js|mjs|cjs|rb|pl|php|applescript|scpt)$/i.test(program.text)) this.script(program.text);

    const interpreted = this.interpreter(c);
    if (interpreted !== null) return interpreted;
    this.leaves += 1;
    if (!PRINTERS.has(name)) for (const arg of c.args) this.hosts(arg.text, c.evidence, c.at);
    for (const arg of c.args) if (arg.subs.length > 0) this.secretInRequest(c, arg);
    return this.catalogue(c);
  }

  /** Interpreters and evaluators: judges the code they run; null for any other program. */
  private interpreter(c: Cmd): StageResult | null {
    const { name } = c;
    if (SHELLS.has(name)) return this.shell(c);
    if (name === 'cmd') return this.cmd(c);
    if (POWERSHELLS.has(name)) return this.powershell(c);
    if (name === 'osascript') return this.osascript(c);
    const language = codeLanguage(name);
    if (language !== null) return this.interpreterCode(c, language);
    switch (name) {
      case 'eval':
        return this.evaluate(c, c.args, 'eval', c.ctx.dialect);
      case 'source':
      case '.':
        return this.source(c);
      case 'iex':
      case 'invoke-expression':
        return c.args.length === 0 ? { out: {}, runsInput: name } : this.evaluate(c, c.args.slice(0, 1), name, 'powershell');
      case 'su':
      case 'runas':
        return this.su(c);
      case 'start':
      case 'start-process':
      case 'saps':
        return this.start(c);
      case 'find':
        return this.findExec(c);
      case 'wsl':
        return this.forward(c, c.args[0]?.text === '-e' || c.args[0]?.text === '--exec' ? c.args.slice(1) : c.args, 'sh');
      case 'uv':
        return c.args[0]?.text === 'run' ? this.uvRun(c) : null;
      default:
        return null;
    }
  }

  /** Runs an argument list of this command as a command of its own, one level deeper. */
  private forward(c: Cmd, words: readonly Word[], dialect: ShellDialect): StageResult {
    if (words.length === 0) return { out: {} };
    if (c.ctx.depth + 1 > COMMAND_LIMITS.depth) {
      this.add('opaque', 'nesting-too-deep', `interpreters nested more than ${COMMAND_LIMITS.depth} deep: the innermost command was not judged`, c.evidence, c.at);
      return { out: {} };
    }
    const stage: SimpleCommand = { ...c.stage, words: [...words], assigns: [], redirects: [] };
    return this.simple(stage, { ...c.ctx, depth: c.ctx.depth + 1, dialect }, c.input);
  }

  /** Code in a word, judged one level deeper; what its substitutions produce is judged here, as run. */
  private codeWord(c: Cmd, word: Word, dialect: ShellDialect, runner: string): void {
    const flow = this.wordFlow(word, c.ctx);
    const judged = hasFlow(flow);
    if (judged) this.evaluated(flow, `${runner} "$(…)"`, c.evidence, c.at);
    this.text(word.text, dialect, c.ctx.depth + 1, this.top(c.ctx, word.start + (word.quoted ? 1 : 0)), c.ctx.pinned, judged);
  }

  /** Downloaded, decoded or remote text run as code (`eval "$(curl …)"`, `iex (iwr …)`, `bash <(wget …)`). */
  private evaluated(flow: Flow, how: string, evidence: string, at: number): void {
    if (flow.download !== undefined) this.add('download-and-run', 'download-substituted-into-interpreter', how.replace('…', `${flow.download} …`), evidence, at);
    if (flow.decode !== undefined) this.add('decode-and-run', 'decoded-substituted-into-interpreter', how.replace('…', `${flow.decode} …`), evidence, at);
    if (flow.socket !== undefined) this.add('reverse-shell', 'shell-piped-through-socket', `${how}: commands from a remote host run`, evidence, at);
  }

  private shell(c: Cmd): StageResult {
    const { args } = c;
    let codeMode = false;
    let stdin = false;
    let i = 0;
    for (; i < args.length; i++) {
      const text = args[i]!.text;
      if (text === '--') {
        i += 1;
        break;
      }
      if (text === '-') {
        stdin = true;
        i += 1;
        break;
      }
      if (text.startsWith('--')) {
        if (text === '--rcfile' || text === '--init-file') i += 1;
        continue;
      }
      if (/^[-+][A-Za-z]{1,20}$/.test(text)) {
        if (text[0] === '-' && text.includes('c')) codeMode = true;
        if (text[0] === '-' && text.includes('s')) stdin = true;
        if (/[oO]/.test(text.slice(1))) i += 1;
        continue;
      }
      break;
    }
    const operand = args[i];
    if (codeMode && operand !== undefined) {
      this.codeWord(c, operand, 'sh', `${c.name} -c`);
      return { out: {} };
    }
    if (!stdin && operand !== undefined && operand.text !== '/dev/stdin') {
      this.scriptOperand(c, operand);
      return { out: {} };
    }
    this.leaves += 1;
    return { out: {}, runsInput: c.name, shell: c.name };
  }

  /** The script an interpreter runs: a process substitution (`bash <(curl …)`) is code; a path is a script. */
  private scriptOperand(c: Cmd, operand: Word): void {
    if (operand.subs.some((sub) => sub.kind === 'process' || sub.kind === 'command')) {
      this.evaluated(this.wordFlow(operand, c.ctx), `${c.name} <(…)`, c.evidence, c.at);
      // `. "$(dirname "$0")/lib/env.sh"`: a script file in a folder a substitution computes.
      if (operand.subs.every((sub) => sub.kind === 'command') && SCRIPT_IN_COMPUTED_FOLDER.test(operand.text.slice(-300))) this.script(operand.text);
      return;
    }
    if (/^https?:\/\//i.test(operand.text)) {
      this.hosts(operand.text, c.evidence, c.at);
      this.add('download-and-run', 'remote-code-host', `${c.name} runs a script from a URL`, c.evidence, c.at);
      return;
    }
    this.script(operand.text);
    const known = this.fetched(operand.text);
    if (known !== undefined) this.fileRun(known, operand.text, c);
  }

  private cmd(c: Cmd): StageResult {
    const index = c.args.findIndex((arg) => /^\/[ck]/i.test(arg.text));
    if (index === -1) {
      this.leaves += 1;
      return { out: {}, runsInput: 'cmd' };
    }
    const flag = c.args[index]!;
    const words = [flag.text.slice(2), ...c.args.slice(index + 1).map((arg) => arg.text)].filter((text) => text !== '');
    const joined = words.join(' ');
    const text = /^"(.*)"$/s.test(joined) ? joined.slice(1, -1) : joined;
    const flow = c.args.slice(index).reduce<Flow>((all, arg) => merge(all, this.wordFlow(arg, c.ctx)), {});
    if (hasFlow(flow)) this.evaluated(flow, 'cmd /c "…"', c.evidence, c.at);
    this.text(text, 'batch', c.ctx.depth + 1, this.top(c.ctx, flag.start), c.ctx.pinned, hasFlow(flow));
    return { out: {} };
  }

  private powershell(c: Cmd): StageResult {
    const { args } = c;
    for (let i = 0; i < args.length; i++) {
      const word = args[i]!;
      const flag = /^[-\u2013\u2014\u2015/]([A-Za-z]{1,30})$/.exec(word.text)?.[1]?.toLowerCase();
      if (flag === undefined) {
        // A bare word: a script in pwsh, a command in Windows PowerShell.
        if (/\.ps1$/i.test(word.text)) this.scriptOperand(c, word);
        else this.psCode(c, args.slice(i), word);
        return { out: {} };
      }
      if (flag === 'ec' || (flag.startsWith('e') && 'encodedcommand'.startsWith(flag))) {
        const encoded = args[i + 1];
        if (encoded === undefined) return { out: {} };
        const decoded = decodeBase64Text(encoded.text, true);
        if (decoded === null) {
          this.add('opaque', 'undecodable', 'powershell -EncodedCommand that does not decode to text', c.evidence, c.at);
          return { out: {} };
        }
        this.showDecoded(decoded);
        this.text(decoded, 'powershell', c.ctx.depth + 1, this.top(c.ctx, encoded.start), true);
        return { out: {} };
      }
      if ('command'.startsWith(flag)) {
        const rest = args.slice(i + 1);
        if (rest.length === 0 || rest[0]!.text === '-') {
          this.leaves += 1;
          return { out: {}, runsInput: c.name };
        }
        this.psCode(c, rest, rest[0]!);
        return { out: {} };
      }
      if ('file'.startsWith(flag)) {
        const script = args[i + 1];
        if (script !== undefined) this.scriptOperand(c, script);
        return { out: {} };
      }
      if (/^(?:executionpolicy|ex|ep|windowstyle|w|version|v|psconsolefile|inputformat|outputformat|of|configurationname|workingdirectory|wd|settingsfile|custompipename|encodedarguments|ea)$/.test(flag)) i += 1;
    }
    this.leaves += 1;
    return { out: {}, runsInput: c.name };
  }

  private psCode(c: Cmd, words: readonly Word[], first: Word): void {
    const joined = words.map((word) => word.text).join(' ');
    const block = /^\{(.*)\}$/s.exec(joined.trim());
    const flow = words.reduce<Flow>((all, word) => merge(all, this.wordFlow(word, c.ctx)), {});
    if (hasFlow(flow)) this.evaluated(flow, 'powershell -Command "…"', c.evidence, c.at);
    this.text(block?.[1] ?? joined, 'powershell', c.ctx.depth + 1, this.top(c.ctx, first.start), c.ctx.pinned, hasFlow(flow));
  }

  private osascript(c: Cmd): StageResult {
    const lines: string[] = [];
    let language: CodeLanguage = 'applescript';
    let first: Word | undefined;
    for (let i = 0; i < c.args.length; i++) {
      const text = c.args[i]!.text;
      if (text === '-e' && i + 1 < c.args.length) {
        first ??= c.args[i + 1];
        lines.push(c.args[++i]!.text);
      } else if (text === '-l' && i + 1 < c.args.length) {
        language = /^javascript$/i.test(c.args[++i]!.text) ? 'node' : 'applescript';
      } else if (text === '-s' || text === '-i') {
        if (text === '-s') i += 1;
      } else if (!text.startsWith('-') && lines.length === 0) {
        this.scriptOperand(c, c.args[i]!);
        return { out: {} };
      }
    }
    if (lines.length === 0) {
      this.leaves += 1;
      return { out: {}, runsInput: 'osascript' };
    }
    this.code(lines.join('\n'), language, c.ctx.depth + 1, this.top(c.ctx, first?.start ?? c.stage.start), c.ctx.pinned);
    return { out: {} };
  }

  /** `python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, or a script file, or code on standard input. */
  private interpreterCode(c: Cmd, language: CodeLanguage): StageResult {
    const flags = CODE_FLAGS[language];
    const code: Word[] = [];
    const texts: string[] = [];
    for (let i = 0; i < c.args.length; i++) {
      const word = c.args[i]!;
      const text = word.text;
      if (language === 'node' && (text === 'eval' || text === 'run') && i === 0 && c.name === 'deno') {
        if (text === 'eval' && c.args[1] !== undefined) {
          code.push(c.args[1]);
          texts.push(c.args[1].text);
        }
        break;
      }
      if (text === '-' || text === '--') break;
      const long = /^--(eval|print)(?:=(.*))?$/s.exec(text);
      if (long !== null && language === 'node') {
        const value = long[2] ?? c.args[++i]?.text;
        if (value !== undefined) {
          code.push(word);
          texts.push(value);
        }
        continue;
      }
      if (text.startsWith('--')) {
        if (/^--(?:require|import|input-type|loader)$/.test(text)) i += 1;
        continue;
      }
      if (text.startsWith('-') && text.length > 1) {
        const letters = text.slice(1);
        for (let at = 0; at < letters.length; at++) {
          const letter = letters[at]!;
          if (flags.code.includes(letter)) {
            const rest = letters.slice(at + 1);
            const value = rest !== '' ? rest : c.args[++i]?.text;
            if (value !== undefined) {
              code.push(rest !== '' ? word : c.args[i]!);
              texts.push(value);
            }
            break;
          }
          if (flags.values.includes(letter)) {
            if (at === letters.length - 1) i += 1;
            break;
          }
          if (flags.stop.includes(letter)) {
            this.leaves += 1;
            return { out: {} };
          }
        }
        continue;
      }
      if (texts.length === 0) {
        this.scriptOperand(c, word);
        return { out: {} };
      }
      break;
    }
    if (texts.length === 0) {
      this.leaves += 1;
      return { out: {}, runsInput: c.name };
    }
    const flow = code.reduce<Flow>((all, word) => merge(all, this.wordFlow(word, c.ctx)), {});
    if (hasFlow(flow)) this.evaluated(flow, `${c.name} -e "$(…)"`, c.evidence, c.at);
    this.code(texts.join('\n'), language, c.ctx.depth + 1, this.top(c.ctx, code[0]!.start + (code[0]!.quoted ? 1 : 0)), c.ctx.pinned);
    return { out: {} };
  }

  /** `eval …` and `iex …`: their arguments are code. */
  private evaluate(c: Cmd, words: readonly Word[], runner: string, dialect: ShellDialect): StageResult {
    if (words.length === 0) return { out: {} };
    const flow = words.reduce<Flow>((all, word) => merge(all, this.wordFlow(word, c.ctx)), {});
    const judged = hasFlow(flow);
    if (judged) this.evaluated(flow, dialect === 'powershell' ? `${runner} (…)` : `${runner} "$(…)"`, c.evidence, c.at);
    const first = words[0]!;
    const text = words.map((word) => word.text).join(' ');
    // A word that is only a substitution or a variable was judged above; its text is not code.
    if (!(words.length === 1 && (first.subs.length > 0 && first.text.startsWith('(') || /^\$[\w:]+$/.test(first.text)))) {
      this.text(text, dialect, c.ctx.depth + 1, this.top(c.ctx, first.start + (first.quoted ? 1 : 0)), c.ctx.pinned, judged);
    }
    return { out: {} };
  }

  private source(c: Cmd): StageResult {
    const operand = c.args[0];
    if (operand === undefined || operand.text === '/dev/stdin' || operand.text === '-') {
      this.leaves += 1;
      return { out: {}, runsInput: c.name };
    }
    this.scriptOperand(c, operand);
    return { out: {} };
  }

  /** `su -c CMD`, `runas /user:x "cmd"`: admin rights, and the command. */
  private su(c: Cmd): StageResult {
    this.elevation(c.name, c.args, c.evidence, c.at);
    const flag = c.args.findIndex((arg) => arg.text === '-c' || arg.text === '--command');
    const command = c.name === 'su' ? (flag === -1 ? undefined : c.args[flag + 1]) : c.args.filter((arg) => !arg.text.startsWith('/')).at(-1);
    if (command !== undefined) this.codeWord(c, command, c.name === 'su' ? 'sh' : 'batch', c.name);
    else this.leaves += 1;
    return { out: {} };
  }

  /** cmd's `start`, PowerShell's `Start-Process`: opens a URL or runs a program. */
  private start(c: Cmd): StageResult {
    let target: Word | undefined;
    let rest: Word[] = [];
    if (c.name === 'start' && c.ctx.dialect !== 'powershell') {
      let i = 0;
      if (c.args[0]?.quoted && c.args.length > 1) i = 1;
      while (i < c.args.length && /^\/[a-z]/i.test(c.args[i]!.text)) i += /^\/d$/i.test(c.args[i]!.text) ? 2 : 1;
      target = c.args[i];
      rest = c.args.slice(i + 1);
    } else {
      const { named, positional } = psParameters(c.args, ['filepath:', 'argumentlist:', 'verb:', 'windowstyle:', 'workingdirectory:', 'wait', 'nonewwindow', 'passthru']);
      target = named.get('filepath') ?? positional[0] ?? undefined;
      const list = named.get('argumentlist');
      rest = list ? [list] : positional.slice(1);
      if (/^runas$/i.test(named.get('verb')?.text ?? '')) this.elevation('Start-Process -Verb RunAs', [], c.evidence, c.at);
    }
    if (target === undefined) {
      this.leaves += 1;
      return { out: {} };
    }
    if (/^https?:\/\//i.test(target.text)) {
      this.leaves += 1;
      this.openers += 1;
      this.hosts(target.text, c.evidence, c.at);
      return { out: {} };
    }
    const known = this.fetched(target.text);
    if (known !== undefined) this.fileRun(known, target.text, c);
    return this.forward(c, [target, ...rest], c.ctx.dialect);
  }

  /** `find … -exec CMD {} ;`: the command runs once per file found. */
  private findExec(c: Cmd): StageResult {
    const index = c.args.findIndex((arg) => /^-(?:exec|execdir|ok|okdir)$/.test(arg.text));
    this.leaves += 1;
    for (const arg of c.args.slice(0, index === -1 ? undefined : index)) {
      const credential = credentialPathOf(arg.text);
      if (credential !== null && index !== -1) this.vars.set('{}', { secret: credential.name });
    }
    if (index === -1) return { out: {} };
    const end = c.args.findIndex((arg, at) => at > index && (arg.text === ';' || arg.text === '+'));
    const result = this.forward(c, c.args.slice(index + 1, end === -1 ? undefined : end), c.ctx.dialect);
    this.vars.delete('{}');
    return result;
  }

  /** `uv run server.py`: the script is Python. */
  private uvRun(c: Cmd): StageResult {
    this.leaves += 1;
    const operand = c.args.slice(1).find((arg) => !arg.text.startsWith('-'));
    if (operand !== undefined && /\.py$/i.test(operand.text)) this.script(operand.text);
    return { out: {} };
  }

  private elevation(name: string, args: readonly Word[], evidence: string, at: number): void {
    const stdin = name === 'sudo' && args.some((arg) => /^-[A-Za-z]*S/.test(arg.text));
    if (stdin) this.add('privilege', 'elevation', 'sudo -S: the admin password comes from the script', evidence, at, 'high');
    else this.add('privilege', 'elevation', `${name}: runs with administrator rights`, evidence, at);
  }

  /** The fetched or decoded file a path names, if any. */
  private fetched(path: string): FetchedFile | undefined {
    return this.files.size === 0 ? undefined : this.files.get(fileKey(path));
  }

  private fileRun(known: FetchedFile, path: string, c: Cmd, how = 'run'): void {
    if (known.reported) return;
    known.reported = true;
    if (known.kind === 'download') this.add('download-and-run', 'downloaded-file-run', `file fetched by ${known.by} and ${how} (${clip(path, 60)})`, c.evidence, c.at);
    else this.add('decode-and-run', 'decoded-file-run', `file decoded by ${known.by} and ${how} (${clip(path, 60)})`, c.evidence, c.at);
  }

  // ------------------------------------------------------------------------------------------------
  // Hosts, redirections, files.

  /** Signals for the hosts of the URLs in a word; returns the worst host seen. */
  private hosts(text: string, evidence: string, at: number): HostSeen | undefined {
    const seen: HostSeen[] = [];
    for (const url of urlsIn(text)) {
      const host = this.hostSignal(url, evidence, at);
      if (host !== null) seen.push(host);
    }
    const unc = /^\\\\([^\\/@]{1,253})[\\@]/.exec(text);
    if (unc !== null) {
      const host = hostSeen(unc[1]!);
      if (host !== null) {
        this.hostKindSignal(host, evidence, at);
        seen.push(host);
      }
    }
    return worstHost(seen);
  }

  private hostSignal(url: string, evidence: string, at: number): HostSeen | null {
    const host = hostOfUrlSeen(url);
    if (host !== null) this.hostKindSignal(host, evidence, at, url);
    if (/^file:\/\//i.test(url)) {
      const credential = credentialPathOf(url.slice(7));
      if (credential !== null) this.add('credential-read', 'credential-file-read', `${credential.name} read through a file: URL`, evidence, at);
    }
    return host;
  }

  private hostKindSignal(host: HostSeen, evidence: string, at: number, url?: string): void {
    if (host.kind === 'raw-ip') this.add('raw-ip-host', 'raw-ip-host', `raw IP address ${host.host}`, evidence, at);
    else if (host.kind === 'drop-box') this.add('drop-box-host', 'drop-box-host', host.label, evidence, at);
    else if (host.kind === 'metadata' && url !== undefined) this.add('credential-read', 'cloud-metadata', `cloud metadata service (${host.host}): instance credentials`, evidence, at);
  }

  /** A host operand of a network client (`nc 1.2.3.4 80`, `user@host:path`), with its signal. */
  private bareHostSignal(text: string, evidence: string, at: number): HostSeen | undefined {
    const host = bareHost(text);
    if (host === null) return undefined;
    this.hostKindSignal(host, evidence, at);
    return host;
  }

  /** `/dev/tcp/HOST/PORT` in redirections: a reverse shell when a shell's input or both directions go there. */
  private devTcp(stage: SimpleCommand, evidence: string, at: number): string | null {
    const sockets = stage.redirects.filter((redirect) => redirect.target !== null && /^\/dev\/(?:tcp|udp)\//.test(redirect.target.text));
    if (sockets.length === 0) return null;
    const target = sockets[0]!.target!.text;
    const [, , , host = ''] = target.split('/');
    this.bareHostSignal(host, evidence, at);
    const firstProgram = stage.words.map((word) => programName(word.text)).find((name) => !KEYWORDS.has(name) && !Object.hasOwn(WRAPPERS, name));
    const shell = firstProgram === undefined || SHELLS.has(firstProgram) || codeLanguage(firstProgram) !== null;
    const both = sockets.some((redirect) => redirect.op === '<>');
    const input = sockets.some((redirect) => redirect.op === '<' || redirect.op === '<&') && firstProgram !== undefined && shell;
    const output = sockets.some((redirect) => redirect.op.includes('>'));
    const dup = stage.redirects.some((redirect) => (redirect.fd === '0' && (redirect.op === '>&' || redirect.op === '<&')) || (redirect.op === '<&' && redirect.fd === ''));
    const interactive = stage.words.some((word) => /^-[A-Za-z]*i[A-Za-z]*$/.test(word.text));
    if (both || input || (output && shell && (dup || interactive))) {
      this.add('reverse-shell', 'dev-tcp-shell', `reverse shell via ${target}`, evidence, at);
      return target;
    }
    return null;
  }

  /**
   * Redirections: what the command writes to a file (persistence, a disk, sudoers, a file later run
   * or uploaded), what it reads (`< ~/.ssh/id_rsa`), and what it sends to `/dev/tcp`. Returns what
   * is left on standard output.
   */
  private redirects(redirects: readonly Redirect[], out: Flow, c: Cmd | null, ctx: Ctx, evidence: string, at: number): Flow {
    let flow = out;
    for (const redirect of redirects) {
      const target = redirect.target?.text;
      if (redirect.heredoc !== undefined && c !== null) this.heredoc(redirect.heredoc, c);
      if (target === undefined || /^\d$|^-$/.test(target)) continue;
      if (redirect.op === '<' || redirect.op === '<<<') {
        if (redirect.op === '<<<' && c !== null) {
          flow = merge(flow, this.wordFlow(redirect.target!, ctx));
          flow = merge(flow, { constant: target });
          continue;
        }
        const credential = credentialPathOf(target);
        if (credential !== null) {
          this.add('credential-read', 'credential-file-read', `${credential.name} read (< ${clip(target, 60)})`, evidence, at);
          flow = merge(flow, { secret: credential.name });
        }
        const tainted = this.tainted.size === 0 ? undefined : this.tainted.get(fileKey(target));
        if (tainted !== undefined) flow = merge(flow, { secret: tainted });
        const known = this.fetched(target);
        if (known !== undefined && c !== null && (SHELLS.has(c.name) || codeLanguage(c.name) !== null)) this.fileRun(known, target, c);
        continue;
      }
      if (!redirect.op.includes('>')) continue;
      if (/^\/dev\/(?:tcp|udp)\//.test(target)) {
        if (flow.secret !== undefined) this.exfiltration('secret-piped-to-sender', flow.secret, bareHost(target.split('/')[3] ?? '') ?? undefined, evidence, at);
        continue;
      }
      this.written(target, evidence, at, redirect.op === '>>' ? 'appended to' : 'written');
      if (/^\/dev\/(?:null|stdout|stderr|tty)$/.test(target) || redirect.fd === '2') continue;
      this.capture(target, flow);
      flow = {};
    }
    return flow;
  }

  /** A here-document: code for the interpreter that reads it, data for anything else. */
  private heredoc(heredoc: { body: string; start: number }, c: Cmd): void {
    const language = codeLanguage(c.name);
    const base = this.top(c.ctx, heredoc.start);
    if (SHELLS.has(c.name)) this.text(heredoc.body, 'sh', c.ctx.depth + 1, base, c.ctx.pinned);
    else if (POWERSHELLS.has(c.name)) this.text(heredoc.body, 'powershell', c.ctx.depth + 1, base, c.ctx.pinned);
    else if (c.name === 'osascript') this.code(heredoc.body, 'applescript', c.ctx.depth + 1, base, c.ctx.pinned);
    else if (language !== null) this.code(heredoc.body, language, c.ctx.depth + 1, base, c.ctx.pinned);
    else if (c.name === 'crontab') this.add('persistence', 'crontab-install', 'crontab installed from a here-document', c.evidence, c.at);
    // Anything else reads it as data (`cat <<EOF > ~/Library/LaunchAgents/x.plist`: the write is judged as a write).
  }

  /** A file the command writes: persistence locations, disks, sudoers. */
  private written(target: string, evidence: string, at: number, how: string): void {
    const persistence = persistencePathOf(target);
    if (persistence !== null) this.add('persistence', 'persistence-path-write', `${persistence.name} ${how} (${clip(target, 60)})`, evidence, at);
    else if (/^\$profile\b/i.test(target)) this.add('persistence', 'persistence-path-write', `PowerShell profile ${how} ($PROFILE)`, evidence, at);
    if (/^\/dev\/(?:[sh]d[a-z]|nvme\d|disk\d|mmcblk\d|xvd[a-z]|vd[a-z])/.test(target)) this.add('destructive', 'disk-overwrite', `raw disk ${clip(target, 40)} overwritten`, evidence, at);
    if (/^\/etc\/sudoers(?:\.d\/|$)/.test(target)) this.add('privilege', 'setuid-or-sudoers', `sudoers ${how}: lasting administrator rights`, evidence, at, 'high');
  }

  /** Output that lands in a file: a later run of that file runs the download; a later upload sends the secret. */
  private capture(target: string, flow: Flow): void {
    const key = fileKey(target);
    if (flow.download !== undefined) this.files.set(key, { kind: 'download', by: flow.download });
    else if (flow.decode !== undefined) this.files.set(key, { kind: 'decode', by: flow.decode });
    if (flow.secret !== undefined) this.tainted.set(key, flow.secret);
  }

  private exfiltration(entry: string, secret: string, host: HostSeen | undefined, evidence: string, at: number): void {
    const to = host === undefined ? 'a host the text does not name' : host.label;
    const severe = host !== undefined && (host.kind === 'raw-ip' || host.kind === 'drop-box');
    this.add('exfiltration', entry, `${secret} sent to ${to}`, evidence, at, severe ? 'critical' : 'high');
  }

  /** A request whose arguments carry what a substitution produced (`curl -d "$(cat ~/.ssh/id_rsa)" …`). */
  private secretInRequest(c: Cmd, arg: Word): void {
    if (!NETWORK_SENDERS.has(c.name)) return;
    const flow = this.wordFlow(arg, c.ctx);
    if (flow.secret === undefined) return;
    const host = worstHost(c.texts.flatMap((text) => urlsIn(text).map(hostOfUrlSeen).filter((seen): seen is HostSeen => seen !== null))) ?? bareHost(c.texts.find((text) => bareHost(text) !== null) ?? '') ?? undefined;
    this.exfiltration('secret-in-request', flow.secret, host, c.evidence, c.at);
  }

  // ------------------------------------------------------------------------------------------------
  // The catalogue of programs.

  private catalogue(c: Cmd): StageResult {
    const { name, texts, ctx } = c;
    const lower = texts.map((text) => text.toLowerCase());
    const result: StageResult = { out: merge(c.input, {}) };
    const read = (reader: boolean) => this.reads(c, reader, result);
    switch (name) {
      case 'curl':
      case 'wget':
        if (ctx.dialect === 'powershell') return this.psWeb(c);
        return this.downloader(c);
      case 'iwr':
      case 'irm':
      case 'invoke-webrequest':
      case 'invoke-restmethod':
        return this.psWeb(c);
      case 'start-bitstransfer': {
        const { named, positional } = psParameters(c.args, ['source:', 'destination:']);
        const destination = named.get('destination') ?? positional[1];
        if (destination) this.files.set(fileKey(destination.text), { kind: 'download', by: 'Start-BitsTransfer' });
        return result;
      }
      case 'certutil':
        return this.certutil(c, lower);
      case 'bitsadmin': {
        if (!lower.some((text) => text === '/transfer' || text === '/addfile')) return result;
        this.add('download-and-run', 'windows-downloader', 'bitsadmin /transfer: a Windows download tool malware uses', c.evidence, c.at);
        const url = texts.findIndex((text) => /^[a-z]+:\/\//i.test(text));
        const file = url === -1 ? undefined : texts[url + 1];
        if (file !== undefined && url !== -1) this.files.set(fileKey(file), { kind: 'download', by: 'bitsadmin' });
        return result;
      }
      case 'mshta':
        if (texts.some((text) => /^(?:https?:\/\/|\\\\)/i.test(text))) this.add('download-and-run', 'remote-code-host', 'mshta runs an HTML application from the network', c.evidence, c.at);
        else if (lower.some((text) => /^(?:java|vb)script:/.test(text))) this.add('defence-evasion', 'script-proxy', 'script run through mshta', c.evidence, c.at);
        return result;
      case 'regsvr32':
        if (lower.some((text) => /^[-/]i:(?:https?:\/\/|\\\\)/.test(text))) this.add('download-and-run', 'remote-code-host', 'regsvr32 /i: runs a scriptlet from the network', c.evidence, c.at);
        return result;
      case 'rundll32':
        return this.rundll32(c, lower);
      case 'msiexec':
        if (texts.some((text) => /^(?:https?:\/\/|\\\\)/i.test(text))) this.add('download-and-run', 'remote-code-host', 'msiexec installs a package from the network', c.evidence, c.at);
        return result;
      case 'nc':
      case 'ncat':
      case 'netcat':
      case 'nc.traditional':
      case 'nc.openbsd':
        return this.netcat(c, result);
      case 'socat':
        return this.socat(c, lower, result);
      case 'telnet': {
        const host = this.bareHostSignal(texts.find((text) => !text.startsWith('-')) ?? '', c.evidence, c.at);
        return { out: { ...result.out, socket: 'telnet' }, sendsInput: { name, host }, netClient: name };
      }
      case 'openssl':
        if (lower[0] === 's_client') {
          const connect = lower.indexOf('-connect');
          const host = connect === -1 ? undefined : this.bareHostSignal(texts[connect + 1] ?? '', c.evidence, c.at);
          return { out: { ...result.out, socket: 'openssl s_client' }, sendsInput: { name: 'openssl s_client', host }, netClient: 'openssl s_client' };
        }
        if ((lower[0] === 'base64' || lower[0] === 'enc') && lower.includes('-d')) result.out = this.decoder(c.input, 'openssl base64 -d');
        read(true);
        return result;
      case 'ssh': {
        const host = this.sshHost(c);
        return { out: result.out, sendsInput: { name, host } };
      }
      case 'scp':
      case 'rsync':
      case 'sftp':
        return this.remoteCopy(c, result);
      case 'base64':
      case 'base32':
        if (lower.some((text) => /^-(?:[a-z]*d|D)$|^--decode$/.test(text))) result.out = this.decoder(c.input, `${name} -d`);
        else read(true);
        return result;
      case 'xxd':
        if (lower.some((text) => /^-[a-z]*r/.test(text))) result.out = this.decoder(c.input, 'xxd -r');
        else read(true);
        return result;
      case 'uudecode':
        result.out = this.decoder(c.input, 'uudecode');
        return result;
      case 'echo':
      case 'printf':
      case 'write-output':
      case 'write-host': {
        const printed = c.args.filter((arg) => !/^-[neE]{1,3}$/.test(arg.text));
        let flow: Flow = { constant: printed.map((arg) => arg.text).join(' ') };
        for (const arg of printed) flow = merge(flow, this.wordFlow(arg, ctx));
        return { out: merge({ constant: undefined }, flow) };
      }
      case 'env':
      case 'printenv':
      case 'export':
      case 'set':
      case 'declare':
        if (name === 'export') {
          const injected = c.texts.find(injectsLibrary);
          if (injected !== undefined) this.libraryInjected(injected, c.evidence, c.at);
        }
        if (name === 'export' && this.historyOff(c)) return result;
        if (name === 'set' && lower.includes('+o') && lower.includes('history')) {
          this.add('defence-evasion', 'history-tampering', 'set +o history: commands are not recorded', c.evidence, c.at);
          return result;
        }
        if (texts.length === 0 || (name === 'printenv' && texts.every((text) => isSecretName(text))) || lower.includes('-p') || lower.includes('-x')) {
          return { out: { ...result.out, secret: name === 'printenv' && texts.length > 0 ? `$${texts[0]}` : 'the environment' } };
        }
        return result;
      case 'get-childitem':
      case 'gci':
      case 'ls':
      case 'dir':
      case 'get-item':
        if (ctx.dialect === 'powershell' && lower.some((text) => /^env:\\?\*?$/.test(text))) return { out: { ...result.out, secret: 'the environment' } };
        return result;
      case 'unset':
        if (texts.includes('HISTFILE')) this.add('defence-evasion', 'history-tampering', 'unset HISTFILE: the shell\'s history is not kept', c.evidence, c.at);
        return result;
      case 'history':
        if (lower.some((text) => /^-[a-z]*c/.test(text))) this.add('defence-evasion', 'history-tampering', 'history -c: the shell\'s history erased', c.evidence, c.at);
        return result;
      case 'clear-history':
        this.add('defence-evasion', 'history-tampering', 'Clear-History: the session\'s history erased', c.evidence, c.at);
        return result;
      case 'security':
        if (/^(?:find-generic-password|find-internet-password|dump-keychain|export|find-certificate)$/.test(lower[0] ?? '')) {
          this.add('credential-read', 'keychain-dump', `security ${lower[0]}: macOS keychain secrets read`, c.evidence, c.at);
          return { out: { ...result.out, secret: 'keychain secrets' } };
        }
        return result;
      case 'vaultcmd':
      case 'cmdkey':
        if (lower.some((text) => text.startsWith('/listcreds'))) this.add('credential-read', 'keychain-dump', 'vaultcmd /listcreds: Windows Credential Manager read', c.evidence, c.at);
        return result;
      case 'reg':
        return this.reg(c, lower, result);
      case 'crontab': {
        const install = texts.some((text, index) => text === '-' || text === '-e' || (!text.startsWith('-') && lower[index - 1] !== '-u'));
        const list = lower.some((text) => /^-[a-z]*[lr]/.test(text));
        if (install && (!list || texts.includes('-'))) this.add('persistence', 'crontab-install', 'crontab installed: a command run on a schedule', c.evidence, c.at);
        return result;
      }
      case 'launchctl':
        if (/^(?:load|bootstrap|enable|submit)$/.test(lower[0] ?? '')) this.add('persistence', 'launchd-load', `launchctl ${lower[0]}: a launch agent or daemon registered`, c.evidence, c.at);
        return result;
      case 'systemctl':
        return this.systemctl(c, lower, result);
      case 'schtasks':
        if (lower.some((text) => /^[-/]create$/.test(text))) this.add('persistence', 'scheduled-task', 'schtasks /create: a scheduled task', c.evidence, c.at);
        return result;
      case 'register-scheduledtask':
        this.add('persistence', 'scheduled-task', 'Register-ScheduledTask: a scheduled task', c.evidence, c.at);
        return result;
      case 'sc':
        if (ctx.dialect === 'powershell') return this.writes(c, result);
        if (lower[0] === 'create') this.add('persistence', 'windows-service', 'sc create: a Windows service', c.evidence, c.at);
        if ((lower[0] === 'stop' || lower[0] === 'config' || lower[0] === 'delete') && /^(?:windefend|wscsvc|mpssvc|sense|wdnissvc)$/.test(lower[1] ?? '')) {
          this.add('defence-evasion', 'antivirus-or-firewall-off', `sc ${lower[0]} ${texts[1]}: a Windows security service stopped`, c.evidence, c.at);
        }
        return result;
      case 'new-service':
        this.add('persistence', 'windows-service', 'New-Service: a Windows service', c.evidence, c.at);
        return result;
      case 'new-itemproperty':
      case 'set-itemproperty':
      case 'sp':
        return this.registryProperty(c, result);
      case 'useradd':
      case 'adduser':
      case 'sysadminctl':
        if (name !== 'sysadminctl' || lower.includes('-adduser')) this.add('persistence', 'new-account', `${name}: a new user account`, c.evidence, c.at);
        return result;
      case 'net':
        if ((lower[0] === 'user') && lower.includes('/add')) this.add('persistence', 'new-account', 'net user /add: a new user account', c.evidence, c.at);
        if (lower[0] === 'localgroup' && lower[1] === 'administrators' && lower.includes('/add')) this.add('privilege', 'setuid-or-sudoers', 'net localgroup administrators /add: an account made administrator', c.evidence, c.at, 'high');
        return result;
      case 'dscl':
        if (lower.includes('-create') && lower.some((text) => text.startsWith('/users/'))) this.add('persistence', 'new-account', 'dscl -create /Users: a new user account', c.evidence, c.at);
        if (lower.includes('-append') && lower.some((text) => text === '/groups/admin')) this.add('privilege', 'setuid-or-sudoers', 'dscl -append /Groups/admin: an account made administrator', c.evidence, c.at, 'high');
        return result;
      case 'usermod':
        if (lower.some((text) => /^-[a-z]*g/i.test(text)) && lower.some((text) => /(?:^|,)(?:sudo|wheel|admin)(?:,|$)/.test(text))) {
          this.add('privilege', 'setuid-or-sudoers', 'usermod: an account added to an administrators group', c.evidence, c.at, 'high');
        }
        return result;
      case 'defaults':
        if (lower[0] === 'write' && lower.some((text) => text === 'loginhook' || text === 'logouthook')) this.add('persistence', 'login-item', 'defaults write … LoginHook: a command run at every login', c.evidence, c.at);
        if (lower[0] === 'write' && texts[1] !== undefined) this.written(texts[1], c.evidence, c.at, 'written');
        return result;
      case 'chmod':
        return this.chmod(c, lower, result);
      case 'rm':
      case 'del':
      case 'erase':
      case 'rd':
      case 'rmdir':
      case 'remove-item':
      case 'ri':
        return this.remove(c, lower, result);
      case 'dd':
        for (const text of texts) if (text.startsWith('of=')) this.written(text.slice(3), c.evidence, c.at, 'written');
        read(true);
        return result;
      case 'shred':
      case 'wipefs':
        if (texts.some((text) => text.startsWith('/dev/')) || name === 'wipefs') this.add('destructive', 'disk-overwrite', `${name}: a disk wiped`, c.evidence, c.at);
        return result;
      case 'diskutil':
        if (/^(?:erasedisk|erasevolume|zerodisk|randomdisk|secureerase|partitiondisk|reformat)$/.test(lower[0] ?? '')) this.add('destructive', 'disk-overwrite', `diskutil ${texts[0]}: a disk erased`, c.evidence, c.at);
        return result;
      case 'format':
        if (texts.some((text) => /^[a-z]:$/i.test(text))) this.add('destructive', 'disk-overwrite', 'format: a drive erased', c.evidence, c.at);
        return result;
      case 'vssadmin':
        if (lower[0] === 'delete' || (lower[0] === 'resize' && lower[1] === 'shadowstorage')) this.add('destructive', 'backup-deletion', 'vssadmin: Windows shadow copies deleted', c.evidence, c.at);
        return result;
      case 'wmic':
        if (lower.includes('shadowcopy') && lower.includes('delete')) this.add('destructive', 'backup-deletion', 'wmic shadowcopy delete: Windows shadow copies deleted', c.evidence, c.at);
        return result;
      case 'wbadmin':
        if (lower[0] === 'delete') this.add('destructive', 'backup-deletion', 'wbadmin delete: Windows backups deleted', c.evidence, c.at);
        return result;
      case 'bcdedit':
        if (lower.includes('recoveryenabled') && lower.includes('no')) this.add('destructive', 'backup-deletion', 'bcdedit: Windows recovery turned off', c.evidence, c.at);
        return result;
      case 'tmutil':
        if (/^(?:delete|deletelocalsnapshots)$/.test(lower[0] ?? '')) this.add('destructive', 'backup-deletion', `tmutil ${texts[0]}: Time Machine backups deleted`, c.evidence, c.at);
        return result;
      case 'xattr':
        if ((lower.some((text) => /^-[a-z]*d/.test(text)) && lower.includes('com.apple.quarantine')) || lower.some((text) => /^-[a-z]*c/.test(text))) {
          this.add('defence-evasion', 'quarantine-removal', 'xattr removes the quarantine flag: Gatekeeper will not check the file', c.evidence, c.at);
        }
        return result;
      case 'spctl':
        if (lower.some((text) => /^--(?:master|global)-disable$|^--disable$/.test(text))) this.add('defence-evasion', 'gatekeeper-or-sip-off', 'spctl: Gatekeeper turned off', c.evidence, c.at);
        return result;
      case 'csrutil':
        if (lower[0] === 'disable') this.add('defence-evasion', 'gatekeeper-or-sip-off', 'csrutil disable: System Integrity Protection turned off', c.evidence, c.at);
        return result;
      case 'set-mppreference':
        if (lower.some((text) => /^-disable/.test(text))) this.add('defence-evasion', 'antivirus-or-firewall-off', 'Set-MpPreference -Disable…: Microsoft Defender protection turned off', c.evidence, c.at);
        return result;
      case 'add-mppreference':
        if (lower.some((text) => /^-exclusion/.test(text))) this.add('defence-evasion', 'antivirus-or-firewall-off', 'Add-MpPreference -Exclusion…: files hidden from Microsoft Defender', c.evidence, c.at);
        return result;
      case 'netsh':
        if ((lower.includes('advfirewall') && lower.includes('off')) || (lower.includes('firewall') && lower.includes('disable'))) this.add('defence-evasion', 'antivirus-or-firewall-off', 'netsh: Windows firewall turned off', c.evidence, c.at);
        return result;
      case 'ufw':
        if (lower[0] === 'disable') this.add('defence-evasion', 'antivirus-or-firewall-off', 'ufw disable: the firewall turned off', c.evidence, c.at);
        return result;
      case 'setenforce':
        if (lower[0] === '0' || lower[0] === 'permissive') this.add('defence-evasion', 'antivirus-or-firewall-off', 'setenforce 0: SELinux enforcement turned off', c.evidence, c.at);
        return result;
      case 'wevtutil':
        if (lower[0] === 'cl' || lower[0] === 'clear-log') this.add('defence-evasion', 'log-clearing', 'wevtutil cl: a Windows event log cleared', c.evidence, c.at);
        return result;
      case 'clear-eventlog':
      case 'remove-eventlog':
        this.add('defence-evasion', 'log-clearing', `${name}: Windows event logs cleared`, c.evidence, c.at);
        return result;
      case 'auditctl':
        if (lower.includes('-d') || (lower.includes('-e') && lower[lower.indexOf('-e') + 1] === '0')) this.add('defence-evasion', 'log-clearing', 'auditctl: audit rules removed', c.evidence, c.at);
        return result;
      case 'log':
        if (lower[0] === 'erase') this.add('defence-evasion', 'log-clearing', 'log erase: the macOS unified log cleared', c.evidence, c.at);
        return result;
      case 'set-executionpolicy':
        if (lower.some((text) => text === 'unrestricted' || text === 'bypass')) this.add('defence-evasion', 'execution-policy', 'Set-ExecutionPolicy Unrestricted/Bypass: script signing checks turned off for good', c.evidence, c.at);
        return result;
      default:
        break;
    }
    if (/^(?:mkfs(?:\.\w{1,12})?|mke2fs|newfs(?:_\w{1,12})?|mkswap)$/.test(name) && texts.some((text) => text.startsWith('/dev/'))) {
      this.add('destructive', 'disk-overwrite', `${name}: a file system made over ${clip(texts.find((text) => text.startsWith('/dev/'))!, 40)}`, c.evidence, c.at);
      return result;
    }
    if (OPENERS.has(name) || (name === 'start' && ctx.dialect !== 'powershell')) {
      // `open -a Safari URL`, `gio open URL`: the application and the subcommand are not what is opened.
      const targets = c.args.filter((arg, index) => !arg.text.startsWith('-') && !(index === 0 && arg.text === 'open') && !/^-[abg]$/.test(c.args[index - 1]?.text ?? ''));
      if (targets.length > 0 && targets.every((arg) => /^https?:\/\//i.test(arg.text))) this.openers += 1;
      for (const target of targets) {
        const known = this.fetched(target.text);
        if (known !== undefined) this.fileRun(known, target.text, c, 'opened');
      }
      return result;
    }
    if (READERS.has(name) || name === 'cat' || name === 'gc') read(true);
    return this.writes(c, result);
  }

  /** Credential files a reader is given (its operands, and option values naming files). */
  private reads(c: Cmd, reader: boolean, result: StageResult): void {
    if (!reader) return;
    let archive: string | undefined;
    let dest: string | undefined;
    if (c.name === 'tar') {
      // `tar czf out.tgz dir`: the first word's letters are options even without a dash.
      const first = c.args[0];
      const args = first !== undefined && /^[A-Za-z]{1,12}$/.test(first.text) ? [{ ...first, text: `-${first.text}` }, ...c.args.slice(1)] : c.args;
      const options = parseOptions(args, 'fCTXbN', new Set(['file', 'directory']));
      archive = optionValue(options, '-f', '--file')?.text;
    } else if (c.name === 'zip' || c.name === '7z' || c.name === '7za' || c.name === 'rar') {
      // `zip -r - dir`: the archive (`-` is standard output) is the first operand.
      archive = c.args.find((arg) => arg.text === '-' || (!arg.text.startsWith('-') && !/^[a-z]$/.test(arg.text)))?.text;
    } else if (/^(?:cp|scp|rsync|ditto|copy|xcopy|copy-item|cpi)$/.test(c.name)) {
      const operands = c.args.filter((arg) => !arg.text.startsWith('-') && !/^\/[a-z]$/i.test(arg.text));
      if (operands.length > 1) dest = operands.at(-1)!.text;
    }
    let secret: string | undefined;
    for (const arg of c.args) {
      if (arg.text === archive || arg.text === dest) continue;
      const credential = credentialPathOf(arg.text);
      const tainted = this.tainted.size === 0 ? undefined : this.tainted.get(fileKey(arg.text));
      if (credential !== null) {
        secret ??= credential.name;
        this.add('credential-read', 'credential-file-read', `${credential.name} read by ${c.name} (${clip(arg.text, 60)})`, c.evidence, c.at);
      } else if (tainted !== undefined) secret ??= tainted;
      else if (arg.text === '{}' && this.vars.has('{}')) secret ??= this.vars.get('{}')!.secret;
    }
    if (secret === undefined) return;
    const target = archive !== undefined && archive !== '-' ? archive : dest;
    if (target !== undefined) this.tainted.set(fileKey(target), secret);
    else result.out = merge(result.out, { secret });
  }

  /** Files a program writes (copies, in-place edits, PowerShell's content cmdlets). */
  private writes(c: Cmd, result: StageResult): StageResult {
    const { name, args } = c;
    const operands = args.filter((arg) => !arg.text.startsWith('-') && !/^\/[a-z]{1,3}$/i.test(arg.text));
    let targets: string[] = [];
    if (name === 'tee') targets = operands.map((arg) => arg.text);
    else if (/^(?:cp|mv|ln|install|rsync|ditto|copy|xcopy|move|robocopy)$/.test(name) && operands.length > 1) targets = [operands.at(-1)!.text];
    else if ((name === 'sed' || name === 'gsed' || name === 'perl') && args.some((arg) => /^-[a-z]*i/.test(arg.text)) && operands.length > 0) targets = [operands.at(-1)!.text];
    else if (/^(?:set-content|add-content|out-file|new-item|ni|ac|sc|copy-item|cpi|move-item|mi|tee-object)$/.test(name)) {
      const { named, positional } = psParameters(args, ['path:', 'filepath:', 'literalpath:', 'destination:', 'value:', 'itemtype:', 'encoding:', 'force', 'append']);
      const target = named.get('destination') ?? named.get('path') ?? named.get('filepath') ?? named.get('literalpath') ?? (/^(?:copy-item|cpi|move-item|mi)$/.test(name) ? positional[1] : positional[0]);
      if (target) targets = [target.text];
    }
    const how = name === 'tee' && args.some((arg) => arg.text === '-a' || arg.text === '--append') ? 'appended to' : 'written';
    for (const target of targets) {
      this.written(target, c.evidence, c.at, how);
      if (name === 'tee') this.capture(target, c.input);
      const known = this.fetched(operands[0]?.text ?? '');
      if (known !== undefined && /^(?:cp|mv|copy|move|install)$/.test(name)) this.files.set(fileKey(target), known);
    }
    return result;
  }

  private downloader(c: Cmd): StageResult {
    const isCurl = c.name === 'curl';
    const options = isCurl
      ? parseOptions(c.args, 'AbcCdDeEFHKmoPQrtTuUwxXyYz', CURL_LONG_VALUES)
      : parseOptions(c.args, 'OoaPUetTwQiBlARDXI', WGET_LONG_VALUES);
    const urls = [...options.operands.map((word) => word.text), ...(options.flags.get('--url') ?? []).map((value) => value.text)].filter((text) => text !== '');
    const hosts: HostSeen[] = [];
    for (const url of urls) {
      const seen = hostOfUrlSeen(/^[a-z][a-z0-9+.-]{0,10}:\/\//i.test(url) ? url : `http://${url}`);
      if (seen !== null) hosts.push(seen);
      if (!url.includes('://')) {
        const bare = hostOfUrlSeen(`http://${url}`);
        if (bare !== null) this.hostKindSignal(bare, c.evidence, c.at, url);
      }
      if (/^file:\/\//i.test(url)) this.hostSignal(url, c.evidence, c.at);
    }
    const host = worstHost(hosts);
    // Where the download goes.
    const output = isCurl ? optionValue(options, '-o', '--output')?.text : optionValue(options, '-O', '--output-document')?.text;
    const remoteName = isCurl ? hasOption(options, '-O', '--remote-name') : output === undefined;
    const first = urls[0];
    const out: Flow = { ...c.input };
    if (output === '-' || output === '/dev/stdout' || (isCurl && output === undefined && !remoteName)) out.download = c.name;
    else if (output !== undefined) {
      this.written(output, c.evidence, c.at, 'written');
      this.files.set(fileKey(output), { kind: 'download', by: c.name });
    } else if (first !== undefined) {
      const prefix = isCurl ? optionValue(options, '--output-dir')?.text : optionValue(options, '-P', '--directory-prefix')?.text;
      const name = urlFileName(first);
      this.files.set(fileKey(prefix === undefined ? name : `${prefix}/${name}`), { kind: 'download', by: c.name });
    }
    // What it uploads.
    let sendsInput = false;
    const uploads: string[] = [];
    const dataFlags = isCurl
      ? ['-d', '--data', '--data-binary', '--data-ascii', '--data-raw', '--data-urlencode', '--json', '-F', '--form', '-T', '--upload-file', '-H', '--header']
      : ['--post-file', '--body-file', '--post-data', '--body-data', '--header'];
    for (const flag of dataFlags) {
      for (const value of options.flags.get(flag) ?? []) {
        const text = value.text;
        const file = flag === '-T' || flag === '--upload-file' || flag === '--post-file' || flag === '--body-file' ? text : /(?:^|=)[@<](.*)$/s.exec(text)?.[1];
        if (file === '-' || file === '.' || file === '/dev/stdin') sendsInput = true;
        else if (file !== undefined && file !== '') uploads.push(file);
        const flow = this.wordFlow(value.word, c.ctx);
        if (flow.secret !== undefined) {
          const plainVariable = /^\$/.test(flow.secret) && !this.vars.has(flow.secret.slice(1).toLowerCase());
          if (!plainVariable || (host !== undefined && (host.kind === 'raw-ip' || host.kind === 'drop-box'))) this.exfiltration('secret-in-request', flow.secret, host, c.evidence, c.at);
        }
      }
    }
    for (const file of uploads) {
      const credential = credentialPathOf(file);
      if (credential !== null) {
        this.add('credential-read', 'credential-file-read', `${credential.name} read by ${c.name} (${clip(file, 60)})`, c.evidence, c.at);
        this.exfiltration('credential-file-uploaded', credential.name, host, c.evidence, c.at);
      }
      const tainted = this.tainted.get(fileKey(file));
      if (tainted !== undefined) this.exfiltration('staged-credential-upload', tainted, host, c.evidence, c.at);
      else if (file === '{}' && this.vars.get('{}')?.secret !== undefined) this.exfiltration('credential-file-uploaded', this.vars.get('{}')!.secret!, host, c.evidence, c.at);
    }
    const result: StageResult = { out };
    if (sendsInput) result.sendsInput = { name: c.name, host };
    return result;
  }

  /** PowerShell's web cmdlets (and their `curl`/`wget` aliases). */
  private psWeb(c: Cmd): StageResult {
    const { named, positional } = psParameters(c.args, ['uri:', 'outfile:', 'method:', 'body:', 'infile:', 'headers:', 'usebasicparsing', 'useragent:', 'contenttype:', 'credential:', 'proxy:', 'timeoutsec:', 'usedefaultcredentials', 'passthru', 'form:']);
    const uri = named.get('uri') ?? positional[0];
    const host = uri === undefined ? undefined : (hostOfUrlSeen(/^[a-z]+:\/\//i.test(uri.text) ? uri.text : `http://${uri.text}`) ?? undefined);
    const outfile = named.get('outfile');
    const out: Flow = { ...c.input };
    if (outfile) {
      this.written(outfile.text, c.evidence, c.at, 'written');
      this.files.set(fileKey(outfile.text), { kind: 'download', by: c.name });
    } else out.download = c.name;
    const infile = named.get('infile');
    if (infile) {
      const secret = credentialPathOf(infile.text)?.name ?? this.tainted.get(fileKey(infile.text));
      if (secret !== undefined) this.exfiltration('credential-file-uploaded', secret, host, c.evidence, c.at);
    }
    const body = named.get('body') ?? named.get('form');
    if (body) {
      const flow = this.wordFlow(body, c.ctx);
      if (flow.secret !== undefined && (!flow.secret.startsWith('$') || (host !== undefined && (host.kind === 'raw-ip' || host.kind === 'drop-box')))) {
        this.exfiltration('secret-in-request', flow.secret, host, c.evidence, c.at);
      }
    }
    return { out };
  }

  private certutil(c: Cmd, lower: string[]): StageResult {
    const result: StageResult = { out: c.input };
    const flags = lower.filter((text) => /^[-/]/.test(text)).map((text) => text.slice(1));
    const operands = c.texts.filter((text) => !/^[-/]/.test(text) || /^\/\//.test(text));
    if (flags.includes('urlcache') || flags.includes('verifyctl')) {
      this.add('download-and-run', 'windows-downloader', `certutil -${flags.includes('urlcache') ? 'urlcache' : 'verifyctl'}: a Windows download tool malware uses`, c.evidence, c.at);
      // certutil -urlcache -split -f URL [FILE]: the URL may be a variable (`%U%`); the file is the operand after it.
      const url = operands.findIndex((text) => /^[a-z]+:\/\//i.test(text));
      const file = url === -1 ? (operands.length > 1 ? operands.at(-1) : undefined) : operands[url + 1];
      if (file !== undefined) this.files.set(fileKey(file), { kind: 'download', by: 'certutil' });
      else if (url !== -1) this.files.set(fileKey(urlFileName(operands[url]!)), { kind: 'download', by: 'certutil' });
    } else if (flags.includes('decode') || flags.includes('decodehex')) {
      const file = operands[1];
      if (file !== undefined) this.files.set(fileKey(file), { kind: 'decode', by: 'certutil -decode' });
    }
    return result;
  }

  private rundll32(c: Cmd, lower: string[]): StageResult {
    const result: StageResult = { out: c.input };
    const entry = lower[0] ?? '';
    if (/^url\.dll,(?:fileprotocolhandler|openurl)$/.test(entry) || /^shell32\.dll,shellexec_rundll$/.test(entry)) {
      const target = c.texts[1];
      if (target !== undefined && /^https?:\/\//i.test(target)) this.openers += 1;
      return result;
    }
    if (/^javascript:|^vbscript:/.test(entry) || lower.join(' ').includes('runhtmlapplication')) this.add('defence-evasion', 'script-proxy', 'script run through rundll32', c.evidence, c.at);
    else if (/^(?:https?:\/\/|\\\\)/.test(entry)) this.add('download-and-run', 'remote-code-host', 'rundll32 loads a library from the network', c.evidence, c.at);
    else {
      const known = this.fetched(entry.split(',')[0] ?? '');
      if (known !== undefined) this.fileRun(known, entry.split(',')[0]!, c);
    }
    return result;
  }

  private netcat(c: Cmd, result: StageResult): StageResult {
    const options = parseOptions(c.args, 'ecpswqiIxXPWTOgGb', new Set(['exec', 'sh-exec', 'lua-exec', 'source-port', 'wait', 'proxy', 'proxy-type']));
    const exec = optionValue(options, '-e', '-c', '--exec', '--sh-exec', '--lua-exec');
    const host = this.bareHostSignal(options.operands[0]?.text ?? '', c.evidence, c.at);
    if (exec !== undefined) {
      this.add('reverse-shell', 'netcat-exec', `${c.name} ${exec.word.text.startsWith('--') ? '--exec' : '-e'} ${clip(exec.text, 40)}: a shell served over the network`, c.evidence, c.at);
    }
    return { out: { ...result.out, socket: c.name }, sendsInput: { name: c.name, host }, netClient: c.name };
  }

  private socat(c: Cmd, lower: string[], result: StageResult): StageResult {
    const runs = lower.some((text) => /(?:^|[,!])(?:exec|system):/.test(text));
    const network = lower.find((text) => /^(?:tcp[46]?|tcp[46]?-connect|tcp[46]?-listen|openssl|openssl-connect|openssl-listen|udp[46]?|udp-connect|ssl|socks4a?|proxy)[:-]/.test(text));
    let host: HostSeen | undefined;
    if (network !== undefined) {
      const parts = network.split(/[:,]/);
      host = this.bareHostSignal(parts[1] ?? '', c.evidence, c.at);
    }
    if (runs && network !== undefined) this.add('reverse-shell', 'socat-exec', 'socat joining a program to a network socket', c.evidence, c.at);
    return { out: { ...result.out, socket: 'socat' }, sendsInput: { name: 'socat', host }, netClient: 'socat' };
  }

  private sshHost(c: Cmd): HostSeen | undefined {
    const options = parseOptions(c.args, 'bcDEeFIiJLlmOopQRSWw', new Set());
    return this.bareHostSignal(options.operands[0]?.text ?? '', c.evidence, c.at);
  }

  /** `scp ~/.ssh/id_rsa user@1.2.3.4:`, `rsync -a ~/.aws host:`: local files copied to another machine. */
  private remoteCopy(c: Cmd, result: StageResult): StageResult {
    const options = parseOptions(c.args, c.name === 'rsync' ? 'eBfT' : 'cFiJloPSD', new Set(['rsh', 'exclude', 'include', 'filter', 'port']));
    const operands = options.operands.map((word) => word.text);
    const remoteIndex = operands.findIndex((text) => /^[^/\\:]{1,255}:/.test(text) && !/^[a-z]:[\\/]/i.test(text));
    if (remoteIndex === -1) {
      this.reads(c, true, result);
      return result;
    }
    const remote = operands[remoteIndex]!;
    const host = this.bareHostSignal(remote.slice(0, remote.indexOf(':')), c.evidence, c.at);
    if (remoteIndex === operands.length - 1) {
      for (const source of operands.slice(0, -1)) {
        const secret = credentialPathOf(source)?.name ?? this.tainted.get(fileKey(source));
        if (secret === undefined) continue;
        if (credentialPathOf(source) !== null) this.add('credential-read', 'credential-file-read', `${secret} read by ${c.name} (${clip(source, 60)})`, c.evidence, c.at);
        this.exfiltration('credential-file-uploaded', secret, host, c.evidence, c.at);
      }
    }
    return result;
  }

  private decoder(input: Flow, name: string): Flow {
    const decoded = input.constant === undefined ? undefined : (decodeBase64Text(input.constant) ?? undefined);
    return { ...input, constant: undefined, decode: input.decode ?? name, decoded };
  }

  private historyOff(c: Cmd): boolean {
    const off = c.texts.find((text) => /^HISTFILE=\/dev\/null$|^(?:HISTSIZE|HISTFILESIZE|SAVEHIST)=0$/.test(text));
    if (off === undefined) return false;
    this.add('defence-evasion', 'history-tampering', `export ${off}: the shell's history is not kept`, c.evidence, c.at);
    return true;
  }

  private reg(c: Cmd, lower: string[], result: StageResult): StageResult {
    const action = lower[0] ?? '';
    const key = (c.texts[1] ?? '').replace(/\\+/g, '/');
    if (action === 'add' || action === 'import' || action === 'copy' || action === 'restore') {
      if (/currentversion\/run(?:once|services(?:once)?)?(?:\/|$)/i.test(key) || /\/winlogon(?:\/|$)/i.test(key) || /image file execution options/i.test(key)) {
        this.add('persistence', 'registry-autorun', `reg ${action} ${clip(c.texts[1] ?? '', 80)}: a program started at login`, c.evidence, c.at);
      }
      if (/windows defender/i.test(key) && lower.some((text) => text.startsWith('disable'))) {
        this.add('defence-evasion', 'antivirus-or-firewall-off', 'reg add … Windows Defender Disable…: Microsoft Defender turned off', c.evidence, c.at);
      }
    }
    if (action === 'save' && /^hk(?:lm|ey_local_machine)\/(?:sam|security|system)$/i.test(key)) {
      this.add('credential-read', 'keychain-dump', `reg save ${c.texts[1]}: Windows password hashes copied`, c.evidence, c.at);
    }
    return result;
  }

  private registryProperty(c: Cmd, result: StageResult): StageResult {
    const { named, positional } = psParameters(c.args, ['path:', 'literalpath:', 'name:', 'value:', 'propertytype:', 'type:', 'force']);
    const path = (named.get('path') ?? named.get('literalpath') ?? positional[0])?.text ?? '';
    const normal = path.replace(/\\+/g, '/');
    if (/currentversion\/run(?:once)?(?:\/|$)/i.test(normal) || /\/winlogon(?:\/|$)/i.test(normal)) {
      this.add('persistence', 'registry-autorun', `${c.name} ${clip(path, 80)}: a program started at login`, c.evidence, c.at);
    }
    if (/windows defender/i.test(normal) && /^disable/i.test(named.get('name')?.text ?? '')) {
      this.add('defence-evasion', 'antivirus-or-firewall-off', `${c.name} … Windows Defender: Microsoft Defender turned off`, c.evidence, c.at);
    }
    return result;
  }

  private systemctl(c: Cmd, lower: string[], result: StageResult): StageResult {
    const action = lower.find((text) => !text.startsWith('-'));
    const units = lower.filter((text) => !text.startsWith('-') && text !== action);
    if (action !== undefined && /^(?:enable|link|reenable|preset)$/.test(action)) this.add('persistence', 'systemd-enable', `systemctl ${action}: a service started at boot or login`, c.evidence, c.at);
    if (action !== undefined && /^(?:stop|disable|mask)$/.test(action) && units.some((unit) => /^(?:firewalld|ufw|apparmor|auditd|falcon-sensor|clamav\w*|osqueryd)(?:\.service)?$/.test(unit))) {
      this.add('defence-evasion', 'antivirus-or-firewall-off', `systemctl ${action} ${units.join(' ')}: a security service stopped`, c.evidence, c.at);
    }
    return result;
  }

  private chmod(c: Cmd, lower: string[], result: StageResult): StageResult {
    const modes = lower.filter((text) => !text.startsWith('-') || /^-[rwxst]/.test(text));
    const mode = modes[0] ?? '';
    if (/^0?[2467][0-7]{3}$/.test(mode) || /^[ugoa]*[+=][rwxt]*s/.test(mode)) this.add('privilege', 'setuid-or-sudoers', `chmod ${mode}: a setuid or setgid program`, c.evidence, c.at, 'high');
    const executable = /^0?[0-7]?[1357][0-7]{2}$|^[0-7]?[0-7][1357][0-7]$|^[ugoa]*\+[rwst]*x/.test(mode);
    if (executable) {
      for (const file of c.texts.slice(c.texts.indexOf(modes[0] ?? '') + 1)) {
        const known = this.fetched(file);
        if (known !== undefined) this.fileRun(known, file, c, 'made executable');
      }
    }
    return result;
  }

  private remove(c: Cmd, lower: string[], result: StageResult): StageResult {
    const recursive =
      c.name === 'rm' ? lower.some((text) => /^-[a-z]*r/i.test(text) || text === '--recursive')
      : c.name === 'remove-item' || c.name === 'ri' ? lower.some((text) => /^-r/.test(text))
      : lower.some((text) => text === '/s');
    for (const text of c.texts) {
      if (text.startsWith('-') || /^\/[a-z]$/i.test(text)) continue;
      if (/(?:^|\/)\.(?:bash|zsh|sh)_history$|consolehost_history\.txt$/i.test(text)) this.add('defence-evasion', 'history-tampering', `shell history deleted (${clip(text, 60)})`, c.evidence, c.at);
      if (/^\/var\/log\/?\*?$/.test(text) && recursive) this.add('defence-evasion', 'log-clearing', 'rm -r /var/log: system logs deleted', c.evidence, c.at);
      if (recursive && isCatastrophicTarget(text)) this.add('destructive', 'recursive-delete-of-root-or-home', `recursive delete of ${clip(text, 40)}`, c.evidence, c.at);
    }
    return result;
  }
}

/** Paths whose recursive deletion destroys a system or a user's files: `/`, `/*`, `~`, `$HOME`, `C:\`, a top-level system folder, a home's top folders. */
function isCatastrophicTarget(text: string): boolean {
  const path = text.replace(/\\/g, '/').replace(/\$\{?home\}?|%userprofile%|\$env:userprofile/gi, '~').replace(/"/g, '');
  if (/^\/\*?$|^~\/?\*?$|^[a-z]:\/?\*?(?:\.\*)?$/i.test(path)) return true;
  if (/^\/(?:bin|boot|etc|home|lib|lib64|opt|root|sbin|srv|usr|var|Users|System|Library|Applications|private)\/?\*?$/.test(path)) return true;
  if (/^~\/(?:Documents|Desktop|Pictures|Downloads|Library|Music|Movies|Videos)\/?\*?$/i.test(path)) return true;
  return /^[a-z]:\/(?:windows|users|program files(?: \(x86\))?)\/?\*?$/i.test(path);
}

const CURL_LONG_VALUES: ReadonlySet<string> = new Set([
  'data', 'data-ascii', 'data-binary', 'data-raw', 'data-urlencode', 'form', 'form-string', 'header', 'output', 'output-dir', 'upload-file',
  'url', 'user', 'user-agent', 'referer', 'cookie', 'cookie-jar', 'request', 'proxy', 'max-time', 'connect-timeout', 'retry', 'retry-delay',
  'retry-max-time', 'config', 'cert', 'key', 'cacert', 'capath', 'range', 'limit-rate', 'resolve', 'connect-to', 'json', 'write-out',
  'dump-header', 'interface', 'local-port', 'max-filesize', 'proto', 'proto-redir', 'unix-socket', 'variable', 'oauth2-bearer', 'aws-sigv4',
]);
const WGET_LONG_VALUES: ReadonlySet<string> = new Set([
  'output-document', 'output-file', 'append-output', 'directory-prefix', 'user-agent', 'execute', 'tries', 'timeout', 'wait', 'quota',
  'input-file', 'base', 'level', 'accept', 'reject', 'domains', 'header', 'post-data', 'post-file', 'body-data', 'body-file', 'method',
  'user', 'password', 'http-user', 'http-password', 'referer', 'load-cookies', 'save-cookies', 'ca-certificate', 'certificate', 'private-key',
]);

/** Programs whose arguments reach another host (a secret in them is sent). */
const NETWORK_SENDERS: ReadonlySet<string> = new Set([
  'curl', 'wget', 'nc', 'ncat', 'netcat', 'telnet', 'ssh', 'dig', 'nslookup', 'host', 'ping', 'iwr', 'irm', 'invoke-webrequest', 'invoke-restmethod',
  'resolve-dnsname', 'test-netconnection',
]);

/** Code languages and the flags that take their code (`code`), a value (`values`) or end the options (`stop`). */
const CODE_FLAGS: Readonly<Record<CodeLanguage, { code: string; values: string; stop: string }>> = {
  python: { code: 'c', values: 'WXQ', stop: 'm' },
  node: { code: 'ep', values: 'r', stop: '' },
  perl: { code: 'eE', values: 'MmIlx0', stop: '' },
  ruby: { code: 'e', values: 'rICFTEKx', stop: '' },
  php: { code: 'r', values: 'cdfz', stop: '' },
  applescript: { code: 'e', values: 'ls', stop: '' },
};

/** Calls that decode text (base64, hex, compression, rot13). */
const DECODERS: readonly string[] = [
  'b64decode', 'b32decode', 'b85decode', 'a85decode', 'urlsafe_b64decode', 'decodebytes', 'a2b_base64', 'unhexlify', 'decompress', 'fromhex',
  'atob', 'decode64', 'decode_base64', 'base64_decode', 'gzinflate', 'gzuncompress', 'str_rot13',
];

/** Names that run code given as text, by language (case as the language writes them). */
const EVALUATORS: Readonly<Record<CodeLanguage, readonly string[]>> = {
  python: ['exec', 'eval', 'compile'],
  node: ['eval', 'Function', 'runInThisContext', 'runInNewContext', 'compileFunction'],
  perl: ['eval'],
  ruby: ['eval', 'instance_eval', 'class_eval'],
  php: ['eval', 'assert', 'create_function'],
  applescript: ['run'],
};

function codeLanguage(name: string): CodeLanguage | null {
  if (PYTHON.test(name)) return 'python';
  if (name === 'node' || name === 'nodejs' || name === 'bun' || name === 'deno') return 'node';
  if (name === 'perl' || /^perl5(?:\.\d+)*$/.test(name)) return 'perl';
  if (name === 'ruby' || name === 'jruby') return 'ruby';
  if (name === 'php' || /^php\d(?:\.\d)?$/.test(name)) return 'php';
  return null;
}

/** The program a word names: `/usr/bin/curl` -> `curl`, `C:\Windows\System32\cmd.exe` -> `cmd`, `Invoke-WebRequest` -> `invoke-webrequest`. */
function programName(text: string): string {
  return commandName(text.length > 300 ? text.slice(-300) : text);
}

/** A PowerShell statement that is an expression rather than a command (`$x = …`, `(…).Method()`, `[Type]::M()`, `'text'`). */
function isExpression(word: Word): boolean {
  return word.quoted || /^[$([@0-9]/.test(word.text) || /[({]/.test(word.text);
}

/** Skips a wrapper's options (and `NAME=value` words for env, and fixed operands): the index of the program. */
function skipOptions(words: readonly Word[], from: number, values: string, operands: number, env: boolean): number {
  let i = from;
  let left = operands;
  while (i < words.length) {
    const text = words[i]!.text;
    if (text === '--') return i + 1;
    if (/^-[A-Za-z]/.test(text) || (text.startsWith('--') && text.length > 2)) {
      const letter = text.startsWith('--') ? '' : text[text.length - 1]!;
      i += 1;
      if (letter !== '' && values.includes(letter) && text.length === 2) i += 1;
      continue;
    }
    if (env && /^\w{1,64}=/.test(text)) {
      i += 1;
      continue;
    }
    if (left > 0) {
      left -= 1;
      i += 1;
      continue;
    }
    return i;
  }
  return i;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** 1-based line and column of an offset. */
function placeOf(starts: readonly number[], offset: number): { line: number; column: number } {
  const line = lineOf(starts, offset);
  return { line, column: offset - starts[line - 1]! + 1 };
}

function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
