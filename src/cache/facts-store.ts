import type { FileFacts } from '../analysis/model/file-facts.js';
import type { FactsCache } from '../analysis/model/server-code.js';
import { isObject } from '../manifest/access.js';
import { entryFiles, type CacheProblem, type CacheSettings } from './entries.js';

// Per-file facts on disk: one entry per analysed file, keyed by the file's content digest and
// language (the in-memory cache's key). An entry holds facts we derived (the same plain data as the
// in-memory cache), never a bundle file.

/** A FactsCache that reads through to the disk on a miss and writes what it learns back. */
export interface DiskFactsCache extends FactsCache {
  /** The problems met since the last call, emptied by it. */
  takeProblems(): CacheProblem[];
}

/** The in-memory cache `memory`, backed by the entries under `settings.directory`. */
export function diskBackedCache(memory: FactsCache, settings: CacheSettings): DiskFactsCache {
  const disk = entryFiles(settings, 'facts', looksLikeFacts);
  return {
    get(key) {
      const known = memory.get(key);
      if (known !== undefined) return known;
      const stored = disk.read(key);
      if (stored !== undefined) memory.set(key, stored);
      return stored;
    },
    set(key, facts) {
      if (memory.get(key) === facts) return;
      memory.set(key, facts);
      disk.write(key, facts);
    },
    takeProblems: () => disk.takeProblems(),
  };
}

const LIST_FIELDS = ['imports', 'reexports', 'calls', 'functions', 'tools', 'listedTools', 'prompts', 'unnamedRegistrations', 'listeners', 'strings'] as const satisfies ReadonlyArray<keyof FileFacts>;

/** The digest proves the bytes are the ones written; this proves they were facts when written. */
function looksLikeFacts(value: unknown): value is FileFacts {
  return (
    isObject(value) &&
    LIST_FIELDS.every((field) => Array.isArray(value[field])) &&
    isObject(value['bindings']) &&
    (value['parseError'] === null || isObject(value['parseError']))
  );
}
