import { createHash } from 'node:crypto';
import type { Combination, Finding, RawFinding } from '../report.js';

// A finding's identity across runs, for baselines (`--baseline`) and SARIF `partialFingerprints`:
// the same problem in the same place keeps it when unrelated code moves it to another line, and any
// change that matters gives a new one. It hashes the bundle id, the rule, the severity the rule gave,
// the file (or JSON pointer), the tool, and the evidence or, without evidence, the message; never a
// line or column. Identical findings in one bundle (the same call written twice in a file) are told
// apart by their rank among equals, so a second copy of a known problem is new, not hidden. Secrets
// never enter it: evidence and messages are already redacted by the rules that write them.

/** One bundle's findings, in report order, each with its fingerprint. */
export function withFingerprints(bundleId: string, findings: readonly RawFinding[]): Finding[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const place = 'pointer' in finding.location ? `${finding.location.file}#${finding.location.pointer}` : finding.location.file;
    const key = hashOf(['finding', bundleId, finding.ruleId, finding.severity, place, finding.tool ?? '', finding.evidence ?? finding.message]);
    const rank = (seen.get(key) ?? 0) + 1;
    seen.set(key, rank);
    return { ...finding, fingerprint: hashOf([key, String(rank)]) };
  });
}

/** A chain's identity: the two bundles, their tools, and what flows from one to the other. */
export function fingerprintCombination(combination: Omit<Combination, 'fingerprint'>): string {
  const { source, sink } = combination;
  return hashOf(['combination', combination.ruleId, combination.severity, source.bundle, source.tools.join(','), source.content, sink.bundle, sink.tools.join(','), sink.power]);
}

function hashOf(parts: readonly string[]): string {
  // NUL cannot occur in the parts' meaningful content, so joined parts never collide by shifting text.
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
