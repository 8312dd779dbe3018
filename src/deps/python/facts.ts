// The Python dependencies a bundle declares, where each comes from, and whether anything installs it
// when the server starts: read once per bundle from pyproject.toml, uv.lock, requirements files and the
// entry script's PEP 723 block, for the deps-python-* rules (and manifest-uv-layout, which needs the
// uv project folders). Only bundles whose server is Python (type `python` or `uv`, or a launch command
// that runs Python or a Python installer) are read, and only files at the bundle root, in the entry
// point's folder and the folders above it, in a `--directory` given to uv, in a local path source, or
// named by a launch command: never the packages a bundle vendors under `lib/` or `site-packages/`.
//
// Who installs what, as uv and pip do it:
// - `uv run` (and a `uv` server, which the host starts with uv) installs the nearest pyproject.toml
//   from the project folder up: its `[project] dependencies`, the default dependency groups (`dev`
//   unless `[tool.uv] default-groups` says otherwise), the extras and groups the command asks for,
//   overrides, and the build requirements when the project is built; from uv.lock when the lock lists
//   them. A script with a `# /// script` block is run with that block's dependencies instead.
// - A requirements file is installed only when a launch command names it (`pip install -r`,
//   `uv pip install -r`, `uv run --with-requirements`), and so is every file it includes.
// - Anything else (a `python` server's pyproject.toml, whose packages are shipped in `server/lib`) is
//   declared but not installed at start: it says where the shipped packages came from.
import type { VirtualFile } from '../../bundle/container.js';
import type { JsonPath } from '../../manifest/access.js';
import { stringAt } from '../../manifest/access.js';
import { resolveBundleRelative, serverType } from '../../manifest/mcp-config.js';
import { MAX_SCRIPT_SCAN_CHARS, scriptBlock } from './inline.js';
import { readLaunch, type LaunchFacts, type UvRun } from './launch.js';
import { readLock, type LockedPackage } from './lock.js';
import { normalizeName, type Specifier } from './pep508.js';
import { readPyproject, type Group, type ProjectDeclarations } from './pyproject.js';
import { parseRequirementsFile } from './requirements.js';
import { sourceOfLocation, type Source } from './source.js';
import { addToList } from '../../common.js';

/** pyproject.toml and requirements files larger than this are reported, not read. */
export const MAX_DECLARATION_BYTES = 1 << 20;
/** uv.lock files list every file of every package; they are allowed more. */
export const MAX_LOCK_BYTES = 8 << 20;
/** Declaration files read per bundle, includes and path sources included. */
export const MAX_DECLARATION_FILES = 32;
/** `-r` includes followed this deep. */
const MAX_INCLUDE_DEPTH = 8;

export type DeclarationKind = 'pyproject' | 'requirements' | 'script' | 'lock';

export interface PythonDependency {
  file: string;
  line: number;
  /** The requirement as written. */
  raw: string;
  /** As written, or null for a bare URL or path with no `#egg=` name. */
  name: string | null;
  key: string | null;
  /** Where it is declared: `project.dependencies`, `dependency-groups.dev`, `requirements`. */
  table: string;
  /** Something installs it when the server starts. */
  installed: boolean;
  specifiers: Specifier[];
  /** Where its code comes from, after `[tool.uv.sources]`. */
  source: Source;
  /** For a path source: the bundle path it names, or null when it lies outside the bundle. */
  insidePath: string | null;
  /** `[tool.uv.sources]` entry that set the source, when one did. */
  sourceLine: number | null;
  /** The named index `[tool.uv.sources]` pins it to. */
  index: string | null;
  /** `--hash` options on its requirements line. */
  hashes: number;
  /** Build requirements and constraints are not expected to be pinned by hand. */
  checkPinning: boolean;
  /** The package uv.lock records for it, when the lock in use lists it. */
  locked: LockedPackage | null;
  /** A uv.lock sits next to the pyproject.toml that declares it. */
  lockPresent: boolean;
}

export interface PythonIndex {
  file: string;
  line?: number;
  pointer?: JsonPath;
  /** `--extra-index-url`, `[[tool.uv.index]]`, `UV_INDEX_URL`… as a reader would look for it. */
  option: string;
  value: string;
  installed: boolean;
  /** Adds to PyPI (an extra index, or `[[tool.uv.index]]` without `default`), rather than replacing it. */
  extra: boolean;
  /** `[[tool.uv.index]]` with `explicit = true`: only packages pinned to it come from it. */
  explicit: boolean;
  /** Packages `[tool.uv.sources]` pins to it. */
  packages: string[];
  /** For `--find-links` and index paths: the bundle path it names (a wheel folder shipped in the bundle). */
  insideBundle: boolean;
}

export interface DeclarationProblem {
  file: string;
  line: number | null;
  problem: string;
  /** The whole file was not read (too large, not UTF-8, not TOML), not one entry. */
  whole: boolean;
  installed: boolean;
}

export interface LockInUse {
  file: string;
  /** The pyproject.toml it locks. */
  project: string;
  installed: boolean;
  packages: LockedPackage[];
}

export interface PythonDeclarations {
  /** The bundle's server is Python: the rest is meaningful. */
  applies: boolean;
  launch: LaunchFacts;
  /** Folders `uv run` works in (its project), when the server is started with uv. */
  uvProjectDirs: string[];
  /** The uv runs of the launch commands (or the host's own, for a `uv` server with none). */
  uvRuns: UvRun[];
  /** Declaration files read, with whether something installs them at start. */
  files: Array<{ path: string; kind: DeclarationKind; installed: boolean }>;
  dependencies: PythonDependency[];
  indexes: PythonIndex[];
  locks: LockInUse[];
  problems: DeclarationProblem[];
}

const EMPTY_LAUNCH: LaunchFacts = { uvRuns: [], installs: false, python: false, named: new Set(), indexes: [] };

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** A folder and every folder above it, up to the bundle root. */
function upwards(dir: string): string[] {
  const dirs = [dir];
  for (let current = dir; current !== ''; ) {
    current = directoryOf(current);
    dirs.push(current);
  }
  return dirs;
}

type Decoded = { ok: true; text: string } | { ok: false; problem: string };

function decode(file: VirtualFile, limit: number): Decoded {
  if (file.bytes.length > limit) return { ok: false, problem: `it is ${file.bytes.length} bytes, more than the ${limit} read` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
    return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    return { ok: false, problem: 'it is not UTF-8 text' };
  }
}

function isInstalledGroup(group: Group, runs: readonly UvRun[], defaultGroups: string[] | 'all', builds: boolean): boolean {
  switch (group.kind) {
    case 'project':
    case 'override':
      return true;
    case 'build':
      return builds;
    case 'extra':
      return runs.some((run) => run.extras === 'all' || run.extras.includes(group.name));
    case 'group':
      return runs.some(
        (run) =>
          run.groups === 'all' ||
          run.groups.includes(group.name) ||
          (!run.noDefaultGroups && (defaultGroups === 'all' || defaultGroups.includes(group.name))),
      );
  }
}

/** The Python declarations of a bundle, read once into its facts (engine/build-facts.ts) for the rules that need them. */
export function readPythonDeclarations(manifestJson: unknown, files: ReadonlyMap<string, VirtualFile>): PythonDeclarations {
  const type = serverType(manifestJson);
  const entryPoint = stringAt(manifestJson, ['server', 'entry_point']);
  const located = entryPoint === undefined ? null : resolveBundleRelative(entryPoint.replace(/^\$\{__dirname\}[/\\]?/, ''));
  const entry = located?.kind === 'inside' && files.has(located.path) ? located.path : null;
  const entryDir = entry === null ? '' : directoryOf(entry);
  const launch = manifestJson === undefined ? EMPTY_LAUNCH : readLaunch(manifestJson, files, [...new Set([entryDir, ''])]);
  const out: PythonDeclarations = { applies: false, launch, uvProjectDirs: [], uvRuns: [], files: [], dependencies: [], indexes: [], locks: [], problems: [] };
  if (type !== 'python' && type !== 'uv' && !launch.python) return out;
  out.applies = true;

  // The host starts a `uv` server with uv even when mcp_config does not say so.
  const uvRuns: UvRun[] =
    launch.uvRuns.length > 0 ? launch.uvRuns : type === 'uv' ? [{ projectDir: null, extras: [], groups: [], noDefaultGroups: false, noProject: false, frozen: false, isolated: false }] : [];
  out.uvRuns = uvRuns;
  out.uvProjectDirs = [...new Set(uvRuns.map((run) => run.projectDir ?? entryDir))];

  // The entry script's own block: `uv run script.py` installs it, and then ignores any project.
  let scriptInstalled = false;
  if (entry !== null && entry.endsWith('.py')) {
    // The block sits at the top of the script: only its beginning is decoded.
    const block = scriptBlock(new TextDecoder('utf-8').decode(files.get(entry)!.bytes.subarray(0, MAX_SCRIPT_SCAN_CHARS)));
    const installed = uvRuns.length > 0;
    if (block.kind === 'error') out.problems.push({ file: entry, line: block.line, problem: block.problem, whole: true, installed });
    else if (block.kind === 'block') {
      scriptInstalled = installed;
      out.files.push({ path: entry, kind: 'script', installed });
      const read = readPyproject(block.block.toml, 'script', block.block.firstLine - 1);
      if (!read.ok) out.problems.push({ file: entry, line: read.line ?? block.block.firstLine, problem: `its "# /// script" block is not TOML: ${read.problem}`, whole: true, installed });
      else addProject(out, entry, read.declarations, installed, uvRuns, null, files);
    }
  }

  // pyproject.toml files: the nearest one above each uv project folder is installed.
  const installedProjects = new Set<string>();
  if (!scriptInstalled) {
    for (const run of uvRuns) {
      if (run.noProject) continue;
      const found = upwards(run.projectDir ?? entryDir).map((dir) => join(dir, 'pyproject.toml')).find((path) => files.has(path));
      if (found !== undefined) installedProjects.add(found);
    }
  }
  const searched = new Set<string>([...upwards(entryDir), ...out.uvProjectDirs.flatMap(upwards)]);
  const queue: Array<{ path: string; installed: boolean }> = [...searched]
    .map((dir) => join(dir, 'pyproject.toml'))
    .filter((path) => files.has(path))
    .map((path) => ({ path, installed: installedProjects.has(path) }));
  const seen = new Set<string>(queue.map(({ path }) => path));
  const projectRuns = uvRuns.filter((run) => !run.noProject);
  while (queue.length > 0 && out.files.length < MAX_DECLARATION_FILES) {
    const { path, installed } = queue.shift()!;
    out.files.push({ path, kind: 'pyproject', installed });
    const decoded = decode(files.get(path)!, MAX_DECLARATION_BYTES);
    if (!decoded.ok) {
      out.problems.push({ file: path, line: null, problem: decoded.problem, whole: true, installed });
      continue;
    }
    const read = readPyproject(decoded.text);
    if (!read.ok) {
      out.problems.push({ file: path, line: read.line, problem: `it is not valid TOML: ${read.problem}`, whole: true, installed });
      continue;
    }
    const lock = readLockNextTo(out, path, installed, files);
    // A local path source inside the bundle is a package of its own, installed with its dependencies.
    for (const next of addProject(out, path, read.declarations, installed, installed ? projectRuns : [], lock, files)) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push({ path: next, installed });
      }
    }
  }

  // Requirements files: those named by a launch command are installed, and so is what they include.
  const nearby = [...searched].flatMap((dir) =>
    [...files.keys()].filter((path) => directoryOf(path) === dir && /^requirements[^/]*\.txt$/i.test(path.slice(dir === '' ? 0 : dir.length + 1))),
  );
  const parsedRequirements = new Map<string, RequirementsRead>();
  const readOnce = (path: string): RequirementsRead => {
    const known = parsedRequirements.get(path);
    if (known !== undefined) return known;
    const read = readRequirements(path, files);
    parsedRequirements.set(path, read);
    return read;
  };
  const closure = (roots: readonly string[]): string[] => {
    const order: string[] = [];
    const queued = new Set<string>(roots);
    const pending = [...queued].map((path) => ({ path, depth: 0 }));
    for (let next = 0; next < pending.length && order.length < MAX_DECLARATION_FILES; next++) {
      const { path, depth } = pending[next]!;
      order.push(path);
      const read = readOnce(path);
      if (!read.ok || depth >= MAX_INCLUDE_DEPTH) continue;
      for (const include of read.includes) {
        if (queued.has(include.path)) continue;
        queued.add(include.path);
        pending.push({ path: include.path, depth: depth + 1 });
      }
    }
    return order;
  };
  const installedRequirements = new Set(closure([...launch.named]));
  for (const path of closure([...installedRequirements, ...nearby.sort()])) {
    if (out.files.length >= MAX_DECLARATION_FILES) break;
    const installed = installedRequirements.has(path);
    out.files.push({ path, kind: 'requirements', installed });
    addRequirements(out, path, readOnce(path), installed);
  }

  // Index options and variables of the launch commands themselves.
  const installsAtStart = launch.installs || type === 'uv';
  const placed = new Set<string>();
  for (const index of launch.indexes) {
    // A platform override without env of its own inherits the base one: the same variable, once.
    const key = `${index.path.join('\0')}\0${index.value}`;
    if (placed.has(key)) continue;
    placed.add(key);
    const option = index.option;
    out.indexes.push({
      file: 'manifest.json',
      pointer: index.path,
      option,
      value: index.value,
      installed: installsAtStart,
      extra: /EXTRA|--extra|^--index$|^UV_INDEX$|FIND_LINKS|find-links/.test(option),
      explicit: false,
      packages: [],
      insideBundle: isBundlePath(index.value),
    });
  }
  return out;
}

function isBundlePath(value: string): boolean {
  if (value.startsWith('${__dirname}')) return true;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || value.includes('${')) return false;
  return resolveBundleRelative(value).kind === 'inside';
}

function readLockNextTo(out: PythonDeclarations, project: string, installed: boolean, files: ReadonlyMap<string, VirtualFile>): LockInUse | null {
  const path = join(directoryOf(project), 'uv.lock');
  const file = files.get(path);
  if (file === undefined) return null;
  out.files.push({ path, kind: 'lock', installed });
  const decoded = decode(file, MAX_LOCK_BYTES);
  if (!decoded.ok) {
    out.problems.push({ file: path, line: null, problem: decoded.problem, whole: true, installed });
    return null;
  }
  const read = readLock(decoded.text);
  if (!read.ok) {
    out.problems.push({ file: path, line: read.line, problem: `it is not valid TOML: ${read.problem}`, whole: true, installed });
    return null;
  }
  for (const problem of read.problems) out.problems.push({ file: path, line: problem.line, problem: problem.problem, whole: false, installed });
  const lock: LockInUse = { file: path, project, installed, packages: read.packages };
  out.locks.push(lock);
  return lock;
}

/** Adds a project's (or script block's) dependencies and indexes; returns the pyproject.toml files of its local path sources. */
function addProject(
  out: PythonDeclarations,
  file: string,
  declarations: ProjectDeclarations,
  installed: boolean,
  runs: readonly UvRun[],
  lock: LockInUse | null,
  files: ReadonlyMap<string, VirtualFile>,
): string[] {
  const baseDir = directoryOf(file);
  const locked = new Map(lock?.packages.map((pkg) => [pkg.key, pkg]) ?? []);
  const sources = new Map<string, (typeof declarations.sources)[number]>();
  for (const source of declarations.sources) if (!sources.has(source.key)) sources.set(source.key, source);
  const next: string[] = [];
  for (const problem of declarations.problems) out.problems.push({ file, line: problem.line, problem: problem.problem, whole: false, installed });

  for (const entry of declarations.entries) {
    const entryInstalled = installed && isInstalledGroup(entry.group, runs, declarations.defaultGroups, declarations.builds);
    if (!entry.parsed.ok) {
      out.problems.push({ file, line: entry.line, problem: `"${clipRaw(entry.raw)}" in ${entry.table} is not a valid requirement: ${entry.parsed.problem}`, whole: false, installed: entryInstalled });
      continue;
    }
    const requirement = entry.parsed.value;
    const configured = requirement.url === undefined ? sources.get(requirement.key) : undefined;
    let source: Source = requirement.url !== undefined ? sourceOfLocation(requirement.url) : { kind: 'registry' };
    let index: string | null = null;
    if (configured !== undefined) {
      if (configured.source.kind === 'index') index = configured.source.index;
      else source = configured.source;
    }
    const insidePath = source.kind === 'path' ? insideOf(baseDir, source.path) : null;
    if (source.kind === 'path' && insidePath !== null) {
      const project = join(insidePath, 'pyproject.toml');
      if (files.has(project)) next.push(project);
    }
    out.dependencies.push({
      file,
      line: entry.line,
      raw: entry.raw,
      name: requirement.name,
      key: requirement.key,
      table: entry.table,
      installed: entryInstalled,
      specifiers: requirement.specifiers,
      source,
      insidePath,
      sourceLine: configured?.line ?? null,
      index,
      hashes: 0,
      checkPinning: entry.group.kind !== 'build',
      locked: locked.get(requirement.key) ?? null,
      lockPresent: lock !== null,
    });
  }

  const pinnedTo = new Map<string, string[]>();
  for (const source of declarations.sources) {
    if (source.source.kind === 'index') addToList(pinnedTo, source.source.index, source.name);
  }
  for (const index of declarations.indexes) {
    out.indexes.push({
      file,
      line: index.line,
      option: index.option === 'index' ? '[[tool.uv.index]]' : `tool.uv.${index.option}`,
      value: index.value,
      installed,
      extra: index.option === 'extra-index-url' || index.option === 'find-links' || (index.option === 'index' && !index.replacesDefault),
      explicit: index.explicit,
      packages: index.name === undefined ? [] : (pinnedTo.get(index.name) ?? []),
      insideBundle: !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(index.value) && insideOf(baseDir, index.value.replace(/^file:(\/\/)?/i, '')) !== null,
    });
  }
  return next;
}

/** The bundle path a relative path from `baseDir` names, or null when it is absolute or climbs out. */
function insideOf(baseDir: string, path: string): string | null {
  if (path.includes('${') || path.startsWith('~')) return null;
  const located = resolveBundleRelative(/^[/\\]|^[A-Za-z]:/.test(path) ? path : join(baseDir, path));
  return located.kind === 'inside' ? located.path : null;
}

function clipRaw(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

type RequirementsRead =
  | { ok: true; lines: ReturnType<typeof parseRequirementsFile>; includes: Array<{ path: string; line: number }>; outside: Array<{ line: number; target: string; missing: boolean }> }
  | { ok: false; problem: string };

/** Parses a requirements file and resolves its includes against the bundle. */
function readRequirements(path: string, files: ReadonlyMap<string, VirtualFile>): RequirementsRead {
  const decoded = decode(files.get(path)!, MAX_DECLARATION_BYTES);
  if (!decoded.ok) return decoded;
  const lines = parseRequirementsFile(decoded.text);
  const includes: Array<{ path: string; line: number }> = [];
  const outside: Array<{ line: number; target: string; missing: boolean }> = [];
  for (const line of lines) {
    if (line.kind !== 'include' || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(line.target)) continue;
    const target = insideOf(directoryOf(path), line.target);
    if (target === null) outside.push({ line: line.line, target: line.target, missing: false });
    else if (!files.has(target)) outside.push({ line: line.line, target: line.target, missing: true });
    // A constraints file (`-c`) limits versions and installs nothing of its own.
    else if (!line.constraint) includes.push({ path: target, line: line.line });
  }
  return { ok: true, lines, includes, outside };
}

/** Adds a requirements file's entries. */
function addRequirements(out: PythonDeclarations, path: string, read: RequirementsRead, installed: boolean): void {
  if (!read.ok) {
    out.problems.push({ file: path, line: null, problem: read.problem, whole: true, installed });
    return;
  }
  const baseDir = directoryOf(path);
  for (const { line, target, missing } of read.outside) {
    out.problems.push({ file: path, line, problem: `it includes "${clipRaw(target)}", which ${missing ? 'is not in the bundle' : 'lies outside the bundle'}`, whole: false, installed });
  }
  for (const line of read.lines) {
    switch (line.kind) {
      case 'error':
        out.problems.push({ file: path, line: line.line, problem: line.problem, whole: false, installed });
        break;
      case 'include':
        if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(line.target)) {
          // pip downloads a remote requirements file and installs whatever it lists at that moment.
          out.dependencies.push({
            file: path, line: line.line, raw: `${line.constraint ? '-c' : '-r'} ${line.target}`, name: null, key: null, table: 'requirements',
            installed, specifiers: [], source: { kind: 'url', url: line.target, hashed: false }, insidePath: null, sourceLine: null,
            index: null, hashes: 0, checkPinning: false, locked: null, lockPresent: false,
          });
        }
        break;
      case 'index':
        if (line.option === '--no-index') break;
        out.indexes.push({
          file: path,
          line: line.line,
          option: line.option,
          value: line.value,
          installed,
          extra: line.option === '--extra-index-url' || line.option === '--find-links',
          explicit: false,
          packages: [],
          insideBundle: line.option === '--find-links' && !/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(line.value) && insideOf(baseDir, line.value.replace(/^file:(\/\/)?/i, '')) !== null,
        });
        break;
      case 'requirement': {
        const requirement = line.requirement;
        const source: Source = requirement.url !== undefined ? sourceOfLocation(requirement.url) : { kind: 'registry' };
        out.dependencies.push({
          file: path, line: line.line, raw: line.spec, name: requirement.name, key: requirement.key, table: 'requirements', installed,
          specifiers: requirement.specifiers, source, insidePath: source.kind === 'path' ? insideOf(baseDir, source.path) : null,
          sourceLine: null, index: null, hashes: line.hashes, checkPinning: true, locked: null, lockPresent: false,
        });
        break;
      }
      case 'location': {
        const source = sourceOfLocation(line.location);
        out.dependencies.push({
          file: path, line: line.line, raw: line.spec, name: line.name, key: line.name === null ? null : normalizeName(line.name), table: 'requirements',
          installed, specifiers: [], source: source.kind === 'path' ? { ...source, editable: line.editable } : source,
          insidePath: source.kind === 'path' ? insideOf(baseDir, source.path) : null, sourceLine: null, index: null, hashes: line.hashes,
          checkPinning: false, locked: null, lockPresent: false,
        });
        break;
      }
    }
  }
}
