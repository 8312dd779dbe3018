// One `dxt-audit scan` of the compiled package (dist/: `npm run build`), alone in this fresh process,
// through the command line's own main(). argv: where to write the JSON report (the parent, scan.ts,
// reads it there), then the scan's arguments. The clock covers main() alone: Node's start-up and
// loading cli.js are the start-up section's business. Prints one JSON line, the last of stdout.
import { existsSync, readFileSync } from 'node:fs';
import { main } from '../../dist/src/cli.js';

const [output, ...args] = process.argv.slice(2);
if (output === undefined) throw new Error('usage: child-scan.mjs <report.json> <scan arguments...>');
const argv = [process.execPath, 'dxt-audit', 'scan', ...args, '--format', 'json', '--output', output];
const start = performance.now();
const exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env });
const ms = performance.now() - start;
const maxRssKB = process.resourceUsage().maxRSS;
// Exit codes 0 and 1 (the gate) and 3 (a bundle marked incomplete) come with a report; 2 (usage) does not.
if (!existsSync(output)) throw new Error(`dxt-audit scan exited with ${exitCode} and wrote no report`);

const report = JSON.parse(readFileSync(output, 'utf8'));
const byRule = {};
for (const finding of report.bundles.flatMap((bundle) => bundle.findings)) byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
console.log(
  JSON.stringify({
    ms,
    maxRssKB,
    exitCode,
    bundles: report.bundles.length,
    combinations: report.combinations.length,
    bySeverity: report.summary.bySeverity,
    byRule,
    complete: report.bundles.every((bundle) => bundle.complete),
    incompleteReasons: report.bundles.flatMap((bundle) => bundle.incompleteReasons ?? []),
  }),
);
