// pip's requirements file format (also read by `uv pip install -r`): one requirement per logical line
// (a trailing `\` continues it), `#` comments, options that change where packages come from
// (`--index-url`, `--extra-index-url`, `--find-links`, `--trusted-host`), includes (`-r`, `-c`),
// editable installs (`-e`), and per-requirement options (`--hash=sha256:…`). Each logical line becomes
// one entry; a line that is neither is reported with its number, never thrown on.
import { clip, parseRequirement, type Requirement } from './pep508.js';

export type RequirementsLine =
  /** `spec` is the requirement without its options (`--hash=…`); `raw` the whole logical line. */
  | { line: number; kind: 'requirement'; requirement: Requirement; hashes: number; editable: boolean; spec: string; raw: string }
  /** A bare URL or path instead of `name @ url` (`git+https://…#egg=x`, `./pkg`, `dist/x.whl`). */
  | { line: number; kind: 'location'; location: string; name: string | null; hashes: number; editable: boolean; spec: string; raw: string }
  | { line: number; kind: 'include'; target: string; constraint: boolean }
  | { line: number; kind: 'index'; option: IndexOption; value: string }
  | { line: number; kind: 'error'; problem: string; raw: string };

export type IndexOption = '--index-url' | '--extra-index-url' | '--find-links' | '--trusted-host' | '--no-index';

const ALIASES: Readonly<Record<string, string>> = {
  '-r': '--requirement',
  '-c': '--constraint',
  '-e': '--editable',
  '-i': '--index-url',
  '-f': '--find-links',
};
const INDEX_OPTIONS: ReadonlySet<string> = new Set(['--index-url', '--extra-index-url', '--find-links', '--trusted-host']);
// Options pip accepts on a line of their own that change nothing about where code comes from.
const HARMLESS_FLAGS: ReadonlySet<string> = new Set(['--pre', '--prefer-binary', '--require-hashes', '--no-binary', '--only-binary', '--use-feature']);
const FLAGS_WITH_VALUE: ReadonlySet<string> = new Set(['--no-binary', '--only-binary', '--use-feature']);
// Per-requirement options; anything else after a requirement is an error, as it is for pip.
const PER_REQUIREMENT = /^--(?:hash|config-settings|global-option|install-option)(?:=|$)/;

/** A logical line longer than this is reported, not read. */
export const MAX_LINE_CHARS = 16384;

/** The logical lines of a requirements file, with the number of the physical line each starts on. */
function logicalLines(text: string): Array<{ line: number; text: string; length: number }> {
  const physical = text.split(/\r\n|\r|\n/);
  const lines: Array<{ line: number; text: string; length: number }> = [];
  let start = 0;
  let parts: string[] = [];
  let length = 0;
  for (let i = 0; i < physical.length; i++) {
    let piece = physical[i]!;
    if (parts.length === 0) start = i + 1;
    const continued = piece.endsWith('\\');
    if (continued) piece = piece.slice(0, -1);
    // Past the limit only the length is kept: the line is reported, never joined whole.
    if (length <= MAX_LINE_CHARS) parts.push(piece);
    length += piece.length;
    if (continued && i + 1 < physical.length) continue;
    lines.push({ line: start, text: length > MAX_LINE_CHARS ? '' : parts.join(''), length });
    parts = [];
    length = 0;
  }
  return lines;
}

/** Strips a comment: `#` at the start of the line or after whitespace (a URL's `#egg=` stays). */
function withoutComment(text: string): string {
  const match = /(?:^|\s)#/.exec(text);
  return (match === null ? text : text.slice(0, match.index)).trim();
}

/** Splits `--option=value` or `--option value` into its canonical name and value. */
function optionOf(text: string): { option: string; value: string } {
  const match = /^(-[A-Za-z]|--[A-Za-z][\w-]*)(?:=|\s+)?(.*)$/s.exec(text)!;
  const option = ALIASES[match[1]!] ?? match[1]!;
  return { option, value: match[2]!.trim() };
}

/** Parses a requirements file; never throws. */
export function parseRequirementsFile(text: string): RequirementsLine[] {
  const out: RequirementsLine[] = [];
  for (const { line, text: raw, length } of logicalLines(text)) {
    if (length > MAX_LINE_CHARS) {
      out.push({ line, kind: 'error', problem: `the line is ${length} characters long, more than ${MAX_LINE_CHARS}`, raw: '' });
      continue;
    }
    const content = withoutComment(raw);
    if (content === '') continue;
    const parsed = parseLine(line, content);
    if (parsed !== null) out.push(parsed);
  }
  return out;
}

/** One logical line without its comment; null for an option that changes nothing this audit checks. */
function parseLine(line: number, content: string): RequirementsLine | null {
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(content)) return { line, kind: 'error', problem: 'the line contains control characters', raw: content };
  if (content.startsWith('-')) {
    const { option, value } = optionOf(content);
    if (option === '--requirement' || option === '--constraint') {
      if (value === '') return { line, kind: 'error', problem: `${option} names no file`, raw: content };
      return { line, kind: 'include', target: value, constraint: option === '--constraint' };
    }
    if (option === '--editable') {
      if (value === '') return { line, kind: 'error', problem: '--editable names nothing to install', raw: content };
      return requirementOrLocation(line, value, true, content);
    }
    if (INDEX_OPTIONS.has(option)) {
      if (value === '' || /\s/.test(value)) return { line, kind: 'error', problem: `${option} needs one value`, raw: content };
      return { line, kind: 'index', option: option as IndexOption, value };
    }
    if (option === '--no-index') return { line, kind: 'index', option: '--no-index', value: '' };
    if (HARMLESS_FLAGS.has(option) && (FLAGS_WITH_VALUE.has(option) || value === '')) return null;
    return { line, kind: 'error', problem: `"${clip(option)}" is not an option pip accepts in a requirements file`, raw: content };
  }
  return requirementOrLocation(line, content, false, content);
}

/** A requirement (PEP 508) or a bare URL or path, with its per-requirement options. */
function requirementOrLocation(line: number, text: string, editable: boolean, raw: string): RequirementsLine {
  // Per-requirement options start at the first ` --`; markers and URLs contain no such sequence.
  const split = /\s--?[A-Za-z]/.exec(text);
  const spec = (split === null ? text : text.slice(0, split.index)).trim();
  let hashes = 0;
  if (split !== null) {
    for (const option of text.slice(split.index).trim().split(/\s+/)) {
      if (!PER_REQUIREMENT.test(option)) return { line, kind: 'error', problem: `"${clip(option)}" is not an option pip accepts after a requirement`, raw };
      if (option.startsWith('--hash')) {
        if (!/^--hash=(?:sha256|sha384|sha512):[0-9a-fA-F]{64,128}$/.test(option)) return { line, kind: 'error', problem: `"${clip(option)}" is not a hash pip accepts`, raw };
        hashes++;
      }
    }
  }
  if (isLocation(spec)) {
    const egg = /#(?:.*&)?egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)?.[1] ?? null;
    return { line, kind: 'location', location: spec, name: egg, hashes, editable, spec, raw };
  }
  const parsed = parseRequirement(spec);
  if (!parsed.ok) return { line, kind: 'error', problem: parsed.problem, raw };
  return { line, kind: 'requirement', requirement: parsed.value, hashes, editable, spec, raw };
}

/** A URL (`https://`, `git+ssh://`, `file:`) or a path (`./x`, `../x`, `/x`, `C:\x`, `x.whl`, `.`). */
export function isLocation(spec: string): boolean {
  return (
    /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(spec) ||
    /^file:/i.test(spec) ||
    /^(?:\.{1,2}(?:[/\\]|$)|[/\\~]|[A-Za-z]:[/\\]|\$\{)/.test(spec) ||
    /\.(?:whl|zip|tar\.gz|tgz|tar\.bz2|tar\.xz|tar)$/i.test(spec) ||
    (spec.includes('/') && !/[@;<>=!~]/.test(spec))
  );
}
