import type { VirtualFile } from '../../bundle/container.js';
import { DEFAULT_LIMITS } from '../../bundle/limits.js';
import { codeText } from '../model/code-text.js';
import type { FileFacts } from '../model/file-facts.js';
import { resolveImport } from '../model/module-graph.js';
import { factsKey, readsAsCode, type FactsCache } from '../model/server-code.js';
import { NODE_FILES, nodeResolverOf } from './analyze.js';
import type { ExtractPool } from './extract-pool.js';

// Before a Node server is analysed (analyze.ts), the files its entries load are read into facts on
// the main thread and the pool's threads at once: the module graph is walked as facts come in, from
// whichever thread, and every file's facts land in the run's cache, where the analysis then finds
// them. Only the order of the work differs from reading the files in turn: a file's facts depend on
// its bytes alone. Smaller servers never wake the pool (ExtractPool.pays), a bundle that holds
// less code than the pool pays for is not walked ahead at all, and the threads end with the walk
// (ExtractPool.rest).

interface Job {
  key: string;
  file: VirtualFile;
}

/** `codeBudget`: Limits.maxCodeBytes; the analysis decides which files it leaves unread, the walk only stops once it has found that much. */
export async function prefetchNodeFacts(
  entries: readonly string[],
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  pool: ExtractPool,
  codeBudget = DEFAULT_LIMITS.maxCodeBytes,
): Promise<void> {
  let codeBytes = 0;
  for (const [path, file] of files) if (readsAsCode(NODE_FILES, entries, path)) codeBytes += file.bytes.length;
  if (!pool.pays(codeBytes)) return;
  const resolve = nodeResolverOf(files);
  const seen = new Set<string>();
  /** Files to read, by cache key, with every path that holds those bytes. */
  const paths = new Map<string, string[]>();
  /** Keys to read: the pool takes them from the front (`next`), the main thread from the back. */
  const waiting: Job[] = [];
  let next = 0;
  /** Files a thread could not read (it failed, or its stack is not enough): read here. */
  const handedBack: Job[] = [];
  const arrived: Array<{ path: string; facts: FileFacts }> = [];
  let inFlight = 0;
  let foundBytes = 0;
  let wake: (() => void) | null = null;

  const discover = (path: string): void => {
    if (seen.has(path) || foundBytes > codeBudget) return;
    seen.add(path);
    const file = files.get(path);
    if (file === undefined || !readsAsCode(NODE_FILES, entries, path)) return;
    const key = factsKey(NODE_FILES, file);
    const known = cache.get(key);
    if (known !== undefined) return void arrived.push({ path, facts: known });
    const same = paths.get(key);
    if (same !== undefined) return void same.push(path);
    paths.set(key, [path]);
    waiting.push({ key, file });
    foundBytes += file.bytes.length;
  };
  /** The strings of the facts the threads sent back so far, each once (shareStrings). */
  const strings = new Map<string, string>();
  const landed = (key: string, facts: FileFacts): void => {
    cache.set(key, facts);
    for (const path of paths.get(key)!) arrived.push({ path, facts });
  };
  entries.forEach(discover);
  try {
    for (;;) {
      while (arrived.length > 0) {
        const { path, facts } = arrived.pop()!;
        for (const ref of facts.imports) {
          const resolution = resolveImport(path, ref, resolve);
          if (resolution?.kind === 'file') discover(resolution.path);
        }
      }
      while (pool.pays(foundBytes) && next < waiting.length && pool.room() > 0) {
        const job = waiting[next++]!;
        inFlight++;
        void pool.extract(job.file.path, job.file.bytes).then((facts) => {
          inFlight--;
          if (facts === null) handedBack.push(job);
          else landed(job.key, shareStrings(facts, strings));
          wake?.();
        });
      }
      if (handedBack.length > 0 || next < waiting.length) {
        const job = handedBack.pop() ?? waiting.pop()!;
        landed(job.key, NODE_FILES.extract(job.file.path, codeText(job.file.bytes)));
        // Let the threads' answers in before the next file.
        if (inFlight > 0) await new Promise<void>((resume) => setImmediate(resume));
        continue;
      }
      if (inFlight === 0 && arrived.length === 0) break;
      if (arrived.length === 0) await new Promise<void>((resume) => (wake = resume));
      wake = null;
    }
  } finally {
    await pool.rest();
  }
}

/**
 * The facts a thread sends back arrive as copies, every string of them a string of its own, where
 * the facts the main thread makes share theirs: google-calendar's generated API clients repeat the
 * same callees, URLs and labels, and 29 MB of the heap its analysis ends with were such copies (a
 * peak about 30 MB lower once shared, and no slower). Each string is replaced, in place, by the
 * first equal one met.
 */
function shareStrings<T>(value: T, strings: Map<string, string>): T {
  if (typeof value === 'string') {
    const known = strings.get(value);
    if (known !== undefined) return known as T;
    strings.set(value, value);
    return value;
  }
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = shareStrings(value[index], strings);
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = shareStrings(record[key], strings);
  }
  return value;
}
