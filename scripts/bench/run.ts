// `npm run bench` (issue 18; docs/benchmarks.md says what is measured and why): in one run, on the
// compiled package, each figure a ratio against something measured in the same run, printed with its
// target and whether it holds:
//   cold     each corpus bundle scanned, against parsing every file of its language on one thread (cold.ts)
//   warm     a scan with an empty `--cache` folder, then one with the folder it filled (warm.ts)
//   startup  `--version` and a scan of the hello-world example, against bare `node` (startup.ts)
//   batch    a folder of the Node corpus against the sum of single scans, and the `--jobs` default (batch.ts)
// then a summary of every figure. Every measurement runs in a fresh process. `--write` records the
// sections' tables and the summary in the doc.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assemble, REPO_ROOT, type AssemblyStats } from './assemble.js';
import { batchFigures, batchTable, measureBatch } from './batch.js';
import { type Assembled, coldFigures, coldTables, findingLines, languageOf, type Language, measureCold, type Measured, nodeBundleTables, pythonBundleTables } from './cold.js';
import { writeDocBlock } from './doc-block.js';
import { CORPUS, type CorpusEntry } from './corpus.js';
import { plural } from './format.js';
import { assemblePython, type PythonAssemblyStats } from './python-assemble.js';
import { PYTHON_CORPUS, type PythonCorpusEntry } from './python-corpus.js';
import { Scans } from './scan.js';
import { measureStartup, ROUNDS_PER_RUN, startupFigures, startupTable } from './startup.js';
import { type Figure, figuresTable, summary } from './targets.js';
import { measureWarm, warmFigures, warmTable } from './warm.js';

const SECTIONS = ['cold', 'warm', 'startup', 'batch'] as const;
type Section = (typeof SECTIONS)[number];
const USAGE =
  'usage: npm run bench -- [--section cold|warm|startup|batch]... [--only <bundle> | --lang node|python] [--runs <n>] [--write] [--rebuild]\n' +
  '  --only and --lang choose the bundles of cold and warm; batch always takes the whole Node corpus';
const DOC_PATH = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
// The doc's blocks the bench writes, each between `<!-- name:start -->` and `<!-- name:end -->`, with
// the heading it is printed under in the terminal.
const BLOCKS = {
  bench: 'Cold scans: Node bundles',
  'bench-python': 'Cold scans: Python bundles',
  'bench-warm': 'Warm re-scans (--cache)',
  'bench-startup': 'Start-up',
  'bench-batch': 'Batch',
  'bench-summary': 'Summary',
} as const;
type Block = keyof typeof BLOCKS;
type Entry = CorpusEntry | PythonCorpusEntry;
const ENTRIES: readonly Entry[] = [...CORPUS, ...PYTHON_CORPUS];

interface Options {
  sections: Section[];
  only: string | undefined;
  lang: Language | undefined;
  runs: number;
  write: boolean;
  rebuild: boolean;
}

interface Failed {
  name: string;
  stage: 'assembly' | Section;
  message: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      section: { type: 'string', multiple: true },
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
  const sections = values.section ?? [...SECTIONS];
  const unknown = sections.find((section) => !(SECTIONS as readonly string[]).includes(section));
  if (unknown !== undefined) usage(`--section is one of ${SECTIONS.join(', ')}, not ${unknown}`);
  if (values.only !== undefined && !ENTRIES.some((entry) => entry.name === values.only)) {
    usage(`no bundle named ${values.only}; the corpus has ${ENTRIES.map((entry) => entry.name).join(', ')}`);
  }
  if (values.lang !== undefined && values.lang !== 'node' && values.lang !== 'python') usage(`--lang is node or python, not ${values.lang}`);
  // The doc's figures are one run's: a partial run would leave the others' tables from another.
  if (values.write && (values.only !== undefined || values.lang !== undefined || values.section !== undefined)) {
    usage('--write records a whole run: every section and every bundle (no --section, --only or --lang)');
  }
  return { sections: sections as Section[], only: values.only, lang: values.lang as Language | undefined, runs, write: values.write, rebuild: values.rebuild };
}

function usage(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `measure()`, or, when it throws, undefined and the failure recorded. */
async function attempt<T>(name: string, stage: Failed['stage'], failures: Failed[], measure: () => Promise<T>): Promise<T | undefined> {
  try {
    return await measure();
  } catch (error) {
    console.error(`\n  ${name}: ${stage} failed: ${messageOf(error)}`);
    failures.push({ name, stage, message: messageOf(error) });
    return undefined;
  }
}

async function eachBundle<T>(bundles: readonly Assembled[], stage: Section, failures: Failed[], measure: (stats: Assembled) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const stats of bundles) {
    const result = await attempt(stats.name, stage, failures, () => measure(stats));
    if (result !== undefined) results.push(result);
  }
  return results;
}

function assembleAll(entries: readonly Entry[], rebuild: boolean, failures: Failed[]): Assembled[] {
  if (entries.length > 0) console.log('Assembling bundles');
  const assembled: Assembled[] = [];
  for (const entry of entries) {
    try {
      const log = (line: string): void => console.log(`  ${line}`);
      const stats = 'language' in entry ? assemblePython(entry, { rebuild, log }) : assemble(entry, { rebuild, log });
      console.log(`  ${entry.name}: ${stats.built ? 'built' : 'cached'} ${path.relative(REPO_ROOT, stats.bundlePath)}`);
      assembled.push(stats);
    } catch (error) {
      console.error(`  ${entry.name}: assembly failed: ${messageOf(error)}`);
      failures.push({ name: entry.name, stage: 'assembly', message: messageOf(error) });
    }
  }
  return assembled;
}

function notMeasured(failures: readonly Failed[]): string[] {
  if (failures.length === 0) return [];
  const what = (name: string): string => {
    const entry = ENTRIES.find((candidate) => candidate.name === name);
    if (entry === undefined) return name;
    return `${name} (${'pkg' in entry ? `${entry.pkg}@${entry.version}` : `${entry.source}, ${entry.version}`})`;
  };
  return ['### Not measured', failures.map((f) => `- ${what(f.name)}, ${f.stage} failed: ${f.message.split('\n')[0]}`).join('\n')];
}

// Which code was measured: others commit while a run is under way, and a number is only
// comparable to another taken on the same sources.
function revision(): string {
  const git = (...args: string[]): string => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD');
  if (head === '') return 'an unknown revision';
  const dirty = git('status', '--porcelain', '--', 'src', 'rules') !== '';
  return `commit ${head}${dirty ? ' with uncommitted changes to src/ or rules/' : ''}`;
}

function machine(runs: number, measuredAt: string): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return (
    `Machine: ${cpus.length} cores (${model}; ${os.availableParallelism()} available), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ` +
    `Node ${process.version}, ${process.platform} ${process.arch}; ${measuredAt}; the compiled package (dist/). ` +
    `Times are medians of ${plural(runs, 'run')} (start-up: ${plural(runs * ROUNDS_PER_RUN, 'round')}), peaks the highest of them.`
  );
}

/** The cold section's tables for one language: results, targets, details and the bundles. */
function coldBody(results: readonly Measured[], assembled: readonly Assembled[], language: Language): string[] {
  const ofLanguage = assembled.filter((stats) => languageOf(stats) === language);
  if (language === 'node') return [...coldTables(results, 'node'), ...nodeBundleTables(ofLanguage as AssemblyStats[])];
  return [
    "Baseline: every `.py` file parsed with web-tree-sitter (tree-sitter-python's WebAssembly grammar, the audit's own Python parser) on one thread, after reading the ZIP and loading the grammar.",
    ...coldTables(results, 'python'),
    ...pythonBundleTables(ofLanguage as PythonAssemblyStats[]),
  ];
}

async function main(): Promise<void> {
  const opts = options();
  const has = (section: Section): boolean => opts.sections.includes(section);
  const selected = ENTRIES.filter((entry) => (opts.only === undefined || entry.name === opts.only) && (opts.lang === undefined || languageOf(entry) === opts.lang));
  const wanted = new Set<Entry>([...(has('cold') || has('warm') ? selected : []), ...(has('batch') ? CORPUS : [])]);
  const failures: Failed[] = [];
  const assembled = assembleAll([...wanted], opts.rebuild, failures);
  const bundles = assembled.filter((stats) => selected.some((entry) => entry.name === stats.name));
  const languages = (['node', 'python'] as const).filter((language) => selected.some((entry) => languageOf(entry) === language));
  const blocks = new Map<Block, string>();
  const figures: Figure[] = [];
  const failuresOf = (stages: ReadonlyArray<Failed['stage']>, language?: Language): Failed[] =>
    failures.filter((f) => stages.includes(f.stage) && (language === undefined || languageOf(ENTRIES.find((entry) => entry.name === f.name)!) === language));
  let reportsDiffer = false;

  const work = mkdtempSync(path.join(os.tmpdir(), 'dxt-audit-bench-'));
  const before = revision();
  try {
    const scans = new Scans(opts.runs, work);
    if (has('cold')) {
      console.log(`\nCold: ${before}`);
      const results = await eachBundle(bundles, 'cold', failures, (stats) => measureCold(stats, scans));
      for (const language of languages) {
        const own = results.filter((result) => languageOf(result.stats) === language);
        figures.push(...coldFigures(own));
        blocks.set(language === 'node' ? 'bench' : 'bench-python', [...coldBody(own, assembled, language), ...notMeasured(failuresOf(['assembly', 'cold'], language))].join('\n\n'));
      }
      console.log(`\n${findingLines(results).join('\n')}`);
    }
    if (has('warm')) {
      console.log('\nWarm');
      const results = await eachBundle(bundles, 'warm', failures, (stats) => measureWarm(stats, scans, work));
      reportsDiffer = results.some((result) => result.differing.length > 0);
      const own = warmFigures(results);
      figures.push(...own);
      blocks.set('bench-warm', [warmTable(results), figuresTable(own), ...notMeasured(failuresOf(['warm']))].join('\n\n'));
    }
    if (has('startup')) {
      console.log('\nStart-up');
      const startup = await attempt('start-up', 'startup', failures, () => measureStartup(opts.runs));
      const own = startup === undefined ? [] : startupFigures(startup);
      figures.push(...own);
      blocks.set('bench-startup', [...(startup === undefined ? [] : [startupTable(startup), figuresTable(own)]), ...notMeasured(failuresOf(['startup']))].join('\n\n'));
    }
    if (has('batch')) {
      console.log('\nBatch');
      const corpus = assembled.filter((stats): stats is AssemblyStats => CORPUS.some((entry) => entry.name === stats.name));
      const batch = await attempt('the corpus folder', 'batch', failures, () => measureBatch(corpus, scans, work));
      const own = batch === undefined ? [] : batchFigures(batch);
      figures.push(...own);
      blocks.set('bench-batch', [...(batch === undefined ? [] : [batchTable(batch), figuresTable(own)]), ...notMeasured(failuresOf(['batch']))].join('\n\n'));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const after = revision();
  const measuredAt = after === before ? before : `${before}, then ${after} (the sources changed during the run)`;
  blocks.set('bench-summary', [machine(opts.runs, measuredAt), summary(figures), ...notMeasured(failures)].join('\n\n'));
  for (const [block, body] of blocks) console.log(`\n## ${BLOCKS[block]}\n\n${body}`);
  if (opts.write) {
    for (const [block, body] of blocks) writeDocBlock(DOC_PATH, [`<!-- ${block}:start -->`, `<!-- ${block}:end -->`], body, '# Benchmarks\n\n');
    console.log(`\nwrote ${path.relative(REPO_ROOT, DOC_PATH)}`);
  }
  if (failures.length > 0 || reportsDiffer) process.exitCode = 1;
}

await main();
