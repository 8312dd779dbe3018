import { auditBundle, pythonParserOfRun } from './audit-bundle.js';
import { verdictOf, type AuditedBundle, type AuditJob, type AuditTarget } from './audit-job.js';
import { availableParallelism } from 'node:os';
import { auditInWorkers, canUseWorkers, threadsThatPay, type ProgressListener } from './audit-pool.js';
import { ExtractPool } from './analysis/js/extract-pool.js';
import type { FactsCache } from './analysis/model/server-code.js';
import type { BundleSurface } from './diff/surface.js';
import { discoverBundles } from './bundle/discover.js';
import type { CacheProblem } from './cache/entries.js';
import { cacheWarning, openCache, pruneCache } from './cache/open.js';
import { DEFAULT_LIMITS, type Limits } from './bundle/limits.js';
import { combineBundles } from './chains/combine.js';
import type { Advisory } from './deps/advisories.js';
import { applyPolicy, applyPolicyToChains, policyProblems, type BundlePolicy } from './policy/apply.js';
import type { Baseline } from './policy/baseline.js';
import type { Policy } from './policy/config.js';
import { DEFAULT_GATE, failsGate, SEVERITIES, type BundleReport, type Combination, type Finding, type Gate, type GateScope, type Report, type Severity } from './report.js';
import { TOOL_VERSION } from './version.js';


export interface AuditOptions {
  /** The gate: the report fails when any finding is at or above it. Default `high`. */
  failOn?: Gate;
  /** Unknown manifest keys count as schema violations, as in the reference validator. */
  strictManifest?: boolean;
  /** Hosts the user allows in addition to those the manifest declares (`--allow-host`). */
  allowedHosts?: readonly string[];
  /** Overrides for the hostile-input limits (docs/limits.md). */
  limits?: Partial<Limits>;
  /**
   * Threads the audit may use; one per CPU core by default. Several bundles are audited at once, each
   * on a worker thread with its own cache of analysed files, when the batch is large enough to pay
   * for starting the threads (audit-pool.ts threadsThatPay); otherwise they are audited in turn on
   * the calling thread, and a large Node server's files are read on the other threads meanwhile
   * (js/prefetch.ts). 1: everything on the calling thread. Workers need the compiled package (dist/):
   * run from the TypeScript sources, everything runs on the calling thread.
   */
  jobs?: number;
  /** Called after each bundle: how many are done, of how many, and the one just finished. */
  onProgress?: ProgressListener;
  /** The policy file (policy/config.ts): allowed hosts and paths, severity overrides, disabled rules, suppressions. */
  policy?: Policy;
  /** The day suppressions' expiry is judged on, YYYY-MM-DD; today (UTC) by default. */
  today?: string;
  /** Findings and chains already known (`--baseline`): only the others fail the gate. */
  baseline?: Baseline;
  /**
   * `named` (`--gate-scope named`): only the targets that are not part of the Claude Desktop
   * installation, and the chains with one of them at either end, decide the gate; what is installed
   * is still reported. `all` by default.
   */
  gateScope?: GateScope;
  /** Advisories added to the built-in table (`--advisories`, from loadAdvisories); one with a built-in id replaces it. */
  advisories?: readonly Advisory[];
  /** PEM certificates trusted as signature roots besides Node's bundled ones (`--trust-cert`, from loadTrustedCertificates). */
  trustedCertificates?: readonly string[];
  /**
   * `--cache`: keep the facts of every analysed file in this folder and read them back on later
   * scans (docs/cache.md); the report is the same with or without it. At most `maxBytes` are kept.
   */
  cache?: { directory: string; maxBytes?: number };
  /** Told one line when the cache had problems (ignored and rebuilt entries, a folder that cannot be written). */
  onWarning?: (line: string) => void;
}

export type { ProgressListener } from './audit-pool.js';

export { DEFAULT_GATE };

/**
 * Audits every bundle found at `paths` and returns the report that `--format json` prints.
 * Throws `UsageError` when a path does not exist or holds no bundle; never for bundle content.
 */
export async function audit(paths: readonly string[], options: AuditOptions = {}): Promise<Report> {
  return auditTargets(await discoverBundles(paths), options);
}

/**
 * Audits each target on its own (one broken bundle never stops the others), then pairs the bundles'
 * roles into cross-bundle chains. With `installed` (--installed), the servers configured by hand in
 * Claude Desktop are listed and gated like the bundles, and the report says which data folders were read.
 */
export async function auditTargets(
  targets: readonly AuditTarget[],
  options: AuditOptions = {},
  installed?: { configured: readonly BundleReport[]; installed: NonNullable<Report['installed']> },
): Promise<Report> {
  return (await auditBatch(targets, options, installed, false)).report;
}

/**
 * Audits like auditTargets, and also returns each target's surface (diff/surface.ts), in target
 * order: what `dxt-audit diff` compares besides findings; null where the audit failed on our side.
 */
export async function auditWithSurfaces(targets: readonly AuditTarget[], options: AuditOptions = {}): Promise<{ report: Report; surfaces: Array<BundleSurface | null> }> {
  const { report, audited } = await auditBatch(targets, options, undefined, true);
  return { report, surfaces: audited.map((entry) => entry.surface ?? null) };
}

async function auditBatch(
  targets: readonly AuditTarget[],
  options: AuditOptions,
  installed: { configured: readonly BundleReport[]; installed: NonNullable<Report['installed']> } | undefined,
  withSurface: boolean,
): Promise<{ report: Report; audited: AuditedBundle[] }> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { policy } = options;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const bundlePolicy: BundlePolicy | undefined =
    policy === undefined ? undefined : { rules: policy.rules, categories: policy.categories, suppressions: policy.suppressions, today };
  const allowedHosts = [...(options.allowedHosts ?? []), ...(policy?.allowedHosts ?? [])];
  const cache = options.cache === undefined ? undefined : { ...options.cache, ...openCache(options.cache.directory) };
  const jobs: AuditJob[] = targets.map((target) => ({
    target,
    limits,
    settings: {
      strictManifest: options.strictManifest ?? false,
      allowedHosts,
      grantedPaths: [...(target.installation?.grantedPaths ?? []), ...(policy?.allowedPaths ?? [])],
      ...(target.recordedManifest === undefined ? {} : { recordedManifest: target.recordedManifest }),
      ...(options.advisories === undefined || options.advisories.length === 0 ? {} : { advisories: options.advisories }),
      ...(options.trustedCertificates === undefined || options.trustedCertificates.length === 0 ? {} : { trustedCertificates: options.trustedCertificates }),
    },
    ...(bundlePolicy === undefined ? {} : { policy: bundlePolicy }),
    ...(withSurface ? { withSurface } : {}),
    ...(cache?.settings ? { cache: cache.settings } : {}),
  }));
  const onDone = options.onProgress ?? (() => {});
  const threads = canUseWorkers() ? (options.jobs ?? availableParallelism()) : 1;
  const parallel = threads === 1 ? 1 : options.jobs === undefined ? await threadsThatPay(targets, threads) : Math.min(threads, jobs.length);
  const audited = parallel > 1 ? await auditInWorkers(jobs, parallel, onDone) : await auditInTurn(jobs, onDone, threads);
  if (cache !== undefined) closeCache(cache, [...cache.problems, ...audited.flatMap((entry) => entry.cacheProblems ?? [])], options.onWarning);
  const uses = audited.flatMap((entry) => entry.suppressionUses);
  const configured = (installed?.configured ?? []).map((report) => {
    const applied = applyPolicy(report.id, report.findings, { sha256: null, fileBytes: () => undefined }, bundlePolicy);
    uses.push(...applied.uses);
    return { ...report, ...verdictOf(applied) };
  });
  const bundles = [...audited.map((entry) => entry.report), ...configured];
  const combinations = applyPolicyToChains(
    combineBundles(
      audited.map(({ report, roles }) => ({ id: report.id, name: report.manifest?.displayName ?? report.id, enabled: report.installation?.enabled ?? true, roles })),
    ),
    bundlePolicy,
  );
  const gate = options.failOn ?? policy?.failOn ?? DEFAULT_GATE;
  const baseline = options.baseline === undefined ? undefined : compareWithBaseline(bundles, combinations, options.baseline);
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of bundles.flatMap((bundle) => bundle.findings)) bySeverity[finding.severity] += 1;
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'dxt-audit', version: TOOL_VERSION },
    bundles,
    combinations,
    ...(installed === undefined ? {} : { installed: installed.installed }),
    ...(policy === undefined ? {} : { policy: { file: policy.file, problems: policyProblems(policy, today, uses) } }),
    summary: {
      bundles: bundles.length,
      bySeverity,
      gate,
      // A chain across two extensions fails the gate like a finding in one; with a baseline, only new ones do.
      failed: gatedRisks(bundles, combinations, options.gateScope ?? 'all').some((risk) => failsGate(risk, gate)),
      internalError: audited.some((entry) => entry.internalError),
      ...(baseline === undefined ? {} : { baseline }),
      ...(options.gateScope === 'named' ? { gateScope: options.gateScope } : {}),
    },
  };
  return { report, audited };
}

/** What the gate judges: every finding and chain, or with `named`, those of the bundles not installed and the chains one of them is part of. */
function gatedRisks(bundles: readonly BundleReport[], combinations: readonly Combination[], scope: GateScope): Array<Finding | Combination> {
  const judged = scope === 'all' ? bundles : bundles.filter((bundle) => bundle.installation === undefined);
  const ids = new Set(judged.map((bundle) => bundle.id));
  return [...judged.flatMap((bundle) => bundle.findings), ...combinations.filter((chain) => chain.bundles.some((id) => ids.has(id)))];
}

/** Marks each finding and chain new or unchanged, and counts them and the baseline's entries now gone. */
function compareWithBaseline(bundles: readonly BundleReport[], combinations: Combination[], baseline: Baseline): NonNullable<Report['summary']['baseline']> {
  const counts = { file: baseline.file, new: 0, unchanged: 0, absent: 0 };
  const seen = new Set<string>();
  for (const risk of [...bundles.flatMap((bundle) => bundle.findings), ...combinations]) {
    const known = baseline.fingerprints.has(risk.fingerprint);
    risk.baselineState = known ? 'unchanged' : 'new';
    counts[risk.baselineState] += 1;
    if (known) seen.add(risk.fingerprint);
  }
  counts.absent = [...baseline.fingerprints].filter((fingerprint) => !seen.has(fingerprint)).length;
  return counts;
}

function closeCache(cache: NonNullable<AuditOptions['cache']>, problems: readonly CacheProblem[], onWarning: AuditOptions['onWarning']): void {
  const warning = cacheWarning(cache.directory, problems);
  if (warning !== null) onWarning?.(warning);
  pruneCache(cache.directory, cache.maxBytes);
}

/** Bundles one after the other; a large Node server's files are read on `threads` threads, this one included (js/prefetch.ts). */
async function auditInTurn(jobs: readonly AuditJob[], onDone: ProgressListener, threads: number): Promise<AuditedBundle[]> {
  const cache: FactsCache = new Map();
  const pythonParser = pythonParserOfRun();
  const pool = threads > 1 ? new ExtractPool(threads - 1) : undefined;
  const audited: AuditedBundle[] = [];
  try {
    for (const job of jobs) {
      audited.push(await auditBundle(job, cache, pythonParser, pool));
      onDone(audited.length, jobs.length, job.target.path);
    }
  } finally {
    await pool?.close();
  }
  return audited;
}
