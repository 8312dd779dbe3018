import type { VirtualFile } from '../bundle/container.js';
import { dirnamePath, resolveBundleRelative } from '../manifest/mcp-config.js';
import { COMMAND_LIMITS, judgeCommand, judgeScript, scriptDialect, type ScriptDialect } from './catalog/commands.js';
import { commandCall, processApi } from './catalog/processes.js';
import { isScript } from './js/parse.js';
import type { CallSite, ScriptSignalSite, ScriptSite, ScriptStarter } from './model/code-facts.js';
import type { Origin } from './model/origin.js';
import { sortTriggers, triggerKey, type Trigger } from './model/triggers.js';
import { isPythonScript } from './python/parse.js';
import type { ServerFacts } from './server.js';

// Shell, PowerShell, batch and AppleScript files shipped in the bundle: found by their extension
// (`.sh .bash .zsh .ksh .command .ps1 .psm1 .bat .cmd .applescript`) or their `#!` line, read as
// text (never run, never written anywhere) and judged line by line by the command catalogue
// (catalog/commands.ts judgeScript). JavaScript and Python files are the code analysis' business and
// are left out whatever their first line says.
//
// A script is reached when something the server runs starts it: the manifest's launch command
// (`bash ${__dirname}/server/start.sh`, its entry point), a call that starts a program in the
// server's code (`spawn('bash', [path.join(__dirname, 'setup.sh')])`, `execSync('sh ./x.sh')`,
// `subprocess.run(['bash', 'setup.sh'])`), or a reached script (`. ./env.sh`, `bash lib/x.sh`). What
// a call names is read from its argument facts (the literal, the strings a computed value is built
// from, the elements of an argument list) and resolved against the calling file's folder, the
// server's folder and the bundle root, in that order; a script inherits the triggers of whatever
// starts it, the manifest's launch being the server's load.
//
// Hostile input: a script is read up to SCRIPT_LIMITS.fileBytes (the catalogue's own limit for one
// script) and the bundle's scripts up to SCRIPT_LIMITS.totalBytes and SCRIPT_LIMITS.files; started
// scripts are read first, then the others smallest first, so that one padded file cannot starve the
// rest. What is left unread is a gap of the audit. Resolution is bounded per call and per script.

export interface ScriptLimits {
  fileBytes: number;
  totalBytes: number;
  files: number;
  references: number;
}

export const SCRIPT_LIMITS: Readonly<ScriptLimits> = Object.freeze({
  /** Bytes of one script that are read: the catalogue's limit for one script, in characters. */
  fileBytes: COMMAND_LIMITS.scriptChars,
  /** Bytes of all scripts read per bundle. */
  totalBytes: 16 * 1024 * 1024,
  /** Scripts judged per bundle. */
  files: 4000,
  /** Written script paths resolved per call or per script. */
  references: 32,
});

/** What the script analysis found, and what it could not read. */
export interface ScriptsResult {
  scripts: ScriptSite[];
  gaps: string[];
}

interface Candidate {
  file: VirtualFile;
  dialect: ScriptDialect;
}

interface Node {
  candidate: Candidate;
  starters: ScriptStarter[];
  reached: boolean;
  triggers: Map<string, Trigger>;
  /** Scripts this one starts, by bundle path. */
  starts: string[];
  site?: ScriptSite;
}

const NO_TEXT = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/** The dialect of a shipped file when it is a script this module reads, else null. */
export function shippedScriptDialect(file: VirtualFile): ScriptDialect | null {
  if (isScript(file.path) || isPythonScript(file.path) || /\.pyw$/i.test(file.path)) return null;
  const bytes = file.bytes;
  let firstLine = '';
  // `#!`, or `FasdUAS` (a compiled AppleScript, which is no text).
  if ((bytes[0] === 0x23 && bytes[1] === 0x21) || bytes[0] === 0x46) {
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 400)).toString('latin1');
    const newline = head.indexOf('\n');
    firstLine = newline === -1 ? head : head.slice(0, newline);
  }
  return scriptDialect(file.path, firstLine);
}

/**
 * Reads and judges the bundle's scripts, links them to what starts them, and fills `script` on the
 * calls that start one. `originOf` says whose file a path is.
 */
export function analyzeScripts(
  server: ServerFacts,
  files: ReadonlyMap<string, VirtualFile>,
  calls: readonly CallSite[],
  originOf: (path: string) => Origin,
  limits: Readonly<ScriptLimits> = SCRIPT_LIMITS,
): ScriptsResult {
  const nodes = new Map<string, Node>();
  for (const file of files.values()) {
    const dialect = shippedScriptDialect(file);
    if (dialect !== null) nodes.set(file.path, { candidate: { file, dialect }, starters: [], reached: false, triggers: new Map(), starts: [] });
  }
  if (nodes.size === 0) return { scripts: [], gaps: [] };
  const known: ReadonlySet<string> = new Set(nodes.keys());
  const index = new ScriptIndex(known);
  const serverDir = serverDirOf(server);
  const started = new Set<string>();
  const start = (path: string, starter: ScriptStarter, reached: boolean, triggers: readonly Trigger[]): void => {
    const node = nodes.get(path)!;
    if (node.starters.length < MAX_STARTERS && !node.starters.some((known) => sameStarter(known, starter))) node.starters.push(starter);
    if (reached) node.reached = true;
    for (const trigger of triggers) node.triggers.set(triggerKey(trigger), trigger);
    started.add(path);
  };

  // The manifest: the entry point, and the launch command and arguments of every platform.
  const manifestStarts = new Set<string>();
  const entry = server.entryPoint === undefined ? null : located(dirnamePath(server.entryPoint) ?? resolveBundleRelative(server.entryPoint), known);
  if (entry !== null) manifestStarts.add(entry);
  for (const argv of server.launches) {
    for (const written of launchReferences(argv, limits.references)) {
      const path = resolveReference(written, ['', serverDir], index, null);
      if (path !== null) manifestStarts.add(path);
    }
  }
  for (const path of manifestStarts) start(path, { kind: 'manifest', file: 'manifest.json' }, true, [{ kind: 'load', via: [path] }]);

  // Calls in the server's code that start a program.
  for (const call of calls) {
    const api = processApi(call.callee);
    if (api === null) continue;
    const dir = dirOf(call.file);
    let first: string | undefined;
    for (const written of callReferences(commandCall(call, api), api.form === 'shell', limits.references, index)) {
      const path = resolveReference(written, [dir, serverDir, ''], index, dir);
      if (path === null) continue;
      first ??= path;
      const reached = call.origin === 'first-party' || call.triggers.length > 0;
      start(path, { kind: 'call', file: call.file, line: call.line, column: call.column, callee: call.callee }, reached, call.triggers);
    }
    if (first !== undefined) call.script = first;
  }

  // Read started scripts first, following what they start, then the others, smallest first.
  const gaps: string[] = [];
  let bytesLeft = limits.totalBytes;
  let filesLeft = limits.files;
  const skipped = { files: 0, bytes: 0 };
  const read = (node: Node): void => {
    const { file, dialect } = node.candidate;
    const size = file.bytes.byteLength;
    if (filesLeft <= 0 || bytesLeft <= 0) {
      skipped.files += 1;
      skipped.bytes += size;
      return;
    }
    const take = Math.min(size, limits.fileBytes, bytesLeft);
    filesLeft -= 1;
    bytesLeft -= take;
    const complete = take === size;
    const text = NO_TEXT.decode(file.bytes.subarray(0, take));
    const judgement = judgeScript(text, dialect);
    const signals: ScriptSignalSite[] = judgement.signals.map((signal) => ({
      kind: signal.kind,
      severity: signal.severity,
      detail: signal.detail,
      entry: signal.entry,
      line: signal.line,
      column: signal.column,
      excerpt: signal.evidence,
    }));
    let severity = judgement.severity;
    const reason = complete ? undefined : `only the first ${megabytes(take)} MB of ${megabytes(size)} MB were read (scripts are read up to ${megabytes(limits.fileBytes)} MB each and ${megabytes(limits.totalBytes)} MB per bundle)`;
    if (reason !== undefined) {
      // What the catalogue says of a script past its limit (docs/commands.md, `too-long`): padding never makes a script look harmless.
      signals.push({
        kind: 'opaque',
        severity: 'medium',
        detail: `only the first ${Math.floor(take / 1024)} KiB of the script were read: the rest was not judged`,
        entry: 'too-long',
        line: lineCount(text),
        column: 1,
        excerpt: '',
      });
      if (severity === 'low' || severity === 'info') severity = 'medium';
      gaps.push(`${file.path}: ${reason}`);
    }
    node.site = {
      file: file.path,
      origin: originOf(file.path),
      dialect,
      starters: [],
      reached: false,
      startedBy: [],
      signals,
      severity,
      programs: judgement.programs.slice(0, 20),
      complete,
      ...(reason === undefined ? {} : { reason }),
    };
    const dir = dirOf(file.path);
    for (const written of judgement.scripts.slice(0, limits.references)) {
      const path = resolveReference(written, [dir, serverDir, ''], index, dir);
      if (path !== null && path !== file.path && !node.starts.includes(path)) node.starts.push(path);
    }
  };
  const queue = [...started];
  const queued = new Set(queue);
  for (let i = 0; i < queue.length; i++) {
    const node = nodes.get(queue[i]!)!;
    read(node);
    for (const path of node.starts) {
      if (queued.has(path)) continue;
      queued.add(path);
      queue.push(path);
    }
  }
  const others = [...nodes.values()]
    .filter((node) => !queued.has(node.candidate.file.path))
    .sort((a, b) => a.candidate.file.bytes.byteLength - b.candidate.file.bytes.byteLength || compare(a.candidate.file.path, b.candidate.file.path));
  for (const node of others) read(node);
  if (skipped.files > 0) {
    gaps.push(`${skipped.files} shell, PowerShell or batch scripts (${megabytes(skipped.bytes)} MB) were not read: the scripts of a bundle are read up to ${megabytes(limits.totalBytes)} MB and ${limits.files} files`);
  }

  // A script started by another inherits whether it is reached and what sets it off; repeated until nothing changes (cycles included).
  for (const node of nodes.values()) {
    for (const path of node.starts) nodes.get(path)!.starters.push({ kind: 'script', file: node.candidate.file.path });
  }
  for (let changed = true, rounds = 0; changed && rounds <= nodes.size; rounds++) {
    changed = false;
    for (const node of nodes.values()) {
      for (const path of node.starts) {
        const target = nodes.get(path)!;
        if (node.reached && !target.reached) {
          target.reached = true;
          changed = true;
        }
        for (const [key, trigger] of node.triggers) {
          if (target.triggers.has(key)) continue;
          target.triggers.set(key, trigger);
          changed = true;
        }
      }
    }
  }

  const scripts: ScriptSite[] = [];
  for (const node of nodes.values()) {
    if (node.site === undefined) continue;
    scripts.push({ ...node.site, starters: dedupeStarters(node.starters), reached: node.reached, startedBy: sortTriggers(node.triggers.values()) });
  }
  scripts.sort((a, b) => compare(a.file, b.file));
  return { scripts, gaps };
}

/** The bundle path a script reference written in a command names, resolved against `bases` in turn, or null. */
export function resolveScriptReference(written: string, bases: readonly string[], scripts: ReadonlySet<string>): string | null {
  return resolveReference(written, bases, new ScriptIndex(scripts), null);
}

// ---------------------------------------------------------------------------------------------------
// What a launch, a call or a script names.

/**
 * Strings of a launch command that may name a script: each argument, the scripts the command line
 * runs (`sh -c "…"` unwrapped by the catalogue), and every `${__dirname}/…` path written inside an
 * argument (`powershell -Command "& ${__dirname}\\start.ps1"`).
 */
function launchReferences(argv: readonly string[], max: number): string[] {
  const found = argv.length > 0 && argv.length <= max ? [...judgeCommand(argv).scripts] : [];
  for (const arg of argv.slice(0, max)) {
    if (!/\s/.test(arg)) found.push(arg);
    else for (const match of arg.slice(0, 4096).matchAll(DIRNAME_PATH)) found.push(match[0]);
  }
  return found.slice(0, max);
}

const DIRNAME_PATH = /\$\{__dirname\}[^\s"';|&<>]{1,1000}/g;

/**
 * Strings of a call that starts a program that may name a script, in the order they are written:
 * the command (or the program), then its arguments (for argv forms), each literal, element and
 * string a computed value is built from (joined with the strings before it: `join(__dirname,
 * 'scripts', 'x.sh')` names `scripts/x.sh`); a command line is asked which scripts it runs.
 */
function callReferences(call: CallSite, shellForm: boolean, max: number, index: ScriptIndex): string[] {
  const found: string[] = [];
  const add = (text: string): void => {
    // Only a text naming a shipped script's file name can resolve to it: the others are not read further.
    if (found.length >= max || text === '' || text.length > 4096 || !index.mentioned(text)) return;
    if (/\s/.test(text)) {
      for (const script of judgeCommand(text).scripts) if (found.length < max) found.push(script);
    } else found.push(text);
  };
  for (const position of shellForm ? [0] : [0, 1]) {
    const arg = call.args[position];
    if (arg === undefined) continue;
    if (arg.literal !== undefined) add(arg.literal);
    for (const element of arg.elements ?? []) if (element.literal !== undefined) add(element.literal);
    // Fragments of a computed value: `__dirname + '/x.sh'` gives `/x.sh`, relative to what comes before it.
    const parts = (arg.parts ?? []).map((part) => (looksLikeFile(part) ? part.replace(/^[\\/]+/, '') : part));
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (/\s/.test(part) || !looksLikeFile(part)) {
        add(part);
        continue;
      }
      // Longest first: `join(__dirname, '..', 'bin', 'x.sh')` names `../bin/x.sh`.
      for (let from = Math.max(0, i - 3); from <= i; from++) {
        const segments = parts.slice(from, i + 1);
        if (segments.every(isPathSegment)) add(segments.join('/'));
      }
    }
  }
  return found;
}

function looksLikeFile(text: string): boolean {
  return /\.[A-Za-z0-9]{1,12}$/.test(text);
}

function isPathSegment(text: string): boolean {
  return text !== '' && !/\s/.test(text) && !text.startsWith('-') && !text.includes('://');
}

/** Known scripts by file name, for references that name a file below the caller's folder (`join(SCRIPTS_DIR, 'x.sh')`). */
class ScriptIndex {
  private readonly byName = new Map<string, string[]>();

  constructor(readonly known: ReadonlySet<string>) {
    for (const path of known) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      const list = this.byName.get(name);
      if (list === undefined) this.byName.set(name, [path]);
      else list.push(path);
    }
  }

  /** Whether a word of `text` ends with the file name of a known script (`bash ./setup.sh --x` names `setup.sh`). */
  mentioned(text: string): boolean {
    const words = text.split(/[\s"'`;&|()<>=,]+/, 64);
    return words.some((word) => {
      const name = word.slice(Math.max(word.lastIndexOf('/'), word.lastIndexOf('\\')) + 1).replace(/^%~dps?0/i, '');
      return name !== '' && this.byName.has(name);
    });
  }

  /** The one script below `dir` whose path ends with `tail`, or null when there is none or more than one. */
  below(dir: string, tail: string): string | null {
    const name = tail.slice(tail.lastIndexOf('/') + 1);
    const prefix = dir === '' ? '' : `${dir}/`;
    const matches = (this.byName.get(name) ?? []).filter((path) => path.startsWith(prefix) && (path === tail || path.endsWith(`/${tail}`)));
    return matches.length === 1 ? matches[0]! : null;
  }
}

/**
 * Resolves a written reference. `${__dirname}` is the bundle root (the manifest's word); a leading
 * folder variable (`$(dirname "$0")/`, `$SCRIPT_DIR/`, `%~dp0`, `$PSScriptRoot\`) is the script's own
 * folder, the first base; absolute paths and other variables name nothing in the bundle. `below`:
 * when nothing resolves, a file name (with its extension) found exactly once below this folder.
 */
function resolveReference(written: string, bases: readonly string[], index: ScriptIndex, below: string | null): string | null {
  let text = written.trim().replace(/^["']|["']$/g, '');
  if (text.length === 0 || text.length > 1024) return null;
  if (text.includes('${__dirname}')) return located(dirnamePath(text), index.known);
  const stripped = withoutFolderVariable(text);
  const ownFolder = stripped !== text;
  text = stripped.replace(/\\/g, '/');
  if (text === '' || text.startsWith('/') || /^[A-Za-z]:/.test(text) || /[$%`]/.test(text)) return null;
  for (const base of ownFolder ? bases.slice(0, 1) : bases) {
    const path = located(resolveBundleRelative(base === '' ? text : `${base}/${text}`), index.known);
    if (path !== null) return path;
  }
  if (below === null || !looksLikeFile(text)) return null;
  const tail = resolveBundleRelative(text);
  return tail.kind === 'inside' && tail.path !== '' ? index.below(below, tail.path) : null;
}

const FOLDER_VARIABLE = /^(?:"?\$\(\s{0,4}(?:dirname|cd|realpath|readlink)\b[^()]{0,200}(?:\([^()]{0,100}\)[^()]{0,100}){0,2}\)"?|"?\$\{[^{}]{1,100}\}"?|"?\$[A-Za-z_]\w{0,64}"?|%~dps?0)[\\/]?/;

/** Variables that name folders outside the bundle. */
const ELSEWHERE = /^"?\$\{?(?:HOME|TMPDIR|TMP|TEMP|PWD|OLDPWD|XDG_\w{1,40}|USERPROFILE|APPDATA|LOCALAPPDATA|env:\w{1,64})\b/i;

/** The path after a leading folder variable, or the text unchanged. */
function withoutFolderVariable(text: string): string {
  if (ELSEWHERE.test(text)) return text;
  const match = FOLDER_VARIABLE.exec(text);
  return match === null || match[0] === '' ? text : text.slice(match[0].length);
}

function located(path: ReturnType<typeof resolveBundleRelative> | null, known: ReadonlySet<string>): string | null {
  return path?.kind === 'inside' && known.has(path.path) ? path.path : null;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers.

/** The folder the server starts from: the entry's, else the entry point's as written. */
function serverDirOf(server: ServerFacts): string {
  const entry = server.entries[0];
  if (entry !== undefined) return dirOf(entry);
  const written = server.entryPoint === undefined ? null : resolveBundleRelative(server.entryPoint);
  return written?.kind === 'inside' ? dirOf(written.path) : '';
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

const MAX_STARTERS = 16;

function sameStarter(a: ScriptStarter, b: ScriptStarter): boolean {
  return a.kind === b.kind && a.file === b.file && a.line === b.line && a.column === b.column;
}

function dedupeStarters(starters: readonly ScriptStarter[]): ScriptStarter[] {
  const kept: ScriptStarter[] = [];
  for (const starter of starters) if (kept.length < MAX_STARTERS && !kept.some((known) => sameStarter(known, starter))) kept.push(starter);
  return kept;
}

function lineCount(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
