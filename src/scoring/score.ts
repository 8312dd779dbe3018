import { SEVERITIES, severityRank, type Level, type RawFinding, type Severity } from '../report.js';
import { addToList } from '../common.js';

// The score reads as "how much of the trust one would give an unknown extension is used up".
// Each counted finding takes its weight's share of the trust that remains (a noisy-OR), so the
// result is order-independent, saturates below 100, and one critical always outweighs any number
// of low findings. Only the worst few findings of each rule count: a rule that fires a thousand
// times on vendored code must not drown a single critical elsewhere. See docs/scoring.md.

export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 0.6,
  high: 0.3,
  medium: 0.1,
  low: 0.02,
  info: 0,
};

export const COUNTED_PER_RULE = 3;

export function scoreFindings(findings: readonly RawFinding[]): number {
  let remainingTrust = 1;
  for (const finding of countedFindings(findings)) remainingTrust *= 1 - SEVERITY_WEIGHTS[finding.severity];
  return Math.round(100 * (1 - remainingTrust));
}

/**
 * The findings the score counts: the COUNTED_PER_RULE worst of each rule, in the order given within
 * a rule (rules in order of their first finding). What reporters explain a score with.
 */
export function countedFindings<Counted extends Pick<RawFinding, 'ruleId' | 'severity'>>(findings: readonly Counted[]): Counted[] {
  const byRule = new Map<string, Counted[]>();
  for (const finding of findings) addToList(byRule, finding.ruleId, finding);
  return [...byRule.values()].flatMap((ofRule) => [...ofRule].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).slice(0, COUNTED_PER_RULE));
}

/** The highest severity among the findings; `info` counts as none. */
export function levelOf(findings: readonly RawFinding[]): Level {
  const worst = Math.max(-1, ...findings.map((finding) => severityRank(finding.severity)));
  const severity = SEVERITIES[worst];
  return severity === undefined || severity === 'info' ? 'none' : severity;
}
