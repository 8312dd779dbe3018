import type { CodeFacts } from '../analysis/model/code-facts.js';
import type { ContainerFacts } from '../bundle/container.js';
import type { Advisory } from '../deps/advisories.js';
import type { ManifestFacts } from '../manifest/facts.js';
import type { BundleRoles } from './roles.js';

export interface AuditSettings {
  /** Unknown manifest keys are schema violations (parity with the reference validator) instead of low findings. */
  strictManifest: boolean;
  /** Hosts the user allows (`--allow-host`) in addition to those the manifest declares; none when absent. */
  allowedHosts?: readonly string[];
  /** Directories and files the user granted an installed extension (`--installed`): its declared filesystem scope. */
  grantedPaths?: readonly string[];
  /** Advisories added to the built-in table (`--advisories`); an entry with a built-in id replaces it. */
  advisories?: readonly Advisory[];
}

/** Everything rules may look at for one bundle. Precomputed once; rules only read it. */
export interface BundleFacts {
  container: ContainerFacts;
  manifest: ManifestFacts;
  code: CodeFacts;
  settings: AuditSettings;
  /** The roles the other rules stated; present only for rules that declare `readsRoles`. */
  roles?: BundleRoles;
}
