import { severityRank, type Finding } from '../report.js';
import type { ChangedFinding } from './report.js';
import { identityOf } from './identity.js';

export interface Matched {
  added: Finding[];
  removed: Finding[];
  changed: ChangedFinding[];
  unchanged: number;
}

/** A changed finding the update made more severe: what the gate weighs, with the added ones. */
export function isWorse(finding: ChangedFinding): boolean {
  return severityRank(finding.severity) > severityRank(finding.previousSeverity);
}

/**
 * Pairs the findings of two versions by identity (identity.ts), counting copies: an identity held
 * twice before and three times after is one added. Within an identity, copies at the same severity
 * pair first; the copies left pair in report order (worst first) as severity changes; the rest are
 * added or removed. Lists keep their report's order, so the output is as stable as the reports.
 */
export function matchFindings(before: readonly Finding[], after: readonly Finding[], versions: readonly string[]): Matched {
  const waiting = new Map<string, Finding[]>();
  for (const finding of before) {
    const identity = identityOf(finding, versions);
    const copies = waiting.get(identity);
    if (copies === undefined) waiting.set(identity, [finding]);
    else copies.push(finding);
  }
  const identities = after.map((finding) => identityOf(finding, versions));
  const kept = new Set<Finding>();
  // Same identity and severity first, so a severity change never hides behind an extra copy.
  after.forEach((finding, index) => {
    const olds = waiting.get(identities[index]!) ?? [];
    const same = olds.findIndex((old) => old.severity === finding.severity);
    if (same === -1) return;
    olds.splice(same, 1);
    kept.add(finding);
  });
  const added: Finding[] = [];
  const changed: ChangedFinding[] = [];
  after.forEach((finding, index) => {
    if (kept.has(finding)) return;
    const previous = waiting.get(identities[index]!)?.shift();
    if (previous === undefined) added.push(finding);
    else changed.push({ ...finding, previousSeverity: previous.severity });
  });
  const left = new Set([...waiting.values()].flat());
  return { added, removed: before.filter((finding) => left.has(finding)), changed, unchanged: kept.size };
}
