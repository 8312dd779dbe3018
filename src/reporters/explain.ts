import type { Rule } from '../engine/rule.js';
import { atOrAbove, failsGate, severityRank, type BundleReport, type Combination, type ConnectorClass, type Finding, type FindingTrigger, type Gate, type Severity } from '../report.js';
import { COUNTED_PER_RULE, countedFindings, SEVERITY_WEIGHTS } from '../scoring/score.js';

// The report in plain words for the person deciding whether to install: what to do about a finding,
// where a score comes from, what an extension can do and whether the gate lets it through. Every
// human-readable reporter (text, markdown, HTML) words these the same way. Nothing here escapes:
// what comes back is raw, bundle text included, and each reporter escapes it for its own medium.

/** What to do about a finding, one line: its rule's remediation (what SARIF's rule help carries); null for a rule this version does not have. */
export function remediationOf(finding: Pick<Finding, 'ruleId'>, rules: readonly Rule[]): string | null {
  return rules.find(({ meta }) => meta.id === finding.ruleId)?.meta.remediation ?? null;
}

/** The command that prints a rule's whole page (docs/rules/<id>.md). */
export function explainCommand(ruleId: string): string {
  return `dxt-audit explain ${ruleId}`;
}

/** The counted findings of one severity. */
export interface ScoreTerm {
  severity: Severity;
  count: number;
  /** The rules they come from, each once, in report order. */
  ruleIds: string[];
  /** The share of the trust left that each takes (SEVERITY_WEIGHTS). */
  share: number;
}

export interface ScoreBreakdown {
  score: number;
  /** What the score counts (scoring/score.ts countedFindings), worst severity first; info takes no share and is left out. */
  terms: ScoreTerm[];
  /** Findings above info beyond the COUNTED_PER_RULE worst of their rule: listed, not scored. */
  notCounted: number;
}

/** Where a bundle's score comes from, from the very findings scoring/score.ts counts. */
export function scoreBreakdown(bundle: Pick<BundleReport, 'score' | 'findings'>): ScoreBreakdown {
  const counted = countedFindings(bundle.findings).filter((finding) => SEVERITY_WEIGHTS[finding.severity] > 0);
  const terms: ScoreTerm[] = [];
  for (const finding of [...counted].sort((a, b) => severityRank(b.severity) - severityRank(a.severity))) {
    const term = terms.find((known) => known.severity === finding.severity);
    if (term === undefined) terms.push({ severity: finding.severity, count: 1, ruleIds: [finding.ruleId], share: SEVERITY_WEIGHTS[finding.severity] });
    else {
      term.count += 1;
      if (!term.ruleIds.includes(finding.ruleId)) term.ruleIds.push(finding.ruleId);
    }
  }
  const scored = bundle.findings.filter((finding) => SEVERITY_WEIGHTS[finding.severity] > 0).length;
  return { score: bundle.score, terms, notCounted: scored - counted.length };
}

/** Rule ids a term names at most; the rest are counted. */
const RULES_NAMED = 3;

/**
 * `score 68 = 1 critical (code-shell-exec) + 2 medium (code-network), each taking its share of the
 * trust left (critical 60 %, medium 10 %)`, with `; 4 more findings not counted (only the 3 worst of
 * each rule count)` when the cap left some out. Raw.
 */
export function scoreSentence(bundle: Pick<BundleReport, 'score' | 'findings'>): string {
  const { score, terms, notCounted } = scoreBreakdown(bundle);
  if (terms.length === 0) return `score ${score}: ${bundle.findings.length === 0 ? 'no findings' : 'no finding above info'}`;
  const parts = terms.map((term) => {
    const named = term.ruleIds.slice(0, RULES_NAMED).join(', ');
    const left = term.ruleIds.length - RULES_NAMED;
    const more = left > 0 ? ` and ${left} more ${left === 1 ? 'rule' : 'rules'}` : '';
    return `${term.count} ${term.severity} (${named}${more})`;
  });
  const findings = terms.reduce((sum, term) => sum + term.count, 0);
  const combined = findings > 1 ? `, each taking its share of the trust left (${terms.map((term) => `${term.severity} ${Math.round(term.share * 100)} %`).join(', ')})` : '';
  const capped = notCounted > 0 ? `; ${notCounted} more ${notCounted === 1 ? 'finding' : 'findings'} not counted (only the ${COUNTED_PER_RULE} worst of each rule count)` : '';
  return `score ${score} = ${parts.join(' + ')}${combined}${capped}`;
}

/**
 * The connector class a person should read: the report's, except `none` for what is not an extension
 * (no readable manifest: an empty file, a download that is something else) and `unknown` for a server
 * whose code was not read (configured by hand in Claude Desktop, or an audit that failed on our
 * side: incomplete with no finding). The JSON contract has no such values, so its field says
 * `transformation` for both (docs/report.md).
 */
export function shownClass(bundle: Pick<BundleReport, 'connectorClass' | 'manifest' | 'installation' | 'complete' | 'findings'>): ConnectorClass | 'none' | 'unknown' {
  if (bundle.installation?.kind === 'configured-server') return 'unknown';
  if (bundle.manifest !== null) return bundle.connectorClass;
  return !bundle.complete && bundle.findings.length === 0 ? 'unknown' : 'none';
}

/** Hosts a capability sentence names at most; the rest are counted. */
const HOSTS_NAMED = 3;

/**
 * What the extension can do, in words completing "It can …", from its capabilities, its sensitive-path
 * findings and what sets its findings above info off: `run programs`, `talk to api.example.com and 2 more hosts`, `act as soon
 * as it is loaded, with no tool called`, `accept network connections from other machines`. Raw: host
 * names are bundle text. Empty when nothing was found.
 */
export function capabilityWords(bundle: Pick<BundleReport, 'capabilities' | 'findings'>): string[] {
  const has = (capability: BundleReport['capabilities'][number]) => bundle.capabilities.includes(capability);
  const notable = bundle.findings.filter((finding) => finding.severity !== 'info');
  const triggers = notable.flatMap((finding) => (finding.trigger === undefined ? [] : [finding.trigger]));
  const triggered = (kind: FindingTrigger['kind']) => triggers.filter((trigger) => trigger.kind === kind);
  const listeners = triggered('listener');
  return [
    has('shell') ? 'run programs' : null,
    has('dynamic-code') ? 'run code built or fetched at run time' : null,
    has('native-code') ? 'run native binaries' : null,
    has('fs-read') ? 'read files outside its own folder' : null,
    has('fs-write') ? 'change or delete files outside its own folder' : null,
    notable.some((finding) => finding.category === 'sensitive-path') ? 'reach credentials, keys or start-up locations' : null,
    has('env') ? 'read environment variables, where secrets are kept' : null,
    has('network') ? networkWords(bundle.findings) : null,
    has('untrusted-input') ? "bring text strangers write into the model's context" : null,
    triggered('load').length > 0 ? 'act as soon as it is loaded, with no tool called' : null,
    listeners.length === 0
      ? null
      : listeners.some((trigger) => trigger.bind === 'all')
        ? 'accept network connections from other machines'
        : 'accept network connections on this machine',
    triggered('timer').length > 0 ? 'act on a timer' : null,
    triggered('install').length > 0 ? 'run scripts when its packages are installed' : null,
  ].filter((words): words is string => words !== null);
}

function networkWords(findings: readonly Finding[]): string {
  const hosts = [...new Set(findings.flatMap((finding) => (finding.host === undefined ? [] : [finding.host])))];
  if (hosts.length === 0) return 'use the network';
  const more = hosts.length - HOSTS_NAMED;
  return `talk to ${hosts.slice(0, HOSTS_NAMED).join(', ')}${more > 0 ? ` and ${more} more ${more === 1 ? 'host' : 'hosts'}` : ''}`;
}

/** Whether a bundle may be installed under the gate (`--fail-on`, the policy's `failOn`), and why. */
export interface InstallVerdict {
  /** `fails`: a finding of it, or a chain it is part of, fails the gate (as `summary.failed` counts them); `passes`: none does; `gate-off`: the gate is `none`. */
  outcome: 'fails' | 'passes' | 'gate-off';
  gate: Gate;
  /** False when the audit could not read everything: a pass then proves nothing. */
  complete: boolean;
  /** False for what is not an extension (shownClass `none`): there is nothing to install. */
  extension: boolean;
  /** When it fails: the findings failing the gate, worst first; otherwise the worst findings above info. At most two, chains included. */
  deciding: Finding[];
  /** When it fails: chains across extensions it takes part in that fail the gate, worst first, each with the other extension's id. */
  chains: Array<{ combination: Combination; other: string }>;
  /** Findings at or above the gate that do not fail it because the baseline already holds them. */
  inBaseline: number;
  /** What it can do (capabilityWords). */
  can: string[];
}

/** Findings and chains a verdict names at most. */
const DECIDING = 2;

/**
 * The verdict on one bundle under `gate`, judged as the report's summary judges the whole (failsGate:
 * at or above the gate and not already in the baseline). `combinations` are the report's chains
 * across extensions; those naming this bundle count, never for a disabled copy (chains skip those).
 */
export function installVerdict(bundle: BundleReport, gate: Gate, combinations: readonly Combination[] = []): InstallVerdict {
  const failing = worstFirst(bundle.findings.filter((finding) => failsGate(finding, gate)));
  const partOf = bundle.installation?.enabled === false ? [] : combinations.filter((combination) => combination.bundles.includes(bundle.id));
  const chains = worstFirst(partOf.filter((combination) => failsGate(combination, gate))).map((combination) => ({
    combination,
    other: combination.source.bundle === bundle.id ? combination.sink.bundle : combination.source.bundle,
  }));
  const fails = gate !== 'none' && (failing.length > 0 || chains.length > 0);
  const deciding = (fails ? failing : worstFirst(bundle.findings.filter((finding) => finding.severity !== 'info'))).slice(0, DECIDING);
  return {
    outcome: gate === 'none' ? 'gate-off' : fails ? 'fails' : 'passes',
    gate,
    complete: bundle.complete,
    extension: shownClass(bundle) !== 'none',
    deciding,
    chains: fails ? chains.slice(0, DECIDING - deciding.length) : [],
    inBaseline: bundle.findings.filter((finding) => atOrAbove(finding.severity, gate) && !failsGate(finding, gate)).length,
    can: capabilityWords(bundle),
  };
}

function worstFirst<Risk extends { severity: Severity }>(risks: readonly Risk[]): Risk[] {
  return [...risks].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

/**
 * The verdict as one line, raw: `verdict: do NOT install under gate high: code-shell-exec (critical)
 * fails it. It can run programs and talk to api.example.com.`, `verdict: OK to install under gate
 * high; worst finding code-network (medium). …`; an incomplete audit never reads as OK.
 */
export function verdictSentence(verdict: InstallVerdict): string {
  const can = verdict.can.length === 0 ? 'No capability was found in what was read.' : `It can ${sentenceList(verdict.can)}.`;
  return `${verdictJudgement(verdict)} ${can}`;
}

/** The verdict without what the bundle can do, for a page that shows its capabilities beside it. */
export function verdictJudgement(verdict: InstallVerdict): string {
  const named = sentenceList([
    ...verdict.deciding.map((finding) => `${finding.ruleId} (${finding.severity})`),
    ...verdict.chains.map(({ combination, other }) => `a ${combination.severity} chain with ${other}`),
  ]);
  const worst = named === '' ? '' : `; worst finding ${named}`;
  const known = verdict.inBaseline === 0 ? '' : `; ${verdict.inBaseline} at or above it already in the baseline`;
  let judgement: string;
  const gate = verdict.outcome === 'gate-off' ? 'gate off' : `nothing read fails gate ${verdict.gate}`;
  if (verdict.outcome === 'fails') {
    judgement = `do NOT install under gate ${verdict.gate}: ${named} ${verdict.deciding.length + verdict.chains.length === 1 ? 'fails' : 'fail'} it`;
  } else if (!verdict.extension) {
    judgement = `not an extension, nothing to install (${gate}${known}${worst})`;
  } else if (!verdict.complete) {
    judgement = `cannot tell: the audit is INCOMPLETE and what it could not read was not judged (${gate}${known}${worst})`;
  } else if (verdict.outcome === 'passes') {
    judgement = `OK to install under gate ${verdict.gate}${known}${worst}`;
  } else {
    judgement = `gate off (--fail-on none)${worst}`;
  }
  return `verdict: ${judgement}.`;
}

function sentenceList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
