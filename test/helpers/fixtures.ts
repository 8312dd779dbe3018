import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { audit, auditTargets, type AuditOptions } from '../../src/audit.js';
import { RULES } from '../../src/audit-content.js';
import { readInstalled } from '../../src/installed/scan.js';
import type { AuditSettings } from '../../src/engine/facts.js';
import type { BundleReport, Finding } from '../../src/report.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function repoPath(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

/**
 * Runs the real audit on one fixture (archive or folder) and returns its bundle report. A folder
 * holding `extensions-installations.json` is a Claude Desktop data folder, scanned as `--installed`.
 */
export async function scanFixture(relative: string, settings: Partial<AuditSettings> & AuditOptions = {}): Promise<BundleReport> {
  const fixture = repoPath(relative);
  const report = existsSync(path.join(fixture, 'extensions-installations.json'))
    ? await auditTargets((await readInstalled(fixture, { platform: 'linux', home: REPO_ROOT, env: {} }, RULES)).targets, settings)
    : await audit([fixture], settings);
  if (report.bundles.length !== 1) throw new Error(`${relative} holds ${report.bundles.length} bundles, expected one`);
  return report.bundles[0]!;
}

export function findingsOf(bundle: BundleReport, ruleId: string): Finding[] {
  return bundle.findings.filter((finding) => finding.ruleId === ruleId);
}

/** The one finding of `ruleId` whose message contains `text`; fails when there is none. */
export function findingWith(bundle: BundleReport, ruleId: string, text: string): Finding {
  const found = findingsOf(bundle, ruleId).find((finding) => finding.message.includes(text));
  if (!found) throw new Error(`no ${ruleId} finding mentions ${JSON.stringify(text)}; got ${JSON.stringify(findingsOf(bundle, ruleId))}`);
  return found;
}
