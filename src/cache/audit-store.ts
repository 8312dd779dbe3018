import { createHash } from 'node:crypto';
import path from 'node:path';
import type { AuditedBundle, AuditJob } from '../audit-job.js';
import type { LoadedBundle } from '../bundle/read.js';
import { isObject } from '../manifest/access.js';
import { entryFiles, type CacheSettings, type EntryFiles } from './entries.js';

// Whole audits on disk. A bundle whose content was audited before, with the same settings, limits
// and policy, by the same code, is not analysed again: its audit is read back. An archive is known
// by the SHA-256 of its bytes, before it is unpacked; a folder by a digest of everything read from
// it. An entry holds what the audit derived (the report, the roles the chains pair, what each
// suppression did), never a file of the bundle. Only audits that would come out the same on any
// later run are stored (isLasting).

/** The audits stored under `settings.directory`. */
export function auditStore(settings: CacheSettings): EntryFiles<AuditedBundle> {
  return entryFiles(settings, 'audit', looksLikeAudit);
}

/**
 * What a bundle's audit depends on: its content, and everything the job asks besides the cache
 * folder (where the bundle is, as given and as resolved; settings; limits; policy and its day).
 */
export function auditKey(job: AuditJob, loaded: LoadedBundle): string {
  const { cache: _folder, ...asked } = job;
  return `${contentDigest(loaded)}\0${path.resolve(job.target.path)}\0${JSON.stringify(asked)}`;
}

/**
 * An archive's SHA-256; for what was read whole (a folder, or an archive that could not be read), a
 * SHA-256 of the container: its entries and reading events, then each file's path, mode and bytes.
 */
function contentDigest(loaded: LoadedBundle): string {
  if (loaded.kind === 'archive') return loaded.sha256;
  const { kind, sha256, entries, events, files } = loaded.container;
  const hash = createHash('sha256').update(JSON.stringify({ kind, sha256, entries, events }));
  for (const file of files.values()) hash.update(`\0${JSON.stringify([file.path, file.executable, file.bytes.length])}\0`).update(file.bytes);
  return `content:${hash.digest('hex')}`;
}

/**
 * Whether an audit would come out the same on any later run: it is complete (no limit reached, no
 * parse abandoned after its time budget, no failure of ours), and no signature was checked (its
 * verdict depends on the day its certificates are checked on).
 */
export function isLasting(audited: AuditedBundle): boolean {
  const { complete, signature } = audited.report;
  return !audited.internalError && complete && (signature === 'unsigned' || signature === 'not-applicable');
}

/** The digest proves the bytes are the ones written; this proves they were an audit when written. */
function looksLikeAudit(value: unknown): value is AuditedBundle {
  if (!isObject(value) || value['internalError'] !== false || !Array.isArray(value['suppressionUses'])) return false;
  const { report, roles, surface } = value;
  return (
    isObject(report) &&
    Array.isArray(report['findings']) &&
    Array.isArray(report['capabilities']) &&
    typeof report['score'] === 'number' &&
    isObject(roles) &&
    Array.isArray(roles['sources']) &&
    Array.isArray(roles['sinks']) &&
    (surface === undefined || isObject(surface))
  );
}
