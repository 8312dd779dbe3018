// `npm run bench:batch`: a folder holding every corpus bundle, audited in one run on both cores,
// against the sum of auditing each bundle alone, measured in the same run on the compiled package.
// Target (project issue 4): the folder takes at most 0.6 of the sum. `--write` refreshes the table
// in docs/benchmarks.md; `--runs N` takes medians of N runs.
import { spawn } from 'node:child_process';
import { linkSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assemble, REPO_ROOT } from './assemble.js';
import { CORPUS } from './corpus.js';

const TARGET_RATIO = 0.6;
const DOC_PATH = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
const START_MARKER = '<!-- bench-batch:start -->';
const END_MARKER = '<!-- bench-batch:end -->';

interface Run {
  ms: number;
  maxRssKB: number;
  bundles: number;
  combinations: number;
  complete: boolean;
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1' }, write: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, not ${values.runs}`);

const bundles = CORPUS.map((entry) => assemble(entry, { log: (line) => console.log(`  ${line}`) }).bundlePath);
const folder = mkdtempSync(path.join(os.tmpdir(), 'dxt-audit-batch-'));
for (const bundle of bundles) {
  const target = path.join(folder, path.basename(bundle));
  try {
    linkSync(bundle, target);
  } catch {
    copyFileSync(bundle, target);
  }
}

const cores = os.availableParallelism();
try {
  const singles: Array<{ name: string; ms: number; peakMB: number }> = [];
  for (const bundle of bundles) {
    const measured = await median(() => child(1, [bundle]));
    singles.push({ name: path.basename(bundle, '.mcpb'), ms: measured.ms, peakMB: measured.maxRssKB / 1024 });
    console.log(`alone: ${path.basename(bundle)} ${(measured.ms / 1000).toFixed(2)} s`);
  }
  const inTurn = await median(() => child(1, [folder]));
  console.log(`folder, one thread: ${(inTurn.ms / 1000).toFixed(2)} s`);
  const parallel = await median(() => child(cores, [folder]));
  console.log(`folder, ${cores} threads: ${(parallel.ms / 1000).toFixed(2)} s`);
  const sum = singles.reduce((total, single) => total + single.ms, 0);
  const table = render(singles, sum, inTurn, parallel, cores);
  console.log(`\n${table}`);
  if (values.write) writeTable(table);
} finally {
  rmSync(folder, { recursive: true, force: true });
}

async function median(measure: () => Promise<Run>): Promise<Run> {
  const all: Run[] = [];
  for (let index = 0; index < runs; index++) all.push(await measure());
  all.sort((a, b) => a.ms - b.ms);
  const middle = all[Math.floor(all.length / 2)]!;
  return { ...middle, maxRssKB: Math.max(...all.map((run) => run.maxRssKB)) };
}

function child(jobs: number, paths: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const process_ = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bench', 'child-dist-audit.mjs'), String(jobs), ...paths], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    process_.stdout.on('data', (chunk) => (out += chunk));
    process_.on('error', reject);
    process_.on('close', (code) => {
      if (code !== 0) reject(new Error(`audit child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Run);
    });
  });
}

function render(singles: ReadonlyArray<{ name: string; ms: number; peakMB: number }>, sum: number, inTurn: Run, parallel: Run, cores: number): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(2);
  const ratio = parallel.ms / sum;
  return [
    `Machine: ${cores} cores, Node ${process.version}; ${singles.length} bundles; medians of ${runs} run${runs === 1 ? '' : 's'}; times are the audit call, after module loading.`,
    '',
    '| run | wall s | peak MB | of the sum of singles |',
    '| --- | ---: | ---: | ---: |',
    `| each bundle alone, summed | ${seconds(sum)} | ${Math.round(Math.max(...singles.map((single) => single.peakMB)))} (largest single) | 1.00 |`,
    `| the folder, one thread | ${seconds(inTurn.ms)} | ${Math.round(inTurn.maxRssKB / 1024)} | ${(inTurn.ms / sum).toFixed(2)} |`,
    `| the folder, ${cores} worker threads | ${seconds(parallel.ms)} | ${Math.round(parallel.maxRssKB / 1024)} | ${ratio.toFixed(2)} |`,
    '',
    `Target: the folder at most ${TARGET_RATIO} of the sum: ${ratio <= TARGET_RATIO ? 'met' : 'missed'} (${ratio.toFixed(2)}). ` +
      `Chains found across the folder: ${parallel.combinations}; every bundle complete: ${parallel.complete ? 'yes' : 'no'}.`,
  ].join('\n');
}

function writeTable(table: string): void {
  const doc = readFileSync(DOC_PATH, 'utf8');
  const start = doc.indexOf(START_MARKER);
  const end = doc.indexOf(END_MARKER);
  if (start === -1 || end === -1) throw new Error(`${DOC_PATH} lacks the ${START_MARKER} … ${END_MARKER} markers`);
  writeFileSync(DOC_PATH, `${doc.slice(0, start + START_MARKER.length)}\n${table}\n${doc.slice(end)}`);
}
