// A `dxt-audit scan` measured in a fresh process (child-scan.mjs, on the compiled package), and each
// bundle's single scan (alone, without the cache), measured once per bench run and shared by the
// sections that need it: the cold section's audit, the warm section's reference report, the batch
// section's sum of singles.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Severity } from '../../src/report.js';
import { combine, repeat, runChild } from './measure.js';

export interface ScanRun {
  /** The CLI's main() call, after its module loaded. */
  ms: number;
  maxRssKB: number;
  /** Spawn to exit. */
  totalMs: number;
  exitCode: number;
  bundles: number;
  combinations: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  complete: boolean;
  incompleteReasons: string[];
  /** The JSON report, byte for byte. */
  report: Buffer;
}

export class Scans {
  private readonly singles = new Map<string, ScanRun>();

  /** `work`: a scratch folder for the reports. */
  constructor(
    readonly runs: number,
    private readonly work: string,
  ) {}

  /** One scan of `paths` with `flags`, in a process of its own. */
  async scan(paths: readonly string[], flags: readonly string[] = []): Promise<ScanRun> {
    const output = path.join(this.work, 'report.json');
    const run = await runChild<Omit<ScanRun, 'report'>>('child-scan.mjs', [output, ...paths, ...flags]);
    const report = readFileSync(output);
    rmSync(output);
    return { ...run, report };
  }

  /** Records `bundle`'s single scan, as measured by a section (the cold one, alternating with the baseline). */
  remember(bundle: string, runs: readonly ScanRun[]): ScanRun {
    const combined = combine(runs, ['ms', 'totalMs']);
    this.singles.set(bundle, combined);
    return combined;
  }

  /** `bundle` scanned alone without the cache: medians of `runs` scans, measured on first request. */
  async single(bundle: string): Promise<ScanRun> {
    return this.singles.get(bundle) ?? this.remember(bundle, await repeat(this.runs, () => this.scan([bundle])));
  }
}
