import type { Rule } from '../engine/rule.js';
import { escapeText, shown } from '../escape.js';
import { SEVERITIES, type BundleReport, type Combination, type Finding, type Location, type Report, type Severity, type SuppressedFinding } from '../report.js';
import { bundleName, countsLine, extraTrigger, incompleteCount, plural, renderLocation, signatureText, triggerLabel, worstFirst } from './common.js';
import { explainCommand, installVerdict, remediationOf, scoreSentence, shownClass, verdictSentence } from './explain.js';

export interface MarkdownOptions {
  /** The rules of the run: each finding's remediation is its rule's. */
  rules: readonly Rule[];
}

// A compact report for a pull-request comment (GitHub-flavoured markdown). A comment is rendered for
// everyone who opens the pull request, so bundle text in it is more dangerous than on a terminal: it
// could draw links and images, close our <details> blocks, break a table row, fake a verdict in
// math or headings, or notify people. Every piece of it goes through `md()`, which makes it inert
// (see there). GitHub refuses comments over 65,536 characters, so the output keeps to a budget.

/** Characters of output we aim to stay under: GitHub's limit, less room for a CI job's own header. */
export const MARKDOWN_BUDGET = 60_000;
/** Room kept back for the lines that close what the budget cut short ("… and 3 more", </details>). */
export const CLOSING_RESERVE = 1_500;
const TABLE_ROWS = 100;
const CHAIN_LINES = 30;
const TOP_FINDINGS = 10;
const DETAIL_FINDINGS = 40;
const DETAIL_SUPPRESSED = 20;
const DETAIL_REASONS = 10;
/** The most of the budget each summary section may take, so that a long table cannot crowd out the chains and details. */
const SHARE = { table: 0.35, chains: 0.15, top: 0.1, notes: 0.03 } as const;
const SEE_JSON = 'the JSON report (`--format json`) has everything';

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '~': '&#126;',
  '[': '&#91;',
  ']': '&#93;',
  '|': '&#124;',
  $: '&#36;',
};
const ZERO_WIDTH_SPACE = '&#8203;';

/**
 * Bundle text made inert for GitHub markdown and HTML alike, so the same call serves table cells,
 * list items and the HTML of a <summary>:
 * - controls and invisible characters become visible escapes first (`escape.ts`), so a newline is
 *   the two characters `\n` and a table row stays one row; `maxLength` shortens before any entity
 *   is written, so no entity is ever cut in half;
 * - HTML's `& < >` and markdown's `` \ ` * _ ~ [ ] | $ `` become numeric or named character
 *   references, which both markdown and HTML show as the literal character and never read as syntax:
 *   no tag, link, image, emphasis, code span or fence, table cell break or math can start. An `_`
 *   between two letters or digits stays (`list_events`): GitHub never reads it as emphasis. Quotes
 *   stay too: bundle text never lands inside an attribute. A bare `https://…` or `www.…` may still
 *   be linked by GitHub, but such a link shows its whole target and can hide nothing;
 * - `@name`, `#123` and `GH-123` would notify people or cross-reference issues even as literal
 *   text, so a zero-width space goes after the `@`, the `#` or the `GH`; the text still reads the same.
 * Line-start syntax (headings, lists, quotes, indented code) cannot arise: bundle text never starts a line.
 */
export function md(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  return inert(shown(text, maxLength));
}

/** A file location made inert, shortened from the front: its line and column matter most. */
function mdLocation(location: Location, maxLength: number): string {
  const escaped = escapeText(renderLocation(location));
  return inert(escaped.length > maxLength ? `…${escaped.slice(escaped.length - maxLength + 1)}` : escaped);
}

function inert(escaped: string): string {
  return escaped.replace(/[&<>\\`*~[\]|$]|(?<![a-z0-9])_|_(?![a-z0-9])|@|#(?=\d)|\bgh(?=-\d)/gi, (match) => {
    const entity = ENTITIES[match];
    return entity ?? `${match}${ZERO_WIDTH_SPACE}`;
  });
}

/** A rule id as a code span; ids are ours, but a report object can come from anywhere. */
function ruleCode(ruleId: string): string {
  return /^[a-z0-9-]+$/.test(ruleId) ? `\`${ruleId}\`` : md(ruleId);
}

export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const out = new Output(MARKDOWN_BUDGET - CLOSING_RESERVE);
  const bundles = worstFirst(report.bundles);
  // Chains name bundles by id, and pair only enabled ones; an installed copy may share the id but be disabled.
  const names = new Map(
    report.bundles.filter((bundle) => bundle.installation?.enabled !== false).reverse().map((bundle) => [bundle.id, bundleName(bundle)]),
  );
  out.add(verdictLine(report));
  if (report.summary.baseline !== undefined) {
    const { file, new: added, unchanged, absent } = report.summary.baseline;
    out.add('', `Baseline ${md(file)}: ${added} new, ${unchanged} unchanged, ${absent} gone since.`);
  }
  if (bundles.length > 0) out.section(SHARE.table, () => renderTable(out, bundles));
  if (report.combinations.length > 0) out.section(SHARE.chains, () => renderChains(out, report.combinations, names));
  out.section(SHARE.top, () => renderTopFindings(out, bundles));
  if (report.policy !== undefined) out.section(SHARE.notes, () => renderPolicy(out, report.policy!));
  if (report.installed !== undefined) out.section(SHARE.notes, () => renderInstalled(out, report.installed!));
  renderDetails(out, bundles, report, options.rules);
  return out.toString();
}

function verdictLine(report: Report): string {
  const { summary, tool } = report;
  const verdict = summary.gate === 'none' ? 'gate off' : `gate ${summary.gate}: **${summary.failed ? 'FAILED' : 'passed'}**`;
  const incomplete = incompleteCount(report);
  return (
    `**dxt-audit ${md(tool.version)}** · ${verdict} · ${countsLine(report)}` +
    (incomplete > 0 ? ` · **${incomplete} incomplete**` : '') +
    (summary.internalError ? ' · **dxt-audit itself failed on some bundle**' : '')
  );
}

function renderTable(out: Output, bundles: readonly BundleReport[]): void {
  out.add(
    '',
    '### Extensions, worst first',
    '',
    '| extension | class | level | score | findings c/h/m/l/i | complete | top finding |',
    '|---|---|---|--:|---|---|---|',
  );
  const rows = bundles.map((bundle) => {
    const top = bundle.findings[0];
    const cells = [
      md(bundleName(bundle), 60),
      shownClass(bundle),
      bundle.level,
      String(bundle.score),
      [...SEVERITIES].reverse().map((severity) => countOf(bundle.findings, severity)).join('/'),
      bundle.complete ? 'yes' : '**no**',
      top === undefined ? '-' : `${ruleCode(top.ruleId)} ${md(top.message, 90)}`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  out.addCapped(rows, TABLE_ROWS, (left) => `\n… and ${plural(left, 'more extension')}; ${SEE_JSON}.`);
}

function renderChains(out: Output, combinations: readonly Combination[], names: ReadonlyMap<string, string>): void {
  const end = (side: Combination['source'] | Combination['sink']) =>
    md(names.get(side.bundle) ?? side.bundle, 60) + (side.tool === undefined ? '' : ` / ${md(side.tool, 60)}`);
  out.add('', `### Chains across extensions (${combinations.length})`, '');
  const lines = combinations.map(
    (combination) =>
      `- ${newMark(combination)}**${combination.severity}** ${end(combination.source)} → ${end(combination.sink)}: ${md(combination.message, 600)}`,
  );
  out.addCapped(lines, CHAIN_LINES, (left) => `- … and ${plural(left, 'more chain')}; ${SEE_JSON}.`);
}

function renderTopFindings(out: Output, bundles: readonly BundleReport[]): void {
  const all = bundles.flatMap((bundle) => bundle.findings.map((finding) => ({ bundle, finding })));
  if (all.length === 0) return;
  // Stable: within a severity, the worst bundle first and each bundle's own order.
  const top = all.sort((a, b) => rank(b.finding.severity) - rank(a.finding.severity)).slice(0, TOP_FINDINGS);
  out.add(
    '',
    all.length > top.length ? `### Top findings (${top.length} of ${all.length})` : `### Top findings (${all.length})`,
    '',
    '| severity | rule | extension | location | trigger | message |',
    '|---|---|---|---|---|---|',
  );
  const rows = top.map(({ bundle, finding }) => {
    const cells = [
      finding.severity,
      ruleCode(finding.ruleId),
      md(bundleName(bundle), 40),
      mdLocation(finding.location, 80),
      triggerCell(finding),
      `${newMark(finding)}${md(finding.message, 200)}`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  out.addCapped(rows, TOP_FINDINGS, () => '');
}

function renderPolicy(out: Output, policy: NonNullable<Report['policy']>): void {
  out.add('', `Policy file ${md(policy.file)}${policy.problems.length === 0 ? '.' : '; what in it did not apply:'}`);
  if (policy.problems.length > 0) out.add('');
  out.addCapped(
    policy.problems.map((problem) => `- ${md(problem, 300)}`),
    DETAIL_REASONS,
    (left) => `- … and ${plural(left, 'more problem')}`,
  );
}

function renderInstalled(out: Output, installed: NonNullable<Report['installed']>): void {
  out.add('', `Claude Desktop data read from ${installed.dataDirectories.map((directory) => md(directory)).join(', ')}${installed.problems.length === 0 ? '.' : ':'}`);
  if (installed.problems.length > 0) out.add('');
  out.addCapped(
    installed.problems.map((problem) => `- could not read: ${md(problem, 300)}`),
    DETAIL_REASONS,
    (left) => `- … and ${plural(left, 'more problem')}`,
  );
}

/** One closed <details> block per bundle that has something to say, worst first, while the budget lasts. */
function renderDetails(out: Output, bundles: readonly BundleReport[], report: Report, rules: readonly Rule[]): void {
  const worth = bundles.filter((bundle) => bundle.findings.length > 0 || !bundle.complete || (bundle.suppressed?.length ?? 0) > 0);
  if (worth.length === 0) return;
  out.add('', '### Details');
  for (const [index, bundle] of worth.entries()) {
    const verdict = verdictSentence(installVerdict(bundle, report.summary.gate, report.combinations));
    const opening = ['', `<details><summary>${detailsSummary(bundle)}</summary>`, '', factsLine(bundle), '', `**${md(verdict)}**`, '', md(scoreSentence(bundle))];
    if (!out.fits(opening)) {
      const left = plural(worth.length - index, index === 0 ? 'extension' : 'more extension');
      out.force('', `Details of ${left} left out to keep this comment under GitHub's size limit; ${SEE_JSON}.`);
      return;
    }
    out.add(...opening);
    renderBundleDetails(out, bundle, rules);
    out.force('', '</details>');
  }
}

function detailsSummary(bundle: BundleReport): string {
  const version = bundle.manifest?.version;
  const added = bundle.findings.filter((finding) => finding.baselineState === 'new').length;
  return [
    `${md(bundleName(bundle), 60)}${version ? ` ${md(version, 30)}` : ''}`,
    bundle.level,
    `score ${bundle.score}/100`,
    plural(bundle.findings.length, 'finding'),
    ...(added > 0 ? [`${added} new`] : []),
    ...((bundle.suppressed?.length ?? 0) > 0 ? [`${bundle.suppressed!.length} suppressed`] : []),
    ...(bundle.complete ? [] : ['INCOMPLETE']),
  ].join(' · ');
}

function factsLine(bundle: BundleReport): string {
  const installation = bundle.installation;
  const signature = signatureText(bundle);
  return [
    `Source ${md(bundle.source, 200)}`,
    `class ${shownClass(bundle)}`,
    ...(bundle.capabilities.length > 0 ? [`can: ${bundle.capabilities.join(', ')}`] : []),
    ...(signature === null ? [] : [md(signature, 200)]),
    ...(bundle.sha256 ? [`sha256 ${md(bundle.sha256.slice(0, 16))}`] : []),
    ...(installation === undefined
      ? []
      : [installation.kind === 'configured-server' ? 'configured in Claude Desktop' : installation.enabled ? 'installed, enabled' : 'installed, disabled']),
  ].join(' · ');
}

function renderBundleDetails(out: Output, bundle: BundleReport, rules: readonly Rule[]): void {
  if (bundle.incompleteReasons.length > 0) {
    out.add('', '**Not audited:**', '');
    out.addCapped(
      bundle.incompleteReasons.map((reason) => `- ${md(reason, 300)}`),
      DETAIL_REASONS,
      (left) => `- … and ${plural(left, 'more reason')}`,
    );
  } else if (!bundle.complete) {
    out.add('', '**Not audited completely.**');
  }
  let room = DETAIL_FINDINGS;
  const explained = new Set<string>();
  for (const severity of [...SEVERITIES].reverse()) {
    const findings = bundle.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    if (room <= 0 || !out.fits(['', `**${severity}** (${findings.length})`, ''])) {
      const left = bundle.findings.filter((finding) => rank(finding.severity) <= rank(severity)).length;
      out.force('', `… and ${plural(left, 'more finding')}; ${SEE_JSON}.`);
      break;
    }
    out.add('', `**${severity}** (${findings.length})`, '');
    const shownCount = out.addCapped(findings.map((finding) => findingLine(finding) + remediationBreak(finding, rules, explained)), room, () => '');
    room -= shownCount;
    if (shownCount < findings.length) {
      const left = bundle.findings.filter((finding) => rank(finding.severity) < rank(severity)).length + findings.length - shownCount;
      out.force('', `… and ${plural(left, 'more finding')}; ${SEE_JSON}.`);
      break;
    }
  }
  const suppressed = bundle.suppressed ?? [];
  if (suppressed.length > 0 && out.fits(['', `**Suppressed by policy** (${suppressed.length})`, ''])) {
    out.add('', `**Suppressed by policy** (${suppressed.length})`, '');
    out.addCapped(suppressed.map(suppressedLine), DETAIL_SUPPRESSED, (left) => `- … and ${plural(left, 'more suppressed finding')}`);
  }
}

/** A finding as a list item; `lead` goes first (the diff's severity marks). */
export function findingLine(finding: Finding, lead = ''): string {
  const where = [
    ruleCode(finding.ruleId),
    mdLocation(finding.location, 120),
    ...(finding.tool === undefined ? [] : [`tool ${md(finding.tool, 60)}`]),
    ...(extraTrigger(finding) === null ? [] : [md(extraTrigger(finding)!, 200)]),
    ...(finding.origin === undefined ? [] : [finding.origin]),
  ].join(' · ');
  const evidence = finding.evidence ? `<br>evidence: <code>${md(finding.evidence, 200)}</code>` : '';
  return `- ${lead}${newMark(finding)}${md(finding.message, 400)}<br>${where}${evidence}`;
}

/**
 * `<br>fix: …` for a finding's list item: its rule's remediation under the first finding of the rule,
 * `as above` under the next ones, and the command that prints the rule's page.
 */
function remediationBreak(finding: Finding, rules: readonly Rule[], explained: Set<string>): string {
  const remediation = remediationOf(finding, rules);
  const more = ruleCommand(finding.ruleId);
  const first = !explained.has(finding.ruleId);
  explained.add(finding.ruleId);
  if (remediation === null) return `<br>more: ${more}`;
  return `<br>fix: ${first ? md(remediation, 400) : 'as above'} (${more})`;
}

/** `dxt-audit explain <rule>` as a code span; ids are ours, but a report object can come from anywhere. */
function ruleCommand(ruleId: string): string {
  return /^[a-z0-9-]+$/.test(ruleId) ? `\`${explainCommand(ruleId)}\`` : md(explainCommand(ruleId));
}

/** What sets the finding's code off (`tool x`, `load via a → b`, `listener … (all interfaces)`), else its tool, else `-`. */
function triggerCell(finding: Finding): string {
  if (finding.trigger !== undefined) return md(triggerLabel(finding.trigger), 60);
  return finding.tool === undefined ? '-' : md(`tool ${finding.tool}`, 60);
}

function suppressedLine(finding: SuppressedFinding): string {
  const { reason, expires } = finding.suppression;
  return (
    `- ${finding.severity} ${ruleCode(finding.ruleId)} ${md(finding.message, 200)} (${mdLocation(finding.location, 120)})` +
    `: ${md(reason, 200)}${expires === undefined ? '' : ` (until ${md(expires, 40)})`}`
  );
}

function newMark(item: { baselineState?: Finding['baselineState'] }): string {
  return item.baselineState === 'new' ? '**new** ' : '';
}

function countOf(findings: readonly Finding[], severity: Severity): number {
  return findings.filter((finding) => finding.severity === severity).length;
}

function rank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * Lines under a character budget: `fits` and `addCapped` keep within it (or within the current
 * section's share of it), `force` is for the short lines that close a cut.
 */
export class Output {
  private readonly lines: string[] = [];
  private length = 0;
  private ceiling: number;

  constructor(private readonly budget: number) {
    this.ceiling = budget;
  }

  /** Runs `render` with at most `share` of the whole budget to fill. */
  section(share: number, render: () => void): void {
    this.ceiling = Math.min(this.budget, this.length + Math.floor(this.budget * share));
    render();
    this.ceiling = this.budget;
  }

  fits(lines: readonly string[]): boolean {
    return this.length + lines.reduce((sum, line) => sum + line.length + 1, 0) <= this.ceiling;
  }

  add(...lines: string[]): void {
    this.force(...lines);
  }

  force(...lines: string[]): void {
    for (const line of lines) {
      this.lines.push(line);
      this.length += line.length + 1;
    }
  }

  /** Adds up to `cap` of `items` while they fit, then `more(left)` when it is not empty; returns how many were added. */
  addCapped(items: readonly string[], cap: number, more: (left: number) => string): number {
    let added = 0;
    for (const item of items.slice(0, cap)) {
      if (!this.fits([item])) break;
      this.add(item);
      added += 1;
    }
    const note = added < items.length ? more(items.length - added) : '';
    if (note !== '') this.force(note);
    return added;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
