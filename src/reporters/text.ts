import { Chalk, type ChalkInstance } from 'chalk';
import type { Rule } from '../engine/rule.js';
import { escapeText, shown } from '../escape.js';
import { SEVERITIES, type BundleReport, type Finding, type Report, type Severity } from '../report.js';
import { bundleHeading, bundleName, countsLine, extraTrigger, incompleteCount, renderLocation, signatureText, worstFirst } from './common.js';
import { explainCommand, installVerdict, remediationOf, scoreSentence, shownClass, verdictSentence, type InstallVerdict } from './explain.js';
import { pushAll } from '../common.js';

export interface TextOptions {
  color: boolean;
  /** The rules of the run: each finding's remediation is its rule's. */
  rules: readonly Rule[];
}

export function renderText(report: Report, options: TextOptions): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const lines = [`dxt-audit ${report.tool.version}`, ''];
  const section = (sectionLines: readonly string[]) => {
    pushAll(lines, sectionLines);
    lines.push('');
  };
  for (const bundle of report.bundles) section(renderBundle(bundle, report, options.rules, paint));
  if (report.installed !== undefined) section(renderInstalled(report.installed, paint));
  if (report.bundles.length > 1) {
    section(renderChains(report, paint));
    section(renderTable(report, paint));
  }
  if (report.policy !== undefined) section(renderPolicy(report.policy, paint));
  lines.push(renderSummary(report, paint));
  return `${lines.join('\n')}\n`;
}

function renderBundle(bundle: BundleReport, report: Report, rules: readonly Rule[], paint: ChalkInstance): string[] {
  const manifest = bundle.manifest;
  const heading = bundleHeading(bundle);
  const facts = [
    manifest ? `manifest ${manifest.manifestVersion ?? '?'}` : 'no readable manifest',
    manifest?.serverType ? `${manifest.serverType} server` : null,
    signatureText(bundle),
    bundle.sha256 ? `sha256 ${bundle.sha256.slice(0, 16)}` : null,
  ].filter((part): part is string => part !== null);
  const lines = [
    `${paint.bold(escapeText(heading.title))}${installedNote(bundle)}${heading.source === null ? '' : `  ${paint.dim(escapeText(heading.source))}`}`,
    `  ${escapeText(facts.join(' · '))}`,
    `  risk ${paintSeverityText(bundle.level, paint)} (score ${bundle.score}/100) · class ${shownClass(bundle)}` +
      (bundle.capabilities.length > 0 ? ` · can: ${bundle.capabilities.join(', ')}` : '') +
      ` · audit ${bundle.complete ? 'complete' : paint.red.bold('INCOMPLETE')}`,
    `  ${escapeText(scoreSentence(bundle))}`,
    `  ${paintVerdict(installVerdict(bundle, report.summary.gate, report.combinations), paint)}`,
  ];
  for (const reason of bundle.incompleteReasons) lines.push(`    ${paint.red('not audited:')} ${escapeText(reason)}`);
  if (bundle.findings.length === 0) lines.push('  no findings');
  const explained = new Set<string>();
  for (const severity of [...SEVERITIES].reverse()) {
    const findings = bundle.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    lines.push(`  ${paintSeverityText(severity, paint)} (${findings.length})`);
    for (const finding of findings) lines.push(...renderFinding(finding, paint), remediationLine(finding, rules, explained, paint));
  }
  const suppressed = bundle.suppressed ?? [];
  if (suppressed.length > 0) lines.push(`  ${paint.dim(`suppressed by the policy file (${suppressed.length})`)}`);
  for (const finding of suppressed) {
    lines.push(...renderFinding(finding, paint), `      ${paint.dim(`suppressed: ${escapeText(finding.suppression.reason)}`)}`);
  }
  return lines;
}

function renderPolicy(policy: NonNullable<Report['policy']>, paint: ChalkInstance): string[] {
  return [
    `Policy read from ${escapeText(policy.file)}${policy.problems.length === 0 ? '' : ` (${policy.problems.length} to review)`}`,
    ...policy.problems.map((problem) => `  ${paint.yellow('review:')} ${escapeText(problem)}`),
  ];
}

function installedNote(bundle: BundleReport): string {
  const installation = bundle.installation;
  if (installation === undefined) return '';
  if (installation.kind === 'configured-server') return ' (configured in Claude Desktop)';
  return installation.enabled ? ' (installed, enabled)' : ' (installed, disabled)';
}

function renderInstalled(installed: NonNullable<Report['installed']>, paint: ChalkInstance): string[] {
  return [
    `Claude Desktop data read from ${installed.dataDirectories.map(escapeText).join(', ')}`,
    ...installed.problems.map((problem) => `  ${paint.red('could not read:')} ${escapeText(problem)}`),
  ];
}

/** Chains across bundles: what a reader must see before enabling both halves. */
function renderChains(report: Report, paint: ChalkInstance): string[] {
  if (report.combinations.length === 0) return [paint.bold('Chains across extensions: none')];
  const lines = [paint.bold(`Chains across extensions (${report.combinations.length})`)];
  for (const combination of report.combinations) lines.push(`  ${paintSeverityText(combination.severity, paint)} ${escapeText(combination.message)}`);
  return lines;
}

/** One row per bundle, worst first: name, class, level, score and its worst finding. */
function renderTable(report: Report, paint: ChalkInstance): string[] {
  const rows = worstFirst(report.bundles).map((bundle) => ({
    name: shown(bundleName(bundle), 32),
    connectorClass: shownClass(bundle),
    level: bundle.level,
    score: String(bundle.score),
    top: bundle.findings[0] === undefined ? '-' : shown(`${bundle.findings[0].ruleId}: ${bundle.findings[0].message}`, 90),
  }));
  const width = Math.max(9, ...rows.map((row) => row.name.length));
  const lines = [paint.bold('Extensions, worst first'), paint.dim(`  ${'extension'.padEnd(width)}  class           level     score  top finding`)];
  for (const row of rows) {
    lines.push(
      `  ${row.name.padEnd(width)}  ${row.connectorClass.padEnd(14)}  ${paintSeverityText(row.level, paint)}${' '.repeat(8 - row.level.length)}  ${row.score.padStart(5)}  ${row.top}`,
    );
  }
  return lines;
}

/** The verdict line, coloured by what it says: red when the gate fails, green when it passes on a complete audit. */
function paintVerdict(verdict: InstallVerdict, paint: ChalkInstance): string {
  const line = escapeText(verdictSentence(verdict));
  if (verdict.outcome === 'fails') return paint.red.bold(line);
  return verdict.outcome === 'passes' && verdict.complete ? paint.green(line) : paint.yellow(line);
}

/**
 * What to do about a finding and where to read more; the remediation is written out under the first
 * finding of its rule in a bundle, and referred to under the others.
 */
function remediationLine(finding: Finding, rules: readonly Rule[], explained: Set<string>, paint: ChalkInstance): string {
  const remediation = remediationOf(finding, rules);
  const more = `run ${explainCommand(finding.ruleId)}`;
  const first = !explained.has(finding.ruleId);
  explained.add(finding.ruleId);
  const text = remediation === null ? more : first ? `fix: ${remediation} (${more})` : `fix: as above (${more})`;
  return `      ${paint.cyan(escapeText(text))}`;
}

export function renderFinding(finding: Finding, paint: ChalkInstance): string[] {
  const where = [
    renderLocation(finding.location),
    finding.tool ? `tool ${finding.tool}` : null,
    extraTrigger(finding),
    finding.origin ?? null,
    finding.baselineState === 'unchanged' ? 'in the baseline' : finding.baselineState === 'new' ? 'new since the baseline' : null,
  ]
    .filter((part): part is string => part !== null)
    .join(' · ');
  const lines = [`    ${escapeText(finding.message)}`, `      ${paint.dim(`${finding.ruleId} · ${escapeText(where)}`)}`];
  if (finding.evidence) lines.push(`      ${paint.dim('> ')}${escapeText(finding.evidence)}`);
  return lines;
}

function renderSummary(report: Report, paint: ChalkInstance): string {
  const { summary } = report;
  const verdict =
    summary.gate === 'none' ? 'gate off' : `gate ${summary.gate}: ${summary.failed ? paint.red.bold('FAILED') : paint.green('passed')}`;
  const incomplete = incompleteCount(report);
  const baseline = report.summary.baseline;
  return (
    countsLine(report) +
    (baseline === undefined ? '' : ` · baseline: ${baseline.new} new, ${baseline.unchanged} known, ${baseline.absent} gone`) +
    ` · ${verdict}` +
    (incomplete > 0 ? ` · ${paint.red(`${incomplete} incomplete`)}` : '')
  );
}

const SEVERITY_STYLE: Readonly<Record<Severity | 'none', (paint: ChalkInstance) => ChalkInstance>> = {
  critical: (paint) => paint.bgRed.white.bold,
  high: (paint) => paint.red.bold,
  medium: (paint) => paint.yellow,
  low: (paint) => paint.cyan,
  info: (paint) => paint.dim,
  none: (paint) => paint.green,
};

export function paintSeverityText(severity: Severity | 'none', paint: ChalkInstance): string {
  return SEVERITY_STYLE[severity](paint)(severity.toUpperCase());
}
