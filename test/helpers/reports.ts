import { SEVERITIES, type BundleReport, type Combination, type Finding, type Report, type Severity } from '../../src/report.js';

/** A bundle report with nothing in it but what `overrides` says: for tests that build reports by hand. */
export function bundleReport(overrides: Partial<BundleReport> = {}): BundleReport {
  return {
    source: 'ext.mcpb',
    id: 'ext',
    sha256: null,
    manifest: { name: 'ext', displayName: null, version: '1.0.0', manifestVersion: '0.3', serverType: 'node' },
    capabilities: [],
    connectorClass: 'transformation',
    score: 0,
    level: 'none',
    complete: true,
    incompleteReasons: [],
    signature: 'unsigned',
    findings: [],
    ...overrides,
  };
}

/** A critical code-shell-exec finding of tool "run", with `overrides`. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'code-shell-exec',
    category: 'shell-exec',
    severity: 'critical',
    message: 'child_process.exec() runs a shell command built from the input of tool "run".',
    location: { file: 'server/index.js', line: 8, column: 3 },
    tool: 'run',
    origin: 'first-party',
    evidence: 'exec(command)',
    fingerprint: 'f0',
    ...overrides,
  };
}

/** A critical chain from `source`'s list_events to `sink`'s run_command, with `overrides`. */
export function chain(source: string, sink: string, overrides: Partial<Combination> = {}): Combination {
  return {
    ruleId: 'chain-toxic-combination',
    category: 'toxic-combination',
    severity: 'critical',
    message: `Calendar events read by "${source}" can steer "${sink}".`,
    bundles: [source, sink],
    source: { bundle: source, tool: 'list_events', tools: ['list_events'], content: 'calendar events' },
    sink: { bundle: sink, tool: 'run_command', tools: ['run_command'], power: 'command-execution' },
    fingerprint: 'c0',
    ...overrides,
  };
}

/** The report of a scan of `bundles`, its severity counts taken from their findings; the gate high and passed unless `summary` says otherwise. */
export function report(bundles: BundleReport[], extra: Partial<Report> = {}, summary: Partial<Report['summary']> = {}): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const item of bundles.flatMap((entry) => entry.findings)) bySeverity[item.severity] += 1;
  return {
    schemaVersion: 1,
    tool: { name: 'dxt-audit', version: '0.1.0' },
    bundles,
    combinations: [],
    ...extra,
    summary: { bundles: bundles.length, bySeverity, gate: 'high', failed: false, internalError: false, ...summary },
  };
}
