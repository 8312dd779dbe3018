import path from 'node:path';
import type { PythonParser } from './analysis/python/parse.js';
import type { BundleSource } from './bundle/discover.js';
import type { Limits } from './bundle/limits.js';
import type { CacheProblem, CacheSettings } from './cache/entries.js';
import type { BundleSurface } from './diff/surface.js';
import type { AuditSettings } from './engine/facts.js';
import type { BundleRoles } from './engine/roles.js';
import type { JsonObject } from './manifest/access.js';
import type { applyPolicy, BundlePolicy, SuppressionUse } from './policy/apply.js';
import type { BundleReport, Installation } from './report.js';
import { levelOf, scoreFindings } from './scoring/score.js';

// What one bundle's audit is given and gives back, plain data both ways (a worker thread receives
// the job and posts the result, and the cache stores the result): shared by the audit of one bundle
// (audit-bundle.ts, audit-content.ts), the batch (audit.ts, audit-pool.ts) and the cache.

/** The Python parser of a run: loaded for the first Python bundle, then handed to the next ones as is. */
export type PythonParserOfRun = () => Promise<PythonParser>;

/** A bundle to audit, with what Claude Desktop's data says about it when it is an installed extension. */
export interface AuditTarget extends BundleSource {
  installation?: Installation;
  /** The manifest Claude Desktop's install registry recorded for it (not part of the report). */
  recordedManifest?: JsonObject;
}

export interface AuditedBundle {
  report: BundleReport;
  roles: BundleRoles;
  internalError: boolean;
  /** What each suppression naming this bundle did (policy/apply.ts). */
  suppressionUses: SuppressionUse[];
  /** With `AuditJob.withSurface`: what `dxt-audit diff` compares besides findings. */
  surface?: BundleSurface;
  /** With `AuditJob.cache`: what was wrong with the cache's entries this audit met. */
  cacheProblems?: CacheProblem[];
}

/** One bundle's audit, as handed to a worker thread (plain data both ways). */
export interface AuditJob {
  target: AuditTarget;
  settings: AuditSettings;
  limits: Limits;
  policy?: BundlePolicy;
  /** Also list the bundle's surface (diff/surface.ts), for `dxt-audit diff`. */
  withSurface?: boolean;
  /**
   * `--cache`: file facts are also looked up in, and written to, this folder (cache/facts-store.ts),
   * and so is the whole audit of the bundle (cache/audit-store.ts).
   */
  cache?: CacheSettings;
}

/** The report of a bundle whose audit failed on our side (a thrown bug, a worker that died). */
export function failedBundle(source: AuditTarget, message: string): AuditedBundle {
  const installation = source.installation === undefined ? {} : { installation: source.installation };
  return {
    internalError: true,
    roles: { sources: [], sinks: [] },
    suppressionUses: [],
    report: {
      source: source.path,
      id: fallbackIdOf(source),
      sha256: null,
      manifest: null,
      capabilities: [],
      connectorClass: 'transformation',
      score: 0,
      level: 'none',
      complete: false,
      incompleteReasons: [`internal error while auditing: ${message}`],
      signature: 'not-applicable',
      ...installation,
      findings: [],
    },
  };
}

/** Score, level and findings after the policy; suppressed findings listed only when there are some. */
export function verdictOf(applied: ReturnType<typeof applyPolicy>): Pick<BundleReport, 'score' | 'level' | 'findings' | 'suppressed'> {
  return {
    score: scoreFindings(applied.findings),
    level: levelOf(applied.findings),
    findings: applied.findings,
    ...(applied.suppressed.length === 0 ? {} : { suppressed: applied.suppressed }),
  };
}

export function fallbackIdOf(source: BundleSource): string {
  return path.basename(path.resolve(source.path));
}
