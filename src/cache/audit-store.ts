import path from 'node:path';
import type { AuditedBundle, AuditJob } from '../audit-job.js';
import { entryFiles, isRecord, type CacheSettings, type EntryFiles } from './entries.js';

// Whole audits of archives on disk. An archive whose bytes (its SHA-256) were audited before, with
// the same settings, limits and policy, by the same code, is neither unpacked nor analysed again:
// its audit is read back. An entry holds what the audit derived (the report, the roles the chains
// pair, what each suppression did), never a file of the bundle. Only audits that would come out the
// same on any later run are stored (isLasting).

/** The audits stored under `settings.directory`. */
export function auditStore(settings: CacheSettings): EntryFiles<AuditedBundle> {
  return entryFiles(settings, 'audit', looksLikeAudit);
}

/**
 * What an archive's audit depends on: its bytes, and everything the job asks besides the cache
 * folder (where the bundle is, as given and as resolved; settings; limits; policy and its day).
 */
export function auditKey(job: AuditJob, sha256: string): string {
  const { cache: _folder, ...asked } = job;
  return `${sha256}\0${path.resolve(job.target.path)}\0${JSON.stringify(asked)}`;
}

/**
 * Whether an audit would come out the same on any later run: it is complete (no limit reached, no
 * parse abandoned after its time budget, no failure of ours), and the archive is unsigned (a
 * signature's verdict depends on the day its certificates are checked on).
 */
export function isLasting(audited: AuditedBundle): boolean {
  return !audited.internalError && audited.report.complete && audited.report.signature === 'unsigned';
}

/** The digest proves the bytes are the ones written; this proves they were an audit when written. */
function looksLikeAudit(value: unknown): value is AuditedBundle {
  if (!isRecord(value) || value['internalError'] !== false || !Array.isArray(value['suppressionUses'])) return false;
  const { report, roles, surface } = value;
  return (
    isRecord(report) &&
    Array.isArray(report['findings']) &&
    Array.isArray(report['capabilities']) &&
    typeof report['score'] === 'number' &&
    isRecord(roles) &&
    Array.isArray(roles['sources']) &&
    Array.isArray(roles['sinks']) &&
    (surface === undefined || isRecord(surface))
  );
}
