// What a pyproject.toml (or a script's PEP 723 `# /// script` block, which has the same `dependencies`
// and `[tool.uv]`) declares about dependencies: the PEP 621 lists, PEP 735 dependency groups, uv's own
// `dev-dependencies` and `override-dependencies`, `[tool.uv.sources]` (git, URL, path and index
// sources by name) and the indexes uv is told to use. Values of the wrong type are problems with a line.
import { normalizeName, parseRequirement, type Parsed, type Requirement } from './pep508.js';
import type { Source } from './source.js';
import { isCommit, sourceOfLocation } from './source.js';
import { isTable, readToml, tomlAt, TomlLines, type TomlTable } from './toml.js';

/** Entries read per list and sources per table; past this the rest is reported, not read. */
export const MAX_ENTRIES = 1000;

/** Which part of the project a dependency belongs to, which decides whether `uv run` installs it. */
export type Group =
  | { kind: 'project' }
  | { kind: 'extra'; name: string }
  | { kind: 'group'; name: string }
  | { kind: 'override' }
  | { kind: 'build' };

export interface DeclaredEntry {
  group: Group;
  /** Where it is declared, as a reader would look for it: `project.dependencies`, `dependency-groups.dev`. */
  table: string;
  raw: string;
  line: number;
  parsed: Parsed<Requirement>;
}

export interface SourceEntry {
  /** PEP 503 key of the package the source applies to. */
  key: string;
  name: string;
  source: Source | { kind: 'index'; index: string };
  line: number;
}

export interface IndexEntry {
  /** `[[tool.uv.index]]`, or the option it came from. */
  option: 'index' | 'index-url' | 'extra-index-url' | 'find-links' | 'allow-insecure-host';
  value: string;
  name?: string;
  /** `default = true`: replaces PyPI. */
  replacesDefault: boolean;
  /** `explicit = true`: used only by packages a source pins to it. */
  explicit: boolean;
  line: number;
}

export interface ProjectDeclarations {
  entries: DeclaredEntry[];
  sources: SourceEntry[];
  indexes: IndexEntry[];
  /** `[tool.uv] default-groups`: the groups `uv run` installs unless told otherwise. */
  defaultGroups: string[] | 'all';
  /** `[tool.uv] package = false`, or no build system: the project itself is never built. */
  builds: boolean;
  problems: Array<{ line: number; problem: string }>;
}

export type PyprojectRead = { ok: true; declarations: ProjectDeclarations } | { ok: false; problem: string; line: number | null };

/** Reads a pyproject.toml (`shape: 'pyproject'`) or a PEP 723 script block (`'script'`). */
export function readPyproject(text: string, shape: 'pyproject' | 'script' = 'pyproject', lineOffset = 0): PyprojectRead {
  const read = readToml(text);
  if (!read.ok) return { ok: false, problem: read.problem, line: read.line === null ? null : read.line + lineOffset };
  const lines = new TomlLines(text);
  const out: ProjectDeclarations = { entries: [], sources: [], indexes: [], defaultGroups: ['dev'], builds: false, problems: [] };
  const problem = (line: number, text: string): void => {
    out.problems.push({ line, problem: text });
  };
  const table = read.table;

  /** Reads one list of requirement strings. */
  const list = (path: readonly string[], group: Group, headerPath: readonly string[]): void => {
    const value = tomlAt(table, path);
    if (value === undefined) return;
    const header = lines.header(headerPath);
    const keyAt = lines.key(path.at(-1)!, Math.max(header, 0));
    const fallback = lines.lineOf([keyAt, header]);
    const name = path.join('.');
    if (!Array.isArray(value)) {
      problem(fallback + lineOffset, `${name} is not a list of requirement strings`);
      return;
    }
    let cursor = Math.max(keyAt, header, 0);
    for (const [index, item] of value.entries()) {
      if (index >= MAX_ENTRIES) {
        problem(fallback + lineOffset, `${name} lists ${value.length} entries; only the first ${MAX_ENTRIES} were read`);
        break;
      }
      // PEP 735: `{ include-group = "other" }` pulls another group in; the other group is read on its own.
      if (group.kind === 'group' && isTable(item) && typeof item['include-group'] === 'string') continue;
      if (typeof item !== 'string') {
        problem(fallback + lineOffset, `${name}[${index}] is not a requirement string`);
        continue;
      }
      const offset = lines.string(item, cursor);
      if (offset !== -1) cursor = offset;
      out.entries.push({ group, table: name, raw: item, line: lines.lineOf([offset], fallback) + lineOffset, parsed: parseRequirement(item) });
    }
  };

  const groupsOf = (path: readonly string[], kind: 'extra' | 'group'): void => {
    const groups = tomlAt(table, path);
    if (groups === undefined) return;
    if (!isTable(groups)) {
      problem(lines.lineOf([lines.header(path), lines.key(path.at(-1)!)]) + lineOffset, `${path.join('.')} is not a table of lists`);
      return;
    }
    for (const name of Object.keys(groups)) list([...path, name], { kind, name }, path);
  };

  if (shape === 'pyproject') {
    list(['project', 'dependencies'], { kind: 'project' }, ['project']);
    groupsOf(['project', 'optional-dependencies'], 'extra');
    groupsOf(['dependency-groups'], 'group');
    list(['build-system', 'requires'], { kind: 'build' }, ['build-system']);
    out.builds = tomlAt(table, ['build-system']) !== undefined && tomlAt(table, ['tool', 'uv', 'package']) !== false;
  } else {
    list(['dependencies'], { kind: 'project' }, []);
  }
  list(['tool', 'uv', 'dev-dependencies'], { kind: 'group', name: 'dev' }, ['tool', 'uv']);
  list(['tool', 'uv', 'override-dependencies'], { kind: 'override' }, ['tool', 'uv']);

  const defaultGroups = tomlAt(table, ['tool', 'uv', 'default-groups']);
  if (defaultGroups === 'all') out.defaultGroups = 'all';
  else if (Array.isArray(defaultGroups)) out.defaultGroups = defaultGroups.filter((group): group is string => typeof group === 'string');

  readSources(table, lines, out, lineOffset);
  readIndexes(table, lines, out, lineOffset);
  return { ok: true, declarations: out };
}

function readSources(table: TomlTable, lines: TomlLines, out: ProjectDeclarations, lineOffset: number): void {
  const sources = tomlAt(table, ['tool', 'uv', 'sources']);
  if (sources === undefined) return;
  const header = lines.header(['tool', 'uv', 'sources']);
  if (!isTable(sources)) {
    out.problems.push({ line: lines.lineOf([header, lines.key('sources')]) + lineOffset, problem: 'tool.uv.sources is not a table' });
    return;
  }
  let count = 0;
  for (const [name, value] of Object.entries(sources)) {
    const line = lines.lineOf([lines.key(name, Math.max(header, 0)), lines.key(name), header]) + lineOffset;
    // A list of sources, each with its own marker (`{ git = …, marker = "sys_platform == 'linux'" }`).
    for (const item of Array.isArray(value) ? value : [value]) {
      if (++count > MAX_ENTRIES) {
        out.problems.push({ line, problem: `tool.uv.sources has more than ${MAX_ENTRIES} entries; the rest were not read` });
        return;
      }
      const source = sourceOfTable(item);
      if (typeof source === 'string') out.problems.push({ line, problem: `tool.uv.sources.${name}: ${source}` });
      else out.sources.push({ key: normalizeName(name), name, source, line });
    }
  }
}

/** One `[tool.uv.sources]` value, or why it is not one uv accepts. */
function sourceOfTable(value: unknown): Source | { kind: 'index'; index: string } | string {
  if (!isTable(value)) return 'is not a table';
  const text = (key: string): string | undefined => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
  const git = text('git');
  if (git !== undefined) {
    const refs = (['rev', 'tag', 'branch'] as const).filter((key) => text(key) !== undefined);
    if (refs.length > 1) return 'names more than one of rev, tag and branch';
    const refKind = refs[0] ?? null;
    const ref = refKind === null ? null : text(refKind)!;
    return { kind: 'vcs', vcs: 'git', url: git, ref, refKind, commit: refKind === 'rev' && isCommit(ref) };
  }
  const url = text('url');
  if (url !== undefined) return sourceOfLocation(url).kind === 'url' ? sourceOfLocation(url) : { kind: 'url', url, hashed: false };
  const path = text('path');
  if (path !== undefined) return { kind: 'path', path, editable: value.editable === true };
  const index = text('index');
  if (index !== undefined) return { kind: 'index', index };
  if (value.workspace === true) return { kind: 'workspace' };
  return 'names none of git, url, path, index or workspace';
}

function readIndexes(table: TomlTable, lines: TomlLines, out: ProjectDeclarations, lineOffset: number): void {
  const uv = ['tool', 'uv'];
  const uvHeader = Math.max(lines.header(uv), 0);
  const indexes = tomlAt(table, [...uv, 'index']);
  if (Array.isArray(indexes)) {
    let from = 0;
    for (const [position, index] of indexes.slice(0, MAX_ENTRIES).entries()) {
      if (!isTable(index) || typeof index.url !== 'string') {
        out.problems.push({ line: lines.lineOf([lines.header([...uv, 'index'], true)]) + lineOffset, problem: `tool.uv.index[${position}] has no url` });
        continue;
      }
      const header = lines.header([...uv, 'index'], true, from);
      if (header !== -1) from = header + 1;
      out.indexes.push({
        option: 'index',
        value: index.url,
        ...(typeof index.name === 'string' ? { name: index.name } : {}),
        replacesDefault: index.default === true,
        explicit: index.explicit === true,
        line: lines.lineOf([lines.string(index.url, Math.max(header, 0)), header]) + lineOffset,
      });
    }
  }
  // uv's older settings, still read: `index-url` replaces PyPI, `extra-index-url` adds to it.
  for (const option of ['index-url', 'extra-index-url', 'find-links', 'allow-insecure-host'] as const) {
    const value = tomlAt(table, [...uv, option]);
    for (const item of (Array.isArray(value) ? value : [value]).slice(0, MAX_ENTRIES)) {
      if (typeof item !== 'string') continue;
      out.indexes.push({
        option,
        value: item,
        replacesDefault: option === 'index-url',
        explicit: false,
        line: lines.lineOf([lines.string(item, uvHeader), lines.key(option, uvHeader)]) + lineOffset,
      });
    }
  }
}
