import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { FileFacts } from '../analysis/model/file-facts.js';
import type { FactsCache } from '../analysis/model/server-code.js';

// The opt-in `--cache`: per-file facts on disk, one entry file per analysed file, named by the
// cache key (content digest and language) hashed with the fingerprint of this tool's code, so an
// entry is only ever found by the same code reading the same bytes. It holds facts we derived
// (the same plain data as the in-memory cache), never a bundle file. Each entry is a header line
// (its key and the SHA-256 of the facts text) and the facts: an entry whose header, digest or JSON
// does not check out is ignored, counted as a problem, and written again. Writes go to a temporary
// name first and are renamed into place, so a reader never sees half an entry.

/** Where the cache is and whose code wrote it: plain data, handed to worker threads. */
export interface CacheSettings {
  directory: string;
  fingerprint: string;
}

export type CacheProblem = 'corrupt' | 'foreign' | 'unreadable' | 'unwritable';

/** A FactsCache that reads through to the disk on a miss and writes what it learns back. */
export interface DiskFactsCache extends FactsCache {
  /** The problems met since the last call, emptied by it. */
  takeProblems(): CacheProblem[];
}

const ENTRY_SUFFIX = '.facts';

/** Whether a file name in the cache folder is one of our entries. */
export function isEntryName(name: string): boolean {
  return /^[0-9a-f]{64}\.facts$/.test(name);
}

/** Whether a file name in the cache folder is the temporary file of an entry being written (see write). */
export function isTemporaryName(name: string): boolean {
  return /^[0-9a-f]{64}\.facts\.\d+-\d+-\d+\.tmp$/.test(name);
}

/** The in-memory cache `memory`, backed by the entries under `settings.directory`. */
export function diskBackedCache(memory: FactsCache, settings: CacheSettings): DiskFactsCache {
  let problems: CacheProblem[] = [];
  let writable = true;
  let written = 0;
  const entryPath = (key: string) =>
    path.join(settings.directory, createHash('sha256').update(`${settings.fingerprint}\0${key}`).digest('hex') + ENTRY_SUFFIX);

  const read = (key: string): FileFacts | undefined => {
    const file = entryPath(key);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push('unreadable');
      return undefined;
    }
    const facts = parseEntry(text, key);
    if (typeof facts === 'string') {
      problems.push(facts);
      return undefined;
    }
    touch(file);
    return facts;
  };

  const write = (key: string, facts: FileFacts): void => {
    if (!writable) return;
    const file = entryPath(key);
    const temporary = `${file}.${process.pid}-${threadId}-${written++}.tmp`;
    try {
      fs.writeFileSync(temporary, entryText(key, facts));
      fs.renameSync(temporary, file);
    } catch {
      writable = false;
      problems.push('unwritable');
      fs.rmSync(temporary, { force: true });
    }
  };

  return {
    get(key) {
      const known = memory.get(key);
      if (known !== undefined) return known;
      const stored = read(key);
      if (stored !== undefined) memory.set(key, stored);
      return stored;
    },
    set(key, facts) {
      if (memory.get(key) === facts) return;
      memory.set(key, facts);
      write(key, facts);
    },
    takeProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
  };
}

function entryText(key: string, facts: FileFacts): string {
  const body = JSON.stringify(facts);
  return `${JSON.stringify({ key, sha256: digestOf(body) })}\n${body}`;
}

/** The facts an entry holds, or what is wrong with it. */
function parseEntry(text: string, key: string): FileFacts | 'corrupt' | 'foreign' {
  const newline = text.indexOf('\n');
  if (newline < 0) return 'corrupt';
  const body = text.slice(newline + 1);
  let header: unknown;
  let facts: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
    if (!isRecord(header) || typeof header['sha256'] !== 'string' || header['sha256'] !== digestOf(body)) return 'corrupt';
    facts = JSON.parse(body);
  } catch {
    return 'corrupt';
  }
  if (header['key'] !== key) return 'foreign';
  return looksLikeFacts(facts) ? facts : 'corrupt';
}

const LIST_FIELDS = ['imports', 'reexports', 'calls', 'functions', 'tools', 'listedTools', 'prompts', 'unnamedRegistrations', 'listeners', 'strings'] as const satisfies ReadonlyArray<keyof FileFacts>;

/** The digest proves the bytes are the ones written; this proves they were facts when written. */
function looksLikeFacts(value: unknown): value is FileFacts {
  return (
    isRecord(value) &&
    LIST_FIELDS.every((field) => Array.isArray(value[field])) &&
    isRecord(value['bindings']) &&
    (value['parseError'] === null || isRecord(value['parseError']))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Marks an entry used now: eviction takes the least recently used first. */
function touch(file: string): void {
  const now = new Date();
  try {
    fs.utimesSync(file, now, now);
  } catch {
    // A read-only cache still serves its entries; it only ages as written.
  }
}
