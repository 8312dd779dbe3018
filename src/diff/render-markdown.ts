import { plural } from '../reporters/common.js';
import { CLOSING_RESERVE, findingLine, MARKDOWN_BUDGET, md, Output } from '../reporters/markdown.js';
import type { Finding } from '../report.js';
import { isWorse } from './match.js';
import type { ChangedFinding, DiffReport, DiffSide } from './report.js';
import { driftWords, headline, nothingAdded, type Quote } from './words.js';

// A pull-request comment for a bumped extension: what the update adds first, in one sentence, then
// the findings it adds or makes worse and the other changes; what it removes is folded away. Bundle
// text goes through md() (reporters/markdown.ts), which makes it inert, and the comment keeps to
// GitHub's size limit as the scan's does.

const quote: Quote = (text, maxLength) => md(text, maxLength);
const FINDINGS = 40;
const DRIFT_LINES = 60;
const FOLDED = 30;
const SEE_JSON = 'the JSON diff (`--format json`) has everything';
const MARK = { added: 'added', removed: 'removed', changed: 'changed' } as const;

export function renderDiffMarkdown(diff: DiffReport): string {
  const out = new Output(MARKDOWN_BUDGET - CLOSING_RESERVE);
  const { adds, removes } = headline(diff, quote);
  const worsened = diff.changed.filter(isWorse);
  const eased = diff.changed.filter((finding) => !worsened.includes(finding));
  out.add(verdictLine(diff));
  out.add('', adds.length === 0 ? `**${nothingAdded(diff)}**: no new finding, none made worse, and no other change it tracks.` : `**This update adds:** ${adds.join('; ')}.`);
  if (removes.length > 0) out.add('', `It removes: ${removes.join('; ')}.`);
  for (const [label, side] of [['old', diff.old], ['new', diff.new]] as const) {
    if (side.complete) continue;
    out.add('', `**The ${label} version was not audited completely**, so this comparison may miss what it holds:`, '');
    out.addCapped(side.incompleteReasons.map((reason) => `- ${md(reason, 300)}`), 10, (left) => `- … and ${plural(left, 'more reason')}`);
  }
  out.add('', '| | version | level | score | sha256 |', '|---|---|---|--:|---|', sideRow('old', diff.old), sideRow('new', diff.new));
  findingSection(out, 'Added findings', diff.added);
  findingSection(out, 'Made worse', worsened);
  if (diff.drift.length > 0) {
    out.add('', `### Other changes (${diff.drift.length})`, '');
    out.addCapped(
      diff.drift.map((item) => `- **${MARK[item.change]}** ${driftWords(item, quote)}`),
      DRIFT_LINES,
      (left) => `- … and ${plural(left, 'more change')}; ${SEE_JSON}.`,
    );
  }
  folded(out, 'Removed findings', diff.removed);
  folded(out, 'Made less severe', eased);
  return out.toString();
}

function verdictLine(diff: DiffReport): string {
  const { summary } = diff;
  const verdict = summary.gate === 'none' ? 'gate off' : `gate ${summary.gate}: **${summary.failed ? 'FAILED' : 'passed'}**`;
  const versions = `${md(diff.old.version ?? '?', 30)} → ${md(diff.new.version ?? '?', 30)}`;
  return (
    `**dxt-audit ${md(diff.tool.version)}** · ${md(diff.new.id, 60)} ${versions} · ${verdict} · ` +
    `${summary.added} added, ${summary.worsened} worse, ${summary.removed} removed` +
    (summary.internalError ? ' · **dxt-audit itself failed on a side**' : '')
  );
}

function sideRow(label: string, side: DiffSide): string {
  return `| ${label} | ${md(side.version ?? '-', 30)} | ${side.level} | ${side.score} | ${side.sha256 === null ? '-' : md(side.sha256.slice(0, 16))} |`;
}

function findingSection(out: Output, title: string, findings: ReadonlyArray<Finding | ChangedFinding>): void {
  if (findings.length === 0) return;
  out.add('', `### ${title} (${findings.length})`, '');
  out.addCapped(findings.map(lineOf), FINDINGS, (left) => `- … and ${plural(left, 'more finding')}; ${SEE_JSON}.`);
}

/** Findings the reviewer need not act on, in a closed block, while the budget lasts. */
function folded(out: Output, title: string, findings: ReadonlyArray<Finding | ChangedFinding>): void {
  const opening = ['', `<details><summary>${title} (${findings.length})</summary>`, ''];
  if (findings.length === 0 || !out.fits(opening)) return;
  out.add(...opening);
  out.addCapped(findings.map(lineOf), FOLDED, (left) => `- … and ${plural(left, 'more finding')}; ${SEE_JSON}.`);
  out.force('', '</details>');
}

function lineOf(finding: Finding | ChangedFinding): string {
  const was = 'previousSeverity' in finding ? ` (was ${finding.previousSeverity})` : '';
  return findingLine(finding, `**${finding.severity}**${was} `);
}
