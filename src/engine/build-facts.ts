import type { CodeFacts } from '../analysis/model/code-facts.js';
import { describeServer, originOfFile, type ServerFacts } from '../analysis/server.js';
import type { ContainerFacts } from '../bundle/container.js';
import { readInventory } from '../deps/inventory.js';
import { readPythonDeclarations } from '../deps/python/facts.js';
import type { ManifestFacts } from '../manifest/facts.js';
import type { AuditSettings, BundleFacts } from './facts.js';
import { modelTexts, toolNamesOf } from './model-text.js';

/** What the reading and code-analysis steps produced for one bundle. */
export interface ReadBundle {
  container: ContainerFacts;
  manifest: ManifestFacts;
  settings: AuditSettings;
  /** Described once before the code analysis, which needs it; described here when absent (hand-built facts). */
  server?: ServerFacts;
  code: CodeFacts;
}

/** The facts every rule reads, each derived once here, in one pass, from what was read. */
export function bundleFacts({ container, manifest, settings, server = describeServer(manifest.json, container.files), code }: ReadBundle): BundleFacts {
  return {
    container,
    manifest,
    settings,
    server,
    code,
    originOf: (path) => originOfFile(path, server),
    dependencies: readInventory(container.files),
    python: readPythonDeclarations(manifest.json, container.files),
    modelText: modelTexts(manifest.json, code),
    toolNames: toolNamesOf(manifest.json, code),
  };
}
