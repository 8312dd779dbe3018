import type { BundleReport } from '../../src/report.js';

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
