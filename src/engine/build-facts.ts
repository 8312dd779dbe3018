import type { CodeFacts } from '../analysis/analyze.js';
import type { ContainerFacts } from '../bundle/container.js';
import { readInventory } from '../deps/inventory.js';
import { readPythonDeclarations } from '../deps/python/facts.js';
import type { ManifestFacts } from '../manifest/facts.js';
import type { AuditSettings, BundleFacts } from './facts.js';
import { modelTexts, toolNamesOf } from './model-text.js';
import { originResolver } from './origin.js';

/** What the reading and code-analysis steps produced for one bundle. */
export interface ReadBundle {
  container: ContainerFacts;
  manifest: ManifestFacts;
  settings: AuditSettings;
  code: CodeFacts;
}

/** The facts every rule reads, each derived once here, in one pass, from what was read. */
export function bundleFacts({ container, manifest, settings, code }: ReadBundle): BundleFacts {
  return {
    container,
    manifest,
    settings,
    code,
    originOf: originResolver({ manifest, container }),
    dependencies: readInventory(container.files),
    python: readPythonDeclarations(manifest.json, container.files),
    modelText: modelTexts(manifest.json, code),
    toolNames: toolNamesOf(manifest.json, code),
  };
}
