import type { CodeFacts } from '../../src/analysis/model/code-facts.js';
import type { ContainerFacts } from '../../src/bundle/container.js';
import { bundleFacts as buildFacts } from '../../src/engine/build-facts.js';
import type { BundleFacts } from '../../src/engine/facts.js';
import { runRules } from '../../src/engine/run.js';
import type { Rule } from '../../src/engine/rule.js';
import type { RawFinding } from '../../src/report.js';
import { noCode } from './facts.js';
import { tree } from './tree.js';

/** Facts of an unpacked bundle built from an object literal (see `tree`), with `manifest` as its parsed manifest.json. */
export function bundleFacts(spec: Record<string, string | Uint8Array | object>, manifest?: unknown): BundleFacts {
  const files = tree(spec);
  const container: ContainerFacts = {
    kind: 'directory',
    sha256: null,
    entries: [...files.keys()].map((name) => ({ name, kind: 'file', mode: 0o644, encrypted: false, compressedSize: 0, declaredSize: 0, localHeaderOffset: null })),
    files,
    events: [],
    layout: null,
  };
  return buildFacts({
    container,
    manifest: {
      present: manifest !== undefined,
      text: manifest === undefined ? null : JSON.stringify(manifest),
      parseError: null,
      json: manifest,
      version: { field: null, raw: undefined, known: null },
      schemaIssues: [],
    },
    code: noCode(),
    settings: { strictManifest: false },
  });
}

/** Runs one rule on hand-made facts; a rule that throws fails the test instead of becoming a gap. */
export function runRule(rule: Rule, facts: BundleFacts): RawFinding[] {
  const run = runRules([rule], facts);
  if (run.failures.length > 0) throw new Error(`${rule.meta.id} threw: ${run.failures[0]!.message}`);
  return run.findings;
}

/** Runs one rule on hand-made code facts (calls and strings), for triggers and sources the fixtures cannot yet produce. */
export function runRuleOnCode(rule: Rule, code: Partial<CodeFacts>, manifest?: unknown): RawFinding[] {
  const facts = bundleFacts({ 'server/index.js': '' }, manifest);
  return runRule(rule, { ...facts, code: { ...facts.code, reachable: ['server/index.js'], ...code } });
}
