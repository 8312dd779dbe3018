import { analyzeCode } from './analysis/analyze.js';
import type { ExtractPool } from './analysis/js/extract-pool.js';
import { prefetchNodeFacts } from './analysis/js/prefetch.js';
import type { FactsCache } from './analysis/model/server-code.js';
import { describeServer } from './analysis/server.js';
import { RULES } from '../rules/index.js';
import { fallbackIdOf, verdictOf, type AuditedBundle, type AuditJob, type PythonParserOfRun } from './audit-job.js';
import { readingGaps, type ContainerFacts } from './bundle/container.js';
import { unpackBundle, type LoadedBundle } from './bundle/read.js';
import { surfaceOf } from './diff/surface.js';
import { bundleFacts } from './engine/build-facts.js';
import { capabilitiesOf, connectorClassOf } from './engine/classify.js';
import { withFingerprints } from './engine/fingerprint.js';
import { runRules } from './engine/run.js';
import { stringAt } from './manifest/access.js';
import type { ManifestFacts } from './manifest/facts.js';
import { readManifest } from './manifest/read.js';
import { applyPolicy, enabledRules } from './policy/apply.js';
import type { BundleReport, ManifestSummary, SignatureStatus } from './report.js';

// One bundle's audit from its content: unpack the archive, read the manifest, analyse the code,
// build the facts once, run the rules, apply the policy, score. It holds the rule set, which it
// hands to everything else, and loads the whole analysis: audit-bundle.ts imports it only when a
// bundle has to be audited, not when its audit is read back from the cache.

// Every rule this version has: what the CLI lists and explains, the policy file may name, and SARIF declares.
export { RULES };

/** `pool`: threads that read a large Node server's files beside this one (js/prefetch.ts). */
export async function auditContent(
  { target: source, settings, limits, policy, withSurface }: AuditJob,
  loaded: LoadedBundle,
  cache: FactsCache,
  pythonParser: PythonParserOfRun,
  pool: ExtractPool | undefined,
): Promise<AuditedBundle> {
  const container = await unpackBundle(loaded, limits, { certificates: settings.trustedCertificates ?? [], now: Date.now() });
  const manifest = readManifest(container.files);
  const server = describeServer(manifest.json, container.files);
  if (pool !== undefined && server.manifest && server.language === 'node') await prefetchNodeFacts(server.entries, container.files, cache, pool, limits.maxCodeBytes);
  const code = analyzeCode(server, container.files, cache, server.language === 'python' ? await pythonParser() : undefined, limits.maxCodeBytes);
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
