// The warm section (`--cache`, docs/cache.md): per bundle and run, a scan with an empty cache folder,
// then a scan with the folder it filled, each in a fresh process. The warm scan's time over the cold
// one's is the figure. A third scan, with the archive's whole audit taken out of the folder, reads
// only the files' facts back: what a new version of the bundle whose dependencies did not change
// would cost, printed without a target. Every report must be, byte for byte, the bundle's single
// scan without the cache (Scans.single), or the bench says so loudly and fails.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Assembled } from './cold.js';
import { peakMB, seconds, table } from './format.js';
import { combine } from './measure.js';
import type { ScanRun, Scans } from './scan.js';
import type { Figure } from './targets.js';

const WARM_TARGET = 0.25;

export interface Warm {
  stats: Assembled;
  /** Without the cache. */
  plain: ScanRun;
  /** With an empty cache folder, then with the folder it filled. */
  cold: ScanRun;
  warm: ScanRun;
  /** With the filled folder less the archive's audit: every file's facts read back, the rest redone. */
  factsOnly: ScanRun;
  /** The scans whose report is not the one without the cache, e.g. `warm, run 2`. */
  differing: string[];
}

export async function measureWarm(stats: Assembled, scans: Scans, work: string): Promise<Warm> {
  const plain = await scans.single(stats.bundlePath);
  const colds: ScanRun[] = [];
  const warms: ScanRun[] = [];
  const factsOnly: ScanRun[] = [];
  const differing: string[] = [];
  for (let run = 1; run <= scans.runs; run++) {
    const cache = mkdtempSync(path.join(work, 'cache-'));
    try {
      process.stdout.write(`  ${stats.name}: run ${run}/${scans.runs} empty cache`);
      colds.push(await scans.scan([stats.bundlePath], ['--cache-location', cache]));
      process.stdout.write(` ${seconds(colds.at(-1)!.ms)} s, filled cache`);
      warms.push(await scans.scan([stats.bundlePath], ['--cache-location', cache]));
      process.stdout.write(` ${seconds(warms.at(-1)!.ms)} s, file facts only`);
      for (const name of readdirSync(cache).filter((entry) => entry.endsWith('.audit'))) rmSync(path.join(cache, name));
      factsOnly.push(await scans.scan([stats.bundlePath], ['--cache-location', cache]));
      process.stdout.write(` ${seconds(factsOnly.at(-1)!.ms)} s\n`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
    for (const [kind, list] of [['cold', colds], ['warm', warms], ['file facts only', factsOnly]] as const) {
      const scan = list.at(-1)!;
      if (!scan.report.equals(plain.report)) differing.push(keepForInspection(stats.name, `${kind}, run ${run}`, scan.report, plain.report));
    }
  }
  return { stats, plain, cold: combine(colds, ['ms', 'totalMs']), warm: combine(warms, ['ms', 'totalMs']), factsOnly: combine(factsOnly, ['ms', 'totalMs']), differing };
}

/** Says loudly that a report differs, keeps both for `diff`, and returns what differed. */
function keepForInspection(name: string, scan: string, report: Buffer, plain: Buffer): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), `dxt-audit-bench-${name}-`));
  writeFileSync(path.join(folder, 'without-cache.json'), plain);
  writeFileSync(path.join(folder, 'with-cache.json'), report);
  console.error(`\nbench: ERROR: ${name}: with --cache (${scan}), the report differs from the scan without it; both kept in ${folder}`);
  return scan;
}

export function warmFigures(results: readonly Warm[]): Figure[] {
  return [
    ...results.map(({ stats, cold, warm }): Figure => ({ name: `warm: ${stats.name}, warm / cold scan`, value: warm.ms / cold.ms, unit: 'ratio', atMost: WARM_TARGET })),
    { name: 'warm: reports with --cache unlike the scan without it', value: results.reduce((sum, result) => sum + result.differing.length, 0), unit: 'count', atMost: 0 },
  ];
}

export function warmTable(results: readonly Warm[]): string {
  return table(
    ['bundle', 'no cache s', 'empty cache s', 'filled cache s', 'warm / cold', 'file facts only s', 'file facts only / cold', 'empty cache / no cache', 'warm peak MB', 'reports identical'],
    results.map(({ stats, plain, cold, warm, factsOnly, differing }) => [
      stats.name,
      seconds(plain.ms),
      seconds(cold.ms),
      seconds(warm.ms),
      (warm.ms / cold.ms).toFixed(2),
      seconds(factsOnly.ms),
      (factsOnly.ms / cold.ms).toFixed(2),
      (cold.ms / plain.ms).toFixed(2),
      peakMB(warm.maxRssKB).toFixed(0),
      differing.length === 0 ? 'yes' : `**no**: ${differing.join('; ')}`,
    ]),
  );
}
