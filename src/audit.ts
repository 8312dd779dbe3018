import path from 'node:path';
import { analyzeCode } from './analysis/analyze.js';
import type { FactsCache } from './analysis/model/server-code.js';
import { loadPythonParser, type PythonParser } from './analysis/python/parse.js';
import { describeServer } from './analysis/server.js';
import { RULES } from '../rules/index.js';
import { readingGaps, type ContainerFacts } from './bundle/container.js';
import { discoverBundles, type BundleSource } from './bundle/discover.js';
import { auditInWorkers, canUseWorkers } from './audit-pool.js';
import { combineBundles } from './chains/combine.js';
import { DEFAULT_LIMITS, type Limits } from './bundle/limits.js';
import type { Advisory } from './deps/advisories.js';
import { readContainer } from './bundle/read.js';
import { capabilitiesOf, connectorClassOf } from './engine/classify.js';
import type { AuditSettings, BundleFacts } from './engine/facts.js';
import type { BundleRoles } from './engine/roles.js';
import { withFingerprints } from './engine/fingerprint.js';
import { applyPolicy, applyPolicyToChains, enabledRules, policyProblems, type BundlePolicy, type SuppressionUse } from './policy/apply.js';
import type { Baseline } from './policy/baseline.js';
import type { Policy } from './policy/config.js';
import { runRules } from './engine/run.js';
import { stringAt } from './manifest/access.js';
import type { ManifestFacts } from './manifest/facts.js';
import { readManifest } from './manifest/read.js';
import { atOrAbove, SEVERITIES, type BundleReport, type Combination, type Gate, type Installation, type ManifestSummary, type Report, type Severity, type SignatureStatus } from './report.js';
import { levelOf, scoreFindings } from './scoring/score.js';
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
   * Bundles audited at once, each on a worker thread with its own cache of analysed files; 1 (the
   * default) audits them in turn on the calling thread. Workers need the compiled package (dist/):
   * run from the TypeScript sources, bundles are always audited in turn.
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
  /** Advisories added to the built-in table (`--advisories`, from loadAdvisories); one with a built-in id replaces it. */
  advisories?: readonly Advisory[];
}

export type ProgressListener = (done: number, total: number, source: string) => void;

export const DEFAULT_GATE: Gate = 'high';

// Every rule this version has: what the CLI lists and explains, the policy file may name, and SARIF declares.
export { RULES };

/**
 * Audits every bundle found at `paths` and returns the report that `--format json` prints.
 * Throws `UsageError` when a path does not exist or holds no bundle; never for bundle content.
 */
export async function audit(paths: readonly string[], options: AuditOptions = {}): Promise<Report> {
  return auditTargets(await discoverBundles(paths), options);
}

/** A bundle to audit, with what Claude Desktop's data says about it when it is an installed extension. */
export interface AuditTarget extends BundleSource {
  installation?: Installation;
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
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { policy } = options;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const bundlePolicy: BundlePolicy | undefined =
    policy === undefined ? undefined : { rules: policy.rules, categories: policy.categories, suppressions: policy.suppressions, today };
  const allowedHosts = [...(options.allowedHosts ?? []), ...(policy?.allowedHosts ?? [])];
  const jobs: AuditJob[] = targets.map((target) => ({
    target,
    limits,
    settings: {
      strictManifest: options.strictManifest ?? false,
      allowedHosts,
      grantedPaths: [...(target.installation?.grantedPaths ?? []), ...(policy?.allowedPaths ?? [])],
      ...(options.advisories === undefined || options.advisories.length === 0 ? {} : { advisories: options.advisories }),
    },
    ...(bundlePolicy === undefined ? {} : { policy: bundlePolicy }),
  }));
  const onDone = options.onProgress ?? (() => {});
  const parallel = canUseWorkers() ? Math.min(options.jobs ?? 1, jobs.length) : 1;
  const audited = parallel > 1 ? await auditInWorkers(jobs, parallel, onDone) : await auditInTurn(jobs, onDone);
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
  return {
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
      failed: [...bundles.flatMap((bundle) => bundle.findings), ...combinations].some((risk) => risk.baselineState !== 'unchanged' && atOrAbove(risk.severity, gate)),
      internalError: audited.some((entry) => entry.internalError),
      ...(baseline === undefined ? {} : { baseline }),
    },
  };
}

export interface AuditedBundle {
  report: BundleReport;
  roles: BundleRoles;
  internalError: boolean;
  /** What each suppression naming this bundle did (policy/apply.ts). */
  suppressionUses: SuppressionUse[];
}

/** One bundle's audit, as handed to a worker thread (plain data both ways). */
export interface AuditJob {
  target: AuditTarget;
  settings: AuditSettings;
  limits: Limits;
  policy?: BundlePolicy;
}

/** The Python parser of a run: loaded for the first Python bundle, then handed to the next ones as is. */
export type PythonParserOfRun = () => Promise<PythonParser>;

export function pythonParserOfRun(): PythonParserOfRun {
  let loading: Promise<PythonParser> | undefined;
  return () => (loading ??= loadPythonParser());
}

async function auditInTurn(jobs: readonly AuditJob[], onDone: ProgressListener): Promise<AuditedBundle[]> {
  const cache: FactsCache = new Map();
  const pythonParser = pythonParserOfRun();
  const audited: AuditedBundle[] = [];
  for (const job of jobs) {
    audited.push(await auditBundle(job, cache, pythonParser));
    onDone(audited.length, jobs.length, job.target.path);
  }
  return audited;
}

/** Audits one bundle; never throws for the bundle's content, and not even for our own bugs. */
export async function auditBundle({ target: source, settings, limits, policy }: AuditJob, cache: FactsCache, pythonParser: PythonParserOfRun): Promise<AuditedBundle> {
  try {
    const container = await readContainer(source, limits);
    const manifest = readManifest(container.files);
    const server = describeServer(manifest.json, container.files);
    const code = analyzeCode(server, container.files, cache, server.language === 'python' ? await pythonParser() : undefined);
    const facts: BundleFacts = { container, manifest, code, settings };
    const run = runRules(enabledRules(RULES, policy), facts);
    const id = stringAt(manifest.json, ['name']) || fallbackIdOf(source);
    const content = { sha256: container.sha256, fileBytes: (file: string) => container.files.get(file)?.bytes };
    const applied = applyPolicy(id, withFingerprints(id, run.findings), content, policy);
    const verdict = verdictOf(applied);
    const capabilities = capabilitiesOf(facts, run.findings, run.roles);
    const incompleteReasons = [
      ...readingGaps(container),
      ...manifestGaps(manifest),
      ...code.gaps,
      ...run.failures.map((failure) => `internal error in rule ${failure.ruleId}: ${failure.message}`),
    ];
    return {
      internalError: run.failures.length > 0,
      roles: run.roles,
      suppressionUses: applied.uses,
      report: {
        source: source.path,
        id,
        sha256: container.sha256,
        manifest: manifestSummary(manifest),
        capabilities,
        connectorClass: connectorClassOf(capabilities),
        score: verdict.score,
        level: verdict.level,
        complete: incompleteReasons.length === 0,
        incompleteReasons,
        signature: signatureStatus(container),
        ...(source.installation === undefined ? {} : { installation: source.installation }),
        findings: verdict.findings,
        ...(verdict.suppressed === undefined ? {} : { suppressed: verdict.suppressed }),
      },
    };
  } catch (error) {
    // Our own bug, never the bundle's fault: say so, keep the other bundles, exit 3.
    return failedBundle(source, error instanceof Error ? error.message : String(error));
  }
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
function verdictOf(applied: ReturnType<typeof applyPolicy>): Pick<BundleReport, 'score' | 'level' | 'findings' | 'suppressed'> {
  return {
    score: scoreFindings(applied.findings),
    level: levelOf(applied.findings),
    findings: applied.findings,
    ...(applied.suppressed.length === 0 ? {} : { suppressed: applied.suppressed }),
  };
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

function fallbackIdOf(source: BundleSource): string {
  return path.basename(path.resolve(source.path));
}

function manifestGaps(manifest: ManifestFacts): string[] {
  if (!manifest.present) return ['manifest.json was not found or could not be read, so the server could not be located'];
  if (manifest.json === undefined) return ['manifest.json could not be parsed, so the server could not be located'];
  return [];
}

function manifestSummary(manifest: ManifestFacts): ManifestSummary | null {
  if (manifest.json === undefined) return null;
  const json = manifest.json;
  const version = manifest.version.raw;
  return {
    name: stringAt(json, ['name']) ?? null,
    displayName: stringAt(json, ['display_name']) ?? null,
    version: stringAt(json, ['version']) ?? null,
    manifestVersion: typeof version === 'string' ? version : null,
    serverType: stringAt(json, ['server', 'type']) ?? null,
  };
}

function signatureStatus(container: ContainerFacts): SignatureStatus {
  if (container.kind !== 'archive' || container.layout === null) return 'not-applicable';
  const signature = container.layout.signature;
  if (signature === null) return 'unsigned';
  return signature.problems.length === 0 ? 'signed-unverified' : 'malformed';
}
