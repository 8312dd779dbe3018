import path from 'node:path';
import { analyzeCode, type FactsCache } from './analysis/analyze.js';
import { RULES } from '../rules/index.js';
import { readingGaps, type ContainerFacts } from './bundle/container.js';
import { discoverBundles, type BundleSource } from './bundle/discover.js';
import { DEFAULT_LIMITS, type Limits } from './bundle/limits.js';
import { readContainer } from './bundle/read.js';
import { capabilitiesOf, connectorClassOf } from './engine/classify.js';
import type { AuditSettings, BundleFacts } from './engine/facts.js';
import { runRules } from './engine/run.js';
import { stringAt } from './manifest/access.js';
import type { ManifestFacts } from './manifest/facts.js';
import { readManifest } from './manifest/read.js';
import { atOrAbove, SEVERITIES, type BundleReport, type Gate, type ManifestSummary, type Report, type Severity, type SignatureStatus } from './report.js';
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
}

export const DEFAULT_GATE: Gate = 'high';

/**
 * Audits every bundle found at `paths` and returns the report that `--format json` prints.
 * Throws `UsageError` when a path does not exist or holds no bundle; never for bundle content.
 */
export async function audit(paths: readonly string[], options: AuditOptions = {}): Promise<Report> {
  const sources = await discoverBundles(paths);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const settings: AuditSettings = { strictManifest: options.strictManifest ?? false, allowedHosts: options.allowedHosts ?? [] };
  const audited: AuditedBundle[] = [];
  const cache: FactsCache = new Map();
  for (const source of sources) audited.push(await auditBundle(source, settings, limits, cache));
  const bundles = audited.map((entry) => entry.report);
  const gate = options.failOn ?? DEFAULT_GATE;
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of bundles.flatMap((bundle) => bundle.findings)) bySeverity[finding.severity] += 1;
  return {
    schemaVersion: 1,
    tool: { name: 'dxt-audit', version: TOOL_VERSION },
    bundles,
    combinations: [],
    summary: {
      bundles: bundles.length,
      bySeverity,
      gate,
      failed: bundles.some((bundle) => bundle.findings.some((finding) => atOrAbove(finding.severity, gate))),
      internalError: audited.some((entry) => entry.internalError),
    },
  };
}

interface AuditedBundle {
  report: BundleReport;
  internalError: boolean;
}

async function auditBundle(source: BundleSource, settings: AuditSettings, limits: Limits, cache: FactsCache): Promise<AuditedBundle> {
  const fallbackId = path.basename(path.resolve(source.path));
  try {
    const container = await readContainer(source, limits);
    const manifest = readManifest(container.files);
    const code = analyzeCode(manifest.json, container.files, cache);
    const facts: BundleFacts = { container, manifest, code, settings };
    const run = runRules(RULES, facts);
    const capabilities = capabilitiesOf(facts, run.findings);
    const incompleteReasons = [
      ...readingGaps(container),
      ...manifestGaps(manifest),
      ...code.gaps,
      ...run.failures.map((failure) => `internal error in rule ${failure.ruleId}: ${failure.message}`),
    ];
    return {
      internalError: run.failures.length > 0,
      report: {
        source: source.path,
        id: stringAt(manifest.json, ['name']) || fallbackId,
        sha256: container.sha256,
        manifest: manifestSummary(manifest),
        capabilities,
        connectorClass: connectorClassOf(capabilities),
        score: scoreFindings(run.findings),
        level: levelOf(run.findings),
        complete: incompleteReasons.length === 0,
        incompleteReasons,
        signature: signatureStatus(container),
        findings: run.findings,
      },
    };
  } catch (error) {
    // Our own bug, never the bundle's fault: say so, keep the other bundles, exit 3.
    const message = error instanceof Error ? error.message : String(error);
    return {
      internalError: true,
      report: {
        source: source.path,
        id: fallbackId,
        sha256: null,
        manifest: null,
        capabilities: [],
        connectorClass: 'transformation',
        score: 0,
        level: 'none',
        complete: false,
        incompleteReasons: [`internal error while auditing: ${message}`],
        signature: 'not-applicable',
        findings: [],
      },
    };
  }
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
