import path from 'node:path';
import { analyzeCode } from './analysis/analyze.js';
import type { ExtractPool } from './analysis/js/extract-pool.js';
import { prefetchNodeFacts } from './analysis/js/prefetch.js';
import type { FactsCache } from './analysis/model/server-code.js';
import { diskBackedCache, type CacheProblem, type CacheSettings } from './cache/facts-store.js';
import { loadPythonParser, type PythonParser } from './analysis/python/parse.js';
import { describeServer } from './analysis/server.js';
import { RULES } from '../rules/index.js';
import { readingGaps, type ContainerFacts } from './bundle/container.js';
import type { BundleSource } from './bundle/discover.js';
import type { Limits } from './bundle/limits.js';
import { readContainer } from './bundle/read.js';
import { surfaceOf, type BundleSurface } from './diff/surface.js';
import { bundleFacts } from './engine/build-facts.js';
import { capabilitiesOf, connectorClassOf } from './engine/classify.js';
import type { AuditSettings } from './engine/facts.js';
import { withFingerprints } from './engine/fingerprint.js';
import type { BundleRoles } from './engine/roles.js';
import { runRules } from './engine/run.js';
import { stringAt, type JsonObject } from './manifest/access.js';
import type { ManifestFacts } from './manifest/facts.js';
import { readManifest } from './manifest/read.js';
import { applyPolicy, enabledRules, type BundlePolicy, type SuppressionUse } from './policy/apply.js';
import type { BundleReport, Installation, ManifestSummary, SignatureStatus } from './report.js';
import { levelOf, scoreFindings } from './scoring/score.js';

// One bundle's audit, from its bytes to its report: read the container and the manifest, analyse the
// code, build the facts once, run the rules, apply the policy, score. The batch (audit.ts) runs it in
// turn or on worker threads (audit-pool.ts, audit-worker.ts); it sees nothing of the other bundles.

export { RULES };

/** The Python parser of a run: loaded for the first Python bundle, then handed to the next ones as is. */
export type PythonParserOfRun = () => Promise<PythonParser>;

export function pythonParserOfRun(): PythonParserOfRun {
  let loading: Promise<PythonParser> | undefined;
  return () => (loading ??= loadPythonParser());
}

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
  /** `--cache`: file facts are also looked up in, and written to, this folder (cache/facts-store.ts). */
  cache?: CacheSettings;
}


/** Audits one bundle; never throws for the bundle's content, and not even for our own bugs. */
export async function auditBundle(job: AuditJob, memory: FactsCache, pythonParser: PythonParserOfRun, pool?: ExtractPool): Promise<AuditedBundle> {
  if (job.cache === undefined) return auditWith(job, memory, pythonParser, pool);
  const cache = diskBackedCache(memory, job.cache);
  const audited = await auditWith(job, cache, pythonParser, pool);
  const cacheProblems = cache.takeProblems();
  return cacheProblems.length === 0 ? audited : { ...audited, cacheProblems };
}

/** `pool`: threads that read a large Node server's files beside this one (js/prefetch.ts). */
async function auditWith(
  { target: source, settings, limits, policy, withSurface }: AuditJob,
  cache: FactsCache,
  pythonParser: PythonParserOfRun,
  pool: ExtractPool | undefined,
): Promise<AuditedBundle> {
  try {
    const container = await readContainer(source, limits, { certificates: settings.trustedCertificates ?? [], now: Date.now() });
    const manifest = readManifest(container.files);
    const server = describeServer(manifest.json, container.files);
    if (pool !== undefined && server.manifest && server.language === 'node') await prefetchNodeFacts(server.entries, container.files, cache, pool);
    const code = analyzeCode(server, container.files, cache, server.language === 'python' ? await pythonParser() : undefined);
    const facts = bundleFacts({ container, manifest, settings, server, code });
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
      ...(withSurface === true ? { surface: surfaceOf(facts) } : {}),
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
        ...signerOf(container),
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
  return signature.verification?.status ?? 'malformed';
}

function signerOf(container: ContainerFacts): Pick<BundleReport, 'signer'> {
  const signer = container.layout?.signature?.verification?.signer;
  return signer === undefined ? {} : { signer };
}
