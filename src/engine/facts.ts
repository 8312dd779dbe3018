import type { CodeFacts } from '../analysis/model/code-facts.js';
import type { Origin } from '../analysis/model/origin.js';
import type { ServerFacts } from '../analysis/server.js';
import type { ContainerFacts } from '../bundle/container.js';
import type { Advisory } from '../deps/advisories.js';
import type { Inventory } from '../deps/inventory.js';
import type { PythonDeclarations } from '../deps/python/facts.js';
import type { ManifestFacts } from '../manifest/facts.js';
import type { JsonObject } from '../manifest/access.js';
import type { ModelText } from './model-text.js';
import type { BundleRoles } from './roles.js';

export interface AuditSettings {
  /** Unknown manifest keys are schema violations (parity with the reference validator) instead of low findings. */
  strictManifest: boolean;
  /** Hosts the user allows (`--allow-host`) in addition to those the manifest declares; none when absent. */
  allowedHosts?: readonly string[];
  /** Directories and files the user granted an installed extension (`--installed`): its declared filesystem scope. */
  grantedPaths?: readonly string[];
  /** The manifest Claude Desktop recorded when it installed this extension (`--installed`). */
  recordedManifest?: JsonObject;
  /** PEM certificates trusted as signature roots besides Node's bundled ones (`--trust-cert`). */
  trustedCertificates?: readonly string[];
  /** Advisories added to the built-in table (`--advisories`); an entry with a built-in id replaces it. */
  advisories?: readonly Advisory[];
}

/** Everything rules may look at for one bundle, built once by engine/build-facts.ts; rules only read it. */
export interface BundleFacts {
  container: ContainerFacts;
  manifest: ManifestFacts;
  settings: AuditSettings;
  /** What the manifest says starts the server: its type, language and entry files (analysis/server.ts). */
  server: ServerFacts;
  code: CodeFacts;
  /** Whose file a bundle path is: the publisher's, or a dependency's (the code analysis decides it the same way). */
  originOf: (path: string) => Origin;
  /** The packages the bundle ships, from their own metadata (deps/inventory.ts). */
  dependencies: Inventory;
  /** What a Python server declares it depends on, and what installs it at start (deps/python/facts.ts). */
  python: PythonDeclarations;
  /** Every text put in front of the model, from the manifest and the code (engine/model-text.ts). */
  modelText: readonly ModelText[];
  /** The names of the tools the bundle provides, by its manifest and by its code. */
  toolNames: ReadonlySet<string>;
  /** The roles the other rules stated; present only for rules that declare `readsRoles`. */
  roles?: BundleRoles;
}
