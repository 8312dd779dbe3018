import type { ContainerFacts } from '../bundle/container.js';
import { isObject } from '../manifest/access.js';
import { lineAndColumn } from '../manifest/syntax.js';

// npm lockfiles a bundle ships, read as data: `npm-shrinkwrap.json` and `package-lock.json` (the
// versions that were locked) and `node_modules/.package-lock.json` (the "hidden" lockfile npm writes
// to record what it installed). Only the `packages` map of lockfile versions 2 and 3 is read; a
// version 1 file (npm 6, nested `dependencies` only) or a file that is not JSON is listed as
// unreadable and not compared. A lockfile inside node_modules (a dependency's shrinkwrap) is not the
// bundle's. When one folder has several, the one npm itself obeys wins: shrinkwrap, then
// package-lock, then the hidden lockfile.

export interface LockEntry {
  /** The key as written: `node_modules/a/node_modules/@s/b`. */
  key: string;
  /** The bundle folder the entry places a package in. */
  dir: string;
  /** The package name npm installs there: the entry's `name` (aliases), else the folder's. */
  name: string;
  version: string | null;
  /** Left out of installs that omit dev, optional or peer dependencies: absent is normal. */
  omittable: boolean;
  /** A link to a folder elsewhere (workspaces), not a copy under node_modules. */
  link: boolean;
}

export interface Lockfile {
  file: string;
  kind: 'npm-shrinkwrap' | 'package-lock' | 'hidden';
  /** The folder whose node_modules it describes ('' for the top of the bundle). */
  base: string;
  entries: Map<string, LockEntry>;
  text: string;
}

export interface LockfileReading {
  lockfiles: Lockfile[];
  /** Lockfiles not compared, with why. */
  unreadable: Array<{ file: string; reason: string }>;
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: false });
const PRECEDENCE: Record<Lockfile['kind'], number> = { 'npm-shrinkwrap': 0, 'package-lock': 1, hidden: 2 };

/** The lockfile that governs each folder of the bundle, at most one per folder. */
export function readLockfiles(container: ContainerFacts): LockfileReading {
  const chosen = new Map<string, { file: string; kind: Lockfile['kind'] }>();
  for (const path of container.files.keys()) {
    const located = locate(path);
    if (located === null) continue;
    const current = chosen.get(located.base);
    if (current === undefined || PRECEDENCE[located.kind] < PRECEDENCE[current.kind]) chosen.set(located.base, { file: path, kind: located.kind });
  }
  const reading: LockfileReading = { lockfiles: [], unreadable: [] };
  for (const [base, { file, kind }] of chosen) {
    const text = UTF8.decode(container.files.get(file)!.bytes);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      reading.unreadable.push({ file, reason: 'it is not valid JSON' });
      continue;
    }
    const packages = isObject(json) && Object.hasOwn(json, 'packages') ? json.packages : undefined;
    if (!isObject(packages)) {
      reading.unreadable.push({ file, reason: 'it has no "packages" map (lockfile version 1, or not a lockfile)' });
      continue;
    }
    const entries = new Map<string, LockEntry>();
    for (const [key, value] of Object.entries(packages)) {
      const entry = entryOf(key, value, base);
      if (entry !== null) entries.set(entry.dir, entry);
    }
    // Keys npm did not write for this folder (`../elsewhere/node_modules/a`, from an install through a
    // symlink) describe nothing here: compared, every copy would look added.
    if (entries.size === 0 && Object.keys(packages).some((key) => key !== '')) {
      reading.unreadable.push({ file, reason: 'none of its "packages" keys is a node_modules path of this folder' });
      continue;
    }
    reading.lockfiles.push({ file, kind, base, entries, text });
  }
  return reading;
}

function locate(path: string): { base: string; kind: Lockfile['kind'] } | null {
  const slash = path.lastIndexOf('/');
  const dir = slash === -1 ? '' : path.slice(0, slash);
  const name = path.slice(slash + 1);
  if (name === '.package-lock.json') {
    if (!(dir === 'node_modules' || dir.endsWith('/node_modules'))) return null;
    const base = dir === 'node_modules' ? '' : dir.slice(0, -'/node_modules'.length);
    return base.split('/').includes('node_modules') ? null : { base, kind: 'hidden' };
  }
  if (name !== 'package-lock.json' && name !== 'npm-shrinkwrap.json') return null;
  if (dir.split('/').includes('node_modules')) return null;
  return { base: dir, kind: name === 'npm-shrinkwrap.json' ? 'npm-shrinkwrap' : 'package-lock' };
}

/** Keys npm writes for installed copies: `node_modules/<name>` repeated, scoped names included. */
const INSTALLED_KEY = /^node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*(?:\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)*$/;

function entryOf(key: string, value: unknown, base: string): LockEntry | null {
  if (!INSTALLED_KEY.test(key) || !isObject(value)) return null;
  const folderName = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const flag = (name: string) => Object.hasOwn(value, name) && value[name] === true;
  const name = Object.hasOwn(value, 'name') && typeof value.name === 'string' && value.name !== '' ? value.name : folderName;
  const version = Object.hasOwn(value, 'version') && typeof value.version === 'string' ? value.version : null;
  return {
    key,
    dir: base === '' ? key : `${base}/${key}`,
    name,
    version,
    omittable: flag('dev') || flag('optional') || flag('devOptional') || flag('peer'),
    link: flag('link'),
  };
}

/** Where the entry for `key` is written in the lockfile, when it can be found. */
export function entryLocation(lockfile: Lockfile, key: string): { file: string; line?: number; column?: number } {
  const offset = lockfile.text.indexOf(`${JSON.stringify(key)}:`);
  return offset === -1 ? { file: lockfile.file } : { file: lockfile.file, ...lineAndColumn(lockfile.text, offset) };
}
