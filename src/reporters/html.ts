import type { Rule } from '../engine/rule.js';
import { SEVERITIES, severityRank, type BundleReport, type Finding, type Level, type Report, type Severity, type SuppressedFinding } from '../report.js';
import { bundleHeading, bundleName, countsLine, extraTrigger, incompleteCount, plural, renderLocation, signatureText, worstFirst } from './common.js';
import { capabilityWords, explainCommand, installVerdict, remediationOf, scoreSentence, shownClass, verdictJudgement } from './explain.js';
import { CLASS_WORDS, connectorGraph, stateWords, type GraphBundle } from './html-graph.js';
import { CONTENT_SECURITY_POLICY, STYLE } from './html-style.js';
import { html } from './html-text.js';

// One self-contained page for a person to look at: the verdict first, then for a folder or an
// installation the connector graph, then each extension worst first with what it can do, where its
// score comes from and its findings. It loads nothing and runs no script (html-style.ts holds the
// policy that says so), and every piece of bundle text goes through `html()`. No timestamp: the same
// report gives the same bytes.

export interface HtmlOptions {
  /** The rule set, for each finding's remediation line. */
  rules: readonly Rule[];
}

/** Characters of a bundle's heading shown: names and versions are bundle text, and the JSON has them whole. */
const HEADING_FITS = 200;

/** The lowest severity whose group of findings is shown open; groups below it start collapsed. */
const SHOWN_OPEN: Severity = 'medium';

export function renderHtml(report: Report, options: HtmlOptions): string {
  const bundles: GraphBundle[] = worstFirst(report.bundles).map((bundle, index) => ({ bundle, anchor: `ext-${index + 1}` }));
  const several = report.bundles.length > 1 || report.installed !== undefined;
  const body = [
    verdictHeader(report),
    ...(several
      ? [
          section('Connectors and chains', connectorGraph(bundles, report.combinations)),
          section('Extensions, worst first', overviewTable(report, bundles)),
        ]
      : []),
    ...bundles.map((entry) => extensionSection(entry, report, options.rules)),
    ...notes(report),
  ];
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>dxt-audit: ${gateWords(report)} · ${plural(report.summary.bundles, 'extension')}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    `<footer>dxt-audit ${html(report.tool.version)} · a static audit: no code of these extensions was run · this page loads nothing and runs no script</footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function gateWords(report: Report): string {
  const { gate, failed } = report.summary;
  return gate === 'none' ? 'gate off' : `gate ${gate} ${failed ? 'FAILED' : 'passed'}`;
}

/** The scan's verdict: the gate, the worst level, counts by severity, chains, incomplete audits; for one bundle, its own verdict. */
function verdictHeader(report: Report): string {
  const { summary } = report;
  const tone = summary.gate === 'none' ? 'info' : summary.failed ? 'critical' : 'none';
  const title = summary.gate === 'none' ? 'Gate off' : summary.failed ? `FAILED at gate ${summary.gate}` : `Passed gate ${summary.gate}`;
  const incomplete = incompleteCount(report);
  const facts = [
    `worst level: ${worstLevel(report)}`,
    countsLine(report),
    ...(incomplete > 0 ? [`<b>${plural(incomplete, 'audit')} INCOMPLETE</b>`] : []),
    ...(summary.internalError ? ['<b>dxt-audit itself failed on some bundle</b>'] : []),
  ];
  const counts = [...SEVERITIES]
    .reverse()
    .map((severity) => `<li class="sev-${severity}${summary.bySeverity[severity] === 0 ? ' zero' : ''}"><b>${summary.bySeverity[severity]}</b> ${severity}</li>`);
  const only = report.bundles.length === 1 ? report.bundles[0]! : null;
  const baseline = summary.baseline;
  return [
    `<header class="verdict sev-${tone}">`,
    `<h1>${title}</h1>`,
    `<p class="line">${facts.join(' · ')}</p>`,
    ...(only === null ? [] : [`<p class="line">${html(verdictJudgement(installVerdict(only, summary.gate, report.combinations)))}</p>`]),
    `<ul class="counts">${counts.join('')}</ul>`,
    ...(baseline === undefined
      ? []
      : [`<p class="baseline">Baseline ${html(baseline.file)}: ${baseline.new} new, ${baseline.unchanged} unchanged, ${baseline.absent} gone since.</p>`]),
    '</header>',
  ].join('\n');
}

const LEVELS: readonly Level[] = ['none', 'low', 'medium', 'high', 'critical'];

/** The highest level of any bundle or chain; a chain counts as a finding of the same severity. */
function worstLevel(report: Report): Level {
  const levels = [...report.bundles.map((bundle) => bundle.level), ...report.combinations.map((combination) => (combination.severity === 'info' ? 'none' : combination.severity))];
  return levels.reduce<Level>((worst, level) => (LEVELS.indexOf(level) > LEVELS.indexOf(worst) ? level : worst), 'none');
}

function section(title: string, content: string): string {
  return `<section>\n<h2>${title}</h2>\n${content}\n</section>`;
}

function overviewTable(report: Report, bundles: readonly GraphBundle[]): string {
  const rows = bundles.map(({ bundle, anchor }) => {
    const verdict = installVerdict(bundle, report.summary.gate, report.combinations);
    const counts = [...SEVERITIES].reverse().map((severity) => bundle.findings.filter((finding) => finding.severity === severity).length);
    const cells = [
      `<a href="#${anchor}">${html(bundleName(bundle), 80)}</a>`,
      `${CLASS_WORDS[shownClass(bundle)]}${stateWords(bundle) === '' ? '' : ` · ${stateWords(bundle)}`}`,
      levelBadge(bundle.level),
      `${bundle.score}`,
      counts.join('/'),
      verdict.outcome === 'fails' ? '<b>fails</b>' : !verdict.complete ? '<b>incomplete</b>' : verdict.outcome === 'passes' ? 'passes' : 'gate off',
    ];
    return `<tr>${cells.map((cell, index) => `<td${index === 3 ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`;
  });
  return [
    '<table>',
    '<thead><tr><th>extension</th><th>class</th><th>level</th><th class="num">score</th><th>findings c/h/m/l/i</th><th>gate</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function levelBadge(level: Level): string {
  return `<span class="badge sev-${level}">${level === 'none' ? 'clean' : level}</span>`;
}

function extensionSection({ bundle, anchor }: GraphBundle, report: Report, rules: readonly Rule[]): string {
  const manifest = bundle.manifest;
  const heading = bundleHeading(bundle);
  const facts = [
    ...(heading.source === null ? [] : [html(heading.source)]),
    manifest === null ? 'no readable manifest' : `manifest ${html(manifest.manifestVersion ?? '?')}`,
    ...(manifest?.serverType ? [`${html(manifest.serverType)} server`] : []),
    `class ${CLASS_WORDS[shownClass(bundle)]}`,
    ...(stateWords(bundle) === '' ? [] : [stateWords(bundle)]),
    ...(bundle.sha256 === null ? [] : [`sha256 ${html(bundle.sha256)}`]),
  ];
  const lines = [
    `<section class="extension" id="${anchor}">`,
    '<header>',
    `<h2>${html(heading.title, HEADING_FITS)}</h2>`,
    levelBadge(bundle.level),
    `<span class="score">score ${bundle.score}/100</span>`,
    '</header>',
    `<p class="facts">${facts.join(' · ')}</p>`,
    ...(report.bundles.length > 1 ? [`<p>${html(verdictJudgement(installVerdict(bundle, report.summary.gate, report.combinations)))}</p>`] : []),
    ...incompleteBox(bundle),
    '<div class="cards">',
    capabilityCard(bundle),
    `<div class="card"><h3>Score</h3><p>${html(scoreSentence(bundle))}</p></div>`,
    signatureCard(bundle),
    ...installationCard(bundle),
    '</div>',
    ...findingGroups(bundle, rules),
    ...suppressedGroup(bundle.suppressed ?? []),
    '</section>',
  ];
  return lines.join('\n');
}

function incompleteBox(bundle: BundleReport): string[] {
  if (bundle.complete) return [];
  const reasons = bundle.incompleteReasons.map((reason) => `<li>${html(reason)}</li>`);
  return [`<div class="incomplete"><b>Not audited completely</b>: what could not be read was not judged.${reasons.length > 0 ? `<ul>${reasons.join('')}</ul>` : ''}</div>`];
}

function capabilityCard(bundle: BundleReport): string {
  const words = capabilityWords(bundle);
  const content = words.length === 0 ? '<p>Nothing found in what was read.</p>' : `<ul>${words.map((word) => `<li>${html(word)}</li>`).join('')}</ul>`;
  return `<div class="card"><h3>It can</h3>${content}</div>`;
}

function signatureCard(bundle: BundleReport): string {
  const words = signatureText(bundle);
  const signer = bundle.signer;
  const details =
    signer === undefined
      ? ''
      : `<p class="signer">subject ${html(signer.subject)}<br>issuer ${html(signer.issuer)}<br>valid ${html(signer.notBefore)} to ${html(signer.notAfter)}<br>certificate sha256 ${html(signer.sha256)}` +
        `${signer.untrusted === undefined ? '' : `<br>not trusted: ${html(signer.untrusted)}`}</p>`;
  return `<div class="card"><h3>Signature</h3><p>${words === null ? 'a folder: no signature to check' : html(words)}</p>${details}</div>`;
}

function installationCard(bundle: BundleReport): string[] {
  const installation = bundle.installation;
  if (installation === undefined) return [];
  const registry = installation.registry;
  const items = [
    stateWords(bundle),
    installation.grantedPaths.length === 0 ? 'no folder granted' : `granted: ${installation.grantedPaths.map((granted) => html(granted)).join(', ')}`,
    ...(registry === null
      ? []
      : [
          [
            registry.version === undefined ? null : `version ${html(registry.version)}`,
            registry.source === undefined ? null : `from ${html(registry.source)}`,
            registry.signatureStatus === undefined ? null : `Claude Desktop says ${html(registry.signatureStatus)}`,
          ]
            .filter((part) => part !== null)
            .join(', '),
        ]),
  ].filter((item) => item !== '');
  return [`<div class="card"><h3>In Claude Desktop</h3><ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul></div>`];
}

/** One group per severity, worst first; groups below SHOWN_OPEN start collapsed. */
function findingGroups(bundle: BundleReport, rules: readonly Rule[]): string[] {
  if (bundle.findings.length === 0) return ['<p class="clean sev-none">No findings.</p>'];
  return [...SEVERITIES].reverse().flatMap((severity) => {
    const findings = bundle.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) return [];
    const open = severityRank(severity) >= severityRank(SHOWN_OPEN) ? ' open' : '';
    return [
      `<details class="group sev-${severity}"${open}><summary><span class="badge">${severity}</span> ${plural(findings.length, 'finding')}</summary>`,
      `<ul class="findings">\n${findings.map((finding) => findingItem(finding, rules)).join('\n')}\n</ul>`,
      '</details>',
    ];
  });
}

function suppressedGroup(suppressed: readonly SuppressedFinding[]): string[] {
  if (suppressed.length === 0) return [];
  const items = suppressed.map((finding) => {
    const { reason, expires } = finding.suppression;
    return (
      `<li class="finding sev-${finding.severity}"><p class="message">${html(finding.message)}</p><p class="where">${finding.severity} · ${whereLine(finding)}</p>` +
      `<p>suppressed: ${html(reason)}${expires === undefined ? '' : ` (until ${html(expires)})`}</p></li>`
    );
  });
  return [
    `<details class="group"><summary>Suppressed by the policy file (${suppressed.length})</summary>`,
    `<ul class="findings">\n${items.join('\n')}\n</ul>`,
    '</details>',
  ];
}

function findingItem(finding: Finding, rules: readonly Rule[]): string {
  const remediation = remediationOf(finding, rules);
  return [
    `<li class="finding sev-${finding.severity}">`,
    `<p class="message">${finding.baselineState === 'new' ? '<span class="new">new</span> ' : ''}${html(finding.message)}</p>`,
    `<p class="where">${whereLine(finding)}</p>`,
    ...(finding.evidence ? [`<pre>${html(finding.evidence)}</pre>`] : []),
    `<p class="fix"><b>What to do:</b> ${remediation === null ? '' : `${html(remediation)} `}<code>${html(explainCommand(finding.ruleId))}</code></p>`,
    '</li>',
  ].join('\n');
}

/** Rule, file:line, the tool or tools, what sets it off when the tool does not say it, origin, baseline. */
function whereLine(finding: Finding): string {
  const tools = finding.tools ?? (finding.tool === undefined ? [] : [finding.tool]);
  const trigger = extraTrigger(finding);
  return [
    `<code>${html(finding.ruleId)}</code>`,
    `<code>${html(renderLocation(finding.location))}</code>`,
    ...(tools.length === 0 ? [] : [`${tools.length === 1 ? 'tool' : 'tools'} ${tools.map((tool) => `<code>${html(tool)}</code>`).join(', ')}`]),
    ...(trigger === null ? [] : [html(trigger)]),
    ...(finding.origin === undefined ? [] : [finding.origin]),
    ...(finding.baselineState === 'unchanged' ? ['in the baseline'] : []),
  ].join(' · ');
}

/** The installation read, the policy file and what in it did not apply. */
function notes(report: Report): string[] {
  const parts: string[] = [];
  if (report.installed !== undefined) {
    const { dataDirectories, problems } = report.installed;
    parts.push(
      `<p>Claude Desktop data read from ${dataDirectories.map((directory) => `<code>${html(directory)}</code>`).join(', ')}.</p>`,
      ...(problems.length === 0 ? [] : [`<ul>${problems.map((problem) => `<li>could not read: ${html(problem)}</li>`).join('')}</ul>`]),
    );
  }
  if (report.policy !== undefined) {
    const { file, problems } = report.policy;
    parts.push(
      `<p>Policy file <code>${html(file)}</code>${problems.length === 0 ? '.' : '; what in it did not apply:'}</p>`,
      ...(problems.length === 0 ? [] : [`<ul>${problems.map((problem) => `<li>${html(problem)}</li>`).join('')}</ul>`]),
    );
  }
  return parts.length === 0 ? [] : [`<section class="notes">\n<h2>Notes</h2>\n${parts.join('\n')}\n</section>`];
}
