import type { VirtualFile } from '../bundle/container.js';
import { isObject } from '../manifest/access.js';
import { lineAndColumn } from '../manifest/syntax.js';

// What packages a bundle ships, read from their own metadata, never from code: every npm package
// root (`node_modules/<name>/package.json`, `node_modules/@scope/<name>/package.json`, nested copies
// included), the bundle's own package.json files (outside node_modules, with a name and a version),
// and Python distributions (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`).
//
// Every file is hostile: a package.json deeper inside a package (`dist/esm/package.json`, often a
// `{"type":"module"}` stub) is not a package root and is not read; a root that is not JSON, or has
// no string name and version, is listed as unreadable (file-install-script already reports JSON
// that npm refuses); JSON.parse does not recurse on the input, and only the first
// MAX_METADATA_BYTES of a Python metadata file are read. Read once per bundle into its facts
// (engine/build-facts.ts), for the deps- rules.

export interface NpmPackage {
  ecosystem: 'npm';
  name: string;
  version: string;
  /** The package.json. */
  file: string;
  /** The package's folder ('' for a package.json at the top of the bundle). */
  dir: string;
  /** `root`: the bundle's own package (outside node_modules); `installed`: under node_modules. */
  position: 'root' | 'installed';
  /** Line and column of the `version` key, when found. */
  versionAt: { line: number; column: number } | null;
  /** Declared dependencies by kind, only string ranges kept. */
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  /** Where each key of the top-level `dependencies` object is written; the bundle's own packages only. */
  dependencyAt: Map<string, { line: number; column: number }>;
}

export interface PythonDistribution {
  ecosystem: 'pypi';
  name: string;
  version: string;
  /** The METADATA or PKG-INFO file. */
  file: string;
  /** The .dist-info or .egg-info folder. */
  dir: string;
  versionAt: { line: number; column: number } | null;
}

export interface UnreadablePackage {
  ecosystem: 'npm' | 'pypi';
  file: string;
  dir: string;
  /** The name the folder gives (`node_modules/<name>`), for installed npm packages. */
  folderName: string | null;
  reason: string;
}

export interface Inventory {
  npm: NpmPackage[];
  python: PythonDistribution[];
  unreadable: UnreadablePackage[];
  /** More package roots than MAX_PACKAGES: the rest were not read. */
  truncated: boolean;
}

export const MAX_PACKAGES = 50_000;
export const MAX_METADATA_BYTES = 65_536;

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: false });

/** The packages among a bundle's files. */
export function readInventory(files: ReadonlyMap<string, VirtualFile>): Inventory {
  const inventory: Inventory = { npm: [], python: [], unreadable: [], truncated: false };
  let read = 0;
  for (const file of files.values()) {
    const kind = metadataKind(file.path);
    if (kind === null) continue;
    if (read >= MAX_PACKAGES) {
      inventory.truncated = true;
      break;
    }
    read += 1;
    if (kind === 'python') readPython(file.path, file.bytes, inventory);
    else readNpm(file.path, file.bytes, kind, inventory);
  }
  return inventory;
}

type MetadataKind = 'root' | 'installed' | 'python';

function metadataKind(path: string): MetadataKind | null {
  if (path === 'package.json' || path.endsWith('/package.json')) return npmPosition(path);
  if (/(?:^|\/)[^/]+\.dist-info\/METADATA$/.test(path) || /(?:^|\/)[^/]+\.egg-info\/PKG-INFO$/.test(path)) return 'python';
  return null;
}

/** `installed` for a package root under node_modules, `root` outside node_modules, null for a package.json inside a package. */
function npmPosition(path: string): 'root' | 'installed' | null {
  const segments = path.split('/');
  const last = segments.lastIndexOf('node_modules');
  if (last === -1) return 'root';
  const rest = segments.slice(last + 1, -1);
  if (rest.length === 1) return rest[0]!.startsWith('.') || rest[0]!.startsWith('@') ? null : 'installed';
  if (rest.length === 2) return rest[0]!.startsWith('@') && !rest[1]!.startsWith('.') ? 'installed' : null;
  return null;
}

/** The package name its place under node_modules gives: `node_modules/@scope/name` is `@scope/name`. */
export function folderNameOf(dir: string): string | null {
  const segments = dir.split('/');
  const last = segments.lastIndexOf('node_modules');
  if (last === -1) return null;
  const rest = segments.slice(last + 1);
  return rest.length === 0 ? null : rest.join('/');
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function readNpm(path: string, bytes: Uint8Array, position: 'root' | 'installed', inventory: Inventory): void {
  const dir = dirOf(path);
  const folderName = position === 'installed' ? folderNameOf(dir) : null;
  const unreadable = (reason: string): void => {
    // Outside node_modules, a package.json without a name and version is a stub (`{"type":"module"}`), not a package.
    if (position === 'installed') inventory.unreadable.push({ ecosystem: 'npm', file: path, dir, folderName, reason });
  };
  const text = UTF8.decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    unreadable('it is not valid JSON');
    return;
  }
  if (!isObject(json)) return unreadable('it is not a JSON object');
  const name = Object.hasOwn(json, 'name') ? json.name : undefined;
  const version = Object.hasOwn(json, 'version') ? json.version : undefined;
  if (typeof name !== 'string' || name === '' || typeof version !== 'string' || version === '') {
    return unreadable('it has no name or no version');
  }
  const offsets = topLevelKeyOffsets(text, 'dependencies');
  const versionOffset = offsets.keys.get('version');
  inventory.npm.push({
    ecosystem: 'npm',
    name,
    version,
    file: path,
    dir,
    position,
    versionAt: versionOffset === undefined ? null : lineAndColumn(text, versionOffset),
    dependencies: stringsOf(json, 'dependencies'),
    optionalDependencies: stringsOf(json, 'optionalDependencies'),
    peerDependencies: stringsOf(json, 'peerDependencies'),
    dependencyAt:
      position === 'root' ? new Map([...offsets.inner].map(([key, offset]) => [key, lineAndColumn(text, offset)])) : new Map(),
  });
}

function stringsOf(json: Record<string, unknown>, key: string): Record<string, string> {
  const value = Object.hasOwn(json, key) ? json[key] : undefined;
  const strings: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!isObject(value)) return strings;
  for (const [name, range] of Object.entries(value)) if (typeof range === 'string') strings[name] = range;
  return strings;
}

function readPython(path: string, bytes: Uint8Array, inventory: Inventory): void {
  const dir = dirOf(path);
  const text = UTF8.decode(bytes.subarray(0, MAX_METADATA_BYTES));
  let name: string | undefined;
  let version: string | undefined;
  let versionAt: { line: number; column: number } | null = null;
  // RFC 822-style headers up to the first blank line; the description body after it is not read.
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') break;
    const match = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/.exec(line);
    if (match === null) continue;
    const header = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (header === 'name' && name === undefined) name = value;
    else if (header === 'version' && version === undefined) {
      version = value;
      versionAt = { line: index + 1, column: 1 };
    }
  }
  if (name === undefined || name === '' || version === undefined || version === '') {
    inventory.unreadable.push({ ecosystem: 'pypi', file: path, dir, folderName: null, reason: 'it has no Name or no Version header' });
    return;
  }
  inventory.python.push({ ecosystem: 'pypi', name, version, file: path, dir, versionAt });
}

/**
 * Offsets of the top-level keys of a JSON object text (valid JSON), and of the keys of the object
 * under the top-level key `inner`. Like JSON.parse, the last of duplicate keys wins. Iterative and
 * linear: any size, any depth.
 */
export function topLevelKeyOffsets(text: string, inner?: string): { keys: Map<string, number>; inner: Map<string, number> } {
  const keys = new Map<string, number>();
  let innerKeys = new Map<string, number>();
  let depth = 0;
  let topKey: string | null = null;
  let inInner = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i;
      let escaped = false;
      for (i += 1; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (escaped) escaped = false;
        else if (d === 0x5c) escaped = true;
        else if (d === 0x22) break;
      }
      i += 1;
      let j = i;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) j += 1;
      if (text[j] !== ':') continue;
      const key = decodeKey(text.slice(start, i));
      if (depth === 1) {
        topKey = key;
        if (key !== null) keys.set(key, start);
      } else if (depth === 2 && inInner && key !== null) innerKeys.set(key, start);
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (c === 0x7b && depth === 2 && inner !== undefined && topKey === inner) {
        inInner = true;
        innerKeys = new Map();
      }
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth === 2) inInner = false;
      depth -= 1;
    } else if (c === 0x2c /* , */ && depth === 1) {
      topKey = null;
    }
    i += 1;
  }
  return { keys, inner: innerKeys };
}

function decodeKey(quoted: string): string | null {
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  try {
    const key: unknown = JSON.parse(quoted);
    return typeof key === 'string' ? key : null;
  } catch {
    return null;
  }
}

/**
 * The folder Node would load `name` from when required from `fromDir`: `<dir>/node_modules/<name>`
 * for `fromDir` and each folder above it (never `node_modules/node_modules`), the nearest first.
 */
export function resolvePackage(fromDir: string, name: string, byDir: ReadonlyMap<string, NpmPackage>): NpmPackage | null {
  let dir = fromDir;
  for (;;) {
    if (!(dir === 'node_modules' || dir.endsWith('/node_modules'))) {
      const found = byDir.get(dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`);
      if (found) return found;
    }
    if (dir === '') return null;
    dir = dirOf(dir);
  }
}

/** Installed and own npm packages by folder. */
export function packagesByDir(inventory: Inventory): Map<string, NpmPackage> {
  return new Map(inventory.npm.map((pkg) => [pkg.dir, pkg]));
}

/**
 * For each npm package, the names of the packages that lead to it from the top: the bundle's own
 * package, then the package holding the server's entry point, then packages nothing depends on.
 * Edges follow `dependencies`, `optionalDependencies` and `peerDependencies` as Node resolves them;
 * the shortest path wins. A package no other depends on is its own path.
 */
export function dependencyChains(inventory: Inventory, entryFiles: readonly string[]): Map<string, string[]> {
  const byDir = packagesByDir(inventory);
  const edges = new Map<string, string[]>();
  const hasDependents = new Set<string>();
  for (const pkg of inventory.npm) {
    const targets: string[] = [];
    for (const name of new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies), ...Object.keys(pkg.peerDependencies)])) {
      const target = resolvePackage(pkg.dir, name, byDir);
      if (target !== null && target.dir !== pkg.dir) {
        targets.push(target.dir);
        hasDependents.add(target.dir);
      }
    }
    edges.set(pkg.dir, targets);
  }
  const parent = new Map<string, string | null>();
  const visit = (tops: readonly string[]): void => {
    const queue = tops.filter((dir) => !parent.has(dir));
    for (const dir of queue) parent.set(dir, null);
    for (let index = 0; index < queue.length; index++) {
      const dir = queue[index]!;
      for (const target of edges.get(dir) ?? []) {
        if (parent.has(target)) continue;
        parent.set(target, dir);
        queue.push(target);
      }
    }
  };
  visit(inventory.npm.filter((pkg) => pkg.position === 'root').map((pkg) => pkg.dir));
  const entryPackages = entryFiles.map((file) => owningPackage(file, byDir)).filter((pkg): pkg is NpmPackage => pkg !== null);
  visit(entryPackages.map((pkg) => pkg.dir));
  visit(inventory.npm.filter((pkg) => !hasDependents.has(pkg.dir)).map((pkg) => pkg.dir));
  visit(inventory.npm.map((pkg) => pkg.dir));
  const chains = new Map<string, string[]>();
  for (const pkg of inventory.npm) {
    const names: string[] = [];
    for (let dir: string | null | undefined = pkg.dir; dir !== null && dir !== undefined && names.length < 64; dir = parent.get(dir)) {
      names.push(byDir.get(dir)?.name ?? dir);
    }
    chains.set(pkg.dir, names.reverse());
  }
  return chains;
}

/** The npm package whose folder holds `file` (the deepest one). */
export function owningPackage(file: string, byDir: ReadonlyMap<string, NpmPackage>): NpmPackage | null {
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    const found = byDir.get(dir);
    if (found) return found;
    if (dir === '') return null;
  }
}
