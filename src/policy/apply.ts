import { createHash } from 'node:crypto';
import type { Rule } from '../engine/rule.js';
import type { Category, Combination, Finding, Severity, SuppressedFinding } from '../report.js';
import type { Policy, Suppression } from './config.js';

// What the policy file does to one bundle's findings, after the rules ran and fingerprints were
// given (so baselines do not move when a team retunes severities): disabled rules do not run,
// overrides set severities (a rule's own override beats its category's), and a suppression moves a
// finding out of the gate into `suppressed` only while the content it was reviewed on is unchanged
// and it has not expired. Each suppression's outcome goes back to the caller, which reports the
// ones that did nothing (policyProblems).

/** The part of the policy a bundle's audit needs: plain data, so that worker threads get it too. */
export interface BundlePolicy {
  rules: Policy['rules'];
  categories: Policy['categories'];
  suppressions: Suppression[];
  /** YYYY-MM-DD: a suppression applies up to and including its `expires` day. */
  today: string;
}

/**
 * For each suppression naming the bundle: `applied` to at least one finding; the content it names
 * `changed` (other hash, or the file is gone); `no-archive` when it names no file and the bundle is
 * a folder, which has no archive hash; `unmatched` when the content is the same but no finding is.
 */
export type SuppressionOutcome = 'applied' | 'changed' | 'no-archive' | 'unmatched';

export interface SuppressionUse {
  /** Position in the policy's `suppressions`. */
  index: number;
  outcome: SuppressionOutcome;
}

/** The content suppressions are tied to. */
export interface BundleContent {
  /** Of the archive; null for a folder. */
  sha256: string | null;
  fileBytes(path: string): Uint8Array | undefined;
}

export function enabledRules(rules: readonly Rule[], policy: BundlePolicy | undefined): Rule[] {
  return rules.filter((rule) => policy?.rules[rule.meta.id] !== 'off');
}

export function applyPolicy(
  bundleId: string,
  findings: readonly Finding[],
  content: BundleContent,
  policy: BundlePolicy | undefined,
): { findings: Finding[]; suppressed: SuppressedFinding[]; uses: SuppressionUse[] } {
  if (policy === undefined) return { findings: [...findings], suppressed: [], uses: [] };
  const overridden = findings.map((finding) => ({ ...finding, severity: severityFor(finding, policy) }));
  const uses: SuppressionUse[] = [];
  const active: Array<{ suppression: Suppression; index: number }> = [];
  policy.suppressions.forEach((suppression, index) => {
    if (suppression.bundle !== bundleId || isExpired(suppression, policy.today)) return;
    const outcome = contentOutcome(suppression, content);
    if (outcome === null) active.push({ suppression, index });
    else uses.push({ index, outcome });
  });
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const applied = new Set<number>();
  for (const finding of overridden) {
    const match = active.find(({ suppression }) => suppression.rule === finding.ruleId && (suppression.file === undefined || suppression.file === finding.location.file));
    if (match === undefined) {
      kept.push(finding);
      continue;
    }
    applied.add(match.index);
    const { reason, expires } = match.suppression;
    suppressed.push({ ...finding, suppression: { reason, ...(expires === undefined ? {} : { expires }) } });
  }
  for (const { index } of active) uses.push({ index, outcome: applied.has(index) ? 'applied' : 'unmatched' });
  return { findings: kept, suppressed, uses: uses.sort((a, b) => a.index - b.index) };
}

function isExpired(suppression: Suppression, today: string): boolean {
  return suppression.expires !== undefined && suppression.expires < today;
}

/** Chains across bundles answer to the overrides of their rule and category too; suppressions name one bundle, so not to those. */
export function applyPolicyToChains(combinations: readonly Combination[], policy: BundlePolicy | undefined): Combination[] {
  if (policy === undefined) return [...combinations];
  if (policy.rules[combinations[0]?.ruleId ?? ''] === 'off') return [];
  return combinations.map((combination) => ({ ...combination, severity: severityFor(combination, policy) }));
}

function severityFor(risk: { ruleId: string; category: Category; severity: Severity }, policy: BundlePolicy): Severity {
  const byRule = policy.rules[risk.ruleId];
  if (byRule !== undefined && byRule !== 'off') return byRule;
  return policy.categories[risk.category] ?? risk.severity;
}

/** Null when the suppression's content is the one it was reviewed on. */
function contentOutcome(suppression: Suppression, content: BundleContent): Exclude<SuppressionOutcome, 'applied' | 'unmatched'> | null {
  if (suppression.file === undefined) {
    if (content.sha256 === null) return 'no-archive';
    return content.sha256 === suppression.sha256 ? null : 'changed';
  }
  const bytes = content.fileBytes(suppression.file);
  if (bytes === undefined) return 'changed';
  return createHash('sha256').update(bytes).digest('hex') === suppression.sha256 ? null : 'changed';
}

/** One sentence per suppression that did nothing in this run, saying what to do; `uses` holds every bundle's outcomes. */
export function policyProblems(policy: Policy, today: string, uses: readonly SuppressionUse[]): string[] {
  return policy.suppressions.flatMap((suppression, index) => {
    const name = `suppression ${index + 1} (${suppression.rule} in ${suppression.bundle}${suppression.file === undefined ? '' : `, ${suppression.file}`})`;
    if (isExpired(suppression, today)) return [`${name} expired on ${suppression.expires}: its findings count again until it is reviewed`];
    const outcomes = new Set(uses.filter((use) => use.index === index).map((use) => use.outcome));
    if (outcomes.has('applied')) return [];
    if (outcomes.has('changed')) {
      const what = suppression.file === undefined ? 'the bundle' : `the file ${suppression.file}`;
      return [`${name} does not apply: ${what} changed since it was reviewed (its sha256 differs, or the file is gone); review the finding again`];
    }
    if (outcomes.has('no-archive')) return [`${name} does not apply: the bundle is a folder, which has no archive hash; name a "file" and give that file's sha256`];
    if (outcomes.has('unmatched')) return [`${name} is unused: no ${suppression.rule} finding matched it; remove it`];
    return [`${name} is unused: no bundle with that id was scanned`];
  });
}
