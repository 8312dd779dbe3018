import type { ExtractPool } from './analysis/js/extract-pool.js';
import type { FactsCache } from './analysis/model/server-code.js';
import { loadPythonParser } from './analysis/python/parse.js';
import { failedBundle, type AuditedBundle, type AuditJob, type PythonParserOfRun } from './audit-job.js';
import { loadBundle } from './bundle/read.js';
import { auditKey, auditStore, isLasting } from './cache/audit-store.js';
import type { EntryFiles } from './cache/entries.js';
import { diskBackedCache } from './cache/facts-store.js';

// One bundle's audit, from its bytes to its report: read the bundle; with `--cache`, read its audit
// back when the cache holds it; otherwise audit its content (audit-content.ts, loaded on the first
// bundle that needs it: a scan whose bundles are all in the cache never loads the analysis). The
// batch (audit.ts) runs it in turn or on worker threads (audit-pool.ts, audit-worker.ts); it sees
// nothing of the other bundles.

export function pythonParserOfRun(): PythonParserOfRun {
  let loading: ReturnType<PythonParserOfRun> | undefined;
  return () => (loading ??= loadPythonParser());
}

/** Audits one bundle; never throws for the bundle's content, and not even for our own bugs. */
export async function auditBundle(job: AuditJob, memory: FactsCache, pythonParser: PythonParserOfRun, pool?: ExtractPool): Promise<AuditedBundle> {
  if (job.cache === undefined) return auditWith(job, memory, pythonParser, pool, undefined);
  const files = diskBackedCache(memory, job.cache);
  const audits = auditStore(job.cache);
  const audited = await auditWith(job, files, pythonParser, pool, audits);
  const cacheProblems = [...files.takeProblems(), ...audits.takeProblems()];
  return cacheProblems.length === 0 ? audited : { ...audited, cacheProblems };
}

/** `audits`: a bundle audited before is read back from there, and a new lasting audit stored. */
async function auditWith(
  job: AuditJob,
  cache: FactsCache,
  pythonParser: PythonParserOfRun,
  pool: ExtractPool | undefined,
  audits: EntryFiles<AuditedBundle> | undefined,
): Promise<AuditedBundle> {
  try {
    const loaded = await loadBundle(job.target, job.limits);
    const key = audits === undefined ? undefined : auditKey(job, loaded);
    const known = key === undefined ? undefined : audits?.read(key);
    if (known !== undefined) return known;
    const { auditContent } = await import('./audit-content.js');
    const audited = await auditContent(job, loaded, cache, pythonParser, pool);
    if (key !== undefined && isLasting(audited)) audits?.write(key, audited);
    return audited;
  } catch (error) {
    // Our own bug, never the bundle's fault: say so, keep the other bundles, exit 3.
    return failedBundle(job.target, error instanceof Error ? error.message : String(error));
  }
}
