// One full audit of one bundle, alone in its process so that its peak memory is its own.
// Prints one JSON line; the parent (run.ts) reads the last line of stdout.
import { audit } from '../../src/audit.js';

const bundle = process.argv[2];
if (bundle === undefined) throw new Error('usage: child-audit.ts <bundle>');

const start = performance.now();
const report = await audit([bundle]);
const ms = performance.now() - start;

const bundleReport = report.bundles[0];
const byRule: Record<string, number> = {};
for (const finding of bundleReport?.findings ?? []) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
console.log(
  JSON.stringify({
    ms,
    maxRssKB: process.resourceUsage().maxRSS,
    bySeverity: report.summary.bySeverity,
    byRule,
    complete: bundleReport?.complete ?? false,
    incompleteReasons: bundleReport?.incompleteReasons ?? ['no bundle in the report'],
  }),
);
