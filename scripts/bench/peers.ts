// `npm run bench:peers -- <folder>`: how much of other security projects' annotated test material
// dxt-audit catches, and how much of what they call safe it raises at medium or above. <folder> holds
// checkouts of the peers (see USAGE); nothing of theirs is committed here. Each sample (a test file,
// or one RuleTester case) becomes the module of a one-tool server (peers/harness.ts), every sample is
// audited, and each unit is scored:
// - a malicious line is caught by a finding of any severity in the sample within 2 lines of it;
// - a safe line is raised by a medium-or-above finding on that very line (a window would blame it
//   for the malicious line next to it);
// - a whole-sample unit (a RuleTester case, an unannotated guarddog file) by any finding in the
//   sample (malicious), or any medium-or-above finding in it (safe).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { audit } from '../../src/audit.js';
import { atOrAbove, type Finding } from '../../src/report.js';
import { writeDocBlock } from './doc-block.js';
import { sampleFile, writeBundle } from './peers/harness.js';
import { SUITES, type Sample, type Unit } from './peers/suites.js';
import { REPO_ROOT } from './assemble.js';

const USAGE = `usage: npm run bench:peers -- <folder> [--suite <name>] [--show misses|raised|all] [--write]

<folder> holds a checkout of each peer, under these names (any commit; a snapshot is enough):
${SUITES.map((suite) => `  git clone --depth 1 ${suite.clone} <folder>/${suite.folder}`).join('\n')}
A missing checkout is skipped. --show lists the units missed, the safe units raised, or both;
--write records the tables in docs/benchmarks.md.`;
const WINDOW = 2;
const MARKERS = ['<!-- bench-peers:start -->', '<!-- bench-peers:end -->'] as const;
const TARGET_RECALL = 0.85;
const TARGET_RAISED = 0.1;

interface Scored {
  sample: Sample;
  unit: Unit;
  /** Malicious: caught. Safe: raised at medium or above. */
  hit: boolean;
}

function options(): { folder: string; suite: string | undefined; show: string | undefined; write: boolean } {
  const { values, positionals } = parseArgs({
    options: { suite: { type: 'string' }, show: { type: 'string' }, write: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  if (values.show !== undefined && !['misses', 'raised', 'all'].includes(values.show)) {
    console.error(USAGE);
    process.exit(2);
  }
  return { folder: positionals[0]!, suite: values.suite, show: values.show, write: values.write };
}

function isHit(unit: Unit, findings: readonly Finding[]): boolean {
  const counted = unit.verdict === 'malicious' ? findings : findings.filter((finding) => atOrAbove(finding.severity, 'medium'));
  if (unit.line === undefined) return counted.length > 0;
  return counted.some((finding) => {
    const line = 'line' in finding.location ? finding.location.line : undefined;
    if (line === undefined) return false;
    return unit.verdict === 'malicious' ? Math.abs(line - unit.line!) <= WINDOW : line === unit.line;
  });
}

async function score(samples: readonly Sample[]): Promise<Scored[]> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'dxt-audit-peers-'));
  try {
    const names = samples.map((sample, index) => String(index).padStart(5, '0'));
    samples.forEach((sample, index) => writeBundle(path.join(folder, names[index]!), sample));
    const report = await audit([folder], { failOn: 'none' });
    const bySource = new Map(report.bundles.map((bundle) => [path.basename(bundle.source), bundle.findings]));
    return samples.flatMap((sample, index) => {
      const findings = (bySource.get(names[index]!) ?? []).filter((finding) => finding.location.file === sampleFile(sample));
      return sample.units.map((unit) => ({ sample, unit, hit: isHit(unit, findings) }));
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const percent = (part: number, whole: number): string => (whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`);

function table(suite: string, scored: readonly Scored[]): string {
  const threats = [...new Set(scored.map((item) => item.unit.threat))].sort();
  const row = (label: string, items: readonly Scored[]): string => {
    const malicious = items.filter((item) => item.unit.verdict === 'malicious');
    const safe = items.filter((item) => item.unit.verdict === 'safe');
    const caught = malicious.filter((item) => item.hit).length;
    const raised = safe.filter((item) => item.hit).length;
    return `| ${label} | ${caught}/${malicious.length} | ${percent(caught, malicious.length)} | ${raised}/${safe.length} | ${percent(raised, safe.length)} |`;
  };
  return [
    `### ${suite}`,
    '',
    '| threat | malicious caught | recall | safe raised medium+ | rate |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...threats.map((threat) => row(threat, scored.filter((item) => item.unit.threat === threat))),
    row('**all**', scored),
  ].join('\n');
}

function verdicts(suite: string, scored: readonly Scored[]): string {
  const malicious = scored.filter((item) => item.unit.verdict === 'malicious');
  const safe = scored.filter((item) => item.unit.verdict === 'safe');
  const recall = malicious.filter((item) => item.hit).length / Math.max(1, malicious.length);
  const raised = safe.filter((item) => item.hit).length / Math.max(1, safe.length);
  const meets = recall >= TARGET_RECALL && raised <= TARGET_RAISED;
  return `- ${suite}: ${meets ? 'meets' : 'misses'} the targets (recall ${percent(recall, 1)}, target ≥ ${percent(TARGET_RECALL, 1)}; safe raised ${percent(raised, 1)}, target ≤ ${percent(TARGET_RAISED, 1)})`;
}

function listing(scored: readonly Scored[], show: string): string[] {
  return scored
    .filter((item) => (item.unit.verdict === 'malicious' ? !item.hit && show !== 'raised' : item.hit && show !== 'misses'))
    .map(({ sample, unit }) => {
      const where = unit.line === undefined ? sample.name : `${sample.name}:${unit.line}`;
      const text = unit.line === undefined ? sample.code.trim().split('\n')[0] : sample.code.split(/\r?\n/)[unit.line - 1];
      return `${unit.verdict === 'malicious' ? 'missed' : 'raised'} [${unit.threat}] ${where}: ${JSON.stringify((text ?? '').trim()).slice(0, 160)}`;
    });
}

async function main(): Promise<void> {
  const opts = options();
  const sections: string[] = [];
  const summary: string[] = [];
  for (const suite of SUITES.filter((candidate) => opts.suite === undefined || candidate.name === opts.suite)) {
    const samples = suite.samples(path.join(opts.folder, suite.folder));
    if (samples.length === 0) {
      console.log(`${suite.name}: no checkout at ${path.join(opts.folder, suite.folder)}, skipped`);
      continue;
    }
    const scored = await score(samples);
    sections.push(table(suite.name, scored));
    summary.push(verdicts(suite.name, scored));
    if (opts.show !== undefined) console.log(listing(scored, opts.show).join('\n'));
  }
  const body = [...sections, `### Targets\n\n${summary.join('\n')}`].join('\n\n');
  console.log(`\n${body}`);
  if (opts.write) writeDocBlock(path.join(REPO_ROOT, 'docs', 'benchmarks.md'), MARKERS, body, '# Benchmarks\n\n');
}

await main();
