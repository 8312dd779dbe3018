// The batch section: every Node corpus bundle in one folder (hard links to the cached bundles), scanned
// cold by one command with the `--jobs` the CLI picks when given none, against the sum of scanning each
// bundle alone (Scans.single); and that default against `--jobs 1`, on the folder and on a batch of the
// two smallest bundles, the two alternating run by run.
import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AssemblyStats } from './assemble.js';
import { peakMB, seconds, table } from './format.js';
import { combine } from './measure.js';
import type { ScanRun, Scans } from './scan.js';
import type { Figure } from './targets.js';

const FOLDER_TARGET = 0.6;
/** The default `--jobs` is never slower than one job. */
const JOBS_TARGET = 1;
/**
 * Runs of the small pair for each run of the rest. Its scans take about a second, and its default
 * runs exactly what `--jobs 1` runs, so medians of three read 0.97 to 1.02 by noise alone; more
 * runs cost seconds and let the ratio say what it measures.
 */
const SMALL_PAIR_RUNS = 3;

interface JobsPair {
  /** No `--jobs`: what the CLI picks. */
  auto: ScanRun;
  one: ScanRun;
}

export interface Batch {
  bundles: number;
  singles: ScanRun[];
  folder: JobsPair;
  smallNames: string[];
  /** The two small bundles' single scans, summed (ms). */
  smallSum: number;
  small: JobsPair;
}

export async function measureBatch(bundles: readonly AssemblyStats[], scans: Scans, work: string): Promise<Batch> {
  const singles: ScanRun[] = [];
  for (const stats of bundles) {
    singles.push(await scans.single(stats.bundlePath));
    console.log(`  alone: ${stats.name} ${seconds(singles.at(-1)!.ms)} s`);
  }
  const small = [...bundles].sort((a, b) => a.zipBytes - b.zipBytes).slice(0, 2);
  return {
    bundles: bundles.length,
    singles,
    folder: await measureJobs('the folder', [folderOf(bundles, work)], scans, scans.runs),
    smallNames: small.map((stats) => stats.name),
    smallSum: sumOf(singles.filter((_, index) => small.includes(bundles[index]!))),
    small: await measureJobs(small.map((stats) => stats.name).join(' + '), small.map((stats) => stats.bundlePath), scans, scans.runs * SMALL_PAIR_RUNS),
  };
}

function folderOf(bundles: readonly AssemblyStats[], work: string): string {
  const folder = path.join(work, 'batch');
  mkdirSync(folder);
  for (const { bundlePath } of bundles) {
    const target = path.join(folder, path.basename(bundlePath));
    try {
      linkSync(bundlePath, target);
    } catch {
      copyFileSync(bundlePath, target);
    }
  }
  return folder;
}

async function measureJobs(label: string, paths: string[], scans: Scans, runs: number): Promise<JobsPair> {
  const auto: ScanRun[] = [];
  const one: ScanRun[] = [];
  for (let run = 1; run <= runs; run++) {
    process.stdout.write(`  ${label}: run ${run}/${runs} --jobs default`);
    auto.push(await scans.scan(paths));
    process.stdout.write(` ${seconds(auto.at(-1)!.ms)} s, --jobs 1`);
    one.push(await scans.scan(paths, ['--jobs', '1']));
    process.stdout.write(` ${seconds(one.at(-1)!.ms)} s\n`);
  }
  return { auto: combine(auto, ['ms', 'totalMs']), one: combine(one, ['ms', 'totalMs']) };
}

const sumOf = (singles: readonly ScanRun[]): number => singles.reduce((total, single) => total + single.ms, 0);

export function batchFigures(batch: Batch): Figure[] {
  return [
    { name: `batch: folder of ${batch.bundles} bundles / sum of single scans`, value: batch.folder.auto.ms / sumOf(batch.singles), unit: 'ratio', atMost: FOLDER_TARGET },
    { name: `batch: --jobs default / --jobs 1, folder of ${batch.bundles}`, value: batch.folder.auto.ms / batch.folder.one.ms, unit: 'ratio', atMost: JOBS_TARGET },
    { name: `batch: --jobs default / --jobs 1, ${batch.smallNames.join(' + ')}`, value: batch.small.auto.ms / batch.small.one.ms, unit: 'ratio', atMost: JOBS_TARGET },
  ];
}

export function batchTable(batch: Batch): string {
  const sum = sumOf(batch.singles);
  const small = batch.smallNames.join(' + ');
  const row = (label: string, run: ScanRun, singles: number): string[] => [label, seconds(run.ms), peakMB(run.maxRssKB).toFixed(0), (run.ms / singles).toFixed(2)];
  return [
    table(
      ['scan', 's', 'peak MB', 'of the same bundles scanned alone, summed'],
      [
        ['each bundle alone, summed', seconds(sum), `${Math.max(...batch.singles.map((single) => peakMB(single.maxRssKB))).toFixed(0)} (largest single)`, '1.00'],
        row('the folder, `--jobs` default', batch.folder.auto, sum),
        row('the folder, `--jobs 1`', batch.folder.one, sum),
        row(`${small}, \`--jobs\` default`, batch.small.auto, batch.smallSum),
        row(`${small}, \`--jobs 1\``, batch.small.one, batch.smallSum),
      ],
    ),
    `Chains found across the folder: ${batch.folder.auto.combinations}; every bundle complete: ${batch.folder.auto.complete ? 'yes' : 'no'}.`,
  ].join('\n\n');
}
