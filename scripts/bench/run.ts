// `npm run bench`: assembles (or reuses) the corpus bundles, then measures on each a full audit
// against the baseline of parsing every JavaScript file with @babel/parser on one thread, or, for the
// Python bundles (python-corpus.ts), every Python file with tree-sitter on one thread. Each
// measurement runs in its own child process, so peak memory is that run's alone.
// docs/benchmarks.md says what is measured and why; `--write` refreshes its table.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Severity } from '../../src/report.js';
import { assemble, REPO_ROOT, type AssemblyStats } from './assemble.js';
import { writeDocBlock } from './doc-block.js';
import { CORPUS, type CorpusEntry } from './corpus.js';
import { assemblePython, type PythonAssemblyStats } from './python-assemble.js';
import { PYTHON_CORPUS, type PythonCorpusEntry } from './python-corpus.js';

const USAGE = 'usage: npm run bench -- [--only <name> | --lang node|python] [--runs <n>] [--write] [--rebuild]';
const DOC_PATH = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
// Each language's tables have their own block in the doc, so that one can be refreshed alone.
const MARKERS = {
  node: ['<!-- bench:start -->', '<!-- bench:end -->'],
  python: ['<!-- bench-python:start -->', '<!-- bench-python:end -->'],
} as const;
type Language = keyof typeof MARKERS;
type Entry = CorpusEntry | PythonCorpusEntry;
type Assembled = AssemblyStats | PythonAssemblyStats;
const ENTRIES: readonly Entry[] = [...CORPUS, ...PYTHON_CORPUS];
const languageOf = (item: Entry | Assembled): Language => ('language' in item ? item.language : 'node');
// Targets from the project issue: the audit at most half the parse-everything baseline, and at
// most 500 MB peak on the largest bundle (checked on every bundle: the largest is the hard one).
const TARGET_RATIO = 0.5;
const TARGET_PEAK_MB = 500;
const SEVERITY_COLUMNS: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

interface AuditRun {
  ms: number;
  maxRssKB: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  complete: boolean;
  incompleteReasons: string[];
  /** Spawn to exit, measured by the parent: includes Node, tsx and module loading. */
  totalMs: number;
}

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

interface Measured {
  stats: Assembled;
  audit: AuditRun;
  baseline: BaselineRun;
}

interface Failed {
  entry: Entry;
  stage: 'assembly' | 'measurement';
  message: string;
}

function options(): { only: string | undefined; lang: Language | undefined; runs: number; write: boolean; rebuild: boolean } {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      lang: { type: 'string' },
      runs: { type: 'string', default: '3' },
      write: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) usage(`--runs must be a positive integer, not ${values.runs}`);
  if (values.only !== undefined && !ENTRIES.some((entry) => entry.name === values.only)) {
    usage(`no bundle named ${values.only}; the corpus has ${ENTRIES.map((entry) => entry.name).join(', ')}`);
  }
  if (values.lang !== undefined && !Object.hasOwn(MARKERS, values.lang)) usage(`--lang is node or python, not ${values.lang}`);
  // A partial table would silently drop the other bundles' rows from the doc; a whole language is fine.
  if (values.write && values.only !== undefined) usage('--write needs every bundle of a language; use --lang instead of --only');
  return { only: values.only, lang: values.lang as Language | undefined, runs, write: values.write, rebuild: values.rebuild };
}

function usage(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

function runChild<T>(script: string, bundlePath: string): Promise<T & { totalMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'bench', script), bundlePath], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const totalMs = performance.now() - started;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        const tail = stderr.trim().split('\n').slice(-6).join('\n');
        reject(new Error(`${script} exited with ${code ?? signal}${tail ? `:\n${tail}` : ''}`));
        return;
      }
      resolve({ ...(JSON.parse(last) as T), totalMs });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Times are medians over the runs; peak memory is the worst run. Findings are deterministic, so
// the last run's stand for all.
function combine<T extends { ms: number; maxRssKB: number; totalMs: number }>(runs: T[], timed: ReadonlyArray<keyof T>): T {
  const result = { ...runs.at(-1)! };
  for (const key of timed) (result as Record<keyof T, unknown>)[key] = median(runs.map((run) => run[key] as number));
  result.maxRssKB = Math.max(...runs.map((run) => run.maxRssKB));
  return result;
}

async function measure(stats: Assembled, runs: number): Promise<Measured> {
  const python = languageOf(stats) === 'python';
  const audits: AuditRun[] = [];
  const baselines: BaselineRun[] = [];
  for (let run = 1; run <= runs; run++) {
    process.stdout.write(`  ${stats.name}: run ${run}/${runs} audit`);
    audits.push(await runChild<AuditRun>('child-audit.ts', stats.bundlePath));
    process.stdout.write(` ${seconds(audits.at(-1)!.ms)} s, baseline`);
    baselines.push(await runChild<BaselineRun>(python ? 'child-baseline-python.ts' : 'child-baseline.ts', stats.bundlePath));
    process.stdout.write(` ${seconds(baselines.at(-1)!.ms)} s\n`);
  }
  return {
    stats,
    audit: combine(audits, ['ms', 'totalMs']),
    baseline: combine(baselines, ['ms', 'unzipMs', 'parseMs', 'totalMs', ...(python ? (['loadMs'] as const) : [])]),
  };
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const peakMb = (kb: number): string => ((kb * 1024) / 1e6).toFixed(0);
const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const count = (n: number): string => n.toLocaleString('en-US');

function table(header: string[], rows: string[][]): string {
  const align = header.map((_, index) => (index === 0 || rows.every((row) => !/^[\d.,/ %-]+$/.test(row[index] ?? '')) ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function assemblyTable(all: AssemblyStats[]): string {
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

function resultsTable(results: Measured[], language: Language): string {
  return table(
    [
      ...['bundle', 'files', PARSED[language].files, PARSED[language].mb, 'audit wall s', 'audit peak MB', 'baseline parse s'],
      ...['ratio audit/baseline', 'findings (c/h/m/l/i)', 'complete'],
    ],
    results.map(({ stats, audit, baseline }) => [
      stats.name,
      count(stats.files),
      count(baseline.files),
      mb(baseline.bytes),
      seconds(audit.ms),
      peakMb(audit.maxRssKB),
      seconds(baseline.ms),
      (audit.ms / baseline.ms).toFixed(2),
      SEVERITY_COLUMNS.map((severity) => audit.bySeverity[severity] ?? 0).join('/'),
      audit.complete ? 'yes' : 'no',
    ]),
  );
}

function detailsTable(results: Measured[], language: Language): string {
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
      peakMb(baseline.maxRssKB),
      `${count(baseline.recoveredErrors)}/${count(baseline.failed)}`,
    ]),
  );
}

function targetLines(results: Measured[]): string[] {
  return results.map(({ stats, audit, baseline }) => {
    const ratio = audit.ms / baseline.ms;
    const peak = (audit.maxRssKB * 1024) / 1e6;
    const ratioOk = ratio <= TARGET_RATIO;
    const peakOk = peak <= TARGET_PEAK_MB;
    return (
      `- ${stats.name}: ${ratioOk && peakOk ? 'meets both targets' : 'misses a target'} ` +
      `(time ${ratio.toFixed(2)} of the baseline, target ≤ ${TARGET_RATIO}; peak ${peak.toFixed(0)} MB, target ≤ ${TARGET_PEAK_MB} MB)`
    );
  });
}

// Which code was measured: others commit while a run is under way, and a number is only
// comparable to another taken on the same sources.
function revision(): string {
  const git = (...args: string[]): string =>
    spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD');
  if (head === '') return 'an unknown revision';
  const dirty = git('status', '--porcelain', '--', 'src', 'rules') !== '';
  return `commit ${head}${dirty ? ' with uncommitted changes to src/ or rules/' : ''}`;
}

function machine(runs: number, measuredAt: string): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return (
    `Machine: ${cpus.length} cores (${model}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ` +
    `Node ${process.version}, ${process.platform} ${process.arch}; ${measuredAt}. ` +
    `Times are medians of ${runs} run${runs === 1 ? '' : 's'}, peaks the highest of them.`
  );
}

function nodeReportBody(assembled: AssemblyStats[], results: Measured[], failures: Failed[], runs: number, measuredAt: string): string {
  const parts = [
    machine(runs, measuredAt),
    '### Results',
    resultsTable(results, 'node'),
    '### Targets',
    targetLines(results).join('\n'),
    '### Baseline details and whole-process times',
    detailsTable(results, 'node'),
    '### Bundles',
    assemblyTable(assembled),
  ];
  const overridden = assembled.filter((s) => Object.keys(s.overrides).length > 0);
  if (overridden.length > 0) {
    const pins = (s: AssemblyStats): string => Object.entries(s.overrides).map(([name, version]) => `\`${name}@${version}\``).join(', ');
    parts.push(overridden.map((s) => `npm overrides for packages the registry mirror lacks, ${s.name}: ${pins(s)}.`).join('\n'));
  }
  parts.push(...notMeasured(failures));
  return parts.join('\n\n');
}

function notMeasured(failures: Failed[]): string[] {
  if (failures.length === 0) return [];
  const what = (entry: Entry): string => ('pkg' in entry ? `${entry.pkg}@${entry.version}` : `${entry.source}, ${entry.version}`);
  const line = (f: Failed): string => `- ${f.entry.name} (${what(f.entry)}), ${f.stage} failed: ${f.message.split('\n')[0]}`;
  return ['### Not measured', failures.map(line).join('\n')];
}

// Python bundles have tables of their own: their baseline is another parser, and their bundles are
// built from Debian packages rather than npm.
function pythonReportBody(assembled: PythonAssemblyStats[], results: Measured[], failures: Failed[], runs: number, measuredAt: string): string {
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
  return [
    machine(runs, measuredAt),
    'Baseline: every `.py` file parsed with web-tree-sitter (tree-sitter-python\'s WebAssembly grammar, the audit\'s own Python parser) on one thread, after reading the ZIP and loading the grammar.',
    '### Results',
    resultsTable(results, 'python'),
    '### Targets',
    targetLines(results).join('\n'),
    '### Baseline details and whole-process times',
    detailsTable(results, 'python'),
    '### Bundles',
    bundles,
    pins.join('\n'),
    ...notMeasured(failures),
  ].join('\n\n');
}

const DOC_INTRO = `# Benchmarks

\`npm run bench\` builds bundles from real MCP servers on the npm registry and measures a full audit of
each against a baseline: parsing every JavaScript file of the bundle with @babel/parser on one thread,
what any tool that "parses everything" pays at least.

## What is measured

- **Bundles** (\`scripts/bench/corpus.ts\`): each server pinned to an exact version, installed with
  \`npm install --omit=dev --ignore-scripts\` (no install script ever runs, and nothing installed is ever
  executed or required), laid out as \`manifest.json\` (written by hand from the server's README) plus
  \`server/node_modules/\`, and zipped in memory (deflate) with \`scripts/lib/zip-writer.ts\`. The
  reference packer's default exclusions (\`*.d.ts\`, \`*.map\`, lockfiles, \`.env*\`, ...) are applied;
  symbolic links (\`node_modules/.bin\`) are skipped, never followed. Bundles are cached in
  \`.bench-cache/\` per version and rebuilt byte for byte identical.
- **Audit**: \`audit([bundle])\` from \`src/audit.ts\`, in a fresh child process. "Wall" is the call
  itself, after modules are loaded; "peak" is the process's maximum resident set size, Node and tsx
  included.
- **Baseline**: in another fresh child, the bundle is read with the project's own \`readZip\`
  (\`DEFAULT_LIMITS\` without the ratio limit, so that it parses every JavaScript file whatever
  the limits; nothing extracted) and every \`.js\`, \`.mjs\` and \`.cjs\` file is parsed in turn
  (\`sourceType: 'unambiguous'\`, \`errorRecovery\`, \`jsx\`). Its time includes reading the ZIP, as the
  audit's does. \`.ts\` files are left out: Node does not run TypeScript from \`node_modules\`, so they
  are shipped sources, not code the server executes.
- **Ratio**: audit wall time over baseline time. Whole-process times (spawn to exit, including Node
  start-up and tsx compiling the sources) are in the details table.
- MB means 10^6 bytes.

## Targets

- A full audit of each bundle takes at most half of the baseline's time.
- At most 500 MB peak memory on the largest bundle (desktop-commander, about 62 MB of JS in 10,400 files).

The audit does not analyse code yet: its time is currently mostly reading the archive (every entry
inflated under the limits) and running the archive and manifest rules.

## Running it

\`\`\`sh
npm run bench                      # all bundles, 3 runs each, prints the tables
npm run bench -- --write           # the same, and refreshes the tables below
npm run bench -- --only desktop-commander --runs 1
npm run bench -- --rebuild         # reinstall and rebuild the cached bundles
\`\`\`

The first run downloads the packages (a minute or two); later runs reuse \`.bench-cache/\`. Run it on
an idle machine: on two cores, a test suite running alongside moves times by tens of percent.

## Latest results

`;

function writeDoc(language: Language, body: string): void {
  writeDocBlock(DOC_PATH, MARKERS[language], body, DOC_INTRO);
}

async function main(): Promise<void> {
  const opts = options();
  const selected = ENTRIES.filter((entry) => (opts.only === undefined || entry.name === opts.only) && (opts.lang === undefined || languageOf(entry) === opts.lang));
  const failures: Failed[] = [];

  console.log('Assembling bundles');
  const assembled: Assembled[] = [];
  for (const entry of selected) {
    try {
      const log = (line: string): void => console.log(`  ${line}`);
      const stats = 'language' in entry ? assemblePython(entry, { rebuild: opts.rebuild, log }) : assemble(entry, { rebuild: opts.rebuild, log });
      console.log(`  ${entry.name}: ${stats.built ? 'built' : 'cached'} ${path.relative(REPO_ROOT, stats.bundlePath)}`);
      assembled.push(stats);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`  ${entry.name}: assembly failed: ${message}`);
      failures.push({ entry, stage: 'assembly', message });
    }
  }
  const nodeAssembled = assembled.filter((stats): stats is AssemblyStats => languageOf(stats) === 'node');
  const pythonAssembled = assembled.filter((stats): stats is PythonAssemblyStats => languageOf(stats) === 'python');
  if (nodeAssembled.length > 0) console.log(`\n${assemblyTable(nodeAssembled)}\n`);

  const before = revision();
  console.log(`Measuring ${before} (${opts.runs} run${opts.runs === 1 ? '' : 's'} each)`);
  const results: Measured[] = [];
  for (const stats of assembled) {
    try {
      results.push(await measure(stats, opts.runs));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`\n  ${stats.name}: measurement failed: ${message}`);
      failures.push({ entry: ENTRIES.find((entry) => entry.name === stats.name)!, stage: 'measurement', message });
    }
  }

  const after = revision();
  const measuredAt = after === before ? before : `${before}, then ${after} (the sources changed during the run)`;
  const languages = (['node', 'python'] as const).filter((language) => selected.some((entry) => languageOf(entry) === language));
  const bodies = languages.map((language) => {
    const ofLanguage = <T extends { stats: Assembled } | { entry: Entry }>(items: T[]): T[] =>
      items.filter((item) => languageOf('stats' in item ? item.stats : item.entry) === language);
    const body =
      language === 'node'
        ? nodeReportBody(nodeAssembled, ofLanguage(results), ofLanguage(failures), opts.runs, measuredAt)
        : pythonReportBody(pythonAssembled, ofLanguage(results), ofLanguage(failures), opts.runs, measuredAt);
    console.log(`\n${language === 'python' ? '## Python bundles\n\n' : ''}${body}\n`);
    return { language, body };
  });
  for (const { stats, audit } of results) {
    const rules = Object.entries(audit.byRule)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([rule, n]) => `${rule} ×${n}`);
    console.log(`findings of ${stats.name}: ${rules.join(', ') || 'none'}`);
    if (!audit.complete) console.log(`  incomplete: ${audit.incompleteReasons.join('; ')}`);
  }
  if (opts.write) {
    for (const { language, body } of bodies) writeDoc(language, body);
    console.log(`\nwrote ${path.relative(REPO_ROOT, DOC_PATH)}`);
  }
  if (failures.length > 0) process.exitCode = 1;
}

await main();
