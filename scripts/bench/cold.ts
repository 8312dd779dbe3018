// The cold section: each corpus bundle scanned without the cache against the baseline of parsing every
// file of its language on one thread (child-baseline.ts: @babel/parser for JavaScript;
// child-baseline-python.ts: tree-sitter for Python), the two alternating run by run.
import type { Severity } from '../../src/report.js';
import type { AssemblyStats } from './assemble.js';
import { count, mb, peakMB, seconds, table } from './format.js';
import { combine, runChild } from './measure.js';
import type { PythonAssemblyStats } from './python-assemble.js';
import { PYTHON_CORPUS } from './python-corpus.js';
import type { ScanRun, Scans } from './scan.js';
import { figuresTable, type Figure } from './targets.js';

export type Language = 'node' | 'python';
export type Assembled = AssemblyStats | PythonAssemblyStats;
export const languageOf = (item: object): Language => ('language' in item ? (item.language as Language) : 'node');

// Issue 18's targets: the audit over the baseline for three bundles (the others have none), and the
// peak memory of every bundle's audit.
const RATIO_TARGETS: Readonly<Record<string, number>> = { 'sequential-thinking': 1.0, 'desktop-commander': 0.6, 'google-calendar': 1.5 };
const PEAK_TARGET_MB = 500;
const SEVERITY_COLUMNS: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

interface BaselineRun {
  ms: number;
  unzipMs: number;
  /** Python only: loading the tree-sitter grammar. */
  loadMs?: number;
  parseMs: number;
  maxRssKB: number;
  files: number;
  bytes: number;
  recoveredErrors: number;
  failed: number;
  totalMs: number;
}

export interface Measured {
  stats: Assembled;
  audit: ScanRun;
  baseline: BaselineRun;
}

export async function measureCold(stats: Assembled, scans: Scans): Promise<Measured> {
  const python = languageOf(stats) === 'python';
  const audits: ScanRun[] = [];
  const baselines: BaselineRun[] = [];
  for (let run = 1; run <= scans.runs; run++) {
    process.stdout.write(`  ${stats.name}: run ${run}/${scans.runs} audit`);
    audits.push(await scans.scan([stats.bundlePath]));
    process.stdout.write(` ${seconds(audits.at(-1)!.ms)} s, baseline`);
    baselines.push(await runChild<BaselineRun>(python ? 'child-baseline-python.ts' : 'child-baseline.ts', [stats.bundlePath]));
    process.stdout.write(` ${seconds(baselines.at(-1)!.ms)} s\n`);
  }
  return {
    stats,
    audit: scans.remember(stats.bundlePath, audits),
    baseline: combine(baselines, ['ms', 'unzipMs', 'parseMs', 'totalMs', ...(python ? (['loadMs'] as const) : [])]),
  };
}

export function coldFigures(results: readonly Measured[]): Figure[] {
  return results.flatMap(({ stats, audit, baseline }) => {
    const ratioTarget = languageOf(stats) === 'node' ? RATIO_TARGETS[stats.name] : undefined;
    return [
      { name: `cold: ${stats.name}, audit / baseline`, value: audit.ms / baseline.ms, unit: 'ratio', ...(ratioTarget === undefined ? {} : { atMost: ratioTarget }) },
      { name: `cold: ${stats.name}, audit peak`, value: peakMB(audit.maxRssKB), unit: 'MB', atMost: PEAK_TARGET_MB },
    ];
  });
}

export function assemblyTable(all: readonly AssemblyStats[]): string {
  return table(
    ['bundle', 'package', 'ZIP entries', 'files', 'MB unpacked', 'JS files', 'MB of JS', '.ts files', 'ZIP MB', 'links skipped', 'excluded'],
    all.map((s) => [
      s.name,
      `\`${s.pkg}@${s.version}\``,
      count(s.entries),
      count(s.files),
      mb(s.bytes),
      count(s.jsFiles),
      mb(s.jsBytes),
      count(s.tsFiles),
      mb(s.zipBytes),
      count(s.symlinksSkipped),
      count(s.excluded),
    ]),
  );
}

// What each language's baseline parses, as column headers: its files, and what counts as a parse error.
const PARSED = {
  node: { files: 'JS files', mb: 'MB of JS', errors: 'parse errors (recovered/thrown)' },
  python: { files: '.py files', mb: 'MB of Python', errors: 'files with syntax errors/not parsed' },
} as const;

function resultsTable(results: readonly Measured[], language: Language): string {
  return table(
    [
      ...['bundle', 'files', PARSED[language].files, PARSED[language].mb, 'audit s', 'audit peak MB', 'baseline s'],
      ...['ratio audit/baseline', 'findings (c/h/m/l/i)', 'complete'],
    ],
    results.map(({ stats, audit, baseline }) => [
      stats.name,
      count(stats.files),
      count(baseline.files),
      mb(baseline.bytes),
      seconds(audit.ms),
      peakMB(audit.maxRssKB).toFixed(0),
      seconds(baseline.ms),
      (audit.ms / baseline.ms).toFixed(2),
      SEVERITY_COLUMNS.map((severity) => audit.bySeverity[severity] ?? 0).join('/'),
      audit.complete ? 'yes' : 'no',
    ]),
  );
}

function detailsTable(results: readonly Measured[], language: Language): string {
  // Python's parser loads its grammar first; Babel has nothing to load.
  const grammar = language === 'python';
  return table(
    [
      ...['bundle', 'audit process s', 'baseline: read ZIP s', ...(grammar ? ['baseline: load grammar s'] : []), 'baseline: parse s', 'parse MB/s'],
      ...['baseline process s', 'baseline peak MB', PARSED[language].errors],
    ],
    results.map(({ stats, audit, baseline }) => [
      stats.name,
      seconds(audit.totalMs),
      seconds(baseline.unzipMs),
      ...(grammar ? [seconds(baseline.loadMs ?? 0)] : []),
      seconds(baseline.parseMs),
      (baseline.bytes / 1e6 / (baseline.parseMs / 1000)).toFixed(1),
      seconds(baseline.totalMs),
      peakMB(baseline.maxRssKB).toFixed(0),
      `${count(baseline.recoveredErrors)}/${count(baseline.failed)}`,
    ]),
  );
}

/** The cold section's tables for one language's bundles: results, targets, whole-process details. */
export function coldTables(results: readonly Measured[], language: Language): string[] {
  return [
    '### Results',
    resultsTable(results, language),
    '### Targets',
    figuresTable(coldFigures(results)),
    '### Baseline details and whole-process times',
    detailsTable(results, language),
  ];
}

export function pythonBundleTables(assembled: readonly PythonAssemblyStats[]): string[] {
  const bundles = table(
    ['bundle', 'server', 'Debian packages', 'ZIP entries', 'files', 'MB unpacked', '.py files (server\'s own)', 'MB of Python', 'native modules', 'ZIP MB'],
    assembled.map((s) => [
      s.name,
      `\`${PYTHON_CORPUS.find((entry) => entry.name === s.name)?.source ?? '?'}\``,
      count(s.debs.length),
      count(s.entries),
      count(s.files),
      mb(s.bytes),
      `${count(s.pyFiles)} (${count(s.serverPyFiles)})`,
      mb(s.pyBytes),
      count(s.nativeFiles),
      mb(s.zipBytes),
    ]),
  );
  const pins = assembled.map((s) => {
    const entry = PYTHON_CORPUS.find((candidate) => candidate.name === s.name);
    const debs = s.debs.map((deb) => `\`${deb.name} ${deb.version}\``).join(', ');
    const standIns = s.standIns.map((folder) => `\`${folder}\``).join(', ');
    return `${s.name}'s server/lib: Debian bookworm ${debs}; written for the benchmark: ${standIns}. Left out: ${entry?.leftOut ?? '?'}.`;
  });
  return ['### Bundles', bundles, pins.join('\n')];
}

export function nodeBundleTables(assembled: readonly AssemblyStats[]): string[] {
  const parts = ['### Bundles', assemblyTable(assembled)];
  const overridden = assembled.filter((s) => Object.keys(s.overrides).length > 0);
  if (overridden.length > 0) {
    const pins = (s: AssemblyStats): string => Object.entries(s.overrides).map(([name, version]) => `\`${name}@${version}\``).join(', ');
    parts.push(overridden.map((s) => `npm overrides for packages the registry mirror lacks, ${s.name}: ${pins(s)}.`).join('\n'));
  }
  return parts;
}

/** The findings of each bundle's audit, by rule, for the terminal. */
export function findingLines(results: readonly Measured[]): string[] {
  return results.flatMap(({ stats, audit }) => {
    const rules = Object.entries(audit.byRule)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([rule, n]) => `${rule} ×${n}`);
    return [`findings of ${stats.name}: ${rules.join(', ') || 'none'}`, ...(audit.complete ? [] : [`  incomplete: ${audit.incompleteReasons.join('; ')}`])];
  });
}
