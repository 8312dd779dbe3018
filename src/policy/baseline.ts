import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { compareText, UsageError } from '../common.js';
import type { Report } from '../report.js';

// Baselines: `--write-baseline FILE` records the findings and chains of a scan by fingerprint
// (engine/fingerprint.ts), `--baseline FILE` then fails the gate only on what is not in it. The
// file holds fingerprints, rule ids, bundle ids, files and severities: never a message or evidence,
// so never any part of a secret. A fingerprint changes with the severity, tool, evidence or rank,
// so a new problem cannot hide behind an old entry.

const BASELINE_VERSION = 1;

interface BaselineFile {
  dxtAuditBaseline: typeof BASELINE_VERSION;
  findings: Array<{ fingerprint: string; bundle: string; ruleId: string; severity: string; file: string }>;
  combinations: Array<{ fingerprint: string; source: string; sink: string; ruleId: string; severity: string }>;
}

export interface Baseline {
  file: string;
  fingerprints: ReadonlySet<string>;
}

const entry = { type: 'object', required: ['fingerprint'], properties: { fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' } } };
const BASELINE_SCHEMA = {
  type: 'object',
  required: ['dxtAuditBaseline', 'findings', 'combinations'],
  properties: {
    dxtAuditBaseline: { const: BASELINE_VERSION },
    findings: { type: 'array', items: entry },
    combinations: { type: 'array', items: entry },
  },
};

export async function readBaseline(file: string): Promise<Baseline> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the baseline ${file}: ${(error as Error).message}`);
  }
  // Compiled on use, not when the module loads: only runs given --baseline need it.
  const validate = new Ajv().compile<BaselineFile>(BASELINE_SCHEMA);
  if (!validate(json)) throw new UsageError(`${file} is not a dxt-audit baseline (write one with --write-baseline)`);
  return { file, fingerprints: new Set([...json.findings, ...json.combinations].map((known) => known.fingerprint)) };
}

/** The baseline file of a report: its findings (not the suppressed ones) and chains, sorted for stable diffs. */
export function renderBaseline(report: Report): string {
  const baseline: BaselineFile = {
    dxtAuditBaseline: BASELINE_VERSION,
    findings: report.bundles
      .flatMap((bundle) =>
        bundle.findings.map((finding) => ({ fingerprint: finding.fingerprint, bundle: bundle.id, ruleId: finding.ruleId, severity: finding.severity, file: finding.location.file })),
      )
      .sort((a, b) => compareText(a.bundle, b.bundle) || compareText(a.ruleId, b.ruleId) || compareText(a.file, b.file) || compareText(a.fingerprint, b.fingerprint)),
    combinations: report.combinations
      .map((chain) => ({ fingerprint: chain.fingerprint, source: chain.source.bundle, sink: chain.sink.bundle, ruleId: chain.ruleId, severity: chain.severity }))
      .sort((a, b) => compareText(a.source, b.source) || compareText(a.sink, b.sink) || compareText(a.fingerprint, b.fingerprint)),
  };
  return `${JSON.stringify(baseline, null, 2)}\n`;
}
