import { Chalk, type ChalkInstance } from 'chalk';
import { escapeText, shown } from '../escape.js';
import { SEVERITIES, type Finding } from '../report.js';
import { paintSeverityText, renderFinding } from '../reporters/text.js';
import { isWorse } from './match.js';
import type { DiffReport, DiffSide } from './report.js';
import { driftWords, headline, nothingAdded, type Quote } from './words.js';

const quote: Quote = (text, maxLength) => `"${shown(text, maxLength)}"`;
const MARK = { added: '+', removed: '-', changed: '~' } as const;

export function renderDiffText(diff: DiffReport, options: { color: boolean }): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const { adds, removes } = headline(diff, quote);
  const worsened = diff.changed.filter(isWorse);
  const eased = diff.changed.filter((finding) => !worsened.includes(finding));
  const complete = diff.old.complete && diff.new.complete;
  const lines = [
    `dxt-audit ${diff.tool.version} diff`,
    ...sideLines('old', diff.old, paint),
    ...sideLines('new', diff.new, paint),
    '',
    adds.length > 0 ? `${paint.bold('This update adds:')} ${adds.join('; ')}` : complete ? paint.green(`${nothingAdded(diff)}.`) : paint.yellow(`${nothingAdded(diff)}.`),
    ...(removes.length === 0 ? [] : [`It removes: ${removes.join('; ')}`]),
    ...findingSection('Added findings', diff.added, paint),
    ...findingSection('Made worse', worsened, paint),
    ...findingSection('Made less severe', eased, paint),
    ...findingSection('Removed findings', diff.removed, paint),
  ];
  if (diff.drift.length > 0) {
    lines.push('', paint.bold(`Other changes (${diff.drift.length})`), ...diff.drift.map((item) => `  ${MARK[item.change]} ${driftWords(item, quote)}`));
  }
  lines.push('', summaryLine(diff, paint));
  return `${lines.join('\n')}\n`;
}

function sideLines(label: 'old' | 'new', side: DiffSide, paint: ChalkInstance): string[] {
  const title = [side.id, side.version].filter((part) => part).map((part) => escapeText(part!)).join(' ');
  return [
    `  ${label}  ${paint.bold(title)}  ${paint.dim(escapeText(side.source))}  risk ${paintSeverityText(side.level, paint)} (score ${side.score}/100)` +
      (side.complete ? '' : ` · audit ${paint.red.bold('INCOMPLETE')}`),
    ...side.incompleteReasons.map((reason) => `       ${paint.red('not audited:')} ${escapeText(reason)}`),
  ];
}

/** Findings grouped by severity, worst first; a changed finding says what it was. */
function findingSection(title: string, findings: ReadonlyArray<Finding & { previousSeverity?: Finding['severity'] }>, paint: ChalkInstance): string[] {
  if (findings.length === 0) return [];
  const lines = ['', paint.bold(`${title} (${findings.length})`)];
  for (const severity of [...SEVERITIES].reverse()) {
    const group = findings.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    lines.push(`  ${paintSeverityText(severity, paint)} (${group.length})`);
    for (const finding of group) {
      const [message, ...rest] = renderFinding(finding, paint);
      lines.push(finding.previousSeverity === undefined ? message! : `${message} ${paint.dim(`(was ${finding.previousSeverity})`)}`, ...rest);
    }
  }
  return lines;
}

function summaryLine(diff: DiffReport, paint: ChalkInstance): string {
  const { summary } = diff;
  const verdict = summary.gate === 'none' ? 'gate off' : `gate ${summary.gate}: ${summary.failed ? paint.red.bold('FAILED') : paint.green('passed')}`;
  const incomplete = [diff.old, diff.new].filter((side) => !side.complete).length;
  return (
    `added ${summary.added} · removed ${summary.removed} · changed ${summary.changed} (${summary.worsened} worse) · unchanged ${diff.unchanged}` +
    ` · ${verdict}` +
    (incomplete > 0 ? ` · ${paint.red(`${incomplete} incomplete`)}` : '') +
    (summary.internalError ? ` · ${paint.red('dxt-audit itself failed on a side')}` : '')
  );
}
