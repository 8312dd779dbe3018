// Python's import system over the in-memory tree, as far as a bundle decides it: the entry script's
// directory first (sys.path[0]), then PYTHONPATH from mcp_config.env, then bundled dependencies
// (`server/lib`, `lib`, `vendor`, any `site-packages`). Package-relative imports (`from .util import
// x`) resolve against the importing file's package. Modules found nowhere are the standard library or
// packages the bundle does not ship: not followed. Nothing is read from disk, nothing is run.
import type { VirtualFile } from '../../bundle/container.js';
import { launchConfigs, resolveBundleRelative } from '../../manifest/mcp-config.js';
import type { Resolution, Resolver } from '../model/resolver.js';

const MISSING: Resolution = { kind: 'missing' };

/** Folders that hold installed packages rather than the server's own code. */
const DEPENDENCY_DIR = /(?:^|\/)(?:site-packages|dist-packages|lib|libs|vendor|_vendor|\.venv|venv)(?:\/|$)/;

export function isPythonDependency(path: string, entries: readonly string[]): boolean {
  const entryDirs = entries.map(directoryOf);
  // Below the entry's own folder, only a dependency folder makes code a dependency (`server/lib/…`).
  const relative = entryDirs.reduce((rest, dir) => (dir !== '' && rest.startsWith(`${dir}/`) ? rest.slice(dir.length + 1) : rest), path);
  return DEPENDENCY_DIR.test(directoryOf(relative));
}

/** The bundle folders the manifest's launch configurations put on PYTHONPATH (mcp_config.env), in order. */
export function pythonPathOf(manifestJson: unknown): string[] {
  const folders: string[] = [];
  for (const config of launchConfigs(manifestJson)) {
    for (const variable of config.env) {
      if (variable.name !== 'PYTHONPATH') continue;
      for (const piece of variable.value.split(/[:;]/)) {
        const located = resolveBundleRelative(piece.replace(/\$\{__dirname\}\/?/, ''));
        if (located.kind === 'inside') folders.push(located.path.replace(/\/$/, ''));
      }
    }
  }
  return folders;
}

/** The folders absolute imports are looked up in, in order. */
export function pythonSearchRoots(entries: readonly string[], pythonPath: readonly string[], files: ReadonlyMap<string, VirtualFile>): string[] {
  const roots: string[] = [...entries.map(directoryOf), ...pythonPath];
  const dirs = new Set<string>();
  for (const path of files.keys()) {
    const dir = directoryOf(path);
    const sitePackages = /^(.*?\/site-packages)(?:\/|$)/.exec(dir);
    if (sitePackages) dirs.add(sitePackages[1]!);
  }
  for (const entryDir of roots.slice(0, entries.length)) {
    for (const name of ['lib', 'libs', 'vendor']) roots.push(entryDir === '' ? name : `${entryDir}/${name}`);
  }
  roots.push('lib', ...[...dirs].sort());
  return [...new Set(roots)];
}

export function createPythonResolver(files: ReadonlyMap<string, VirtualFile>, roots: readonly string[]): Resolver {
  const answers = new Map<string, Resolution>();
  const moduleAt = (base: string, dotted: string): Resolution => {
    const path = [base, ...dotted.split('.').filter((part) => part !== '')].filter((part) => part !== '').join('/');
    for (const candidate of path === '' ? ['__init__.py'] : [`${path}.py`, `${path}/__init__.py`]) {
      if (files.has(candidate)) return { kind: 'file', path: candidate };
    }
    return MISSING;
  };
  return (fromFile, specifier) => {
    const key = specifier.startsWith('.') ? `${fromFile}\0${specifier}` : specifier;
    const known = answers.get(key);
    if (known) return known;
    let answer: Resolution = MISSING;
    const level = /^\.*/.exec(specifier)![0].length;
    if (level > 0) {
      let base = directoryOf(fromFile);
      for (let up = 1; up < level && base !== ''; up++) base = directoryOf(base);
      answer = moduleAt(base, specifier.slice(level));
    } else if (/^[A-Za-z_][\w.]*$/.test(specifier)) {
      for (const root of roots) {
        answer = moduleAt(root, specifier);
        if (answer.kind === 'file') break;
      }
    }
    answers.set(key, answer);
    return answer;
  };
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}
