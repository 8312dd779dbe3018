import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../version.js';
import { isEntryName, isTemporaryName, type CacheProblem, type CacheSettings } from './entries.js';

// Opening, checking and bounding the `--cache` folder, on the main thread; the entries themselves
// are read and written by facts-store.ts wherever a bundle is audited. The folder's index.json
// names the code that wrote it: a cache written by another version of the tool, or a folder whose
// index is damaged, is emptied of our entries (never of anything else) and rebuilt.

/** What the cache may hold before the least recently used entries go. */
export const DEFAULT_CACHE_MAX_BYTES = 512 * 1024 * 1024;

const INDEX_FILE = 'index.json';
const INDEX_FORMAT = 'dxt-audit-facts-cache';
const CACHEDIR_TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# This file marks the dxt-audit cache: backup tools may skip this folder.\n';
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

/** The cache folder when none is given: the user's cache folder as each platform names it. */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env['XDG_CACHE_HOME']) return path.join(env['XDG_CACHE_HOME'], 'dxt-audit');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'dxt-audit');
  if (platform === 'win32') return path.join(env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'), 'dxt-audit', 'Cache');
  return path.join(home, '.cache', 'dxt-audit');
}

let fingerprint: string | undefined;

/**
 * Whose facts and audits an entry holds: this version's code (src/ and rules/, as installed), the
 * data it judges with (the built-in advisories and the schemas), and the parsers it reads with.
 * Any change to any of them makes every entry foreign.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256').update(`${TOOL_VERSION}\0`);
  const own = fileURLToPath(new URL('../..', import.meta.url));
  const files = [
    ...filesUnder(path.join(own, 'src')),
    ...filesUnder(path.join(own, 'rules')),
    ...filesUnder(path.join(own, 'advisories')),
    ...filesUnder(path.join(own, 'schema')),
    require.resolve('@babel/parser'),
    require.resolve('web-tree-sitter'),
    require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  ];
  for (const file of files) hash.update(`${path.relative(own, file)}\0`).update(fs.readFileSync(file));
  fingerprint = hash.digest('hex');
  return fingerprint;
}

function filesUnder(directory: string): string[] {
  return fs
    .readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Makes `directory` ready for this code's entries. Returns the settings to audit with, or null when
 * the folder cannot be used (then the scan runs without a cache); problems say what was wrong.
 */
export function openCache(directory: string): { settings: CacheSettings | null; problems: CacheProblem[] } {
  const problems: CacheProblem[] = [];
  const code = codeFingerprint();
  try {
    fs.mkdirSync(directory, { recursive: true });
    const found = indexState(directory, code);
    if (found !== 'ours') {
      if (found !== 'absent' || entryNames(directory).length > 0) problems.push(found === 'absent' ? 'corrupt' : found);
      for (const name of entryNames(directory)) fs.rmSync(path.join(directory, name), { force: true });
      writeAtomically(path.join(directory, INDEX_FILE), `${JSON.stringify({ format: INDEX_FORMAT, version: 1, tool: code })}\n`);
      if (!fs.existsSync(path.join(directory, 'CACHEDIR.TAG'))) writeAtomically(path.join(directory, 'CACHEDIR.TAG'), CACHEDIR_TAG);
    }
    return { settings: { directory, fingerprint: code }, problems };
  } catch {
    return { settings: null, problems: [...problems, 'unwritable'] };
  }
}

function indexState(directory: string, code: string): 'ours' | 'absent' | 'corrupt' | 'foreign' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(path.join(directory, INDEX_FILE), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
  try {
    const index: unknown = JSON.parse(text);
    if (typeof index !== 'object' || index === null || (index as Record<string, unknown>)['format'] !== INDEX_FORMAT) return 'corrupt';
    return (index as Record<string, unknown>)['tool'] === code ? 'ours' : 'foreign';
  } catch {
    return 'corrupt';
  }
}

/** Our entries and the temporary files of writes, the only names this tool ever deletes. */
function entryNames(directory: string): string[] {
  return fs.readdirSync(directory).filter((name) => isEntryName(name) || isTemporaryName(name));
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

/**
 * Deletes the least recently used entries until the cache holds at most `maxBytes`, and writes
 * left behind by a process that died. Never throws: a cache that cannot be pruned stays as it is.
 */
export function pruneCache(directory: string, maxBytes: number = DEFAULT_CACHE_MAX_BYTES, now: number = Date.now()): void {
  try {
    const entries = entryNames(directory).flatMap((name) => {
      try {
        const stat = fs.statSync(path.join(directory, name));
        return [{ name, bytes: stat.size, used: stat.mtimeMs }];
      } catch {
        return [];
      }
    });
    let total = 0;
    for (const entry of entries) total += entry.bytes;
    const oldestFirst = entries.sort((a, b) => a.used - b.used || (a.name < b.name ? -1 : 1));
    for (const entry of oldestFirst) {
      const temporary = isTemporaryName(entry.name);
      const stale = temporary && now - entry.used > STALE_TEMPORARY_MS;
      // A fresh temporary file is another process's write in progress.
      if (!stale && (temporary || total <= maxBytes)) continue;
      fs.rmSync(path.join(directory, entry.name), { force: true });
      total -= entry.bytes;
    }
  } catch {
    // Pruning is housekeeping: the next run tries again.
  }
}

/** The one line a scan prints about its cache's problems, or null when there were none. */
export function cacheWarning(directory: string, problems: readonly CacheProblem[]): string | null {
  if (problems.length === 0) return null;
  const kinds = [...new Set(problems)].sort();
  if (kinds.includes('unwritable') && kinds.length === 1) return `cache: ${directory} cannot be written; scanning without storing facts`;
  const what = kinds.filter((kind) => kind !== 'unwritable').map((kind) => WORDS[kind]).join(', ');
  return `cache: ignored ${what} cache data in ${directory} and rebuilt it${kinds.includes('unwritable') ? ' (some entries could not be written)' : ''}`;
}

const WORDS: Record<Exclude<CacheProblem, 'unwritable'>, string> = {
  corrupt: 'corrupt or truncated',
  foreign: "another version's",
  unreadable: 'unreadable',
};
