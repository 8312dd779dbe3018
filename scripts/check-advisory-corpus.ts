// `node --import tsx scripts/check-advisory-corpus.ts`: builds (or reuses, from .bench-cache) the
// corpus bundles pinned to a vulnerable version and the same bundles at the fixed version, audits
// each, and fails unless the old ones report exactly their advisories (deps-known-advisory) and the
// fixed ones report none. No timing: the audit runs in this process, once per bundle.
// test/deps/advisory-corpus.test.ts runs the same check on bundles already in .bench-cache.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { audit } from '../src/audit.js';
import type { Finding } from '../src/report.js';
import { assemble, CACHE_DIR } from './bench/assemble.js';
import { CORPUS, FIXED_VERSIONS, type CorpusEntry } from './bench/corpus.js';

export interface AdvisoryCase {
  entry: CorpusEntry;
  /** Advisory ids the bundle must report; none for a fixed version. */
  expected: readonly string[];
}

/** Each pinned corpus entry, and the same entry at its fixed version. */
export function advisoryCases(): AdvisoryCase[] {
  return Object.entries(FIXED_VERSIONS).flatMap(([name, { fixed, advisories }]) => {
    const entry = CORPUS.find((candidate) => candidate.name === name);
    if (entry === undefined) throw new Error(`FIXED_VERSIONS names ${name}, which is not in the corpus`);
    return [
      { entry, expected: advisories },
      { entry: { ...entry, version: fixed }, expected: [] },
    ];
  });
}

export function bundlePathOf(entry: CorpusEntry): string {
  return path.join(CACHE_DIR, `${entry.name}-${entry.version}.mcpb`);
}

/** The deps-known-advisory findings of one bundle, and what differs from the expectation. */
export async function checkBundle(bundlePath: string, expected: readonly string[]): Promise<{ findings: Finding[]; problems: string[] }> {
  const report = await audit([bundlePath]);
  const bundle = report.bundles[0]!;
  const findings = bundle.findings.filter((finding) => finding.ruleId === 'deps-known-advisory');
  const found = findings.map((finding) => /^Bundled package "[^"]+" \S+ is (?:affected by |a known malicious package \()([\w.-]+)/.exec(finding.message)?.[1] ?? finding.message);
  const problems: string[] = [];
  if (!bundle.complete) problems.push(`incomplete: ${bundle.incompleteReasons.join('; ')}`);
  for (const id of expected) if (!found.includes(id)) problems.push(`does not report ${id}`);
  for (const id of found) if (!expected.includes(id)) problems.push(`reports ${id}, which it should not`);
  return { findings, problems };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } } });
  let failed = false;
  for (const { entry, expected } of advisoryCases()) {
    const bundlePath = values['no-build'] ? bundlePathOf(entry) : assemble(entry, { log: (line) => console.log(`  ${line}`) }).bundlePath;
    if (!existsSync(bundlePath)) {
      console.log(`${entry.name} ${entry.version}: no bundle at ${bundlePath}`);
      failed = true;
      continue;
    }
    const { findings, problems } = await checkBundle(bundlePath, expected);
    console.log(`${entry.name} ${entry.version}: ${problems.length === 0 ? 'ok' : 'FAILED'}`);
    for (const finding of findings) console.log(`  ${finding.severity.padEnd(8)} ${finding.message}`);
    for (const problem of problems) console.log(`  problem: ${problem}`);
    failed ||= problems.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
