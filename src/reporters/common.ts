import { compareText } from '../common.js';
import { SEVERITIES, type BundleReport, type Location, type Report } from '../report.js';

// Wording and order that every human-readable reporter shares, so the text and markdown reports of
// one scan list the same extensions in the same order and count the same way. Nothing here escapes:
// each reporter escapes for its own medium.

const LEVELS = ['none', 'low', 'medium', 'high', 'critical'];

/** Bundles worst first: by score, then level, then id; the order of the "Extensions, worst first" tables. */
export function worstFirst(bundles: readonly BundleReport[]): BundleReport[] {
  return [...bundles].sort((a, b) => b.score - a.score || LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || compareText(a.id, b.id));
}

/** What a table calls a bundle: its display name, else its id; raw bundle text, to be escaped. */
export function bundleName(bundle: BundleReport): string {
  return (bundle.manifest?.displayName ?? bundle.id) + (bundle.installation?.enabled === false ? ' (disabled)' : '');
}

export function renderLocation(location: Location): string {
  if ('pointer' in location) return `${location.file}#${location.pointer}`;
  const position = location.line === undefined ? '' : `:${location.line}${location.column === undefined ? '' : `:${location.column}`}`;
  return `${location.file}${position}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "3 bundles: 1 critical, 0 high, … · 1 chain across extensions": the counts every summary line starts with. */
export function countsLine(report: Report): string {
  const { summary } = report;
  const counts = [...SEVERITIES].reverse().map((severity) => `${summary.bySeverity[severity]} ${severity}`).join(', ');
  const chains = report.combinations.length;
  return `${plural(summary.bundles, 'bundle')}: ${counts}${chains > 0 ? ` · ${plural(chains, 'chain')} across extensions` : ''}`;
}

export function incompleteCount(report: Report): number {
  return report.bundles.filter((bundle) => !bundle.complete).length;
}
