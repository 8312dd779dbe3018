// Turns a corpus entry into a bundle on disk: npm installs the package with its production
// dependencies (never running an install script), and the installed tree is zipped in memory under
// `server/node_modules/` next to the hand-written manifest. Nothing from the installed packages is
// ever executed or required: they are only read as bytes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildZip, type ZipEntrySpec } from '../lib/zip-writer.js';
import { manifestFor, packageDir, type CorpusEntry } from './corpus.js';
import { isJsPath } from './js-files.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = path.join(REPO_ROOT, '.bench-cache');

// Bump when the bundle layout or the exclusion rules change, so cached bundles are rebuilt.
const LAYOUT_VERSION = 1;

// The classic EOCD counts entries in 16 bits and this project's writer has no zip64. 0xffff itself
// is the zip64 marker, which our reader (rightly) refuses to read as a count.
const MAX_CLASSIC_ENTRIES = 0xfffe;

/** What every corpus bundle, Node or Python (python-assemble.ts), records about its build. */
export interface BuiltBundle {
  name: string;
  version: string;
  /** Cache key the bundle was built for; a different key means rebuild. */
  key: string;
  bundlePath: string;
  bundleSha256: string;
  zipBytes: number;
  /** ZIP entries, manifest.json included. */
  entries: number;
  /** Regular files inside `server/` (the installed tree). */
  files: number;
  bytes: number;
  /** Files and directories left out by the reference packer's default exclusions. */
  excluded: number;
  /** Whether this run built the bundle (false: reused from the cache). */
  built: boolean;
}

export interface AssemblyStats extends BuiltBundle {
  pkg: string;
  overrides: Record<string, string>;
  jsFiles: number;
  jsBytes: number;
  /** `.ts`/`.mts`/`.cts` sources that survive the packer's `*.d.ts` exclusion. */
  tsFiles: number;
  tsBytes: number;
  symlinksSkipped: number;
}

// The reference packer (`mcpb pack`) leaves these out by default; mirrored here by name so the
// bundles hold what a published bundle would. Matched on the base name at any depth.
const EXCLUDED_NAMES = new Set([
  '.DS_Store',
  'Thumbs.db',
  '.gitignore',
  '.git',
  '.mcpbignore',
  '.npm',
  '.npmrc',
  '.yarnrc',
  '.yarn',
  '.eslintrc',
  '.editorconfig',
  '.prettierrc',
  '.prettierignore',
  '.eslintignore',
  '.nycrc',
  '.babelrc',
  'package-lock.json',
  'yarn.lock',
  'tsconfig.json',
]);
const EXCLUDED_SUFFIXES = ['.log', '.map', '.d.ts', '.tsbuildinfo', '.mcpb'];
const EXCLUDED_PREFIXES = ['.env', '.pnp.', 'npm-debug.log', 'yarn-debug.log', 'yarn-error.log'];

function isExcluded(name: string, parentIsNodeModules: boolean): boolean {
  if (EXCLUDED_NAMES.has(name)) return true;
  if (parentIsNodeModules && name === '.cache') return true;
  return EXCLUDED_SUFFIXES.some((suffix) => name.endsWith(suffix)) || EXCLUDED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function installKey(entry: CorpusEntry): string {
  return JSON.stringify({ pkg: entry.pkg, version: entry.version, overrides: entry.overrides ?? {} });
}

function bundleKey(entry: CorpusEntry): string {
  return JSON.stringify({ layout: LAYOUT_VERSION, install: installKey(entry), manifest: manifestFor(entry) });
}

export function bundleFileName(entry: CorpusEntry): string {
  return `${entry.name}-${entry.version}.mcpb`;
}

export interface AssembleOptions {
  /** Ignore cached bundles and installs. */
  rebuild?: boolean;
  log?: (line: string) => void;
}

/** Builds the bundle for `entry`, or reuses the cached one built from the same inputs. */
export function assemble(entry: CorpusEntry, options: AssembleOptions = {}): AssemblyStats {
  const log = options.log ?? (() => {});
  const base = `${entry.name}-${entry.version}`;
  const bundlePath = path.join(CACHE_DIR, `${base}.mcpb`);
  const statsPath = path.join(CACHE_DIR, `${base}.json`);
  const key = bundleKey(entry);

  const cached = options.rebuild ? null : cachedBuild<AssemblyStats>(bundlePath, statsPath, key);
  if (cached !== null) return cached;

  const installDir = path.join(CACHE_DIR, 'install', base);
  install(entry, installDir, options.rebuild ?? false, log);

  log(`${entry.name}: zipping`);
  const collected = collect(path.join(installDir, 'node_modules'));
  const manifest = `${JSON.stringify(manifestFor(entry), null, 2)}\n`;
  const entryCount = collected.files.length + 1;
  if (entryCount > MAX_CLASSIC_ENTRIES) {
    throw new Error(
      `${entry.name}: ${entryCount} entries do not fit a ZIP without zip64 (at most ${MAX_CLASSIC_ENTRIES}); ` +
        'scripts/lib/zip-writer.ts writes no zip64 and src/bundle/zip.ts reads none',
    );
  }
  const specs: ZipEntrySpec[] = [{ name: 'manifest.json', data: manifest, method: 8, unixMode: 0o100644 }];
  for (const file of collected.files) {
    specs.push({ name: `server/node_modules/${file.rel}`, data: file.data, method: 8, unixMode: 0o100000 | file.perm });
  }
  const zip = buildZip(specs);
  saveBundle(bundlePath, zip);

  const js = collected.files.filter((file) => isJsPath(file.rel));
  const ts = collected.files.filter((file) => /\.[mc]?ts$/i.test(file.rel));
  const sum = (files: typeof collected.files): number => files.reduce((total, file) => total + file.data.length, 0);
  const stats: AssemblyStats = {
    name: entry.name,
    pkg: entry.pkg,
    version: entry.version,
    overrides: entry.overrides ?? {},
    key,
    bundlePath,
    bundleSha256: createHash('sha256').update(zip).digest('hex'),
    zipBytes: zip.length,
    entries: specs.length,
    files: collected.files.length,
    bytes: sum(collected.files),
    jsFiles: js.length,
    jsBytes: sum(js),
    tsFiles: ts.length,
    tsBytes: sum(ts),
    symlinksSkipped: collected.symlinks,
    excluded: collected.excluded,
    built: true,
  };
  writeFileSync(statsPath, `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}

/** The stats of the bundle built for `key`, when it is still there; null when it must be built. */
export function cachedBuild<T extends BuiltBundle>(bundlePath: string, statsPath: string, key: string): T | null {
  if (!existsSync(bundlePath) || !existsSync(statsPath)) return null;
  const cached = JSON.parse(readFileSync(statsPath, 'utf8')) as T;
  return cached.key === key && statSync(bundlePath).size === cached.zipBytes ? { ...cached, bundlePath, built: false } : null;
}

/** Writes the bundle whole or not at all: a run stopped half-way leaves only a `.partial` file. */
export function saveBundle(bundlePath: string, zip: Uint8Array): void {
  mkdirSync(path.dirname(bundlePath), { recursive: true });
  const partial = `${bundlePath}.partial`;
  writeFileSync(partial, zip);
  renameSync(partial, bundlePath);
}

function install(entry: CorpusEntry, installDir: string, rebuild: boolean, log: (line: string) => void): void {
  const markerPath = path.join(installDir, '.bench-install.json');
  const key = installKey(entry);
  const installed = path.join(installDir, 'node_modules', entry.pkg);
  if (!rebuild && existsSync(markerPath) && readFileSync(markerPath, 'utf8') === key && existsSync(installed)) return;

  log(`${entry.name}: npm install ${entry.pkg}@${entry.version} (production dependencies, no install scripts)`);
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  const pkgJson = {
    name: 'dxt-audit-bench-install',
    private: true,
    dependencies: { [entry.pkg]: entry.version },
    ...(entry.overrides ? { overrides: entry.overrides } : {}),
  };
  writeFileSync(path.join(installDir, 'package.json'), `${JSON.stringify(pkgJson, null, 2)}\n`);
  // npm records paths relative to the real folder: through a symlinked .bench-cache (a worktree's),
  // the hidden lockfile node_modules/.package-lock.json would get keys like `../../main/…`.
  const realDir = realpathSync(installDir);
  const args = ['install', '--prefix', realDir, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  const result = spawnSync('npm', args, { cwd: realDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.includes('Unknown user config'))
      .slice(-8)
      .join('\n');
    throw new Error(`${entry.name}: npm install failed (exit ${result.status ?? result.signal})\n${output}`);
  }

  const installedPkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version?: string };
  if (installedPkg.version !== entry.version) {
    throw new Error(`${entry.name}: npm installed ${entry.pkg}@${installedPkg.version}, not ${entry.version}`);
  }
  if (!existsSync(path.join(installed, entry.bin))) {
    throw new Error(`${entry.name}: the entry point ${packageDir(entry)}/${entry.bin} is not in the installed package`);
  }
  writeFileSync(markerPath, key);
}

export interface Collected {
  files: Array<{ rel: string; data: Buffer; perm: number }>;
  symlinks: number;
  excluded: number;
}

// Regular files only, in byte order of their paths so that the archive is reproducible. Links are
// skipped rather than followed (node_modules/.bin is nothing but links): following them is how a
// packer copies host files into a bundle.
export function collect(root: string): Collected {
  const out: Collected = { files: [], symlinks: 0, excluded: 0 };
  const walk = (dir: string, rel: string): void => {
    const children = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const parentIsNodeModules = path.basename(dir) === 'node_modules';
    for (const child of children) {
      const childRel = rel === '' ? child.name : `${rel}/${child.name}`;
      const childPath = path.join(dir, child.name);
      if (child.isSymbolicLink()) {
        out.symlinks += 1;
      } else if (isExcluded(child.name, parentIsNodeModules)) {
        out.excluded += 1;
      } else if (child.isDirectory()) {
        walk(childPath, childRel);
      } else if (child.isFile()) {
        out.files.push({ rel: childRel, data: readFileSync(childPath), perm: statSync(childPath).mode & 0o777 });
      }
    }
  };
  walk(root, '');
  return out;
}
