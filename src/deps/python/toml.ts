// TOML for pyproject.toml and uv.lock: parsed with smol-toml under a nesting limit, never thrown out of,
// plus the line numbers the parsed value does not keep, found again in the text (a finding points at
// the line of the dependency string or the key it is about).
import { parse, TomlError } from 'smol-toml';

/** Inline arrays and tables nested deeper than this are refused (smol-toml counts them; real files use 3 or 4). */
export const MAX_TOML_DEPTH = 64;

export type TomlTable = Record<string, unknown>;

export type TomlRead = { ok: true; table: TomlTable } | { ok: false; problem: string; line: number | null };

export function readToml(text: string): TomlRead {
  try {
    // Null-prototype tables: `__proto__` and `constructor` stay ordinary keys.
    return { ok: true, table: parse(text, { maxDepth: MAX_TOML_DEPTH, unsafeKeyBehaviour: 'keep', integersAsBigInt: false }) as TomlTable };
  } catch (error) {
    if (error instanceof TomlError) return { ok: false, problem: firstLine(error.message.replace(/^Invalid TOML document:\s*/, '')), line: error.line };
    // A stack overflow or anything else the parser did not foresee: still the file's problem, not ours.
    return { ok: false, problem: error instanceof Error ? firstLine(error.message) : 'unreadable', line: null };
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}

/** A value of a table read with smol-toml, by key path, or undefined (never an inherited property). */
export function tomlAt(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as TomlTable)[key];
  }
  return current;
}

export function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function keyPattern(key: string): string {
  return `(?:${escapeRegExp(key)}|"${escapeRegExp(key)}"|'${escapeRegExp(key)}')`;
}

/** Line numbers in a TOML text, found by searching it: the parsed value keeps no positions. */
export class TomlLines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  /** Offset of a table header (`[tool.uv.sources]`, `[[tool.uv.index]]` when `array`), or -1. */
  header(path: readonly string[], array = false, from = 0): number {
    const open = array ? '\\[\\[' : '\\[';
    const close = array ? '\\]\\]' : '\\](?!\\])';
    const pattern = new RegExp(`^[ \\t]*${open}[ \\t]*${path.map(keyPattern).join('[ \\t]*\\.[ \\t]*')}[ \\t]*${close}`, 'gm');
    pattern.lastIndex = from;
    return pattern.exec(this.text)?.index ?? -1;
  }

  /** Offset of the line that assigns `key` (`key = …`, `"key" = …`, `a.key = …`), the first at or after `from`, or -1. */
  key(key: string, from = 0): number {
    const offsets = this.assigned().get(key);
    return offsets?.find((offset) => offset >= from) ?? -1;
  }

  private keys: Map<string, number[]> | null = null;

  /** Every line that assigns a key, by the key's last dotted part, found in one linear pass. */
  private assigned(): Map<string, number[]> {
    if (this.keys !== null) return this.keys;
    const keys = new Map<string, number[]>();
    for (const match of this.text.matchAll(/^[ \t]*([^=\n[#]{1,256})=/gm)) {
      const parts = match[1]!.match(/"[^"]*"|'[^']*'|[^.]+/g) ?? [];
      const last = (parts.at(-1) ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
      const offsets = keys.get(last);
      if (offsets === undefined) keys.set(last, [match.index]);
      else offsets.push(match.index);
    }
    this.keys = keys;
    return keys;
  }

  /** Offset of `value` written as a quoted string, the first at or after `from` (else the first anywhere), or -1. */
  string(value: string, from = 0): number {
    const offsets = this.quoted().get(value);
    if (offsets === undefined) return -1;
    return offsets.find((offset) => offset >= from) ?? offsets[0]!;
  }

  private strings: Map<string, number[]> | null = null;

  /** Every one-line quoted string of the text, by its raw content, found in one linear pass. */
  private quoted(): Map<string, number[]> {
    if (this.strings !== null) return this.strings;
    const strings = new Map<string, number[]>();
    for (const match of this.text.matchAll(/"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'/g)) {
      const content = match[1] ?? match[2]!;
      const offsets = strings.get(content);
      if (offsets === undefined) strings.set(content, [match.index]);
      else offsets.push(match.index);
    }
    this.strings = strings;
    return strings;
  }

  /** The line of the first offset found (not -1), else `fallback`. */
  lineOf(offsets: readonly number[], fallback = 1): number {
    const found = offsets.find((offset) => offset !== -1);
    return found === undefined ? fallback : this.lineAt(found);
  }
}
