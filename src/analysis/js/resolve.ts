// Node's module resolution over the in-memory tree: nothing is read from disk and nothing is run.
// It follows Node where Node would find a file, and is more generous where Node would fail (it probes
// extensions for ESM too), because a static auditor would rather see too much code than miss some.
// Everything in package.json is bundle content: hostile shapes give "missing", never a throw.
import { builtinModules } from 'node:module';
import type { VirtualFile } from '../../bundle/container.js';
import { isObject } from '../../manifest/access.js';
import type { Resolution, Resolver, ResolveKind } from '../model/resolver.js';

const MISSING: Resolution = { kind: 'missing' };

// Entries with a `node:` prefix (newer Node lists `node:test` and the like) are prefix-only builtins:
// the bare name never matches them, which is Node's rule too.
const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.tsx', '.jsx', '.json', '.node'];

// TypeScript sources import their siblings by the name they will have once compiled.
const TS_SOURCES: ReadonlyMap<string, string[]> = new Map([
  ['.js', ['.ts', '.tsx']],
  ['.jsx', ['.tsx']],
  ['.mjs', ['.mts']],
  ['.cjs', ['.cts']],
]);

// `module` is a bundler condition, not Node's; accepting it can only add code to the audit.
const CONDITIONS: Record<ResolveKind, ReadonlySet<string>> = {
  import: new Set(['node', 'import', 'module', 'default']),
  require: new Set(['node', 'require', 'default']),
};

// Bounds recursion through nested conditions and fallback arrays in a crafted package.json. Far past
// any real package; deeper targets resolve to nothing, which the graph reports as missing.
const MAX_TARGET_DEPTH = 1_000;

interface PackageJson {
  name?: string;
  main?: string;
  module?: string;
  /** Present (possibly null) only when the key is. */
  exports?: unknown;
  imports?: unknown;
}

/** One resolution, for a one-off question. Building a resolver with `createResolver` once is far cheaper for many. */
export function resolveModule(files: ReadonlyMap<string, VirtualFile>, fromFile: string, specifier: string, kind: ResolveKind): Resolution {
  return createResolver(files)(fromFile, specifier, kind);
}

/** A resolver over one tree, caching directories, package.json files and answers for its lifetime. */
export function createResolver(files: ReadonlyMap<string, VirtualFile>): Resolver {
  const dirs = directoriesOf(files.keys());
  const packages = new Map<string, PackageJson | null>();
  const answers = new Map<string, Resolution>();

  function packageJson(dir: string): PackageJson | null {
    let pkg = packages.get(dir);
    if (pkg === undefined) {
      const file = files.get(join(dir, 'package.json'));
      pkg = file === undefined ? null : parsePackageJson(file.bytes);
      packages.set(dir, pkg);
    }
    return pkg;
  }

  function asFile(path: string): string | null {
    if (files.has(path)) return path;
    const extension = extensionOf(path);
    for (const source of TS_SOURCES.get(extension) ?? []) {
      const candidate = path.slice(0, -extension.length) + source;
      if (files.has(candidate)) return candidate;
    }
    for (const ext of EXTENSIONS) if (files.has(path + ext)) return path + ext;
    return null;
  }

  function asIndex(dir: string): string | null {
    const base = join(dir, 'index');
    for (const ext of EXTENSIONS) if (files.has(base + ext)) return base + ext;
    return null;
  }

  // Node: `main` as a file, then `main` as a folder's index, then the folder's own index. Node ignores
  // `module`; it is tried last, only where Node would have failed.
  function asDirectory(dir: string): string | null {
    if (!dirs.has(dir)) return null;
    const pkg = packageJson(dir);
    const main = pkg?.main === undefined ? null : resolvePath(dir, pkg.main, false);
    const fromMain = main === null ? null : (asFile(main) ?? asIndex(main));
    if (fromMain !== null) return fromMain;
    const index = asIndex(dir);
    if (index !== null) return index;
    const module = pkg?.module === undefined ? null : resolvePath(dir, pkg.module, false);
    return module === null ? null : (asFile(module) ?? asIndex(module));
  }

  function asFileOrDirectory(path: string, directoryOnly: boolean): Resolution {
    const found = (directoryOnly ? null : asFile(path)) ?? asDirectory(path);
    return found === null ? MISSING : { kind: 'file', path: found };
  }

  // Node's package scope: the nearest package.json above a folder, never looking past a node_modules folder.
  function packageScope(dir: string): { dir: string; pkg: PackageJson } | null {
    for (let current: string | null = dir; current !== null; current = parentOf(current)) {
      if (lastSegment(current) === 'node_modules') return null;
      const pkg = packageJson(current);
      if (pkg !== null) return { dir: current, pkg };
    }
    return null;
  }

  function exactFile(path: string | null): Resolution {
    return path !== null && files.has(path) ? { kind: 'file', path } : MISSING;
  }

  // PACKAGE_TARGET_RESOLVE: a file path, a resolution (bare targets of `imports`), null when the
  // target is blocked, undefined when nothing matched or the target is invalid (so arrays fall back).
  function resolveTarget(
    pkgDir: string,
    target: unknown,
    star: string | null,
    kind: ResolveKind,
    isImports: boolean,
    depth: number,
  ): Resolution | null | undefined {
    if (depth > MAX_TARGET_DEPTH) return undefined;
    if (typeof target === 'string') {
      const substituted = star === null ? target : target.replaceAll('*', star);
      if (!target.startsWith('./')) {
        // Only `imports` may name another package (or a builtin) instead of a file of its own.
        const url = /^[a-zA-Z][a-zA-Z\d+.-]*:/.test(target) && !target.startsWith('node:');
        if (!isImports || target.startsWith('../') || target.startsWith('/') || url) return undefined;
        return resolveBare(pkgDir, substituted, kind);
      }
      // Node refuses targets that leave the package or reach into another package's node_modules.
      if (!validTargetSegments(target.slice(2)) || (star !== null && !validTargetSegments(star))) return undefined;
      return exactFile(resolvePath(pkgDir, substituted, false));
    }
    if (Array.isArray(target)) {
      for (const fallback of target) {
        const resolved = resolveTarget(pkgDir, fallback, star, kind, isImports, depth + 1);
        if (resolved !== undefined) return resolved;
      }
      return undefined;
    }
    if (target === null) return null;
    if (typeof target === 'object') {
      // Object key order decides, not the order of our condition list: that is Node's rule.
      for (const [condition, value] of Object.entries(target)) {
        if (!CONDITIONS[kind].has(condition)) continue;
        const resolved = resolveTarget(pkgDir, value, star, kind, isImports, depth + 1);
        if (resolved !== undefined) return resolved;
      }
    }
    return undefined;
  }

  function resolveMap(pkgDir: string, map: Record<string, unknown>, key: string, kind: ResolveKind, isImports: boolean): Resolution {
    const match = matchKey(map, key);
    if (match === null) return MISSING;
    return resolveTarget(pkgDir, match.target, match.star, kind, isImports, 0) ?? MISSING;
  }

  function resolveExports(pkgDir: string, exports: unknown, subpath: string, kind: ResolveKind): Resolution {
    const map = exportsMap(exports);
    return map === null ? MISSING : resolveMap(pkgDir, map, subpath, kind, false);
  }

  function resolveBare(fromDir: string, specifier: string, kind: ResolveKind): Resolution {
    const builtin = builtinName(specifier);
    if (builtin !== null) return { kind: 'builtin', name: builtin };
    const parsed = parsePackageSpecifier(specifier);
    if (parsed === null) return MISSING;
    const scope = packageScope(fromDir);
    if (scope !== null && scope.pkg.name === parsed.name && scope.pkg.exports !== undefined && scope.pkg.exports !== null) {
      return resolveExports(scope.dir, scope.pkg.exports, parsed.subpath, kind);
    }
    for (let current: string | null = fromDir; current !== null; current = parentOf(current)) {
      if (lastSegment(current) === 'node_modules') continue;
      const modules = join(current, 'node_modules');
      if (!dirs.has(modules)) continue;
      const pkgDir = join(modules, parsed.name);
      const present = dirs.has(pkgDir);
      const pkg = present ? packageJson(pkgDir) : null;
      if (pkg?.exports !== undefined && pkg.exports !== null) return resolveExports(pkgDir, pkg.exports, parsed.subpath, kind);
      // Node normalises the joined path, so `pkg/../../x` may leave the package (never the bundle).
      const path = resolvePath(pkgDir, parsed.subpath, kind === 'import');
      const found = path === null ? MISSING : asFileOrDirectory(path, false);
      if (found.kind !== 'missing') return found;
      // ESM stops at the first folder of that name; require() keeps climbing.
      if (present && kind === 'import') return MISSING;
    }
    return MISSING;
  }

  function resolveImports(fromDir: string, specifier: string, kind: ResolveKind): Resolution {
    if (specifier === '#' || specifier.startsWith('#/')) return MISSING;
    const scope = packageScope(fromDir);
    if (scope === null || !isObject(scope.pkg.imports)) return MISSING;
    return resolveMap(scope.dir, scope.pkg.imports, specifier, kind, true);
  }

  function resolveUncached(fromDir: string, specifier: string, kind: ResolveKind): Resolution {
    if (isRelative(specifier)) {
      // ESM specifiers are URLs: a query or fragment is not part of the file name, and %xx is decoded.
      const text = kind === 'import' ? specifier.replace(/[?#][^]*$/, '') : specifier;
      const path = resolvePath(fromDir, text, kind === 'import');
      if (path === null) return MISSING;
      return asFileOrDirectory(path, /(^|[/\\])\.{0,2}$/.test(text));
    }
    // The filesystem root, a drive or a URL is outside the bundle, so never in it.
    if (specifier.startsWith('/') || specifier.startsWith('\\')) return MISSING;
    if (specifier.startsWith('#')) return resolveImports(fromDir, specifier, kind);
    if (/^[a-zA-Z][a-zA-Z\d+.-]*:/.test(specifier) && !specifier.startsWith('node:')) return MISSING;
    return resolveBare(fromDir, specifier, kind);
  }

  return (fromFile, specifier, kind) => {
    const fromDir = parentOf(fromFile) ?? '';
    const key = `${kind}\0${fromDir}\0${specifier}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = resolveUncached(fromDir, specifier, kind);
      answers.set(key, answer);
    }
    return answer;
  };
}

function builtinName(specifier: string): string | null {
  if (specifier.startsWith('node:')) return specifier.length > 5 ? specifier.slice(5) : null;
  return BUILTINS.has(specifier) ? specifier : null;
}

function isRelative(specifier: string): boolean {
  return /^\.\.?($|[/\\])/.test(specifier);
}

/** `pkg`, `pkg/sub`, `@scope/pkg/sub` -> name and `./sub` (or `.`); null for names npm could not publish. */
function parsePackageSpecifier(specifier: string): { name: string; subpath: string } | null {
  const segments = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (segments.length < nameLength || segments.slice(0, nameLength).some((segment) => segment === '')) return null;
  const name = segments.slice(0, nameLength).join('/');
  if (name.startsWith('.') || /[\\%]/.test(name)) return null;
  const rest = segments.slice(nameLength);
  return { name, subpath: rest.length === 0 ? '.' : `./${rest.join('/')}` };
}

/** The subpath map of an `exports` value: sugar for `.` unless every key is a subpath; null when keys are mixed. */
function exportsMap(exports: unknown): Record<string, unknown> | null {
  if (!isObject(exports)) return { '.': exports };
  const keys = Object.keys(exports);
  const subpaths = keys.filter((key) => key.startsWith('.')).length;
  if (subpaths === 0) return { '.': exports };
  return subpaths === keys.length ? exports : null;
}

/** PATTERN_KEY_COMPARE: an exact key wins; else the pattern with the longest prefix, then the longest key. */
function matchKey(map: Record<string, unknown>, key: string): { target: unknown; star: string | null } | null {
  if (!key.includes('*') && Object.prototype.hasOwnProperty.call(map, key)) return { target: map[key], star: null };
  let best: string | null = null;
  let star = '';
  for (const candidate of Object.keys(map)) {
    const at = candidate.indexOf('*');
    if (at === -1 || candidate.indexOf('*', at + 1) !== -1) continue;
    const base = candidate.slice(0, at);
    const trailer = candidate.slice(at + 1);
    if (!key.startsWith(base) || key === base) continue;
    if (trailer !== '' && (!key.endsWith(trailer) || key.length < candidate.length)) continue;
    if (best === null || base.length > best.indexOf('*') || (base.length === best.indexOf('*') && candidate.length > best.length)) {
      best = candidate;
      star = key.slice(base.length, key.length - trailer.length);
    }
  }
  return best === null ? null : { target: map[best], star };
}

function validTargetSegments(path: string): boolean {
  return path.split(/[/\\]/).every((segment) => {
    const decoded = segment.replace(/%2e/gi, '.').toLowerCase();
    return decoded !== '.' && decoded !== '..' && decoded !== 'node_modules';
  });
}

/**
 * `relative` applied to the bundle folder `base`; null when it climbs above the bundle root or (URLs)
 * decodes to a separator, which Node rejects. `\` separates too, as it does on Windows.
 */
function resolvePath(base: string, relative: string, decode: boolean): string | null {
  const segments = base === '' ? [] : base.split('/');
  for (const raw of relative.split(/[/\\]/)) {
    let segment = raw;
    if (decode) {
      try {
        segment = decodeURIComponent(raw);
      } catch {
        return null;
      }
      if (/[/\\]/.test(segment)) return null;
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return null;
      segments.pop();
    } else segments.push(segment);
  }
  return segments.join('/');
}

function parsePackageJson(bytes: Uint8Array): PackageJson {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
  if (!isObject(json)) return {};
  const pkg: PackageJson = {};
  if (typeof json.name === 'string') pkg.name = json.name;
  if (typeof json.main === 'string' && json.main !== '') pkg.main = json.main;
  if (typeof json.module === 'string' && json.module !== '') pkg.module = json.module;
  if (Object.prototype.hasOwnProperty.call(json, 'exports')) pkg.exports = json.exports;
  if (Object.prototype.hasOwnProperty.call(json, 'imports')) pkg.imports = json.imports;
  return pkg;
}

function directoriesOf(paths: Iterable<string>): Set<string> {
  const dirs = new Set<string>(['']);
  for (const path of paths) {
    // Ancestors are added together, so meeting a known folder means the rest are known too.
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
      const dir = path.slice(0, end);
      if (dirs.has(dir)) break;
      dirs.add(dir);
    }
  }
  return dirs;
}

function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

/** The folder holding a path; null for the root itself. */
function parentOf(path: string): string | null {
  if (path === '') return null;
  const at = path.lastIndexOf('/');
  return at === -1 ? '' : path.slice(0, at);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function extensionOf(path: string): string {
  const name = lastSegment(path);
  const at = name.lastIndexOf('.');
  return at <= 0 ? '' : name.slice(at);
}
