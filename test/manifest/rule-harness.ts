import { bundleFacts } from '../../src/engine/build-facts.js';
import type { AuditSettings } from '../../src/engine/facts.js';
import type { Rule } from '../../src/engine/rule.js';
import { runRules } from '../../src/engine/run.js';
import { readManifest } from '../../src/manifest/read.js';
import type { RawFinding } from '../../src/report.js';
import { noCode } from '../helpers/facts.js';

/** Runs one rule on a manifest given as a value (serialised) or as raw text, for cases no fixture holds. */
export function runManifestRule(rule: Rule, manifest: unknown, settings: Partial<AuditSettings> = {}): RawFinding[] {
  const text = typeof manifest === 'string' ? manifest : JSON.stringify(manifest);
  const files = new Map([['manifest.json', { path: 'manifest.json', bytes: new TextEncoder().encode(text), executable: false }]]);
  const facts = bundleFacts({
    container: { kind: 'directory', sha256: null, entries: [], files, events: [], layout: null },
    manifest: readManifest(files),
    code: noCode(),
    settings: { strictManifest: false, ...settings },
  });
  const run = runRules([rule], facts);
  if (run.failures.length > 0) throw new Error(`rule failed: ${JSON.stringify(run.failures)}`);
  return run.findings;
}
