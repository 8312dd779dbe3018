import { auditWithSurfaces, type AuditOptions } from '../audit.js';
import { discoverBundles } from '../bundle/discover.js';
import { UsageError } from '../common.js';
import { atOrAbove, type BundleReport, type Gate } from '../report.js';
import { TOOL_VERSION } from '../version.js';
import { driftOf, type AuditedSide } from './drift.js';
import { isWorse, matchFindings } from './match.js';
import type { DiffReport, DiffSide } from './report.js';

// `dxt-audit diff OLD NEW`: audits both versions of one extension and says what the new one can do
// that the old one could not. The gate looks only at what the update brings: findings added, and
// findings made worse; an update that keeps or removes findings passes whatever they are.

/**
 * Audits `oldPath` and `newPath` (each one bundle: a .dxt/.mcpb file or a folder with manifest.json)
 * with the same options and compares them. Throws `UsageError` for a path that is not one bundle.
 */
export async function diff(oldPath: string, newPath: string, options: AuditOptions = {}): Promise<DiffReport> {
  const targets = [await oneBundle(oldPath), await oneBundle(newPath)];
  // In turn on one thread: two versions share most of their files, and its cache analyses each shared file once.
  const { report, surfaces } = await auditWithSurfaces(targets, { ...options, jobs: 1 });
  const [before, after] = report.bundles;
  return diffReports(
    { bundle: before!, surface: surfaces[0] ?? null },
    { bundle: after!, surface: surfaces[1] ?? null },
    { gate: report.summary.gate, internalError: report.summary.internalError },
  );
}

/** The comparison of two audited versions; `internalError`: either audit failed on our side. */
export function diffReports(before: AuditedSide, after: AuditedSide, context: { gate: Gate; internalError: boolean }): DiffReport {
  const versions = [before.bundle.manifest?.version, after.bundle.manifest?.version].filter((version): version is string => version != null && /\d\.\d/.test(version));
  const { added, removed, changed, unchanged } = matchFindings(before.bundle.findings, after.bundle.findings, versions);
  const worsened = changed.filter(isWorse);
  return {
    schemaVersion: 1,
    tool: { name: 'dxt-audit', version: TOOL_VERSION },
    old: sideOf(before.bundle),
    new: sideOf(after.bundle),
    added,
    removed,
    changed,
    unchanged,
    drift: driftOf(before, after),
    summary: {
      gate: context.gate,
      failed: [...added, ...worsened].some((finding) => atOrAbove(finding.severity, context.gate)),
      internalError: context.internalError,
      added: added.length,
      removed: removed.length,
      changed: changed.length,
      worsened: worsened.length,
    },
  };
}

async function oneBundle(path: string) {
  const found = await discoverBundles([path]);
  if (found.length !== 1) throw new UsageError(`${path} holds ${found.length} bundles; diff compares one bundle with one other (a .dxt/.mcpb file or a folder with manifest.json)`);
  return found[0]!;
}

function sideOf(bundle: BundleReport): DiffSide {
  return {
    source: bundle.source,
    id: bundle.id,
    version: bundle.manifest?.version ?? null,
    sha256: bundle.sha256,
    level: bundle.level,
    score: bundle.score,
    complete: bundle.complete,
    incompleteReasons: bundle.incompleteReasons,
    signature: bundle.signature,
  };
}
