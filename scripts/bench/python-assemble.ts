// Turns a Python corpus entry into a bundle on disk: the pinned Debian packages are downloaded once
// into .bench-cache/debs (apt-get download, checked by SHA-256) and unpacked with `dpkg-deb -x`,
// which only extracts files (no maintainer script runs); their dist-packages, the stand-ins and the
// server folder are zipped in memory as manifest.json + server/ + server/lib/. Nothing is executed
// or imported: the packages are only read as bytes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildZip, type ZipEntrySpec } from '../lib/zip-writer.js';
import { cachedBuild, CACHE_DIR, collect, REPO_ROOT, saveBundle, type AssembleOptions, type BuiltBundle, type Collected } from './assemble.js';
import type { DebianPackage, PythonCorpusEntry } from './python-corpus.js';

// Bump when the bundle layout changes, so cached bundles are rebuilt.
const LAYOUT_VERSION = 1;
const DEB_DIR = path.join(CACHE_DIR, 'debs');
const DIST_PACKAGES = 'usr/lib/python3/dist-packages';

export interface PythonAssemblyStats extends BuiltBundle {
  language: 'python';
  debs: DebianPackage[];
  standIns: string[];
  /** `.py` files: what the baseline parses. */
  pyFiles: number;
  pyBytes: number;
  /** Of those, the server's own (outside server/lib). */
  serverPyFiles: number;
  /** Compiled extension modules (`.so`, `.pyd`). */
  nativeFiles: number;
}

export function isPythonPath(name: string): boolean {
  return name.toLowerCase().endsWith('.py');
}

/** Builds the bundle for `entry`, or reuses the cached one built from the same inputs. */
export function assemblePython(entry: PythonCorpusEntry, options: AssembleOptions = {}): PythonAssemblyStats {
  const log = options.log ?? (() => {});
  const base = `${entry.name}-${entry.version}`;
  const bundlePath = path.join(CACHE_DIR, `${base}.mcpb`);
  const statsPath = path.join(CACHE_DIR, `${base}.json`);
  const source = path.join(REPO_ROOT, entry.source);
  const manifestText = readFileSync(path.join(source, 'manifest.json'), 'utf8');
  const manifest = JSON.parse(manifestText) as { name?: unknown; version?: unknown };
  if (manifest.name !== entry.name || manifest.version !== entry.version) {
    throw new Error(`${entry.name}: ${entry.source}/manifest.json names ${String(manifest.name)}@${String(manifest.version)}, not ${entry.name}@${entry.version}`);
  }

  const server = collect(path.join(source, 'server'));
  const standIns = entry.standIns.map((folder) => ({ folder, collected: collect(path.join(REPO_ROOT, folder)) }));
  const key = bundleKey(entry, manifestText, server, standIns);
  const cached = options.rebuild ? null : cachedBuild<PythonAssemblyStats>(bundlePath, statsPath, key);
  if (cached !== null) return cached;

  const installDir = path.join(CACHE_DIR, 'install', base);
  unpack(entry, installDir, options.rebuild ?? false, log);

  log(`${entry.name}: zipping`);
  const lib = collect(path.join(installDir, DIST_PACKAGES));
  const files: Array<{ rel: string; data: Buffer; perm: number }> = [
    ...server.files.map((file) => ({ ...file, rel: `server/${file.rel}` })),
    ...lib.files.map((file) => ({ ...file, rel: `server/lib/${file.rel}` })),
    ...standIns.flatMap(({ folder, collected }) => collected.files.map((file) => ({ ...file, rel: `server/lib/${path.posix.basename(folder)}/${file.rel}` }))),
  ].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const clash = files.find((file, index) => index > 0 && files[index - 1]!.rel === file.rel);
  if (clash) throw new Error(`${entry.name}: two sources give ${clash.rel}`);

  const specs: ZipEntrySpec[] = [
    { name: 'manifest.json', data: manifestText, method: 8, unixMode: 0o100644 },
    ...files.map((file) => ({ name: file.rel, data: file.data, method: 8 as const, unixMode: 0o100000 | file.perm })),
  ];
  const zip = buildZip(specs);
  saveBundle(bundlePath, zip);

  const py = files.filter((file) => isPythonPath(file.rel));
  const stats: PythonAssemblyStats = {
    language: 'python',
    name: entry.name,
    version: entry.version,
    debs: [...entry.debs],
    standIns: [...entry.standIns],
    key,
    bundlePath,
    bundleSha256: createHash('sha256').update(zip).digest('hex'),
    zipBytes: zip.length,
    entries: specs.length,
    files: files.length,
    bytes: files.reduce((total, file) => total + file.data.length, 0),
    pyFiles: py.length,
    pyBytes: py.reduce((total, file) => total + file.data.length, 0),
    serverPyFiles: py.filter((file) => !file.rel.startsWith('server/lib/')).length,
    nativeFiles: files.filter((file) => /\.(so|pyd)$/i.test(file.rel)).length,
    excluded: server.excluded + lib.excluded + standIns.reduce((total, { collected }) => total + collected.excluded, 0),
    built: true,
  };
  writeFileSync(statsPath, `${JSON.stringify(stats, null, 2)}\n`);
  return stats;
}

// Everything the bundle's bytes depend on: the pinned packages and a digest of every file copied.
function bundleKey(entry: PythonCorpusEntry, manifest: string, server: Collected, standIns: Array<{ folder: string; collected: Collected }>): string {
  const digest = createHash('sha256').update(manifest);
  for (const { rel, data, perm } of [...server.files, ...standIns.flatMap(({ folder, collected }) => collected.files.map((file) => ({ ...file, rel: `${folder}/${file.rel}` })))]) {
    digest.update(`${rel}\0${perm}\0${data.length}\0`).update(data);
  }
  return JSON.stringify({ layout: LAYOUT_VERSION, debs: entry.debs, sources: digest.digest('hex') });
}

function unpack(entry: PythonCorpusEntry, installDir: string, rebuild: boolean, log: (line: string) => void): void {
  const markerPath = path.join(installDir, '.bench-install.json');
  const key = JSON.stringify(entry.debs);
  if (!rebuild && existsSync(markerPath) && readFileSync(markerPath, 'utf8') === key) return;
  const debs = entry.debs.map((deb) => download(deb, log));
  log(`${entry.name}: unpacking ${debs.length} Debian packages (dpkg-deb -x: files only, no scripts)`);
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  for (const deb of debs) run('dpkg-deb', ['-x', deb, installDir], installDir);
  if (!existsSync(path.join(installDir, DIST_PACKAGES))) throw new Error(`${entry.name}: the packages hold no ${DIST_PACKAGES}`);
  writeFileSync(markerPath, key);
}

/** The .deb in the cache, downloaded first if needed; its checksum must be the pinned one. */
function download(deb: DebianPackage, log: (line: string) => void): string {
  mkdirSync(DEB_DIR, { recursive: true });
  // apt-get names the file <name>_<version with ':' escaped>_<arch>.deb; the architecture is not pinned.
  const prefix = `${deb.name}_${deb.version.replace(/:/g, '%3a')}_`;
  const find = (): string | undefined => listDebs().find((file) => file.startsWith(prefix) && sha256(path.join(DEB_DIR, file)) === deb.sha256);
  let file = find();
  if (file === undefined) {
    log(`apt-get download ${deb.name}=${deb.version}`);
    run('apt-get', ['download', `${deb.name}=${deb.version}`], DEB_DIR);
    file = find();
    if (file === undefined) {
      throw new Error(`${deb.name} ${deb.version}: the downloaded .deb does not have the pinned SHA-256 ${deb.sha256} (another architecture than amd64?)`);
    }
  }
  return path.join(DEB_DIR, file);
}

function listDebs(): string[] {
  return readdirSync(DEB_DIR).filter((name) => name.endsWith('.deb'));
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error !== undefined) {
    throw new Error(`${command} could not be run (${result.error.message}): the Python corpus needs Debian's apt-get and dpkg-deb`);
  }
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-6).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})\n${tail}`);
  }
}
