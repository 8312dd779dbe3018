import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { isObject } from '../manifest/access.js';

// The entry files of the `--cache` folder, whatever they hold: one file per key, named by the key
// hashed with the fingerprint of this tool's code, so an entry is only ever found by the same code
// asking the same question. An entry is a header line (its key and the SHA-256 of the body) and the
// body, JSON: an entry whose header, digest, JSON or shape does not check out is ignored, counted as
// a problem, and written again. Writes go to a temporary name first and are renamed into place, so a
// reader never sees half an entry.

/** Where the cache is and whose code wrote it: plain data, handed to worker threads. */
export interface CacheSettings {
  directory: string;
  fingerprint: string;
}

export type CacheProblem = 'corrupt' | 'foreign' | 'unreadable' | 'unwritable';

/** What an entry holds: one file's facts (facts-store.ts), or one archive's audit (audit-store.ts). */
export type EntryKind = 'facts' | 'audit';

/** Reads and writes one kind of entry, and remembers what was wrong with the cache meanwhile. */
export interface EntryFiles<T> {
  read(key: string): T | undefined;
  write(key: string, value: T): void;
  /** The problems met since the last call, emptied by it. */
  takeProblems(): CacheProblem[];
}

/** Whether a file name in the cache folder is one of our entries. */
export function isEntryName(name: string): boolean {
  return /^[0-9a-f]{64}\.(?:facts|audit)$/.test(name);
}

/** Whether a file name in the cache folder is the temporary file of an entry being written. */
export function isTemporaryName(name: string): boolean {
  return /^[0-9a-f]{64}\.(?:facts|audit)\.\d+-\d+-\d+\.tmp$/.test(name);
}

/** The `kind` entries under `settings.directory`; `isValue` checks a body's shape before it is trusted. */
export function entryFiles<T>(settings: CacheSettings, kind: EntryKind, isValue: (value: unknown) => value is T): EntryFiles<T> {
  let problems: CacheProblem[] = [];
  let writable = true;
  let written = 0;
  const entryPath = (key: string) =>
    path.join(settings.directory, `${createHash('sha256').update(`${settings.fingerprint}\0${key}`).digest('hex')}.${kind}`);

  return {
    read(key) {
      const file = entryPath(key);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push('unreadable');
        return undefined;
      }
      const parsed = parseEntry(text, key, isValue);
      if ('problem' in parsed) {
        problems.push(parsed.problem);
        return undefined;
      }
      touch(file);
      return parsed.value;
    },
    write(key, value) {
      if (!writable) return;
      const file = entryPath(key);
      const temporary = `${file}.${process.pid}-${threadId}-${written++}.tmp`;
      try {
        fs.writeFileSync(temporary, entryText(key, value));
        fs.renameSync(temporary, file);
      } catch {
        writable = false;
        problems.push('unwritable');
        fs.rmSync(temporary, { force: true });
      }
    },
    takeProblems() {
      const taken = problems;
      problems = [];
      return taken;
    },
  };
}

function entryText(key: string, value: unknown): string {
  const body = JSON.stringify(value);
  return `${JSON.stringify({ key, sha256: digestOf(body) })}\n${body}`;
}

/** The value an entry holds, or what is wrong with it. */
function parseEntry<T>(text: string, key: string, isValue: (value: unknown) => value is T): { value: T } | { problem: 'corrupt' | 'foreign' } {
  const corrupt = { problem: 'corrupt' } as const;
  const newline = text.indexOf('\n');
  if (newline < 0) return corrupt;
  const body = text.slice(newline + 1);
  let header: unknown;
  let value: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
    if (!isObject(header) || typeof header['sha256'] !== 'string' || header['sha256'] !== digestOf(body)) return corrupt;
    value = JSON.parse(body);
  } catch {
    return corrupt;
  }
  if (header['key'] !== key) return { problem: 'foreign' };
  return isValue(value) ? { value } : corrupt;
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
